import type { RoleChoice_Serialize } from "../../../bindings";
import { Checkbox, Choice, Field, TextInput } from "../form/inputs";
import type { SectionProps } from "../spec";

type RoleProps = {
  /** `clusterRole` or `nodeRole`: the paths are `iam.<which>.name` / `.arn`. */
  which: "clusterRole" | "nodeRole";
  title: string;
  trust: string;
  role: RoleChoice_Serialize;
  defaultName: string;
  onChange: (role: RoleChoice_Serialize) => void;
};

function RoleFields({ which, title, trust, role, defaultName, onChange }: RoleProps) {
  const path = `iam.${which}`;
  return (
    <div className="role-fields">
      <Choice
        name={path}
        label={title}
        value={role.create ? "create" : "existing"}
        options={[
          { value: "create", label: "Create a role", explain: `trusted by ${trust}` },
          { value: "existing", label: "Use an existing role" },
        ]}
        onChange={(mode) =>
          onChange(
            mode === "create"
              ? { create: { name: defaultName, vpcResourceController: which === "clusterRole" } }
              : { existing: { arn: "" } },
          )
        }
      />
      {role.create ? (
        <>
          <Field label="Role name" path={`${path}.name`}>
            <TextInput path={`${path}.name`} value={role.create.name} onChange={(name) => onChange({ create: { ...role.create, name } })} />
          </Field>
          {which === "clusterRole" && (
            <Checkbox
              path={`${path}.vpcResourceController`}
              checked={role.create.vpcResourceController}
              onChange={(vpcResourceController) => onChange({ create: { ...role.create, vpcResourceController } })}
            >
              Also attach AmazonEKSVPCResourceController (needed for security groups per pod and Windows nodes)
            </Checkbox>
          )}
        </>
      ) : (
        <Field label="Role ARN" path={`${path}.arn`}>
          <TextInput
            path={`${path}.arn`}
            value={role.existing.arn}
            placeholder="arn:aws:iam::123456789012:role/NAME"
            onChange={(arn) => onChange({ existing: { arn } })}
          />
        </Field>
      )}
    </div>
  );
}

export function IamSection({ spec, edit }: SectionProps) {
  const name = spec.cluster.name;
  return (
    <section className="panel form-section" data-testid="section-iam">
      <h2>IAM</h2>
      <div className="two-columns">
        <RoleFields
          which="clusterRole"
          title="Cluster role"
          trust="eks.amazonaws.com"
          role={spec.iam.clusterRole}
          defaultName={`AmazonEKSClusterRole-${name}`}
          onChange={(role) => edit((s) => { s.iam.clusterRole = role; })}
        />
        <RoleFields
          which="nodeRole"
          title="Node role"
          trust="ec2.amazonaws.com"
          role={spec.iam.nodeRole}
          defaultName={`AmazonEKSNodeRole-${name}`}
          onChange={(role) => edit((s) => { s.iam.nodeRole = role; })}
        />
      </div>
    </section>
  );
}
