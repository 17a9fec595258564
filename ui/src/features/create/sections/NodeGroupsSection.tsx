import type { NodeGroupSpec_Serialize } from "../../../bindings";
import { FieldIssues } from "../form/FieldIssues";
import type { SectionProps } from "../spec";
import { NodeGroupCard } from "./NodeGroupCard";

/** A new group like the last one (or the seed's), under a free name. */
function nextGroup(groups: NodeGroupSpec_Serialize[]): NodeGroupSpec_Serialize {
  const names = new Set(groups.map((g) => g.name));
  let n = groups.length + 1;
  while (names.has(`node_group_${n}`)) n += 1;
  const like = groups[groups.length - 1];
  return {
    name: `node_group_${n}`,
    subnets: [],
    minSize: 1,
    desiredSize: 1,
    maxSize: 3,
    amiType: like?.amiType ?? "AL2023_ARM_64_STANDARD",
    instanceTypes: like ? [...like.instanceTypes] : ["t4g.xlarge"],
    capacityType: "ON_DEMAND",
    diskSizeGib: like?.diskSizeGib ?? 20,
    labels: {},
    taints: [],
  };
}

export function NodeGroupsSection({ spec, edit, choices }: SectionProps) {
  return (
    <section className="panel form-section" data-testid="section-node-groups" data-field="nodeGroups" tabIndex={-1}>
      <h2>Node groups</h2>
      {spec.nodeGroups.length === 0 && <p className="muted">No node group: the cluster will have no nodes of its own.</p>}
      {spec.nodeGroups.map((group, i) => (
        <NodeGroupCard
          key={i}
          index={i}
          group={group}
          choices={choices}
          onChange={(g) => edit((s) => { s.nodeGroups[i] = g; })}
          onRemove={() => edit((s) => { s.nodeGroups.splice(i, 1); })}
        />
      ))}
      <button type="button" onClick={() => edit((s) => { s.nodeGroups.push(nextGroup(s.nodeGroups)); })}>
        + Add node group
      </button>
      <FieldIssues path="nodeGroups" />
    </section>
  );
}
