import type { CapacityType, NodeGroupSpec_Serialize, SpecChoices_Serialize } from "../../../bindings";
import { FieldIssues } from "../form/FieldIssues";
import { Choice, Field, ListInput, NumberInput, SelectInput, TextInput } from "../form/inputs";
import { KeyValueEditor } from "../form/KeyValueEditor";
import { InstanceTypePicker } from "./InstanceTypePicker";
import { TaintsEditor } from "./TaintsEditor";

type Props = {
  index: number;
  group: NodeGroupSpec_Serialize;
  choices: SpecChoices_Serialize | undefined;
  onChange: (group: NodeGroupSpec_Serialize) => void;
  onRemove: () => void;
};

const SIZES = [
  ["minSize", "Min"],
  ["desiredSize", "Desired"],
  ["maxSize", "Max"],
] as const;

/** One managed node group: scaling, AMI and instance types, disk, labels, taints. */
export function NodeGroupCard({ index, group, choices, onChange, onRemove }: Props) {
  const path = `nodeGroups[${index}]`;
  const set = (change: Partial<NodeGroupSpec_Serialize>) => onChange({ ...group, ...change });
  const amiTypes = choices?.amiTypes ?? [];
  const ami = amiTypes.find((a) => a.name === group.amiType);
  return (
    <div className="node-group-card" data-testid={`node-group-${index}`}>
      <header className="card-header">
        <h3>Node group {index + 1}</h3>
        <button type="button" onClick={onRemove}>
          Remove
        </button>
      </header>
      <div className="field-grid">
        <Field label="Name" path={`${path}.name`}>
          <TextInput path={`${path}.name`} value={group.name} onChange={(name) => set({ name })} />
        </Field>
        {SIZES.map(([key, label]) => (
          <Field key={key} label={`${label} size`} path={`${path}.${key}`}>
            <NumberInput path={`${path}.${key}`} value={group[key]} onChange={(n) => set({ [key]: n })} />
          </Field>
        ))}
        <Field label="Disk (GiB)" path={`${path}.diskSizeGib`}>
          <NumberInput path={`${path}.diskSizeGib`} value={group.diskSizeGib} onChange={(diskSizeGib) => set({ diskSizeGib })} />
        </Field>
      </div>
      <Field label="AMI type" path={`${path}.amiType`} hint={ami ? `${ami.description} (${ami.architecture})` : undefined}>
        <SelectInput
          path={`${path}.amiType`}
          value={group.amiType}
          options={amiTypes.map((a) => ({ value: a.name, label: `${a.name} — ${a.architecture}` }))}
          onChange={(amiType) => set({ amiType })}
        />
      </Field>
      <div className="field">
        <span className="field-label">Instance types</span>
        <InstanceTypePicker
          path={`${path}.instanceTypes`}
          value={group.instanceTypes}
          offered={choices?.instanceTypes ?? []}
          architecture={ami?.architecture}
          onChange={(instanceTypes) => set({ instanceTypes })}
        />
      </div>
      <Choice<CapacityType>
        name={`${path}.capacityType`}
        label="Capacity"
        value={group.capacityType}
        options={[
          { value: "ON_DEMAND", label: "On-demand" },
          { value: "SPOT", label: "Spot", explain: "cheaper, can be reclaimed by EC2" },
        ]}
        onChange={(capacityType) => set({ capacityType })}
      />
      <Field label="Subnets" path={`${path}.subnets`} hint="CIDRs or subnet ids, separated by commas; empty = every node subnet.">
        <ListInput path={`${path}.subnets`} value={group.subnets} placeholder="all node subnets" onChange={(subnets) => set({ subnets })} />
      </Field>
      <div className="field">
        <span className="field-label">Kubernetes labels</span>
        <KeyValueEditor path={`${path}.labels`} noun="label" value={group.labels} onChange={(labels) => set({ labels })} />
      </div>
      <div className="field">
        <span className="field-label">Taints</span>
        <TaintsEditor path={`${path}.taints`} taints={group.taints} onChange={(taints) => set({ taints })} />
      </div>
      <FieldIssues path={path} />
    </div>
  );
}
