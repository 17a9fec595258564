// What the UI knows about one apply or destroy: the steps it goes through,
// each step's state as the engine last reported it, the log, and how the
// run ended. Pure functions: the store applies them to batches as they come.
import type {
  AppError,
  Environment,
  Journal_Serialize,
  Operation,
  PlanStep,
  ProgressEvent,
  RunSummary,
  StepState,
} from "../../bindings";
import type { Spec } from "../create/spec";

/** `starting` until the engine's first event. */
export type RunPhase = "starting" | "running" | "done" | "failed" | "cancelled";

export type StepProgress = {
  state: StepState;
  /** Since the step started, as of `receivedAt`. */
  elapsedMs: number;
  /** `Date.now()` when the event arrived, to keep a running step's clock going. */
  receivedAt: number;
  message: string;
  resourceId: string | null;
  /** Done in an earlier run (from the journal): no time of this run to show. */
  earlier?: boolean;
};

export type LogLine = { runElapsedMs: number; stepId: string; state: StepState["state"]; text: string };

export type RunState = {
  specId: string;
  operation: Operation;
  spec: Spec;
  environment: Environment;
  /** The graph and list; in the engine's order. */
  steps: PlanStep[];
  progress: Record<string, StepProgress>;
  log: LogLine[];
  stepsDone: number;
  stepsTotal: number;
  phase: RunPhase;
  /** Set once Cancel was asked for, until the run ends. */
  cancelling: boolean;
  /** Cancel was asked for after the backend's run had already ended. */
  cancelMissed: boolean;
  /** True once the engine reported anything: its journal exists, so resume can continue. */
  started: boolean;
  /** What stopped the run, from the command's result. */
  error: AppError | null;
  summary: RunSummary | null;
};

/** The log keeps the newest lines only. */
export const LOG_LIMIT = 1000;

type NewRun = {
  operation: Operation;
  spec: Spec;
  environment: Environment;
  steps: PlanStep[];
  /** A resumed run starts from its journal: done steps stay done. */
  journal?: Journal_Serialize | null;
  now: number;
};

export function newRun({ operation, spec, environment, steps, journal, now }: NewRun): RunState {
  const progress: Record<string, StepProgress> = {};
  for (const step of steps) {
    const done = journal?.steps.find((r) => r.id === step.id)?.state.state === "done";
    progress[step.id] = {
      state: done ? { state: "done" } : { state: "pending" },
      elapsedMs: 0,
      receivedAt: now,
      message: done ? "done in an earlier run" : "",
      resourceId: null,
      earlier: done,
    };
  }
  return {
    specId: spec.id,
    operation,
    spec,
    environment,
    steps,
    progress,
    log: [],
    stepsDone: Object.values(progress).filter((p) => p.state.state === "done").length,
    stepsTotal: steps.length,
    phase: "starting",
    cancelling: false,
    cancelMissed: false,
    started: false,
    error: null,
    summary: null,
  };
}

const RUN_PHASE: Record<StepState["state"], RunPhase> = {
  pending: "running",
  running: "running",
  done: "done",
  failed: "failed",
  cancelled: "cancelled",
};

function logText(e: ProgressEvent): string {
  const resource = e.resourceId ? ` [${e.resourceId}]` : "";
  return `${e.stepId} ${e.state.state}: ${e.message}${resource}`;
}

/** The run after a batch of the engine's events, in the order they happened. */
export function withBatch(run: RunState, batch: readonly ProgressEvent[], now: number): RunState {
  if (batch.length === 0) return run;
  const progress = { ...run.progress };
  let phase: RunPhase = run.phase === "starting" ? "running" : run.phase;
  for (const e of batch) {
    if (e.stepId === "run") {
      phase = RUN_PHASE[e.state.state];
      continue;
    }
    progress[e.stepId] = {
      state: e.state,
      elapsedMs: e.elapsedMs,
      receivedAt: now,
      message: e.message,
      resourceId: e.resourceId ?? progress[e.stepId]?.resourceId ?? null,
    };
  }
  const last = batch[batch.length - 1];
  const lines = batch.map((e) => ({ runElapsedMs: e.runElapsedMs, stepId: e.stepId, state: e.state.state, text: logText(e) }));
  return {
    ...run,
    progress,
    phase,
    started: true,
    stepsDone: last.stepsDone,
    stepsTotal: last.stepsTotal,
    log: [...run.log, ...lines].slice(-LOG_LIMIT),
  };
}

export type RunOutcome = { status: "ok"; data: RunSummary } | { status: "error"; error: AppError };

/** The run once its command returned. */
export function withOutcome(run: RunState, outcome: RunOutcome): RunState {
  if (outcome.status === "ok") {
    return { ...run, phase: "done", cancelling: false, summary: outcome.data, stepsDone: run.stepsTotal };
  }
  const phase = outcome.error.code === "cancelled" ? "cancelled" : "failed";
  return { ...run, phase, cancelling: false, error: outcome.error };
}

export function isActive(run: RunState | undefined): boolean {
  return run !== undefined && (run.phase === "starting" || run.phase === "running");
}

/** The first step that failed, with the engine's words. */
export function failedStep(run: RunState): { step: PlanStep | undefined; id: string; message: string; operation: string } | null {
  for (const [id, p] of Object.entries(run.progress)) {
    if (p.state.state === "failed") {
      return { id, step: run.steps.find((s) => s.id === id), message: p.state.message, operation: p.state.operation };
    }
  }
  return null;
}

/** A step's time so far: a running step's clock keeps going between events. */
export function elapsedOf(p: StepProgress, now: number): number {
  return p.state.state === "running" ? p.elapsedMs + Math.max(0, now - p.receivedAt) : p.elapsedMs;
}

/** `850 ms`, `12 s`, `3 min 04 s`. */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}
