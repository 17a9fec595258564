import { useEffect, useId, useRef, type ReactNode } from "react";
import "./runs.css";

type Props = {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
};

/** A modal box over the page: Escape or a click outside closes it. */
export function Dialog({ title, onClose, children, testId }: Props) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The first field, else the first button, takes the keyboard.
    const first = box.current?.querySelector<HTMLElement>("input, button:not([disabled])");
    first?.focus();
  }, []);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={box}
        className="dialog panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        onKeyDown={(e) => e.key === "Escape" && onClose()}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
