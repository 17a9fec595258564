import type { NodeCard } from "../../bindings";
import { cpuText, fraction, memoryText, podCountsText, podsText } from "./nodeFormat";
import { visible } from "./visibleText";


type Props = {
  card: NodeCard;
  selected: boolean;
  onSelect: (name: string) => void;
};

function Bar({ label, text, filled, testId }: { label: string; text: string; filled: number; testId: string }) {
  return (
    <span className="node-bar" data-testid={testId}>
      <span className="node-bar-label">{label}</span>
      <span className="node-bar-track" aria-hidden="true">
        <span
          className={filled >= 0.9 ? "node-bar-fill node-bar-full" : "node-bar-fill"}
          style={{ width: `${Math.round(filled * 100)}%` }}
        />
      </span>
      <span className="node-bar-text">{text}</span>
    </span>
  );
}

export function CapacityBadge({ capacityType }: { capacityType: string | null | undefined }) {
  if (!capacityType) return null;
  const spot = capacityType === "SPOT";
  return (
    <span className={spot ? "badge badge-warn" : "badge badge-muted"} data-testid="capacity-type" data-spot={spot || undefined}>
      {spot ? "SPOT" : visible(capacityType)}
    </span>
  );
}

/** One node of the map: what it is, its state and how full its pods make it. */
export function NodeCardView({ card, selected, onSelect }: Props) {
  const { node } = card;
  // Rust decides the marks (one per pod, problems first, capped) and how many more there are.
  const marks = card.marks;
  const more = card.moreMarks;
  const counts = podCountsText(card.pods);
  return (
    <button
      type="button"
      className={selected ? "node-card node-card-selected" : node.ready ? "node-card" : "node-card node-card-notready"}
      data-testid="node-card"
      data-node={node.name}
      aria-pressed={selected}
      onClick={() => onSelect(node.name)}
    >
      <span className="node-card-head">
        <span className="node-card-name" title={visible(node.name)}>
          {visible(node.name)}
        </span>
        <span className={node.ready ? "badge badge-ok" : "badge badge-bad"} data-testid="node-ready">
          {node.ready ? "Ready" : "NotReady"}
        </span>
        <CapacityBadge capacityType={node.capacityType} />
      </span>
      <span className="node-card-meta muted">
        {visible(node.instanceType ?? "unknown type")}
        {node.kubeletVersion && ` · ${visible(node.kubeletVersion)}`}
      </span>
      {(node.cordoned || node.pressures.length > 0 || node.taints.length > 0) && (
        <span className="node-card-flags">
          {node.cordoned && <span className="badge badge-warn">cordoned</span>}
          {node.pressures.map((p) => (
            <span key={p} className="badge badge-bad">
              {visible(p)}
            </span>
          ))}
          {node.taints.length > 0 && (
            <span className="badge badge-muted" data-testid="node-taints">
              {node.taints.length === 1 ? "1 taint" : `${node.taints.length} taints`}
            </span>
          )}
        </span>
      )}
      <Bar label="CPU" testId="node-cpu" text={cpuText(card)} filled={fraction(card.cpuRequestedMilli, node.allocatableCpuMilli)} />
      <Bar label="Memory" testId="node-memory" text={memoryText(card)} filled={fraction(card.memoryRequestedMib, node.allocatableMemoryMib)} />
      <Bar label="Pods" testId="node-pods" text={podsText(card)} filled={fraction(card.podCount, node.allocatablePods)} />
      <span className="pod-marks" role="img" aria-label={counts} title={counts} data-testid="pod-marks">
        {marks.map((kind, i) => (
          <span key={i} className={`pod-mark pod-mark-${kind}`} data-kind={kind} />
        ))}
        {more > 0 && <span className="pod-marks-more">+{more}</span>}
      </span>
    </button>
  );
}
