import { useState } from "react";
import type { PlanStep } from "../../../bindings";
import { ApplyDialog } from "../../runs/ApplyDialog";
import type { Spec } from "../spec";

type Props = {
  spec: Spec;
  steps: PlanStep[];
  accountId: string | undefined;
  /** Why Apply cannot be used now, or null when it can. */
  blockedBy: string | null;
  onApply: () => void;
};

/** Apply, after a confirmation that says how much is created where. */
export function ApplyButton({ spec, steps, accountId, blockedBy, onApply }: Props) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <button
        type="button"
        className="primary"
        data-testid="apply-button"
        disabled={blockedBy !== null}
        title={blockedBy ?? `Create ${spec.cluster.name} in ${spec.cluster.region}`}
        onClick={() => setConfirming(true)}
      >
        Apply…
      </button>
      {confirming && (
        <ApplyDialog
          steps={steps}
          clusterName={spec.cluster.name}
          account={accountId}
          region={spec.cluster.region}
          onClose={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            onApply();
          }}
        />
      )}
    </>
  );
}

/**
 * The reason Apply is not offered, or null. What the plan itself rules out
 * (conflicts, an account that was not read) comes from Rust with the plan;
 * the rest is this window's own state: a run going on, a spec edited since.
 */
export function applyBlockedBy(o: {
  errorCount: number;
  stale: boolean;
  planFailed: boolean;
  running: boolean;
  fromPlan: string | null;
}): string | null {
  if (o.running) return "An apply or destroy of this spec is going on.";
  if (o.errorCount > 0) return `Fix the spec's ${o.errorCount === 1 ? "error" : `${o.errorCount} errors`} first.`;
  if (o.planFailed) return "The last plan failed: plan again.";
  if (o.stale) return "The spec changed since this plan: plan again.";
  return o.fromPlan;
}
