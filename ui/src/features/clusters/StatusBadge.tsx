import type { ClusterStatus } from "../../bindings";

const TONE: Record<ClusterStatus, string> = {
  ACTIVE: "ok",
  CREATING: "busy",
  UPDATING: "busy",
  PENDING: "busy",
  DELETING: "warn",
  FAILED: "bad",
  UNKNOWN: "muted",
};

export function StatusBadge({ status }: { status: ClusterStatus }) {
  return (
    <span className={`badge badge-${TONE[status]}`} data-status={status}>
      {status}
    </span>
  );
}
