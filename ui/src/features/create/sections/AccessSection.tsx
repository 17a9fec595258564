import type { AccessEntrySpec_Serialize } from "../../../bindings";
import { FieldIssues, useFieldProps } from "../form/FieldIssues";
import { Checkbox, Choice, Field, ListInput, SelectInput, TextInput } from "../form/inputs";
import type { SectionProps } from "../spec";

const YOU = "you (the identity creating the cluster)";

type EntryProps = {
  index: number;
  entry: AccessEntrySpec_Serialize;
  policies: string[];
  onChange: (e: AccessEntrySpec_Serialize) => void;
  onRemove: () => void;
};

function EntryFields({ index, entry, policies, onChange, onRemove }: EntryProps) {
  const path = `access.entries[${index}]`;
  const scope = entry.scope;
  return (
    <div className="access-entry" data-testid={`access-entry-${index}`}>
      <header className="card-header">
        <h3>Entry {index + 1}</h3>
        <button type="button" onClick={onRemove}>
          Remove
        </button>
      </header>
      <Field label="Principal ARN" path={`${path}.principalArn`} hint={entry.principalArn === "" ? `Empty = ${YOU}.` : undefined}>
        <TextInput
          path={`${path}.principalArn`}
          value={entry.principalArn}
          placeholder={YOU}
          onChange={(principalArn) => onChange({ ...entry, principalArn })}
        />
      </Field>
      <Field label="Access policy" path={`${path}.policy`}>
        <SelectInput
          path={`${path}.policy`}
          value={entry.policy}
          options={policies.map((p) => ({ value: p, label: p }))}
          onChange={(policy) => onChange({ ...entry, policy })}
        />
      </Field>
      <Choice
        name={`${path}.scope`}
        label="Scope"
        value={scope.type}
        options={[
          { value: "cluster", label: "Whole cluster" },
          { value: "namespace", label: "Namespaces" },
        ]}
        onChange={(type) => onChange({ ...entry, scope: type === "cluster" ? { type } : { type, namespaces: [] } })}
      />
      {scope.type === "namespace" && (
        <Field label="Namespaces" path={`${path}.scope.namespaces`} hint="Separated by commas.">
          <ListInput
            path={`${path}.scope.namespaces`}
            value={scope.namespaces}
            placeholder="team-a, team-b"
            onChange={(namespaces) => onChange({ ...entry, scope: { type: "namespace", namespaces } })}
          />
        </Field>
      )}
    </div>
  );
}

export function AccessSection({ spec, edit, choices }: SectionProps) {
  const policies = choices?.accessPolicies ?? [];
  const { "data-field": field, "data-testid": testId } = useFieldProps("access.entries");
  return (
    <section className="panel form-section" data-testid="section-access">
      <h2>Access</h2>
      <Checkbox
        path="access.grantCreatorAdmin"
        checked={spec.access.grantCreatorAdmin}
        onChange={(on) => edit((s) => { s.access.grantCreatorAdmin = on; })}
      >
        Grant the creator cluster-admin automatically (EKS makes the access entry itself)
      </Checkbox>
      <div className="access-entries" data-field={field} data-testid={testId} tabIndex={-1}>
        {spec.access.entries.map((entry, i) => (
          <EntryFields
            key={i}
            index={i}
            entry={entry}
            policies={policies}
            onChange={(e) => edit((s) => { s.access.entries[i] = e; })}
            onRemove={() => edit((s) => { s.access.entries.splice(i, 1); })}
          />
        ))}
        <button
          type="button"
          onClick={() =>
            edit((s) => {
              s.access.entries.push({ principalArn: "", policy: policies[policies.length - 1] ?? "", scope: { type: "cluster" } });
            })
          }
        >
          + Add access entry
        </button>
        <FieldIssues path="access.entries" />
      </div>
    </section>
  );
}
