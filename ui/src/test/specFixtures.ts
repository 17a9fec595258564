// Test-only Create page data: the seed spec as newClusterSpec returns it,
// and backend answers built around it.
import type {
  ClusterSpec_Serialize,
  CostEstimate_Serialize,
  FieldIssue,
  PlannedSpec_Serialize,
  PlanStep_Serialize,
  SpecCheck_Serialize,
  SpecChoices_Serialize,
  SubnetUsage,
} from "../bindings";

export function seedSpec(): ClusterSpec_Serialize {
  const az = (s: string) => `ap-northeast-2${s}`;
  return {
    apiVersion: "eksdesk.dev/v1",
    id: "7f0c2a52-0000-4000-8000-000000000001",
    cluster: {
      name: "my-eks",
      region: "ap-northeast-2",
      kubernetesVersion: "1.33",
      authenticationMode: "API_AND_CONFIG_MAP",
      endpointPublicAccess: true,
      endpointPrivateAccess: false,
      tags: {},
    },
    network: {
      vpc: { create: { cidr: "10.0.0.0/16" } },
      controlPlaneSubnets: [
        { cidr: "10.0.0.192/28", availabilityZone: az("a") },
        { cidr: "10.0.0.208/28", availabilityZone: az("b") },
        { cidr: "10.0.0.224/28", availabilityZone: az("c") },
      ],
      nodeSubnets: {
        create: [
          { cidr: "10.0.16.0/20", availabilityZone: az("a") },
          { cidr: "10.0.32.0/20", availabilityZone: az("b") },
          { cidr: "10.0.48.0/20", availabilityZone: az("c") },
        ],
      },
      egress: "natGateway",
      publicSubnets: [
        { cidr: "10.0.1.0/24", availabilityZone: az("a") },
        { cidr: "10.0.2.0/24", availabilityZone: az("b") },
        { cidr: "10.0.3.0/24", availabilityZone: az("c") },
      ],
    },
    iam: {
      clusterRole: { create: { name: "AmazonEKSClusterRole-my-eks", vpcResourceController: true } },
      nodeRole: { create: { name: "AmazonEKSNodeRole-my-eks", vpcResourceController: false } },
    },
    nodeGroups: [
      {
        name: "default_node_group",
        subnets: [],
        minSize: 1,
        desiredSize: 1,
        maxSize: 3,
        amiType: "AL2023_ARM_64_STANDARD",
        instanceTypes: ["t4g.xlarge"],
        capacityType: "ON_DEMAND",
        diskSizeGib: 20,
        labels: {},
        taints: [],
      },
    ],
    addons: [
      { name: "vpc-cni", version: "v1.19.5-eksbuild.3" },
      { name: "coredns", version: "v1.12.1-eksbuild.2" },
      { name: "kube-proxy", version: "v1.33.0-eksbuild.2" },
    ],
    access: {
      grantCreatorAdmin: false,
      entries: [{ principalArn: "", policy: "AmazonEKSClusterAdminPolicy", scope: { type: "cluster" } }],
    },
  };
}

export function usage(overrides: Partial<SubnetUsage> = {}): SubnetUsage {
  return {
    field: "network.controlPlaneSubnets[0]",
    cidr: "10.0.0.192/28",
    availabilityZone: "ap-northeast-2a",
    role: "controlPlane",
    usableIps: 11,
    controlPlaneEnis: 2,
    controlPlaneEnisDuringUpgrade: 4,
    nodeIpsAtMaxScale: 0,
    headroom: 7,
    ...overrides,
  };
}

export function specCheck(issues: FieldIssue[] = [], overrides: Partial<SpecCheck_Serialize> = {}): SpecCheck_Serialize {
  return {
    issues,
    ipGuard: [usage()],
    account: {
      checked: false,
      offlineReason: "No AWS environment selected: checked offline.",
      notes: [],
      availabilityZones: ["a", "b", "c"].map((l) => ({ name: `ap-northeast-2${l}`, id: null, controlPlaneProblem: null, problem: null })),
      zonesAssumed: true,
    },
    ...overrides,
  };
}

export function specChoices(): SpecChoices_Serialize {
  return {
    kubernetesVersions: ["1.34", "1.33", "1.32", "1.31", "1.30"],
    amiTypes: [
      { name: "AL2023_ARM_64_STANDARD", architecture: "arm64", description: "Amazon Linux 2023 (arm64)", lastKubernetesVersion: null },
      { name: "AL2023_x86_64_STANDARD", architecture: "x86_64", description: "Amazon Linux 2023 (x86-64)", lastKubernetesVersion: null },
    ],
    instanceTypes: [
      { name: "t4g.xlarge", vcpus: 4, memoryGib: 16, architecture: "arm64", maxEnis: 4, ipv4PerEni: 15, podIps: 56 },
      { name: "m5.large", vcpus: 2, memoryGib: 8, architecture: "x86_64", maxEnis: 3, ipv4PerEni: 10, podIps: 27 },
    ],
    addons: [
      {
        name: "vpc-cni",
        source: "built-in",
        versions: [
          { version: "v1.19.5-eksbuild.3", default: true },
          { version: "v1.19.2-eksbuild.1", default: false },
        ],
      },
      { name: "coredns", source: "eks", versions: [{ version: "v1.12.1-eksbuild.2", default: true }] },
      { name: "kube-proxy", source: "eks", versions: [{ version: "v1.33.0-eksbuild.2", default: true }] },
      { name: "eks-pod-identity-agent", source: "eks", versions: [{ version: "v1.3.7-eksbuild.2", default: true }] },
    ],
    accessPolicies: ["AmazonEKSClusterAdminPolicy", "AmazonEKSAdminPolicy", "AmazonEKSEditPolicy", "AmazonEKSViewPolicy"],
    notes: [],
  };
}

export function step(overrides: Partial<PlanStep_Serialize> & { id: string }): PlanStep_Serialize {
  return {
    kind: "subnet",
    name: overrides.id,
    detail: "",
    dependsOn: [],
    action: "create",
    note: null,
    ...overrides,
  };
}

export function planResult(steps: PlanStep_Serialize[], applyBlockedBy: string | null = null): PlannedSpec_Serialize {
  return { plan: { clusterName: "my-eks", region: "ap-northeast-2", steps }, check: specCheck(), applyBlockedBy, cost: costEstimate() };
}

/** The seed's estimate as Rust computes it (spec/cost/estimate_tests.rs), trimmed. */
export function costEstimate(overrides: Partial<CostEstimate_Serialize> = {}): CostEstimate_Serialize {
  const line = (what: string, quantity: number, unit: string, unitPriceUsd: number, monthlyUsd: number) => ({
    what,
    quantity,
    unit,
    unitPriceUsd,
    per: "hour" as const,
    monthlyUsd,
    note: null,
  });
  return {
    region: "ap-northeast-2",
    currency: "USD",
    lines: [
      line("EKS control plane, standard support", 1, "cluster", 0.1, 73),
      line("default_node_group: t4g.xlarge instances, on-demand Linux", 1, "instance", 0.1652, 120.6),
      { ...line("default_node_group: gp3 root volumes, 1 × 20 GiB", 20, "GiB", 0.0912, 1.82), per: "month" },
      line("NAT gateway", 1, "gateway", 0.059, 43.07),
      line("Public IPv4 addresses (the NAT gateways' elastic IPs)", 1, "address", 0.005, 3.65),
    ],
    totalMonthlyUsd: 242.14,
    hoursPerMonth: 730,
    pricesAsOf: "2026-12-01",
    priceSource: "AWS public on-demand list prices (Linux, no discounts), built into the app",
    label: "Estimate from list prices as of 2026-12-01, 730 hours a month: not a quote",
    notes: [],
    unpriced: [
      "NAT gateway data processing is charged per GB that passes through, which depends on traffic: not in the total.",
      "Data transfer (out to the internet, between zones, between regions) depends on traffic: not in the total.",
    ],
    ...overrides,
  };
}
