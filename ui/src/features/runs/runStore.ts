// The runs of this window, kept in the query cache (like the Create draft)
// so that they outlive a visit to another page: a run goes on while the
// user looks at the cluster list.
import { useQuery, type QueryClient } from "@tanstack/react-query";
import type { RunState } from "./runState";

export type RunsStore = {
  runs: Readonly<Record<string, RunState>>;
  /** The run the Create page's Plan view shows, by spec id. */
  shown: string | null;
  /** Bumped each time a run is brought into view, so the Create page can follow. */
  showCount: number;
};

const RUNS_KEY = ["runs"] as const;
const EMPTY: RunsStore = { runs: {}, shown: null, showCount: 0 };

export function useRunsStore(): RunsStore {
  return useQuery({
    queryKey: RUNS_KEY,
    queryFn: () => EMPTY,
    initialData: EMPTY,
    staleTime: Infinity,
    gcTime: Infinity,
  }).data;
}

export function updateRunsStore(client: QueryClient, change: (store: RunsStore) => RunsStore) {
  client.setQueryDefaults(RUNS_KEY, { staleTime: Infinity, gcTime: Infinity });
  client.setQueryData<RunsStore>(RUNS_KEY, (store) => change(store ?? EMPTY));
}

/** Changes one run; nothing happens if it is not in the store. */
export function updateRun(client: QueryClient, specId: string, change: (run: RunState) => RunState) {
  updateRunsStore(client, (store) => {
    const run = store.runs[specId];
    return run ? { ...store, runs: { ...store.runs, [specId]: change(run) } } : store;
  });
}

/** Puts a run in the store (replacing the spec's last one) and shows it. */
export function showNewRun(client: QueryClient, run: RunState) {
  updateRunsStore(client, (store) => ({
    runs: { ...store.runs, [run.specId]: run },
    shown: run.specId,
    showCount: store.showCount + 1,
  }));
}

/** Back to the plain plan; the run stays known (it may still be going on). */
export function hideRun(client: QueryClient) {
  updateRunsStore(client, (store) => ({ ...store, shown: null }));
}

/** Brings the spec's last run back into view. */
export function showRun(client: QueryClient, specId: string) {
  updateRunsStore(client, (store) =>
    store.runs[specId] ? { ...store, shown: specId, showCount: store.showCount + 1 } : store,
  );
}

/** The spec's last run in this window, if any. */
export function runOf(client: QueryClient, specId: string): RunState | undefined {
  return client.getQueryData<RunsStore>(RUNS_KEY)?.runs[specId];
}
