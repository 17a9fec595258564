// What the user asked the pods table for. Rust filters, sorts and counts;
// this is only the question, kept by the cluster view so that it survives
// a switch of tabs.
import type { PodColumn, PodPhase, StatusFilter } from "../../bindings";

export type PodFilters = {
  /** Empty: all namespaces; else one from the cluster's list. */
  namespace: string;
  search: string;
  /** A label selector, parsed by Rust. */
  labels: string;
  status: StatusFilter;
  sort: PodColumn;
  descending: boolean;
};

export const ALL_PODS: PodFilters = {
  namespace: "",
  search: "",
  labels: "",
  status: { kind: "all" },
  sort: "name",
  descending: false,
};

export const PHASES: PodPhase[] = ["running", "pending", "succeeded", "failed", "unknown"];

/** The status select's value for a filter, and back. */
export function statusValue(status: StatusFilter): string {
  return status.kind === "phase" ? status.phase : status.kind;
}

export function statusOf(value: string): StatusFilter {
  if (value === "all" || value === "problems") return { kind: value };
  return { kind: "phase", phase: value as PodPhase };
}

/** A click on a column's header: sort by it, or reverse it when it already sorts. */
export function sortedBy(filters: PodFilters, column: PodColumn): PodFilters {
  return filters.sort === column
    ? { ...filters, descending: !filters.descending }
    : { ...filters, sort: column, descending: false };
}
