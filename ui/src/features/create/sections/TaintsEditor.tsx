import type { TaintEffect, Taint_Serialize } from "../../../bindings";
import { FieldIssues, useFieldProps } from "../form/FieldIssues";
import { RemoveButton, SelectInput, TextInput } from "../form/inputs";

const EFFECTS: TaintEffect[] = ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"];

/** Taints of a node group: key, value, effect per row. */
type Props = { path: string; taints: Taint_Serialize[]; onChange: (taints: Taint_Serialize[]) => void };

export function TaintsEditor({ path, taints, onChange }: Props) {
  const set = (i: number, change: Partial<Taint_Serialize>) =>
    onChange(taints.map((t, j) => (j === i ? { ...t, ...change } : t)));
  const { "data-field": field, "data-testid": testId } = useFieldProps(path);
  return (
    <div className="taints" data-field={field} data-testid={testId} tabIndex={-1}>
      {taints.map((taint, i) => (
        <div key={i}>
          <div className="taint-row">
            <TextInput
              path={`${path}[${i}].key`}
              label={`Taint ${i + 1} key`}
              placeholder="key"
              value={taint.key}
              onChange={(key) => set(i, { key })}
            />
            <TextInput
              path={`${path}[${i}].value`}
              label={`Taint ${i + 1} value`}
              placeholder="value"
              value={taint.value}
              onChange={(value) => set(i, { value })}
            />
            <SelectInput
              path={`${path}[${i}].effect`}
              label={`Taint ${i + 1} effect`}
              value={taint.effect}
              options={EFFECTS.map((e) => ({ value: e, label: e }))}
              onChange={(effect) => set(i, { effect: effect as TaintEffect })}
            />
            <RemoveButton label={`Remove taint ${i + 1}`} onClick={() => onChange(taints.filter((_, j) => j !== i))} />
          </div>
          <FieldIssues path={`${path}[${i}].key`} />
          <FieldIssues path={`${path}[${i}].value`} />
        </div>
      ))}
      <button type="button" className="link-button" onClick={() => onChange([...taints, { key: "", value: "", effect: "NO_SCHEDULE" }])}>
        + Add taint
      </button>
      <FieldIssues path={path} />
    </div>
  );
}
