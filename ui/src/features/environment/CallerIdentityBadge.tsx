import { useQuery } from "@tanstack/react-query";
import { commands, type Environment } from "../../bindings";
import { unwrap, toAppError } from "../../app/ipc";
import { environmentKey } from "./environmentKey";

/** Account and ARN of the selected environment (STS GetCallerIdentity). */
export function CallerIdentityBadge({ environment }: { environment: Environment }) {
  const identity = useQuery({
    queryKey: ["identity", environmentKey(environment), environment.region],
    queryFn: () => unwrap(commands.callerIdentity(environment)),
    retry: false,
  });
  if (identity.isPending) return <div className="identity muted">Signing in…</div>;
  if (identity.isError) {
    const e = toAppError(identity.error);
    return (
      <div className="identity identity-error" title={e.message} data-testid="caller-identity">
        Not signed in ({e.code.replace(/_/g, " ")})
      </div>
    );
  }
  return (
    <div className="identity" data-testid="caller-identity" title={identity.data.userId}>
      <span className="account">Account {identity.data.account}</span>
      <span className="arn">{identity.data.arn}</span>
      {identity.data.isRoot && <span className="badge badge-warn">root — use an IAM identity</span>}
    </div>
  );
}
