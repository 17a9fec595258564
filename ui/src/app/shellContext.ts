// What the pages the router mounts share: Rust's environment choices (the
// app loads them before any page) and the environment the window works in
// (the shell owns it: the picker changes it).
import { createContext, useContext } from "react";
import type { Environment, EnvironmentChoices_Serialize } from "../bindings";

export const ChoicesContext = createContext<EnvironmentChoices_Serialize | null>(null);

export type ShellState = {
  environment: Environment;
  changeEnvironment: (environment: Environment) => void;
};

export const ShellContext = createContext<ShellState | null>(null);

export function useShell(): ShellState {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error("useShell outside the shell");
  return shell;
}
