import type { ClusterSpec_Serialize, Environment, SpecChoices_Serialize, ZoneChoice_Serialize } from "../../bindings";

/** The spec as the form holds it: every field present, as the backend sends it. */
export type Spec = ClusterSpec_Serialize;

/** Changes the spec: the recipe edits a copy, which then replaces the spec. */
export type EditSpec = (recipe: (draft: Spec) => void) => void;

export function applyEdit(spec: Spec, recipe: (draft: Spec) => void): Spec {
  const draft = structuredClone(spec);
  recipe(draft);
  return draft;
}

/** What every form section receives. */
export type SectionProps = {
  spec: Spec;
  edit: EditSpec;
  /** Pickers' options; undefined while the first answer is on its way. */
  choices: SpecChoices_Serialize | undefined;
  /** AZs of the spec's region as the account lists them; empty when offline (free text then). */
  availabilityZones: ZoneChoice_Serialize[];
  /** Where the form checks and carves against. */
  environment: Environment;
};
