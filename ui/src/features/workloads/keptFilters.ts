// What the user asked each tab of a cluster for (the pods' filters, the
// node search, the events' and workloads' filters), kept per connection
// outside the tabs: going to a pod's detail and back, or to another tab,
// finds the question as it was left.
import { useCallback } from "react";
import { createStore, useStore } from "../../app/store";
import { ALL_PODS, type PodFilters } from "./podFilters";

export type EventFilters = {
  /** Empty: all namespaces. */
  namespace: string;
  warningsOnly: boolean;
  search: string;
};

export type ControllerFilters = {
  /** Empty: all namespaces. */
  namespace: string;
  search: string;
};

export type KeptFilters = {
  pods: PodFilters;
  nodeSearch: string;
  events: EventFilters;
  controllers: ControllerFilters;
};

export const FIRST_FILTERS: KeptFilters = {
  pods: ALL_PODS,
  nodeSearch: "",
  events: { namespace: "", warningsOnly: false, search: "" },
  controllers: { namespace: "", search: "" },
};

const kept = createStore<Readonly<Record<string, KeptFilters>>>({});

/** One tab's kept question for the connection, and how to change it. */
export function useKeptFilters<K extends keyof KeptFilters>(
  connection: string,
  key: K,
): [KeptFilters[K], (change: (value: KeptFilters[K]) => KeptFilters[K]) => void] {
  const value = (useStore(kept)[connection] ?? FIRST_FILTERS)[key];
  const set = useCallback(
    (change: (value: KeptFilters[K]) => KeptFilters[K]) =>
      kept.set((all) => {
        const filters = all[connection] ?? FIRST_FILTERS;
        const next = change(filters[key]);
        return next === filters[key] ? all : { ...all, [connection]: { ...filters, [key]: next } };
      }),
    [connection, key],
  );
  return [value, set];
}
