import { useMutation } from "@tanstack/react-query";
import { commands } from "../../../bindings";
import { toAppError, unwrap } from "../../../app/ipc";
import { FieldIssues } from "../form/FieldIssues";
import { Choice, Field, TextInput } from "../form/inputs";
import type { SectionProps } from "../spec";
import { SubnetIdRows, SubnetRows } from "./SubnetRows";

export function NetworkSection({ spec, edit, availabilityZones, environment }: SectionProps) {
  const { vpc, controlPlaneSubnets, nodeSubnets, egress, publicSubnets } = spec.network;
  const region = spec.cluster.region;
  // Rust carves: sizes, zones and what the VPC already holds are its rules.
  const recarve = useMutation({
    mutationFn: () => unwrap(commands.suggestSubnets(environment, spec)),
    onSuccess: (suggested) =>
      edit((s) => {
        s.network.controlPlaneSubnets = suggested.controlPlane;
        if (s.network.nodeSubnets.create) s.network.nodeSubnets = { create: suggested.nodes };
        s.network.publicSubnets = suggested.public;
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
        controlPlane
        min={2}
        max={3}
      />
      <div className="recarve">
        <button type="button" data-testid="recarve-button" disabled={recarve.isPending} onClick={() => recarve.mutate()}>
          {recarve.isPending ? "Carving…" : "Re-carve from free space"}
        </button>
        <span className="muted">Proposes control-plane /28s, node subnets and (with NAT) public subnets inside the VPC CIDR, around what the VPC already holds.</span>
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

      <h3>Way out of the VPC</h3>
      <p className="muted section-note">
        Nodes must reach ECR, S3, STS and the EKS API to join the cluster; private subnets alone give them no way
        out.
      </p>
      <Choice
        name="network.egress"
        label="Egress"
        value={egress}
        options={[
          { value: "natGateway", label: "One NAT gateway", explain: "the cheapest way out, in the first zone" },
          { value: "natPerZone", label: "A NAT gateway per zone", explain: "each zone keeps its way out if another fails" },
          {
            value: "privateEndpoints",
            label: "Private endpoints only",
            explain: "VPC endpoints for ECR, S3, STS, EC2 and ELB; no internet; private API access",
          },
          { value: "existing", label: "The existing VPC's own", explain: "its NAT, internet gateway or endpoints, checked" },
        ]}
        onChange={(value) => edit((s) => { s.network.egress = value; })}
      />
      <FieldIssues path="network.egress" />
      {(egress === "natGateway" || egress === "natPerZone" || publicSubnets.length > 0) && (
        <>
          <h3>Public subnets</h3>
          <p className="muted section-note">
            For the NAT gateways and internet-facing load balancers (tagged kubernetes.io/role/elb), one per zone.
          </p>
          <SubnetRows
            path="network.publicSubnets"
            noun="Public subnet"
            rows={publicSubnets}
            onChange={(rows) => edit((s) => { s.network.publicSubnets = rows; })}
            region={region}
            availabilityZones={availabilityZones}
            min={0}
            max={6}
          />
        </>
      )}
      <FieldIssues path="network" />
    </section>
  );
}
