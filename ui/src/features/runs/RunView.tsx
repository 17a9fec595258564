import { lazy, Suspense } from "react";
import { GraphBoundary } from "../create/plan/GraphBoundary";
import type { StepMark } from "../create/plan/planDiff";
import { RunLog } from "./RunLog";
import { RunPanel } from "./RunPanel";
import type { RunState } from "./runState";
import { RunSteps } from "./RunSteps";
import type { RunActions } from "./useRunActions";
import "./runs.css";

const PlanGraph = lazy(() => import("../create/plan/PlanGraph").then((m) => ({ default: m.PlanGraph })));
const NO_MARKS: ReadonlyMap<string, StepMark> = new Map<string, StepMark>();

/** A run as it goes: where it stands, the plan graph coloured by step state, the steps and the log. */
export function RunView({ run, actions }: { run: RunState; actions: RunActions }) {
  return (
    <div className="run-view" data-testid="run-view" data-spec-id={run.specId}>
      <RunPanel run={run} actions={actions} />
      <section className="panel">
        <GraphBoundary>
          <Suspense fallback={<div className="plan-graph muted">Drawing the graph…</div>}>
            <PlanGraph steps={run.steps} marks={NO_MARKS} progress={run.progress} />
          </Suspense>
        </GraphBoundary>
        <div className="run-details">
          <div>
            <h3>Steps</h3>
            <RunSteps run={run} />
          </div>
          <div>
            <h3>Log</h3>
            <RunLog log={run.log} />
          </div>
        </div>
      </section>
    </div>
  );
}
