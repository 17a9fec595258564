import { useMutation } from "@tanstack/react-query";
import { commands } from "../../../bindings";
import { toAppError, unwrap } from "../../../app/ipc";
import { FieldIssues } from "../form/FieldIssues";
import { Choice, Field, TextInput } from "../form/inputs";
import type { SectionProps } from "../spec";
import { SubnetIdRows, SubnetRows } from "./SubnetRows";

export function NetworkSection({ spec, edit, availabilityZones, environment }: SectionProps) {
  const { vpc, controlPlaneSubnets, nodeSubnets } = spec.network;
  const region = spec.cluster.region;
  // Rust carves: sizes, zones and what the VPC already holds are its rules.
  const recarve = useMutation({
    mutationFn: () => unwrap(commands.suggestSubnets(environment, spec)),
    onSuccess: (suggested) =>
      edit((s) => {
        s.network.controlPlaneSubnets = suggested.controlPlane;
        if (s.network.nodeSubnets.create) s.network.nodeSubnets = { create: suggested.nodes };
      }),
  });
  return (
    <section className="panel form-section" data-testid="section-network">
      <h2>Network</h2>
      <Choice
        name="network.vpc"
        label="VPC"
        value={vpc.create ? "create" : "existing"}
        options={[
          { value: "create", label: "Create a VPC" },
          { value: "existing", label: "Use an existing VPC" },
        ]}
        onChange={(mode) =>
          edit((s) => {
            const cidr = s.network.vpc.create?.cidr ?? s.network.vpc.existing?.cidr ?? "";
            s.network.vpc = mode === "create" ? { create: { cidr } } : { existing: { vpcId: "", cidr } };
          })
        }
      />
      <div className="field-grid">
        {vpc.existing && (
          <Field label="VPC id" path="network.vpc.vpcId">
            <TextInput
              path="network.vpc.vpcId"
              value={vpc.existing.vpcId}
              placeholder="vpc-0123456789abcdef0"
              onChange={(v) => edit((s) => { if (s.network.vpc.existing) s.network.vpc.existing.vpcId = v; })}
            />
          </Field>
        )}
        <Field label="VPC CIDR" path="network.vpc.cidr">
          <TextInput
            path="network.vpc.cidr"
            value={vpc.create?.cidr ?? vpc.existing?.cidr ?? ""}
            placeholder="10.0.0.0/16"
            onChange={(v) =>
              edit((s) => {
                if (s.network.vpc.create) s.network.vpc.create.cidr = v;
                if (s.network.vpc.existing) s.network.vpc.existing.cidr = v;
              })
            }
          />
        </Field>
      </div>

      <h3>Control-plane subnets</h3>
      <p className="muted section-note">
        Dedicated small subnets (a /28 per AZ) where EKS puts the control plane&apos;s network interfaces, kept
        apart from nodes and pods.
      </p>
      <SubnetRows
        path="network.controlPlaneSubnets"
        noun="Control-plane subnet"
        rows={controlPlaneSubnets}
        onChange={(rows) => edit((s) => { s.network.controlPlaneSubnets = rows; })}
        region={region}
        availabilityZones={availabilityZones}
        min={2}
        max={3}
      />
      <div className="recarve">
        <button type="button" data-testid="recarve-button" disabled={recarve.isPending} onClick={() => recarve.mutate()}>
          {recarve.isPending ? "Carving…" : "Re-carve from free space"}
        </button>
        <span className="muted">Proposes control-plane /28s and node subnets inside the VPC CIDR.</span>
      </div>
      {recarve.isError && <p className="field-issue field-issue-error" data-testid="recarve-error">{toAppError(recarve.error).message}</p>}

      <h3>Node subnets</h3>
      <Choice
        name="network.nodeSubnets"
        label="Where nodes run"
        value={nodeSubnets.create ? "create" : "existing"}
        options={[
          { value: "create", label: "Create private subnets" },
          { value: "existing", label: "Use existing subnets" },
        ]}
        onChange={(mode) =>
          edit((s) => {
            s.network.nodeSubnets = mode === "create" ? { create: [] } : { existing: [] };
          })
        }
      />
      {nodeSubnets.create ? (
        <SubnetRows
          path="network.nodeSubnets"
          noun="Node subnet"
          rows={nodeSubnets.create}
          onChange={(rows) => edit((s) => { s.network.nodeSubnets = { create: rows }; })}
          region={region}
          availabilityZones={availabilityZones}
          min={0}
          max={16}
        />
      ) : (
        <SubnetIdRows
          path="network.nodeSubnets"
          ids={nodeSubnets.existing}
          onChange={(ids) => edit((s) => { s.network.nodeSubnets = { existing: ids }; })}
        />
      )}
      <FieldIssues path="network" />
    </section>
  );
}
