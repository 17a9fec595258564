import { useState } from "react";
import type { AppError } from "../../bindings";
import { toAppError } from "../../app/ipc";
import { ErrorPanel } from "../errors/ErrorPanel";
import { KIND_LABEL } from "../create/plan/stepLabels";
import { DestroyDialog } from "./DestroyDialog";
import { failedStep, formatElapsed, isActive, type RunState } from "./runState";
import type { RunActions } from "./useRunActions";

const VERB = { apply: "Applying", destroy: "Destroying" } as const;
const DONE = { apply: "Created", destroy: "Destroyed" } as const;

type Props = { run: RunState; actions: RunActions };

/** Where the run stands, overall, and what can be done about it. */
export function RunPanel({ run, actions }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const active = isActive(run);
  const state = run.phase === "starting" ? "running" : run.phase;
  const failure = failedStep(run);
  // A run that never reached the engine has no journal to resume.
  const resumable = !active && run.phase !== "done" && run.started;
  // Nothing to destroy after a run that was refused before it began.
  const destroyable = !active && run.started && !(run.operation === "destroy" && run.phase === "done");
  const attempt = (work: Promise<unknown>) => {
    setActionError(null);
    work.catch((e: unknown) => setActionError(toAppError(e)));
  };
  const pct = run.stepsTotal > 0 ? Math.round((100 * run.stepsDone) / run.stepsTotal) : 0;

  return (
    <section className="panel run-panel" data-testid="run-panel">
      <header className="panel-header">
        <h2>
          {VERB[run.operation]} {run.spec.cluster.name} in {run.spec.cluster.region}
        </h2>
        <span className={`badge run-status run-status-${state}`} data-testid="run-status" data-state={state}>
          {run.cancelling && active ? "cancelling…" : state}
        </span>
      </header>
      <div
        className="run-progress"
        data-testid="run-progress"
        data-done={run.stepsDone}
        data-total={run.stepsTotal}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={run.stepsTotal}
        aria-valuenow={run.stepsDone}
        aria-label="Steps done"
      >
        <div className={`run-progress-fill run-progress-${state}`} style={{ width: `${pct}%` }} />
      </div>
      <p className="run-progress-text">
        {run.stepsDone} of {run.stepsTotal} steps done
        {run.summary && ` · ${DONE[run.operation].toLowerCase()} in ${formatElapsed(run.summary.wallMs)}`}
      </p>

      {active && (
        <div className="run-actions">
          <button type="button" data-testid="cancel-run" disabled={run.cancelling} onClick={() => attempt(actions.cancel(run.specId))}>
            {run.cancelling ? "Cancelling…" : "Cancel"}
          </button>
          <span className="muted" data-testid="cancel-note">
            {run.cancelMissed
              ? "The run had already ended in the backend: there was nothing to cancel."
              : "Cancel stops after the current calls; you can resume later."}
          </span>
        </div>
      )}

      {run.phase === "failed" && failure && (
        <div className="run-failure" role="alert" data-testid="run-failure">
          <strong>
            Stopped at {failure.step ? `${KIND_LABEL[failure.step.kind]} ${failure.step.name}` : failure.id}
          </strong>{" "}
          <span className="mono">({failure.id})</span>
          {failure.operation && (
            <p>
              AWS operation: <code data-testid="run-failure-operation">{failure.operation}</code>
            </p>
          )}
          <p className="run-failure-message" data-testid="run-failure-message">
            {failure.message}
          </p>
        </div>
      )}
      {run.phase === "failed" && !failure && run.error && <ErrorPanel error={run.error} />}
      {run.phase === "cancelled" && (
        <p className="muted">Cancelled. The journal is kept: resume continues where it stopped.</p>
      )}
      {run.phase === "done" && (
        <p className="run-done" data-testid="run-done">
          {DONE[run.operation]} {run.spec.cluster.name}: every step is done.
        </p>
      )}

      {!active && (
        <div className="run-actions">
          {resumable && (
            <button type="button" className="primary" data-testid="resume-run" onClick={() => attempt(actions.resume(run.specId, run.environment))}>
              Resume
            </button>
          )}
          {destroyable && (
            <button type="button" className="danger" data-testid="destroy-run" onClick={() => setConfirming(true)}>
              Destroy…
            </button>
          )}
          <button type="button" data-testid="close-run" onClick={actions.hide}>
            Back to the plan
          </button>
        </div>
      )}
      {actionError && <ErrorPanel error={actionError} />}
      {confirming && (
        <DestroyDialog
          clusterName={run.spec.cluster.name}
          region={run.spec.cluster.region}
          target={{ environment: run.environment, spec: run.spec }}
          onClose={() => setConfirming(false)}
          onConfirm={(typed, leftovers) => {
            setConfirming(false);
            attempt(actions.destroy(run.environment, run.spec, typed, leftovers));
          }}
        />
      )}
    </section>
  );
}
