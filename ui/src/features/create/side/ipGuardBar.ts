import type { SubnetRole, SubnetUsage } from "../../../bindings";

/** IPs to keep free in a control-plane subnet during an upgrade; the
 * backend's guard (UPGRADE_RESERVE in Rust) reports the same threshold. */
export const CONTROL_PLANE_RESERVE = 5;

export type BarSegments = {
  /** Percentages of the bar's width. */
  controlPlane: number;
  nodes: number;
  headroom: number;
  /** Where the usable IPs end: below 100 when demand exceeds them. */
  limit: number;
};

/**
 * The stacked bar of one subnet: control-plane ENIs during an upgrade, node
 * IPs at max scale, then what is left. When demand exceeds the usable IPs
 * the bar is scaled to the demand, and the part past `limit` is the shortfall.
 */
export function barSegments(u: SubnetUsage): BarSegments {
  const demand = u.controlPlaneEnisDuringUpgrade + u.nodeIpsAtMaxScale;
  const total = Math.max(u.usableIps, demand, 1);
  const pct = (n: number) => (Math.max(0, n) / total) * 100;
  return {
    controlPlane: pct(u.controlPlaneEnisDuringUpgrade),
    nodes: pct(u.nodeIpsAtMaxScale),
    headroom: pct(u.headroom),
    limit: pct(u.usableIps),
  };
}

/** Whether the headroom is too small for the subnet's role. */
export function headroomShort(u: SubnetUsage): boolean {
  return u.role === "nodes" ? u.headroom < 0 : u.headroom < CONTROL_PLANE_RESERVE;
}

export const ROLE_LABEL: Record<SubnetRole, string> = {
  controlPlane: "control plane",
  nodes: "nodes",
  shared: "shared",
};
