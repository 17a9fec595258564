import type { PlanStep } from "../../../bindings";
import type { PlanDiff } from "./planDiff";
import { ACTION_LABEL, ACTION_TONE, KIND_LABEL, MARK_LABEL } from "./stepLabels";

/** The steps in the order they run, with what changed since the last plan. */
export function PlanList({ steps, diff }: { steps: readonly PlanStep[]; diff: PlanDiff }) {
  return (
    <div data-testid="plan-list">
      <ol className="plan-list">
        {steps.map((step) => {
          const mark = diff.marks.get(step.id);
          return (
            <li key={step.id} data-step={step.id} data-mark={mark}>
              <span className={`badge badge-${ACTION_TONE[step.action]}`}>{ACTION_LABEL[step.action]}</span>
              <span className="plan-kind">{KIND_LABEL[step.kind]}</span>
              <span className="plan-name mono">{step.name}</span>
              {mark && (
                <span className="badge badge-warn plan-changed" data-testid="step-mark">
                  {MARK_LABEL[mark]}
                </span>
              )}
              <div className="muted plan-detail">{step.detail}</div>
              {step.note && <div className="plan-note">{step.note}</div>}
            </li>
          );
        })}
      </ol>
      {diff.removed.length > 0 && (
        <div className="plan-removed" data-testid="plan-removed">
          <h3>No longer in the plan</h3>
          <ul>
            {diff.removed.map((step) => (
              <li key={step.id}>
                <span className="badge badge-muted">removed</span> <span className="plan-kind">{KIND_LABEL[step.kind]}</span>{" "}
                <span className="mono">{step.name}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
