import type { ClusterOverview, ExecCommand } from "../../bindings";

type Props = {
  overview: ClusterOverview;
  /** The exec plugin the user agreed to run for this connection, if any. */
  allowed: ExecCommand | null;
};

const SIMULATED_TIP =
  "Local mode's simulated API server: a stand-in Kubernetes API for emulator clusters, not a real cluster.";

/** What a connection found: the API server's version, its nodes and who you are there. */
export function OverviewPanel({ overview, allowed }: Props) {
  const { identity } = overview;
  // A count of 0 is a count: only null means the nodes could not be listed.
  const nodesKnown = overview.nodeCount !== null && overview.nodeCount !== undefined;
  return (
    <section className="panel cluster-overview">
      <header className="cluster-view-header">
        <h2>{overview.name}</h2>
        {overview.simulated && (
          <span className="badge badge-warn" data-testid="simulated-badge" title={SIMULATED_TIP}>
            simulated
          </span>
        )}
        <span className="mono muted cluster-server">{overview.server}</span>
      </header>
      <dl className="facts">
        <div>
          <dt>Kubernetes</dt>
          <dd className="mono" data-testid="kubernetes-version">
            {overview.kubernetesVersion}
          </dd>
        </div>
        <div>
          <dt>Nodes</dt>
          <dd>
            <span data-testid="node-count">{nodesKnown ? overview.nodeCount : "hidden"}</span>
            {!nodesKnown && overview.nodesHidden && (
              <span className="fact-note" data-testid="nodes-hidden">
                {overview.nodesHidden}
              </span>
            )}
          </dd>
        </div>
        <div className="fact-wide">
          <dt>Signed in as</dt>
          <dd>
            <span className="mono identity-username" data-testid="identity-username">
              {identity.username}
            </span>
            {identity.groups.length > 0 && (
              <span className="tags identity-groups" aria-label="Groups">
                {identity.groups.map((g) => (
                  <span key={g} className="tag">
                    {g}
                  </span>
                ))}
              </span>
            )}
            {identity.iamArn && (
              <span className="fact-note" data-testid="identity-iam-arn">
                IAM identity <span className="mono">{identity.iamArn}</span>
              </span>
            )}
          </dd>
        </div>
        {allowed && (
          <div className="fact-wide">
            <dt>Credentials from</dt>
            <dd className="mono" data-testid="exec-resolved">
              {allowed.resolved}
            </dd>
          </div>
        )}
      </dl>
      {overview.warnings.length > 0 && (
        <div className="warning-box" role="note" data-testid="connect-warnings">
          <strong>How you are connected</strong>
          <ul>
            {overview.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
