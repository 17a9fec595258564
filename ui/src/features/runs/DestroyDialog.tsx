import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type Environment, type Leftover } from "../../bindings";
import { toAppError, unwrap } from "../../app/ipc";
import type { Spec } from "../create/spec";
import { Dialog } from "./Dialog";

/** What the user types to have Kubernetes' leftovers deleted too (Rust checks it). */
const LEFTOVERS_WORD = "delete";

const LEFTOVER_LABEL: Record<Leftover["kind"], string> = {
  load_balancer: "Load balancer",
  target_group: "Target group",
  security_group: "Security group",
  network_interface: "Network interface",
  classic_load_balancer: "Classic load balancer",
};

type Props = {
  clusterName: string;
  region: string;
  /** The spec and account, when known: what Kubernetes left in the VPC is listed first. */
  target?: { environment: Environment; spec: Spec };
  onConfirm: (typedName: string, typedLeftovers: string | null) => void;
  onClose: () => void;
};

/**
 * Destroy asks for the cluster's name, typed exactly, before anything is
 * deleted; when Kubernetes left load balancers and the like in the VPC,
 * they are listed, and deleting them too needs its own typed word.
 */
export function DestroyDialog({ clusterName, region, target, onConfirm, onClose }: Props) {
  const [typed, setTyped] = useState("");
  const [typedLeftovers, setTypedLeftovers] = useState("");
  const leftovers = useQuery({
    queryKey: ["destroy-leftovers", target?.spec.id, target?.environment],
    queryFn: () => unwrap(commands.destroyLeftovers(target!.environment, target!.spec)),
    enabled: target !== undefined,
    retry: false,
  });
  const items = leftovers.data?.items ?? [];
  const matches = typed === clusterName && clusterName !== "";
  return (
    <Dialog title={`Destroy ${clusterName}?`} onClose={onClose} testId="destroy-dialog">
      <p>
        This deletes everything EKS Desk created for <strong>{clusterName}</strong> in{" "}
        <span className="nowrap">{region}</span>: access entries, addons,
        node groups, the cluster, its subnets, VPC and roles. Resources EKS Desk did not create are left alone.
      </p>
      {leftovers.isPending && target && <p className="muted">Looking for what Kubernetes left in the VPC…</p>}
      {leftovers.isError && (
        <p className="muted" data-testid="leftovers-unknown">
          Could not look for what Kubernetes left in the VPC ({toAppError(leftovers.error).message}); the destroy
          stops and lists it if anything is there.
        </p>
      )}
      {items.length > 0 && (
        <div className="leftovers" data-testid="destroy-leftovers">
          <p>
            Kubernetes left these in the VPC; they hold its subnets, so the destroy stops at them unless they are
            deleted too:
          </p>
          <ul>
            {items.map((item) => (
              <li key={item.id}>
                {LEFTOVER_LABEL[item.kind]} <code>{item.name}</code> <span className="muted">— {item.detail}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (matches) onConfirm(typed, typedLeftovers === "" ? null : typedLeftovers);
        }}
      >
        <label className="field">
          <span className="field-label">
            Type <code>{clusterName}</code> to confirm
          </span>
          <input
            type="text"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            data-testid="destroy-confirm-input"
          />
        </label>
        {items.length > 0 && (
          <label className="field">
            <span className="field-label">
              Type <code>{LEFTOVERS_WORD}</code> to delete the {items.length} listed above too
            </span>
            <input
              type="text"
              value={typedLeftovers}
              onChange={(e) => setTypedLeftovers(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              data-testid="destroy-leftovers-input"
            />
          </label>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Keep it
          </button>
          <button type="submit" className="danger" disabled={!matches} data-testid="destroy-confirm-button">
            Destroy
          </button>
        </div>
      </form>
    </Dialog>
  );
}
