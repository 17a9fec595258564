// The environment the window works in, and what Rust said about its
// profiles, for components deep in a page (the error panel's login fix).
import { createContext, useContext, type ReactNode } from "react";
import type { Environment, EnvironmentChoices_Serialize } from "../../bindings";

type Selected = { environment: Environment; choices: EnvironmentChoices_Serialize };

const SelectedEnvironment = createContext<Selected | null>(null);

export function EnvironmentProvider({ value, children }: { value: Selected; children: ReactNode }) {
  return <SelectedEnvironment.Provider value={value}>{children}</SelectedEnvironment.Provider>;
}

/** The command that renews the selected profile's SSO session, as Rust derived it. */
export function useLoginCommand(): string | null {
  const selected = useContext(SelectedEnvironment);
  if (!selected || selected.environment.kind !== "profile") return null;
  const name = selected.environment.profile;
  return selected.choices.profiles.find((p) => p.name === name)?.loginCommand ?? null;
}
