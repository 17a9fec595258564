// The spec being edited and its last plan: both outlive a visit to another
// page, so that coming back shows the form and the plan as they were.
import { createStore, useStore } from "../../app/store";
import type { PlannedSpec_Serialize, PlanStep } from "../../bindings";
import type { Spec } from "./spec";

export type Planned = { result: PlannedSpec_Serialize; specJson: string };

type Draft = {
  spec: Spec | null;
  /** The last plan, and the spec it was made from. */
  planned: Planned | null;
  /** The plan before it, for the "changed" marks. */
  previous: PlanStep[] | null;
};

const draftStore = createStore<Draft>({ spec: null, planned: null, previous: null });

export function useDraft(): Draft {
  return useStore(draftStore);
}

export function setDraftSpec(change: (spec: Spec) => Spec, seed: Spec) {
  draftStore.set((d) => ({ ...d, spec: change(d.spec ?? seed) }));
}

export function setPlanned(planned: Planned) {
  draftStore.set((d) => ({ ...d, previous: d.planned?.result.plan.steps ?? null, planned }));
}
