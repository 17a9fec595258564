import type { KubeContext } from "../../bindings";

/** The kind of credentials a context's user holds (never the credentials), and how its server is reached. */
export function ContextCredentials({ context }: { context: KubeContext }) {
  const { auth } = context;
  return (
    <span className="context-credentials">
      {auth.kind === "exec" ? (
        <span title="An exec plugin: this program runs to get a token">
          exec <code>{auth.command}</code>
        </span>
      ) : auth.kind === "authProvider" ? (
        <span>auth-provider {auth.name}</span>
      ) : auth.kind === "token" ? (
        "token"
      ) : auth.kind === "clientCertificate" ? (
        "client certificate"
      ) : auth.kind === "basic" ? (
        "username and password"
      ) : auth.kind === "none" ? (
        <span className="muted">none</span>
      ) : (
        <span className="badge badge-bad" title="No kubeconfig file defines this user">
          user {auth.user} missing
        </span>
      )}
      {context.insecure && (
        <span className="badge badge-bad" title="insecure-skip-tls-verify: the server's certificate is not checked">
          TLS not verified
        </span>
      )}
      {context.hasProxyUrl && (
        <span className="badge badge-muted" title="Its cluster is reached through a proxy-url">
          proxy
        </span>
      )}
    </span>
  );
}
