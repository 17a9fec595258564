import type { Environment } from "../../bindings";
import type { ConnectTarget } from "./connectTarget";
import { targetName } from "./connectTarget";

type Props = {
  connection: string;
  /** What Connect again would open; null when the URL names no cluster EKS Desk knows how to open. */
  target: ConnectTarget | null;
  onConnect: (target: ConnectTarget) => void;
  onBack: () => void;
};

function signsInWith(environment: Environment): string {
  return environment.kind === "emulator"
    ? `the local emulator in ${environment.region}`
    : `profile ${environment.profile} in ${environment.region}`;
}

/**
 * A cluster's URL whose connection this window has not opened (a link kept
 * from before a restart): connecting signs in, so it waits to be asked.
 */
export function ConnectAgain({ connection, target, onConnect, onBack }: Props) {
  return (
    <div className="page cluster-view" data-testid="connect-again">
      <section className="panel">
        <h2>{target ? targetName(target) : connection} is not open</h2>
        <p>
          This window has not connected to <code>{connection}</code> since EKS Desk started: the address is from an
          earlier session, or from somewhere else.
        </p>
        {target?.kind === "eks" && (
          <p className="muted">Connect again signs in with {signsInWith(target.environment)}.</p>
        )}
        {target?.kind === "context" && (
          <p className="muted">Connect again opens kubeconfig context {target.context}.</p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onBack} data-testid="back-to-clusters">
            Back to clusters
          </button>
          {target && (
            <button type="button" className="primary" onClick={() => onConnect(target)} data-testid="connect-again-button">
              Connect again
            </button>
          )}
        </div>
      </section>
    </div>
  );
}
