import type { PlanStep } from "../../../bindings";

export type StepMark = "added" | "changed";

export type PlanDiff = {
  /** Steps of the new plan that are new or differ from the previous plan. */
  marks: ReadonlyMap<string, StepMark>;
  /** Steps of the previous plan that the new one no longer has. */
  removed: PlanStep[];
};

function sameStep(a: PlanStep, b: PlanStep): boolean {
  return (
    a.kind === b.kind &&
    a.name === b.name &&
    a.detail === b.detail &&
    a.action === b.action &&
    (a.note ?? null) === (b.note ?? null) &&
    a.dependsOn.join("\n") === b.dependsOn.join("\n")
  );
}

/**
 * What changed since the previous plan, by step id (ids are stable across
 * edits). With no previous plan nothing is marked.
 */
export function diffPlans(previous: readonly PlanStep[] | null, next: readonly PlanStep[]): PlanDiff {
  const marks = new Map<string, StepMark>();
  if (!previous) return { marks, removed: [] };
  const before = new Map(previous.map((s) => [s.id, s]));
  for (const step of next) {
    const old = before.get(step.id);
    if (!old) marks.set(step.id, "added");
    else if (!sameStep(old, step)) marks.set(step.id, "changed");
  }
  const now = new Set(next.map((s) => s.id));
  return { marks, removed: previous.filter((s) => !now.has(s.id)) };
}
