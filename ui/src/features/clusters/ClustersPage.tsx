import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type ClusterSummary, type Environment } from "../../bindings";
import { toAppError, unwrap } from "../../app/ipc";
import { AddToKubeconfigDialog } from "../connect/AddToKubeconfigDialog";
import type { ConnectTarget } from "../connect/connectTarget";
import { ErrorPanel } from "../errors/ErrorPanel";
import { environmentKey } from "../environment/environmentKey";
import { ClusterTable } from "./ClusterTable";
import { KubeContextsSection } from "./KubeContextsSection";

/** How often the list refreshes while a cluster is changing state. */
export const TRANSITION_REFRESH_MS = 5000;

type Props = {
  environment: Environment;
  onUseEmulator: () => void;
  onCreate: () => void;
  /** Opens a cluster or a context in the cluster view. */
  onOpen: (target: ConnectTarget) => void;
};

export function clustersRefetchInterval(clusters: ClusterSummary[] | undefined): number | false {
  return clusters?.some((c) => c.isTransitional) ? TRANSITION_REFRESH_MS : false;
}

export function ClustersPage({ environment, onUseEmulator, onCreate, onOpen }: Props) {
  // The environment is kept with the cluster: the dialog writes the
  // cluster of the account it was listed in, even if the picker moves.
  const [adding, setAdding] = useState<{ environment: Environment; cluster: string } | null>(null);
  const clusters = useQuery({
    queryKey: ["clusters", environmentKey(environment), environment.region],
    queryFn: () => unwrap(commands.listClusters(environment)),
    refetchInterval: (q) => clustersRefetchInterval(q.state.data),
    retry: false,
  });
  const changing = clusters.data?.filter((c) => c.isTransitional).length ?? 0;
  return (
    <div className="page" data-testid="clusters-page">
      <section className="panel">
        <header className="panel-header">
          <h2>EKS clusters in {environment.region}</h2>
          {changing > 0 && (
            <span className="muted" data-testid="auto-refresh">
              {changing} changing — refreshing every {TRANSITION_REFRESH_MS / 1000} s
            </span>
          )}
          <button
            type="button"
            data-testid="refresh-clusters"
            onClick={() => void clusters.refetch()}
            disabled={clusters.isFetching}
          >
            {clusters.isFetching ? "Refreshing…" : "Refresh"}
          </button>
        </header>
        {clusters.isPending && (
          <p className="muted" data-testid="clusters-loading">
            Loading clusters…
          </p>
        )}
        {clusters.isError && (
          <ErrorPanel
            error={toAppError(clusters.error)}
            onRetry={() => void clusters.refetch()}
            onUseEmulator={environment.kind === "profile" ? onUseEmulator : undefined}
          />
        )}
        {clusters.data && clusters.data.length === 0 && (
          <div className="empty" data-testid="clusters-empty">
            <p>
              No EKS clusters in <strong>{environment.region}</strong> for this account.
            </p>
            <p className="muted">
              Pick another region above, or create a cluster with the <em>Create</em> page.
            </p>
            <button type="button" onClick={onCreate}>
              Create a cluster
            </button>
          </div>
        )}
        {clusters.data && clusters.data.length > 0 && (
          <ClusterTable
            clusters={clusters.data}
            onConnect={(c) => onOpen({ kind: "eks", environment, cluster: c.name })}
            onAddToKubeconfig={(c) => setAdding({ environment, cluster: c.name })}
          />
        )}
      </section>
      <KubeContextsSection
        onOpen={(c) =>
          onOpen({ kind: "context", context: c.name, execCommand: c.auth.kind === "exec" ? c.auth.command : null })
        }
      />
      {adding && (
        <AddToKubeconfigDialog
          environment={adding.environment}
          cluster={adding.cluster}
          onClose={() => setAdding(null)}
        />
      )}
    </div>
  );
}
