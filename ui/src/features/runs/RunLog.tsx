import { useEffect, useRef } from "react";
import type { LogLine } from "./runState";

function seconds(l: LogLine): string {
  return `${(l.runElapsedMs / 1000).toFixed(1)} s`;
}

/** What the engine reported, newest last, as plain text; follows the end while it grows. */
export function RunLog({ log }: { log: readonly LogLine[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [log]);
  return (
    <div className="run-log" data-testid="run-log" ref={box} tabIndex={0} role="log" aria-label="Run log">
      {log.length === 0 && <div className="muted">Waiting for the first step…</div>}
      {log.map((l, i) => (
        <div key={i} className={`run-log-line run-log-${l.state}`}>
          <span className="run-log-time">{seconds(l)}</span>
          {l.text}
        </div>
      ))}
    </div>
  );
}
