import { KIND_LABEL } from "../create/plan/stepLabels";
import type { RunState } from "./runState";
import { StepElapsed } from "./StepElapsed";
import { STATE_LABEL, STATE_TONE } from "./stepStateLabels";

/** Every step of the run in the engine's order, with its state, time and last word. */
export function RunSteps({ run }: { run: RunState }) {
  return (
    <ol className="run-steps" data-testid="run-steps">
      {run.steps.map((step) => {
        const p = run.progress[step.id];
        const state = p?.state.state ?? "pending";
        return (
          <li key={step.id} data-step={step.id} data-step-state={state} className={`run-step run-step-${state}`}>
            <span className={`badge badge-${STATE_TONE[state]}`}>{STATE_LABEL[state]}</span>
            <span className="plan-kind">{KIND_LABEL[step.kind]}</span>
            <span className="plan-name mono">{step.name}</span>
            {p && <StepElapsed progress={p} />}
            {p?.message && <div className="muted run-step-message">{p.message}</div>}
            {p?.resourceId && <div className="mono run-step-resource">{p.resourceId}</div>}
          </li>
        );
      })}
    </ol>
  );
}
