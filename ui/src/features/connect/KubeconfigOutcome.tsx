import type { FileChange, KubeconfigWriteOutcome } from "../../bindings";

const CHANGE: Record<FileChange, string> = {
  created: "created",
  updated: "updated",
  unchanged: "unchanged: it already had these entries, nothing was written",
};

/** What Add to kubeconfig did to the file, as Rust reported it. */
export function KubeconfigOutcome({ outcome }: { outcome: KubeconfigWriteOutcome }) {
  return (
    <div data-testid="kubeconfig-outcome">
      <dl className="kubeconfig-outcome">
        <dt>File</dt>
        <dd className="mono" data-testid="outcome-file">
          {outcome.file}
        </dd>
        <dt>Change</dt>
        <dd data-testid="outcome-change" data-change={outcome.change}>
          {CHANGE[outcome.change]}
        </dd>
        {outcome.backup && (
          <>
            <dt>Backup</dt>
            <dd className="mono" data-testid="outcome-backup">
              {outcome.backup}
            </dd>
          </>
        )}
        <dt>Context</dt>
        <dd className="mono" data-testid="outcome-context">
          {outcome.context}
        </dd>
        <dt>User</dt>
        <dd className="mono">{outcome.user}</dd>
        <dt>Cluster</dt>
        <dd className="mono">{outcome.cluster}</dd>
        <dt>Current context</dt>
        <dd data-testid="outcome-current">{outcome.isCurrent ? "yes" : "no"}</dd>
      </dl>
      {outcome.commentsLost && (
        <div className="warning-box" role="note" data-testid="outcome-comments-lost">
          The file had comments that the rewrite could not keep.
          {outcome.backup ? (
            <>
              {" "}
              The backup <code>{outcome.backup}</code> still has them.
            </>
          ) : null}
        </div>
      )}
    </div>
  );
}
