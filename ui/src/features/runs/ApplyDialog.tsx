import type { PlanStep } from "../../bindings";
import { Dialog } from "./Dialog";

type Props = {
  steps: readonly PlanStep[];
  clusterName: string;
  account: string | undefined;
  region: string;
  onConfirm: () => void;
  onClose: () => void;
};

/** "Create N resources in account X, region R?" before an apply. */
export function ApplyDialog({ steps, clusterName, account, region, onConfirm, onClose }: Props) {
  const creates = steps.filter((s) => s.action === "create").length;
  const reuses = steps.filter((s) => s.action === "reuse").length;
  const where = account ? (
    <>
      account <span className="nowrap">{account}</span>
    </>
  ) : (
    "this account"
  );
  return (
    <Dialog title={`Apply ${clusterName}`} onClose={onClose} testId="apply-dialog">
      <p data-testid="apply-question">
        Create {creates} {creates === 1 ? "resource" : "resources"} in {where}, region <span className="nowrap">{region}</span>?
      </p>
      {reuses > 0 && <p className="muted">{reuses} existing resources of this spec are reused as they are.</p>}
      <p className="muted">
        A cluster takes 10–15 minutes on AWS. You can cancel at any time and resume later; nothing is created twice.
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Not now
        </button>
        <button type="button" className="primary" onClick={onConfirm} data-testid="apply-confirm">
          Create
        </button>
      </div>
    </Dialog>
  );
}
