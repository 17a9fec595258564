// What the cluster view opens. An EKS cluster belongs to the environment it
// was listed in (its name means nothing in another account or region); a
// kubeconfig context is the same whatever environment is selected.
import type { Environment } from "../../bindings";
import { environmentKey } from "../environment/environmentKey";

export type ConnectTarget =
  | { kind: "eks"; environment: Environment; cluster: string }
  | {
      kind: "context";
      context: string;
      /** The exec plugin's command as the kubeconfig writes it, when it has one. */
      execCommand: string | null;
    };

export function targetName(target: ConnectTarget): string {
  return target.kind === "eks" ? target.cluster : target.context;
}

/** The TanStack Query key of the target's connection. */
export function connectKey(target: ConnectTarget): readonly string[] {
  return target.kind === "eks"
    ? ["connect", "eks", environmentKey(target.environment), target.environment.region, target.cluster]
    : ["connect", "context", target.context];
}
