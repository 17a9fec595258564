import { useCallback } from "react";
import { commands, type LiveState, type PodPhase } from "../../bindings";
import { useLiveQuery } from "./useLiveQuery";
import { PHASES } from "./podFilters";
import { visible } from "./visibleText";

type Props = {
  connection: string;
  started: boolean;
  state: LiveState | null;
  /** To the pods table, filtered to the pods with problems. */
  onShowProblems: () => void;
};

const PHASE_LABEL: Record<PodPhase, string> = {
  running: "Running",
  pending: "Pending",
  succeeded: "Succeeded",
  failed: "Failed",
  unknown: "Unknown",
};

function Placements({ title, testId, counts }: { title: string; testId: string; counts: Record<string, number> }) {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="overview-placements">
      <h3>{title}</h3>
      {entries.length === 0 ? (
        <p className="muted">No nodes.</p>
      ) : (
        <dl data-testid={testId}>
          {entries.map(([name, count]) => (
            <div key={name} data-name={name}>
              <dt>{visible(name)}</dt>
              <dd>{count}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

/** The cluster in numbers, counted by Rust: nodes, pods by phase, restarts and where the nodes are. */
export function WorkloadsOverview({ connection, started, state, onShowProblems }: Props) {
  const command = useCallback(() => commands.workloadsOverview(connection), [connection]);
  const { data: overview, error } = useLiveQuery(started, state, command);
  if (!overview) {
    return error ? (
      <p className="field-issue field-issue-error" role="alert">
        {error.message}
      </p>
    ) : (
      <p className="muted" data-testid="overview-loading">
        Counting…
      </p>
    );
  }
  const { pods } = overview;
  const podTotal = pods.running + pods.pending + pods.succeeded + pods.failed + pods.unknown;
  return (
    <div className="workloads-overview" data-testid="workloads-overview">
      {error && (
        <p className="field-issue field-issue-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="overview-stats">
        <div className="overview-stat">
          <span className="overview-number" data-testid="overview-nodes">
            {overview.nodesReady} / {overview.nodes}
          </span>
          <span className="muted">nodes ready</span>
        </div>
        <div className="overview-stat">
          <span className="overview-number" data-testid="overview-pods">
            {podTotal}
          </span>
          <span className="muted">pods</span>
        </div>
        <div className={pods.problems > 0 ? "overview-stat overview-stat-bad" : "overview-stat"}>
          <span className="overview-number" data-testid="overview-problems">
            {pods.problems}
          </span>
          <span className="muted">with problems</span>
          {pods.problems > 0 && (
            <button type="button" className="link-button" onClick={onShowProblems}>
              Show them
            </button>
          )}
        </div>
        <div className="overview-stat">
          <span className="overview-number" data-testid="overview-restarts">
            {overview.restarts}
          </span>
          <span className="muted">restarts</span>
        </div>
      </div>
      <dl className="overview-phases" data-testid="overview-phases">
        {PHASES.map((phase) => (
          <div key={phase} className={`overview-phase pod-status-${phase}`} data-phase={phase}>
            <dt>{PHASE_LABEL[phase]}</dt>
            <dd>{pods[phase]}</dd>
          </div>
        ))}
      </dl>
      <div className="overview-placement-grid">
        <Placements title="By node group" testId="overview-by-node-group" counts={overview.byNodeGroup} />
        <Placements title="By zone" testId="overview-by-zone" counts={overview.byZone} />
        <Placements title="By capacity type" testId="overview-by-capacity-type" counts={overview.byCapacityType} />
      </div>
    </div>
  );
}
