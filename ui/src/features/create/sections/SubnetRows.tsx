import type { SubnetSpec, ZoneChoice_Serialize } from "../../../bindings";
import { FieldIssues, useFieldProps } from "../form/FieldIssues";
import { RemoveButton, SelectInput, TextInput } from "../form/inputs";

type Props = {
  /** e.g. `network.controlPlaneSubnets`; rows are `<path>[i].cidr` etc. */
  path: string;
  /** "Control-plane subnet" / "Node subnet": names each row. */
  noun: string;
  rows: SubnetSpec[];
  onChange: (rows: SubnetSpec[]) => void;
  region: string;
  availabilityZones: ZoneChoice_Serialize[];
  /** Control-plane subnets: zones EKS keeps control planes out of are not offered. */
  controlPlane?: boolean;
  min: number;
  max: number;
};

/** An AZ picker: the region's AZs when the account told them, else free text. */
type ZoneInputProps = {
  path: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  region: string;
  zones: ZoneChoice_Serialize[];
  controlPlane: boolean;
};

/** `us-east-1a (use1-az1)`; a zone EKS refuses says why and cannot be picked. */
function ZoneInput({ path, value, onChange, region, zones, label, controlPlane }: ZoneInputProps) {
  if (zones.length === 0) {
    return <TextInput path={path} label={label} value={value} placeholder={`${region}a`} onChange={onChange} />;
  }
  return (
    <SelectInput
      path={path}
      label={label}
      value={value}
      placeholder="Choose a zone…"
      options={zones.map((z) => {
        const problem = z.problem ?? (controlPlane ? z.controlPlaneProblem : null);
        return {
          value: z.name,
          label: `${z.name}${z.id ? ` (${z.id})` : ""}${problem ? " — not for EKS" : ""}`,
          disabled: problem !== null,
          title: problem ?? undefined,
        };
      })}
      onChange={onChange}
    />
  );
}

/** New subnets, one row each: CIDR and availability zone. */
export function SubnetRows({ path, noun, rows, onChange, region, availabilityZones, controlPlane = false, min, max }: Props) {
  const set = (i: number, change: Partial<SubnetSpec>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const { "data-field": field, "data-testid": testId } = useFieldProps(path);
  return (
    <div className="subnet-rows" data-field={field} data-testid={testId} tabIndex={-1}>
      <div className="subnet-row subnet-head muted">
        <span>CIDR</span>
        <span>Availability zone</span>
        <span />
      </div>
      {rows.map((row, i) => (
        <div key={i} className="subnet-item">
          <div className="subnet-row">
            <TextInput path={`${path}[${i}].cidr`} label={`${noun} ${i + 1} CIDR`} value={row.cidr} onChange={(cidr) => set(i, { cidr })} />
            <ZoneInput
              path={`${path}[${i}].availabilityZone`}
              label={`${noun} ${i + 1} availability zone`}
              value={row.availabilityZone}
              region={region}
              zones={availabilityZones}
              controlPlane={controlPlane}
              onChange={(availabilityZone) => set(i, { availabilityZone })}
            />
            <RemoveButton
              label={`Remove ${noun.toLowerCase()} ${i + 1}`}
              disabled={rows.length <= min}
              onClick={() => onChange(rows.filter((_, j) => j !== i))}
            />
          </div>
          <FieldIssues path={`${path}[${i}].cidr`} />
          <FieldIssues path={`${path}[${i}].availabilityZone`} />
          <FieldIssues path={`${path}[${i}]`} />
        </div>
      ))}
      <button
        type="button"
        className="link-button"
        disabled={rows.length >= max}
        onClick={() => onChange([...rows, { cidr: "", availabilityZone: "" }])}
      >
        + Add {noun.toLowerCase()}
      </button>
      <FieldIssues path={path} />
    </div>
  );
}

/** Existing subnets, by id, one row each. */
export function SubnetIdRows({ path, ids, onChange }: { path: string; ids: string[]; onChange: (ids: string[]) => void }) {
  const { "data-field": field, "data-testid": testId } = useFieldProps(path);
  return (
    <div className="subnet-rows" data-field={field} data-testid={testId} tabIndex={-1}>
      {ids.map((id, i) => (
        <div key={i} className="subnet-item">
          <div className="subnet-row subnet-row-id">
            <TextInput
              path={`${path}[${i}]`}
              label={`Node subnet ${i + 1} id`}
              value={id}
              placeholder="subnet-0123456789abcdef0"
              onChange={(v) => onChange(ids.map((x, j) => (j === i ? v : x)))}
            />
            <RemoveButton label={`Remove node subnet ${i + 1}`} onClick={() => onChange(ids.filter((_, j) => j !== i))} />
          </div>
          <FieldIssues path={`${path}[${i}]`} />
        </div>
      ))}
      <button type="button" className="link-button" onClick={() => onChange([...ids, ""])}>
        + Add subnet id
      </button>
      <FieldIssues path={path} />
    </div>
  );
}
