import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { commands, type CallerIdentity, type Environment } from "../../bindings";
import { toAppError, unwrap } from "../../app/ipc";
import { environmentKey } from "../environment/environmentKey";
import type { Spec } from "./spec";
import { useDebouncedValue } from "./useDebouncedValue";

/** How long the form waits after an edit before asking the backend. */
export const CHECK_DEBOUNCE_MS = 300;

/**
 * The backend's view of the spec, asked again ~300 ms after each edit:
 * field issues, the IP guard, and the pickers' choices. The last answer
 * stays shown while the next one is on its way.
 */
export function useSpecChecks(environment: Environment, spec: Spec) {
  const settled = useDebouncedValue(spec, CHECK_DEBOUNCE_MS);
  const env = environmentKey(environment);
  const check = useQuery({
    queryKey: ["check-cluster-spec", env, settled],
    queryFn: () => unwrap(commands.checkClusterSpec(environment, settled)),
    placeholderData: keepPreviousData,
  });
  const choices = useQuery({
    queryKey: ["spec-choices", env, settled.cluster.region, settled.cluster.kubernetesVersion],
    queryFn: () => unwrap(commands.specChoices(environment, settled)),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60 * 1000,
  });
  // The account id CallerIdentityBadge already asked for (not asked again here).
  const identity = useQuery<CallerIdentity>({
    queryKey: ["identity", env, environment.region],
    queryFn: () => unwrap(commands.callerIdentity(environment)),
    enabled: false,
  });
  return {
    check: check.data,
    checking: check.isFetching || settled !== spec,
    checkError: check.isError ? toAppError(check.error).message : null,
    choices: choices.data,
    accountId: identity.data?.account,
  };
}
