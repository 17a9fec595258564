import { useQuery } from "@tanstack/react-query";
import { commands, type KubeContext } from "../../bindings";
import { toAppError, unwrap } from "../../app/ipc";
import { ErrorPanel } from "../errors/ErrorPanel";
import { ContextCredentials } from "./ContextCredentials";

type Props = {
  /** Opens the context in the cluster view. */
  onOpen: (context: KubeContext) => void;
};

/** Contexts of KUBECONFIG / ~/.kube/config, EKS ones marked. */
export function KubeContextsSection({ onOpen }: Props) {
  const contexts = useQuery({ queryKey: ["kube-contexts"], queryFn: () => unwrap(commands.kubeContexts()) });
  return (
    <section className="panel" data-testid="kube-contexts">
      <header className="panel-header">
        <h2>Kubeconfig contexts</h2>
        {contexts.data && contexts.data.files.length > 0 && (
          <span className="muted">{contexts.data.files.join(", ")}</span>
        )}
      </header>
      {contexts.isPending && <p className="muted">Reading kubeconfig…</p>}
      {contexts.isError && <ErrorPanel error={toAppError(contexts.error)} onRetry={() => void contexts.refetch()} />}
      {contexts.data && contexts.data.contexts.length === 0 && (
        <p className="empty">
          No kubeconfig contexts found (looked at <code>KUBECONFIG</code> and <code>~/.kube/config</code>).
          "Add to kubeconfig" on a cluster adds one.
        </p>
      )}
      {contexts.data && contexts.data.contexts.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th>Context</th>
              <th>Cluster server</th>
              <th>User</th>
              <th>Namespace</th>
              <th>Kind</th>
              <th>Credentials</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {contexts.data.contexts.map((c) => (
              <tr key={c.name}>
                <td>
                  {c.name}
                  {c.isCurrent && <span className="badge badge-muted">current</span>}
                </td>
                <td className="mono">{c.server ?? "—"}</td>
                <td>{c.user ?? "—"}</td>
                <td>{c.namespace ?? "default"}</td>
                <td>
                  {c.eks ? (
                    <span className="badge badge-eks" title={[c.eks.clusterName, c.eks.region].filter(Boolean).join(" in ")}>
                      EKS
                    </span>
                  ) : (
                    "—"
                  )}
                </td>
                <td>
                  <ContextCredentials context={c} />
                </td>
                <td>
                  <span className="row-actions">
                    <button type="button" data-testid={`open-context-${c.name}`} onClick={() => onOpen(c)}>
                      Open
                    </button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
