import { useMutation } from "@tanstack/react-query";
import { commands, type Environment } from "../../../bindings";
import { unwrap } from "../../../app/ipc";
import { setPlanned, useDraft } from "../draftStore";
import type { Spec } from "../spec";

/** Plans the spec on demand; the plan (and the one before, for the diff) is kept with the draft. */
export function usePlans(environment: Environment) {
  const { planned, previous } = useDraft();
  const planning = useMutation({
    mutationFn: (spec: Spec) => unwrap(commands.planClusterSpec(environment, spec)),
    onSuccess: (result, spec) => setPlanned({ result, specJson: JSON.stringify(spec) }),
  });
  return {
    plan: (spec: Spec) => planning.mutate(spec),
    current: planned?.result ?? null,
    /** The spec the current plan was made from, to tell when it is stale. */
    plannedSpecJson: planned?.specJson ?? null,
    previous,
    isPending: planning.isPending,
    error: planning.error,
  };
}

export type Plans = ReturnType<typeof usePlans>;
