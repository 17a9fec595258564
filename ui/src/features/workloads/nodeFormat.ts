// How the node map reads Rust's node cards: the bars' numbers, the pods'
// marks, the groups by node group and zone, and the search.
import type { NodeCard, PodPhase, PodStates } from "../../bindings";

/** What Rust's overview calls a node without the label, so both views agree. */
export const NONE = "(none)";

function cores(milli: number): string {
  return (milli / 1000).toFixed(1);
}

function gib(mib: number): string {
  return (mib / 1024).toFixed(1);
}

/** How full a bar is, 0 to 1 (past full shows full; the text says by how much). */
export function fraction(used: number, total: number | null | undefined): number {
  return total ? Math.min(1, used / total) : 0;
}

export function cpuText(card: NodeCard): string {
  const total = card.node.allocatableCpuMilli;
  return `${cores(card.cpuRequestedMilli)} / ${total == null ? "?" : cores(total)} cores`;
}

export function memoryText(card: NodeCard): string {
  const total = card.node.allocatableMemoryMib;
  return `${gib(card.memoryRequestedMib)} / ${total == null ? "?" : gib(total)} GiB`;
}

export function podsText(card: NodeCard): string {
  return `${card.podCount} / ${card.node.allocatablePods ?? "?"} pods`;
}

export type MarkKind = "problem" | PodPhase;


/** The pods' counts in words, the non-zero ones. */
export function podCountsText(states: PodStates): string {
  const parts: [number, string][] = [
    [states.running, "running"],
    [states.pending, "pending"],
    [states.problems, states.problems === 1 ? "problem" : "problems"],
    [states.succeeded, "succeeded"],
    [states.failed, "failed"],
    [states.unknown, "unknown"],
  ];
  const said = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return said.length > 0 ? said.join(" · ") : "no pods";
}

export type ZoneCards = { zone: string; cards: NodeCard[] };
export type GroupCards = { group: string; count: number; zones: ZoneCards[] };

/** Cards by node group, then zone, in Rust's order (it sorts them that way). */
export function groupCards(cards: NodeCard[]): GroupCards[] {
  const groups = new Map<string, Map<string, NodeCard[]>>();
  for (const card of cards) {
    const group = card.node.nodeGroup ?? NONE;
    const zone = card.node.zone ?? NONE;
    const zones = groups.get(group) ?? new Map<string, NodeCard[]>();
    groups.set(group, zones);
    const zoneCards = zones.get(zone) ?? [];
    zones.set(zone, zoneCards);
    zoneCards.push(card);
  }
  return [...groups].map(([group, zones]) => ({
    group,
    count: [...zones.values()].reduce((n, c) => n + c.length, 0),
    zones: [...zones].map(([zone, zoneCards]) => ({ zone, cards: zoneCards })),
  }));
}

/**
 * The search, in TypeScript: a cluster has at most some thousands of nodes
 * and Rust sends every card for the map anyway, so filtering them here is
 * cheap (pods, which can be hundreds of thousands, are filtered in Rust).
 */
export function matchesNode(card: NodeCard, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (needle === "") return true;
  const { name, instanceType, zone } = card.node;
  return [name, instanceType, zone].some((field) => field?.toLowerCase().includes(needle));
}
