import type { Connection, LiveState } from "../../bindings";
import { visible } from "./visibleText";
import type { Live } from "./useLiveState";

/** The worse of two watches' states is the indicator's. */
const RANK: Record<Connection["state"], number> = { live: 0, connecting: 1, reconnecting: 2, forbidden: 3 };

function clock(rfc3339: string): string {
  const at = new Date(rfc3339);
  return Number.isNaN(at.getTime()) ? rfc3339 : at.toLocaleTimeString();
}

function words(c: Connection): string {
  switch (c.state) {
    case "live":
      return "Live";
    case "connecting":
      return "Connecting…";
    case "reconnecting":
      return `Reconnecting — data as of ${clock(c.since)}`;
    case "forbidden":
      return `Forbidden: ${visible(c.message)}`;
  }
}

/** Why it is reconnecting, on hover. */
function why(c: Connection): string | undefined {
  return c.state === "reconnecting" ? visible(c.reason) : undefined;
}

/** True when the rows shown are older than the cluster (a watch is down). */
export function isStale(state: LiveState | null): boolean {
  return state?.pods.connection.state === "reconnecting" || state?.nodes.connection.state === "reconnecting";
}

/** How the cluster's live view is doing: one state, or one per kind when pods and nodes differ. */
export function LiveIndicator({ live }: { live: Live }) {
  if (live.error) {
    return (
      <span className="live-indicator live-error" data-testid="live-indicator" data-state="error" role="status">
        Not live: {live.error.message}
      </span>
    );
  }
  const { state } = live;
  if (!state) {
    return (
      <span className="live-indicator live-connecting" data-testid="live-indicator" data-state="connecting" role="status">
        Connecting…
      </span>
    );
  }
  const { pods, nodes } = state;
  const worst = RANK[pods.connection.state] >= RANK[nodes.connection.state] ? pods.connection : nodes.connection;
  const same = words(pods.connection) === words(nodes.connection);
  return (
    <span
      className={`live-indicator live-${worst.state}`}
      data-testid="live-indicator"
      data-state={worst.state}
      role="status"
      title={same ? why(worst) : undefined}
    >
      {same ? (
        words(worst)
      ) : (
        <>
          <span data-testid="live-pods" data-state={pods.connection.state} title={why(pods.connection)}>
            Pods: {words(pods.connection)}
          </span>
          <span className="live-separator" aria-hidden="true">
            {" · "}
          </span>
          <span data-testid="live-nodes" data-state={nodes.connection.state} title={why(nodes.connection)}>
            Nodes: {words(nodes.connection)}
          </span>
        </>
      )}
    </span>
  );
}
