import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type Environment, type PlanResult_Serialize, type PlanStep } from "../../../bindings";
import { unwrap } from "../../../app/ipc";
import type { Spec } from "../spec";

type Planned = { result: PlanResult_Serialize; specJson: string };

/** Plans the spec on demand, remembering the plan before for the diff. */
export function usePlans(environment: Environment) {
  const [current, setCurrent] = useState<Planned | null>(null);
  const [previous, setPrevious] = useState<PlanStep[] | null>(null);
  const planning = useMutation({
    mutationFn: (spec: Spec) => unwrap(commands.planClusterSpec(environment, spec)),
    onSuccess: (result, spec) => {
      if (current) setPrevious(current.result.plan.steps);
      setCurrent({ result, specJson: JSON.stringify(spec) });
    },
  });
  return {
    plan: (spec: Spec) => planning.mutate(spec),
    current: current?.result ?? null,
    /** The spec the current plan was made from, to tell when it is stale. */
    plannedSpecJson: current?.specJson ?? null,
    previous,
    isPending: planning.isPending,
    error: planning.error,
  };
}

export type Plans = ReturnType<typeof usePlans>;
