// Which cluster a /connect/<connection> URL opens. The URL names the
// connection by Rust's id, which says neither the profile it signs in with
// nor the exec plugin a context runs: those are kept here, from the click on
// Connect or Open, for as long as the window runs. A URL from before a
// restart finds nothing here, and the route asks before it connects again.
import type { Environment } from "../../bindings";
import { createStore, useStore } from "../../app/store";
import type { ConnectTarget } from "./connectTarget";

const opened = createStore<Readonly<Record<string, ConnectTarget>>>({});

/**
 * The id Rust gives the target's connection, as ClusterOverview.connection
 * documents it (`eks:<region>/<cluster>` or `context:<name>`). The route
 * follows the overview's own id if Rust ever names it otherwise.
 */
export function connectionId(target: ConnectTarget): string {
  return target.kind === "eks" ? `eks:${target.environment.region}/${target.cluster}` : `context:${target.context}`;
}

export function rememberOpened(connection: string, target: ConnectTarget) {
  opened.set((was) => (was[connection] === target ? was : { ...was, [connection]: target }));
}

export function useOpenedTarget(connection: string): ConnectTarget | undefined {
  return useStore(opened)[connection];
}

/**
 * What "Connect again" would open for a connection id: a context by its
 * name, an EKS cluster in the selected environment moved to the id's region
 * (the id does not say which profile opened it). Null when the id is not one
 * of Rust's.
 */
export function targetFromConnection(connection: string, environment: Environment): ConnectTarget | null {
  const colon = connection.indexOf(":");
  if (colon < 0) return null;
  const kind = connection.slice(0, colon);
  const rest = connection.slice(colon + 1);
  if (kind === "context" && rest !== "") return { kind: "context", context: rest, execCommand: null };
  if (kind !== "eks") return null;
  const slash = rest.indexOf("/");
  const region = rest.slice(0, slash);
  const cluster = rest.slice(slash + 1);
  if (slash <= 0 || cluster === "") return null;
  return { kind: "eks", environment: { ...environment, region }, cluster };
}
