import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { commands } from "../../../bindings";
import { toAppError } from "../../../app/ipc";
import type { Spec } from "../spec";
import { useDebouncedValue } from "../useDebouncedValue";
import { CHECK_DEBOUNCE_MS } from "../useSpecChecks";

/**
 * The estimated monthly cost of the spec as edited, asked again once typing
 * pauses. Unlike the plan it needs no valid spec and no account: Rust
 * prices what it can from its built-in table and says what it cannot.
 */
export function useCostEstimate(spec: Spec) {
  const settled = useDebouncedValue(spec, CHECK_DEBOUNCE_MS);
  const estimate = useQuery({
    queryKey: ["estimate-cost", settled],
    queryFn: () => commands.estimateCost(settled),
    placeholderData: keepPreviousData,
    // Pure over a table built into the app: an answer never goes stale.
    staleTime: Infinity,
  });
  return {
    cost: estimate.data,
    estimating: estimate.isFetching || settled !== spec,
    costError: estimate.isError ? toAppError(estimate.error).message : null,
  };
}
