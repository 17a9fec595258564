import { useEffect, useRef } from "react";
import type { LogLine } from "./runState";

function line(l: LogLine): string {
  return `${(l.runElapsedMs / 1000).toFixed(1).padStart(7)} s  ${l.text}`;
}

/** What the engine reported, newest last, as plain text; follows the end while it grows. */
export function RunLog({ log }: { log: readonly LogLine[] }) {
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [log]);
  return (
    <pre className="run-log" data-testid="run-log" ref={box} tabIndex={0} aria-label="Run log">
      {log.length === 0 ? "Waiting for the first step…" : log.map(line).join("\n")}
    </pre>
  );
}
