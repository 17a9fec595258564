import type { Architecture, InstanceTypeChoice } from "../../../bindings";
import { FieldIssues, useFieldProps } from "../form/FieldIssues";
import { RemoveButton } from "../form/inputs";

type Props = {
  /** `nodeGroups[i].instanceTypes`. */
  path: string;
  value: string[];
  onChange: (value: string[]) => void;
  offered: InstanceTypeChoice[];
  /** The AMI's architecture: its types are listed first. */
  architecture: Architecture | undefined;
};

export function describeInstanceType(t: InstanceTypeChoice): string {
  const memory = t.memoryGib === null ? "? GiB" : `${t.memoryGib} GiB`;
  return `${t.vcpus} vCPU · ${memory} · ${t.architecture} · ${t.podIps} pod IPs`;
}

/** Chosen instance types as chips, and a picker to add more. */
export function InstanceTypePicker({ path, value, onChange, offered, architecture }: Props) {
  const byName = new Map(offered.map((t) => [t.name, t]));
  const groups: Architecture[] = architecture === "x86_64" ? ["x86_64", "arm64"] : ["arm64", "x86_64"];
  const addable = offered.filter((t) => !value.includes(t.name));
  const props = useFieldProps(path);
  return (
    <div className="instance-types">
      <div className="chips">
        {value.map((name) => {
          const t = byName.get(name);
          return (
            <span key={name} className="chip" title={t ? describeInstanceType(t) : undefined}>
              <strong>{name}</strong>
              {t && <span className="muted"> {describeInstanceType(t)}</span>}
              <RemoveButton label={`Remove ${name}`} onClick={() => onChange(value.filter((v) => v !== name))} />
            </span>
          );
        })}
        {value.length === 0 && <span className="muted">No instance type chosen.</span>}
      </div>
      <select
        {...props}
        aria-label="Add an instance type"
        value=""
        onChange={(e) => {
          if (e.target.value) onChange([...value, e.target.value]);
        }}
      >
        <option value="">Add an instance type…</option>
        {groups.map((arch) => (
          <optgroup key={arch} label={arch === architecture ? `${arch} (matches the AMI)` : arch}>
            {addable
              .filter((t) => t.architecture === arch)
              .map((t) => (
                <option key={t.name} value={t.name}>
                  {t.name} — {describeInstanceType(t)}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      <FieldIssues path={path} />
    </div>
  );
}
