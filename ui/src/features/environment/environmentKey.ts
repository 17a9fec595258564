import type { Environment } from "../../bindings";

/** A stable string for a selected environment: query keys and <option> values. */
export function environmentKey(env: Environment): string {
  return env.kind === "profile" ? `profile:${env.profile}` : "emulator";
}

export function describeEnvironment(env: Environment): string {
  return env.kind === "profile" ? `${env.profile} · ${env.region}` : `Local emulator · ${env.region}`;
}
