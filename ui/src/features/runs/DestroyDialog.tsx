import { useState } from "react";
import { Dialog } from "./Dialog";

type Props = {
  clusterName: string;
  region: string;
  onConfirm: (typedName: string) => void;
  onClose: () => void;
};

/** Destroy asks for the cluster's name, typed exactly, before anything is deleted. */
export function DestroyDialog({ clusterName, region, onConfirm, onClose }: Props) {
  const [typed, setTyped] = useState("");
  const matches = typed === clusterName && clusterName !== "";
  return (
    <Dialog title={`Destroy ${clusterName}?`} onClose={onClose} testId="destroy-dialog">
      <p>
        This deletes everything EKS Desk created for <strong>{clusterName}</strong> in{" "}
        <span className="nowrap">{region}</span>: access entries, addons,
        node groups, the cluster, its subnets, VPC and roles. Resources EKS Desk did not create are left alone.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (matches) onConfirm(typed);
        }}
      >
        <label className="field">
          <span className="field-label">
            Type <code>{clusterName}</code> to confirm
          </span>
          <input
            type="text"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            data-testid="destroy-confirm-input"
          />
        </label>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Keep it
          </button>
          <button type="submit" className="danger" disabled={!matches} data-testid="destroy-confirm-button">
            Destroy
          </button>
        </div>
      </form>
    </Dialog>
  );
}
