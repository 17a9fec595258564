import { lazy, Suspense, useMemo } from "react";
import type { Environment, StepAction } from "../../../bindings";
import { toAppError } from "../../../app/ipc";
import { ErrorPanel } from "../../errors/ErrorPanel";
import { usd } from "../cost/costText";
import { isActive } from "../../runs/runState";
import { useRunsStore } from "../../runs/runStore";
import { RunView } from "../../runs/RunView";
import { useRunActions } from "../../runs/useRunActions";
import type { Spec } from "../spec";
import { ApplyButton, applyBlockedBy } from "./ApplyButton";
import { GraphBoundary } from "./GraphBoundary";
import { diffPlans } from "./planDiff";
import { PlanList } from "./PlanList";
import { ACTION_TONE } from "./stepLabels";
import type { Plans } from "./usePlans";

type Props = {
  plans: Plans;
  spec: Spec;
  environment: Environment;
  /** For the apply confirmation; unknown until the identity was read. */
  accountId: string | undefined;
  /** Errors in the spec as last checked: Apply waits until there are none. */
  errorCount: number;
  onPlan: () => void;
  onShowField: (field: string) => void;
};

// React Flow is the bulk of the UI's code: loaded when a plan is first shown.
const PlanGraph = lazy(() => import("./PlanGraph").then((m) => ({ default: m.PlanGraph })));

const ACTIONS: StepAction[] = ["create", "reuse", "replace", "conflict"];

export function PlanView({ plans, spec, environment, accountId, errorCount, onPlan, onShowField }: Props) {
  const { current, previous, error, isPending } = plans;
  const steps = current?.plan.steps;
  const diff = useMemo(() => diffPlans(previous, steps ?? []), [previous, steps]);
  const stale = current !== null && plans.plannedSpecJson !== JSON.stringify(spec);
  const appError = error ? toAppError(error) : null;
  const { runs, shown } = useRunsStore();
  const actions = useRunActions();
  const shownRun = shown ? runs[shown] : undefined;
  if (shownRun) {
    return (
      <div className="plan-view" data-testid="plan-view">
        <RunView run={shownRun} actions={actions} />
      </div>
    );
  }
  const lastRun = runs[spec.id];
  const blockedBy = applyBlockedBy({
    errorCount,
    fromPlan: current?.applyBlockedBy ?? null,
    stale,
    planFailed: appError !== null || isPending,
    running: isActive(lastRun),
  });
  return (
    <div className="plan-view" data-testid="plan-view">
      {isPending && <p className="muted">Planning…</p>}
      {appError && (
        <div data-testid="plan-error">
          <ErrorPanel error={appError} onRetry={onPlan} />
          {appError.field && (
            <p className="plan-error-field">
              Field <code>{appError.field}</code>{" "}
              <button type="button" onClick={() => onShowField(appError.field!)}>
                Show the field
              </button>
            </p>
          )}
        </div>
      )}
      {!current && !appError && !isPending && (
        <p className="muted">Plan lays out every AWS object this spec creates or reuses, in the order they are made.</p>
      )}
      {current && steps && (
        <section className="panel">
          <header className="panel-header">
            <h2>
              {appError ? "Last plan" : "Plan"} for {current.plan.clusterName} in {current.plan.region}: {steps.length} steps
            </h2>
            {ACTIONS.map((a) => {
              const n = steps.filter((s) => s.action === a).length;
              return n > 0 ? (
                <span key={a} className={`badge badge-${ACTION_TONE[a]}`}>
                  {n} {a}
                </span>
              ) : null;
            })}
            <span className="badge badge-muted" data-testid="plan-cost-total" title={current.cost.label}>
              est. {usd(current.cost.totalMonthlyUsd)}/month
            </span>
            <ApplyButton
              spec={spec}
              steps={steps}
              accountId={accountId}
              blockedBy={blockedBy}
              onApply={() => void actions.apply(environment, spec, steps).catch(() => undefined)}
            />
          </header>
          {blockedBy && (
            <p className="muted apply-blocked" data-testid="apply-blocked">
              {blockedBy}
            </p>
          )}
          {lastRun && (
            <p className="stale-note" data-testid="last-run-note">
              The last {lastRun.operation} of this spec is {lastRun.phase === "starting" ? "running" : lastRun.phase}.{" "}
              <button type="button" data-testid="show-run" onClick={() => actions.show(spec.id)}>
                Show its progress
              </button>
            </p>
          )}
          {stale && (
            <p className="stale-note" data-testid="plan-stale">
              The spec changed since this plan. <button type="button" onClick={onPlan}>Plan again</button>
            </p>
          )}
          {previous && (
            <p className="muted" data-testid="plan-diff-summary">
              Since the previous plan: {diff.marks.size} new or changed, {diff.removed.length} removed.
            </p>
          )}
          <GraphBoundary>
            <Suspense fallback={<div className="plan-graph muted">Drawing the graph…</div>}>
              <PlanGraph steps={steps} marks={diff.marks} />
            </Suspense>
          </GraphBoundary>
          <PlanList steps={steps} diff={diff} />
        </section>
      )}
    </div>
  );
}
