import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { commands, type AppError, type Environment } from "../../bindings";
import { toAppError, unwrap } from "../../app/ipc";
import { ErrorPanel } from "../errors/ErrorPanel";
import { Dialog } from "../runs/Dialog";
import { KubeconfigOutcome } from "./KubeconfigOutcome";
import "./connect.css";

type Props = {
  environment: Environment;
  cluster: string;
  onClose: () => void;
};

/** The dialog's fields, by the names Rust gives them in `AppError.field`. */
const FIELD_OF: Record<string, "alias" | "credentials" | "setCurrent"> = {
  alias: "alias",
  useEksDesk: "credentials",
  authenticator: "credentials",
  setCurrent: "setCurrent",
};

function FieldError({ id, error }: { id: string; error: AppError | null }) {
  if (!error) return null;
  return (
    <p className="field-issue field-issue-error" id={id} role="alert">
      {error.message}
    </p>
  );
}

/** Writes a cluster's context into the kubeconfig, as `aws eks update-kubeconfig` would. */
export function AddToKubeconfigDialog({ environment, cluster, onClose }: Props) {
  const ids = useId();
  const [alias, setAlias] = useState("");
  const [useEksDesk, setUseEksDesk] = useState(false);
  const [setCurrent, setSetCurrent] = useState(false);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        commands.addToKubeconfig(environment, {
          cluster,
          // Empty means "name the context after the cluster's ARN" to Rust.
          alias: alias === "" ? null : alias,
          useEksDesk,
          setCurrent,
        }),
      ),
    // The contexts list shows the new context.
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["kube-contexts"] }),
  });
  const error = save.error ? toAppError(save.error) : null;
  const fieldOf = error?.field ? FIELD_OF[error.field] : undefined;
  const errorAt = (field: string) => (fieldOf === field ? error : null);
  const invalid = (field: string) => (fieldOf === field ? { "aria-invalid": true, "aria-describedby": `${ids}-${field}` } : {});

  // Keyed apart from the form's dialog, so that Done takes the keyboard.
  if (save.data) {
    return (
      <Dialog key="outcome" title={`${cluster} in your kubeconfig`} onClose={onClose} testId="add-kubeconfig-dialog">
        <KubeconfigOutcome outcome={save.data} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog key="form" title={`Add ${cluster} to kubeconfig`} onClose={onClose} testId="add-kubeconfig-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className="field">
          <label>
            <span className="field-label">Context name (alias, optional)</span>
            <input
              type="text"
              value={alias}
              placeholder="cluster ARN"
              onChange={(e) => setAlias(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              data-testid="kubeconfig-alias"
              {...invalid("alias")}
            />
          </label>
          <FieldError id={`${ids}-alias`} error={errorAt("alias")} />
        </div>
        <fieldset className="choice field" {...invalid("credentials")}>
          <legend className="field-label">Credentials</legend>
          <label className="check">
            <input type="radio" name={`${ids}-auth`} checked={!useEksDesk} onChange={() => setUseEksDesk(false)} />
            AWS CLI (aws eks get-token)
          </label>
          <label className="check">
            <input type="radio" name={`${ids}-auth`} checked={useEksDesk} onChange={() => setUseEksDesk(true)} />
            EKS Desk (eks-desk token, no AWS CLI needed)
          </label>
          <FieldError id={`${ids}-credentials`} error={errorAt("credentials")} />
        </fieldset>
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              checked={setCurrent}
              onChange={(e) => setSetCurrent(e.target.checked)}
              {...invalid("setCurrent")}
            />
            Make it the current context
          </label>
          <FieldError id={`${ids}-setCurrent`} error={errorAt("setCurrent")} />
        </div>
        {error && !fieldOf && <ErrorPanel error={error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={save.isPending} data-testid="kubeconfig-save">
            {save.isPending ? "Saving…" : "Save"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
