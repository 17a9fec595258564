import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { commands, type ClusterOverview, type ExecCommand } from "../../bindings";
import { toAppError, unwrap } from "../../app/ipc";
import { ErrorPanel } from "../errors/ErrorPanel";
import { connectKey, targetName, type ConnectTarget } from "./connectTarget";
import { ExecConsentDialog } from "./ExecConsentDialog";
import { OverviewPanel } from "./OverviewPanel";
import "./connect.css";

type Props = {
  target: ConnectTarget;
  onBack: () => void;
  /** To the Access page, where an IAM identity gets an access entry. */
  onOpenAccess: () => void;
  /** What an open connection shows under its overview (the cluster's live screens). */
  connected: (overview: ClusterOverview) => ReactNode;
};

function connect(target: ConnectTarget) {
  return target.kind === "eks"
    ? unwrap(commands.connectCluster(target.environment, { cluster: target.cluster }))
    : unwrap(commands.connectContext({ context: target.context }));
}

/**
 * One cluster, opened: signing in, the consent an exec plugin needs, the
 * error in words, or what the connection found.
 */
export function ClusterView({ target, onBack, onOpenAccess, connected }: Props) {
  const name = targetName(target);
  const [allowed, setAllowed] = useState<ExecCommand | null>(null);
  const overview = useQuery({
    queryKey: connectKey(target),
    queryFn: () => connect(target),
    retry: false,
    // Connecting signs in (and may run a plugin): only when the view opens
    // or the user asks, never behind their back on a window focus, and
    // afresh each time the view is opened again.
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
  const allow = useMutation({
    mutationFn: (context: string) => unwrap(commands.allowExecPlugin({ context })),
    onSuccess: (command) => {
      setAllowed(command);
      void overview.refetch();
    },
  });
  const error = overview.error ? toAppError(overview.error) : null;

  let body;
  if (overview.data) {
    body = (
      <>
        <OverviewPanel overview={overview.data} allowed={allowed} />
        {connected(overview.data)}
      </>
    );
  } else if (overview.isFetching) {
    body = (
      <section className="panel" data-testid="connecting">
        <p>Signing in to {name}…</p>
        {allowed && (
          <p className="muted">
            Credentials from <code>{allowed.resolved}</code>
          </p>
        )}
      </section>
    );
  } else if (error?.code === "exec_consent_required" && target.kind === "context") {
    body = (
      <section className="panel">
        <h2>{name}</h2>
        <p className="muted">Waiting for your answer about its credential plugin…</p>
        <ExecConsentDialog
          context={target.context}
          execCommand={target.execCommand}
          message={error.message}
          allowing={allow.isPending}
          allowError={allow.error ? toAppError(allow.error) : null}
          onRun={() => allow.mutate(target.context)}
          onCancel={onBack}
        />
      </section>
    );
  } else if (error) {
    body = (
      <section className="panel">
        <h2>{name}</h2>
        <ErrorPanel error={error} onRetry={() => void overview.refetch()} onOpenAccess={onOpenAccess} />
      </section>
    );
  }

  return (
    <div className="page cluster-view" data-testid="cluster-view" data-target={name}>
      <div className="cluster-view-bar">
        <button type="button" onClick={onBack} data-testid="back-to-clusters">
          Back to clusters
        </button>
        <span className="muted">{target.kind === "eks" ? "EKS cluster" : "Kubeconfig context"}</span>
      </div>
      {body}
    </div>
  );
}
