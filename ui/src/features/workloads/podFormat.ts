// How a pod row's fields read in the table, kubectl's way.
import type { Owner, PodRow } from "../../bindings";

/** kubectl's AGE, to its largest unit: "45s", "5m", "3h", "2d"; "?" without a time. */
export function age(created: string | null | undefined, now: number): string {
  if (!created) return "?";
  const then = Date.parse(created);
  if (Number.isNaN(then)) return "?";
  const seconds = Math.max(0, Math.floor((now - then) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

export function ready(row: PodRow): string {
  return `${row.readyContainers}/${row.containers}`;
}

export function ownerText(owner: Owner | null | undefined): string {
  return owner ? `${owner.kind}/${owner.name}` : "";
}

/** The status's colour class: problems red, then by phase. */
export function statusClass(row: PodRow): string {
  if (row.problem) return "pod-status-problem";
  return `pod-status-${row.phase}`;
}
