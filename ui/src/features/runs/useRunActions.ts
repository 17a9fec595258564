// Starts, resumes, destroys and cancels runs. Each run's command returns when
// the run ends; meanwhile its progress arrives over a Channel in batches,
// and each batch is applied to the run in the store.
import { Channel } from "@tauri-apps/api/core";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { commands, type Environment, type PlanStep, type ProgressEvent_Deserialize } from "../../bindings";
import { toAppError, unwrap } from "../../app/ipc";
import type { Spec } from "../create/spec";
import { isActive, newRun, withBatch, withOutcome, type RunOutcome } from "./runState";
import { hideRun, runOf, showNewRun, showRun, updateRun } from "./runStore";

type Progress = Channel<ProgressEvent_Deserialize[]>;

/** Queries a finished run makes stale: the resume offers and the cluster list. */
export const UNFINISHED_RUNS_KEY = ["unfinished-runs"] as const;

/** A second run of a spec would replace the view of the first, which goes on. */
function ensureIdle(specId: string) {
  if (isActive(runOf(specId))) {
    throw new Error("An apply or destroy of this spec is going on; wait for it to end or cancel it first.");
  }
}

async function follow(client: QueryClient, specId: string, call: (onProgress: Progress) => Promise<RunOutcome>) {
  const onProgress: Progress = new Channel<ProgressEvent_Deserialize[]>();
  onProgress.onmessage = (batch) => updateRun(specId, (run) => withBatch(run, batch, Date.now()));
  let outcome: RunOutcome;
  try {
    outcome = await call(onProgress);
  } catch (e) {
    outcome = { status: "error", error: toAppError(e) };
  }
  updateRun(specId, (run) => withOutcome(run, outcome));
  void client.invalidateQueries({ queryKey: UNFINISHED_RUNS_KEY });
  void client.invalidateQueries({ queryKey: ["clusters"] });
}

export function useRunActions() {
  const client = useQueryClient();

  /** Creates the spec's resources; `steps` are the plan the user confirmed. */
  const apply = async (environment: Environment, spec: Spec, steps: PlanStep[]) => {
    ensureIdle(spec.id);
    showNewRun(newRun({ operation: "apply", spec, environment, steps, now: Date.now() }));
    return follow(client, spec.id, (onProgress) => commands.startApply(environment, spec, onProgress));
  };

  /** Deletes what the app made for `spec`; `typedName` (and `typedLeftovers`) are the user's confirmations. */
  const destroy = async (environment: Environment, spec: Spec, typedName: string, typedLeftovers: string | null = null) => {
    ensureIdle(spec.id);
    const plan = await commands.runPlan("destroy", spec);
    showNewRun(newRun({ operation: "destroy", spec, environment, steps: plan.steps, now: Date.now() }));
    return follow(client, spec.id, (onProgress) => commands.startDestroy(environment, spec, typedName, typedLeftovers, onProgress));
  };

  /** The spec and account of a run from its journal (for runs of an earlier start). */
  const recorded = async (specId: string, fallback: Environment) => {
    const journal = await unwrap(commands.runJournal(specId));
    if (!journal) throw new Error(`There is no journal for spec ${specId} any more.`);
    return { journal, environment: journal.environment ?? fallback };
  };

  /** Continues the journal of `specId`; done steps are shown done from the start. */
  const resume = async (specId: string, fallback: Environment) => {
    ensureIdle(specId);
    const { journal, environment } = await recorded(specId, fallback);
    const plan = await commands.runPlan(journal.operation, journal.spec);
    showNewRun(
      newRun({ operation: journal.operation, spec: journal.spec, environment, steps: plan.steps, journal, now: Date.now() }),
    );
    return follow(client, specId, (onProgress) => commands.resumeRun(specId, onProgress));
  };

  /** Destroy for a run known only by its journal (the unfinished-run banner). */
  const destroyRecorded = async (specId: string, typedName: string, typedLeftovers: string | null, fallback: Environment) => {
    const { journal, environment } = await recorded(specId, fallback);
    return destroy(environment, journal.spec, typedName, typedLeftovers);
  };

  /** Stops the run after the calls in flight; says so when it had already ended. */
  const cancel = async (specId: string) => {
    updateRun(specId, (run) => ({ ...run, cancelling: true }));
    const stopping = await commands.cancelRun(specId);
    if (!stopping) updateRun(specId, (run) => ({ ...run, cancelling: false, cancelMissed: true }));
  };

  return {
    apply,
    destroy,
    resume,
    destroyRecorded,
    cancel,
    hide: () => hideRun(),
    show: (specId: string) => showRun(specId),
  };
}

export type RunActions = ReturnType<typeof useRunActions>;
