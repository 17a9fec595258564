import { useEffect, type ReactNode } from "react";
import type { NodeCard } from "../../bindings";
import { NONE, cpuText, memoryText, podCountsText, podsText } from "./nodeFormat";
import { CapacityBadge } from "./NodeCardView";
import { visible } from "./visibleText";

type Props = {
  card: NodeCard;
  onClose: () => void;
};

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/**
 * A node's fields, beside the map. Only what Rust's node row holds: no
 * labels, annotations or events yet.
 */
export function NodeDetail({ card, onClose }: Props) {
  const { node } = card;
  useEffect(() => {
    const close = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    document.addEventListener("keydown", close);
    return () => document.removeEventListener("keydown", close);
  }, [onClose]);
  return (
    <aside className="node-detail panel" data-testid="node-detail" aria-label={`Node ${visible(node.name)}`}>
      <header className="node-detail-head">
        <h3 className="mono">{visible(node.name)}</h3>
        <button type="button" onClick={onClose} aria-label="Close node details">
          ×
        </button>
      </header>
      <dl className="node-detail-facts">
        <Fact label="State">
          {node.ready ? "Ready" : "NotReady"}
          {node.cordoned && ", cordoned (unschedulable)"}
        </Fact>
        <Fact label="Node group">{visible(node.nodeGroup ?? NONE)}</Fact>
        <Fact label="Zone">{visible(node.zone ?? NONE)}</Fact>
        <Fact label="Instance type">{visible(node.instanceType ?? "unknown")}</Fact>
        <Fact label="Capacity type">
          {node.capacityType ? <CapacityBadge capacityType={node.capacityType} /> : "unknown"}
        </Fact>
        <Fact label="Kubelet">{visible(node.kubeletVersion ?? "unknown")}</Fact>
        <Fact label="Created">{node.created ?? "unknown"}</Fact>
        <Fact label="CPU requested">{cpuText(card)}</Fact>
        <Fact label="Memory requested">{memoryText(card)}</Fact>
        <Fact label="Pods">{podsText(card)}</Fact>
        <Fact label="Pods by state">{podCountsText(card.pods)}</Fact>
        <Fact label="Pressures">{node.pressures.length > 0 ? node.pressures.map(visible).join(", ") : "none"}</Fact>
        <Fact label="Taints">
          {node.taints.length === 0 ? (
            "none"
          ) : (
            <ul className="node-taints" data-testid="node-detail-taints">
              {node.taints.map((t, i) => (
                <li key={i} className="mono">
                  {visible(`${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`)}
                </li>
              ))}
            </ul>
          )}
        </Fact>
      </dl>
    </aside>
  );
}
