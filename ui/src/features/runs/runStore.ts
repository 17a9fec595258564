// The runs of this window: they outlive a visit to another page (a run
// goes on while the user looks at the cluster list).
import { createStore, useStore } from "../../app/store";
import type { RunState } from "./runState";

export type RunsStore = {
  runs: Readonly<Record<string, RunState>>;
  /** The run the Create page's Plan view shows, by spec id. */
  shown: string | null;
  /** Bumped each time a run is brought into view, so the Create page can follow. */
  showCount: number;
};

const runsStore = createStore<RunsStore>({ runs: {}, shown: null, showCount: 0 });

export function useRunsStore(): RunsStore {
  return useStore(runsStore);
}

/** Changes one run; nothing happens if it is not in the store. */
export function updateRun(specId: string, change: (run: RunState) => RunState) {
  runsStore.set((store) => {
    const run = store.runs[specId];
    return run ? { ...store, runs: { ...store.runs, [specId]: change(run) } } : store;
  });
}

/** Puts a run in the store (replacing the spec's last one) and shows it. */
export function showNewRun(run: RunState) {
  runsStore.set((store) => ({
    runs: { ...store.runs, [run.specId]: run },
    shown: run.specId,
    showCount: store.showCount + 1,
  }));
}

/** Back to the plain plan; the run stays known (it may still be going on). */
export function hideRun() {
  runsStore.set((store) => ({ ...store, shown: null }));
}

/** Brings the spec's last run back into view. */
export function showRun(specId: string) {
  runsStore.set((store) => (store.runs[specId] ? { ...store, shown: specId, showCount: store.showCount + 1 } : store));
}

/** The spec's last run in this window, if any. */
export function runOf(specId: string): RunState | undefined {
  return runsStore.get().runs[specId];
}
