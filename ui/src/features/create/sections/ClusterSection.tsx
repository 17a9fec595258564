import { useQueryClient } from "@tanstack/react-query";
import type { AuthenticationMode, EnvironmentChoices_Serialize } from "../../../bindings";
import { FieldIssues } from "../form/FieldIssues";
import { Checkbox, Choice, Field, SelectInput, TextInput } from "../form/inputs";
import { KeyValueEditor } from "../form/KeyValueEditor";
import type { SectionProps } from "../spec";

const AUTH_MODES: { value: AuthenticationMode; label: string; explain: string }[] = [
  { value: "API", label: "API", explain: "access entries only; the aws-auth ConfigMap is ignored" },
  {
    value: "API_AND_CONFIG_MAP",
    label: "API_AND_CONFIG_MAP",
    explain: "access entries and the aws-auth ConfigMap (EKS default)",
  },
  { value: "CONFIG_MAP", label: "CONFIG_MAP", explain: "the aws-auth ConfigMap only (legacy; no access entries)" },
];

export function ClusterSection({ spec, edit, choices }: SectionProps) {
  const cluster = spec.cluster;
  // The regions App loaded for the environment picker, as suggestions.
  const regions = useQueryClient().getQueryData<EnvironmentChoices_Serialize>(["environment-choices"])?.regions ?? [];
  // Newest first, as Rust orders them.
  const versions = choices?.kubernetesVersions ?? [];
  return (
    <section className="panel form-section" data-testid="section-cluster">
      <h2>Cluster</h2>
      <div className="field-grid">
        <Field label="Name" path="cluster.name">
          <TextInput path="cluster.name" value={cluster.name} onChange={(v) => edit((s) => { s.cluster.name = v; })} />
        </Field>
        <Field label="Region" path="cluster.region">
          <TextInput
            path="cluster.region"
            value={cluster.region}
            list="create-regions"
            placeholder="ap-northeast-2"
            onChange={(v) => edit((s) => { s.cluster.region = v; })}
          />
          <datalist id="create-regions">
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </datalist>
        </Field>
        <Field label="Kubernetes version" path="cluster.kubernetesVersion">
          <SelectInput
            path="cluster.kubernetesVersion"
            value={cluster.kubernetesVersion}
            options={versions.map((v, i) => ({ value: v, label: i === 0 ? `${v} (newest)` : v }))}
            onChange={(v) => edit((s) => { s.cluster.kubernetesVersion = v; })}
          />
        </Field>
      </div>
      <Choice
        name="cluster.authenticationMode"
        label="Authentication mode"
        value={cluster.authenticationMode}
        options={AUTH_MODES}
        onChange={(v) => edit((s) => { s.cluster.authenticationMode = v; })}
      />
      <div className="field-row">
        <span className="field-label">API server endpoint</span>
        <Checkbox
          path="cluster.endpointPublicAccess"
          checked={cluster.endpointPublicAccess}
          onChange={(v) => edit((s) => { s.cluster.endpointPublicAccess = v; })}
        >
          Public (reachable from the internet)
        </Checkbox>
        <Checkbox
          path="cluster.endpointPrivateAccess"
          checked={cluster.endpointPrivateAccess}
          onChange={(v) => edit((s) => { s.cluster.endpointPrivateAccess = v; })}
        >
          Private (from inside the VPC)
        </Checkbox>
      </div>
      <FieldIssues path="cluster" />
      <div className="field">
        <span className="field-label">Tags</span>
        <KeyValueEditor
          path="cluster.tags"
          noun="tag"
          value={cluster.tags}
          onChange={(tags) => edit((s) => { s.cluster.tags = tags; })}
        />
      </div>
    </section>
  );
}
