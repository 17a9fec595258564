import { elapsedOf, formatElapsed, type StepProgress } from "./runState";
import { useNow } from "./useNow";

/** A step's time: ticking while it runs, fixed once it ended, nothing while pending. */
export function StepElapsed({ progress }: { progress: StepProgress }) {
  const running = progress.state.state === "running";
  const now = useNow(running);
  if (progress.state.state === "pending" || progress.earlier) return null;
  return <span className="step-elapsed">{formatElapsed(elapsedOf(progress, now))}</span>;
}
