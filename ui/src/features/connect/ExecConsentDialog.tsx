import type { AppError } from "../../bindings";
import { ErrorPanel } from "../errors/ErrorPanel";
import { Dialog } from "../runs/Dialog";

type Props = {
  context: string;
  /** The command as the kubeconfig writes it, when the contexts list knew it. */
  execCommand: string | null;
  /** Rust's words, which name the file that would run. */
  message: string;
  allowing: boolean;
  allowError: AppError | null;
  onRun: () => void;
  onCancel: () => void;
};

/**
 * Asks before a kubeconfig exec plugin runs: it can be any program. Cancel
 * comes first, so it is what the keyboard lands on; running needs a click
 * on "Run it".
 */
export function ExecConsentDialog({ context, execCommand, message, allowing, allowError, onRun, onCancel }: Props) {
  return (
    <Dialog title="Run this credential plugin?" onClose={onCancel} testId="exec-consent-dialog">
      <p data-testid="exec-consent-question">
        Run {execCommand ? <code>{execCommand}</code> : "this context's exec plugin"} to get credentials for context{" "}
        <strong>{context}</strong>?
      </p>
      <p className="consent-program" data-testid="exec-consent-program">
        {message}
      </p>
      <p className="muted">
        A kubeconfig exec plugin runs any program it names, with your rights. EKS Desk remembers your yes for this
        program's path and does not ask again for it.
      </p>
      {allowError && <ErrorPanel error={allowError} />}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={onRun} disabled={allowing} data-testid="exec-consent-run">
          {allowing ? "Allowing…" : "Run it"}
        </button>
      </div>
    </Dialog>
  );
}
