import type { ResourceKind, StepAction } from "../../../bindings";

export const KIND_LABEL: Record<ResourceKind, string> = {
  vpc: "VPC",
  internet_gateway: "Internet gateway",
  subnet: "Subnet",
  route_table: "Route table",
  elastic_ip: "Elastic IP",
  nat_gateway: "NAT gateway",
  security_group: "Security group",
  vpc_endpoint: "VPC endpoint",
  kubernetes_leftovers: "Left by Kubernetes",
  iam_role: "IAM role",
  role_policy_attachment: "Policy attachment",
  cluster: "EKS cluster",
  node_group: "Node group",
  addon: "Addon",
  access_entry: "Access entry",
  access_policy_association: "Access policy",
};

export const ACTION_LABEL: Record<StepAction, string> = {
  create: "create",
  reuse: "reuse",
  replace: "replace",
  conflict: "conflict",
};

/** Badge tone of each action, from the app's palette. */
export const ACTION_TONE: Record<StepAction, string> = {
  create: "busy",
  reuse: "ok",
  replace: "warn",
  conflict: "bad",
};

export const MARK_LABEL: Record<"added" | "changed", string> = {
  added: "new",
  changed: "changed",
};
