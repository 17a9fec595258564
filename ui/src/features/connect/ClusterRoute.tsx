import { useNavigate, useParams } from "@tanstack/react-router";
import { useEffect } from "react";
import type { ClusterOverview } from "../../bindings";
import { useShell } from "../../app/shellContext";
import { WorkloadsView } from "../workloads/WorkloadsView";
import { ClusterView } from "./ClusterView";
import { ConnectAgain } from "./ConnectAgain";
import { connectKey, type ConnectTarget } from "./connectTarget";
import { rememberOpened, targetFromConnection, useOpenedTarget } from "./openedClusters";

/**
 * Rust named the connection otherwise than the URL did: the URL follows
 * Rust's name (replacing itself, so Back does not return to the old one).
 */
function FollowConnection({ asked, overview, target }: { asked: string; overview: ClusterOverview; target: ConnectTarget }) {
  const navigate = useNavigate();
  const named = overview.connection;
  useEffect(() => {
    if (named === asked) return;
    rememberOpened(named, target);
    void navigate({ to: ".", params: (p) => ({ ...p, connection: named }), replace: true });
  }, [asked, named, target, navigate]);
  return named === asked ? <WorkloadsView key={named} connection={named} /> : null;
}

/** /connect/<connection>: the opened cluster, or the question whether to connect again. */
export function ClusterRoute() {
  const { connection } = useParams({ from: "/connect/$connection" });
  const target = useOpenedTarget(connection);
  const { environment } = useShell();
  const navigate = useNavigate();
  const back = () => void navigate({ to: "/clusters" });
  if (!target) {
    return (
      <ConnectAgain
        connection={connection}
        target={targetFromConnection(connection, environment)}
        onConnect={(t) => rememberOpened(connection, t)}
        onBack={back}
      />
    );
  }
  return (
    <ClusterView
      // Another target is another sign-in, from scratch.
      key={connectKey(target).join("/")}
      target={target}
      onBack={back}
      onOpenAccess={() => void navigate({ to: "/access" })}
      connected={(overview) => <FollowConnection asked={connection} overview={overview} target={target} />}
    />
  );
}
