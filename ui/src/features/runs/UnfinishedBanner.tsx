import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type AppError, type Environment, type UnfinishedRun } from "../../bindings";
import { toAppError, unwrap } from "../../app/ipc";
import { ErrorPanel } from "../errors/ErrorPanel";
import { DestroyDialog } from "./DestroyDialog";
import { useRunsStore } from "./runStore";
import { UNFINISHED_RUNS_KEY, useRunActions } from "./useRunActions";
import "./runs.css";

type Props = {
  /** Where a run goes when its journal does not say. */
  environment: Environment;
  /** Brings the run's progress into view (the Create page's Plan view). */
  onShowRun: () => void;
};

function sentence(r: UnfinishedRun): string {
  const what = r.operation === "apply" ? "An apply" : "A destroy";
  return `${what} of ${r.clusterName} (${r.region}) stopped at step ${r.stepsDone}/${r.stepsTotal}`;
}

/** Runs whose journal says they did not finish (a crash, a cancel, a failure): resume, destroy or dismiss. */
export function UnfinishedBanner({ environment, onShowRun }: Props) {
  const unfinished = useQuery({
    queryKey: UNFINISHED_RUNS_KEY,
    queryFn: () => unwrap(commands.unfinishedRuns()),
    retry: false,
  });
  const { runs } = useRunsStore();
  const actions = useRunActions();
  const [dismissed, setDismissed] = useState<readonly string[]>([]);
  const [destroying, setDestroying] = useState<UnfinishedRun | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  // Runs of this window are shown with their progress instead.
  const offered = (unfinished.data?.runs ?? []).filter((r) => !dismissed.includes(r.specId) && !(r.specId in runs));
  const unreadable = (unfinished.data?.unreadable ?? []).filter((j) => !dismissed.includes(j.path));
  const lookupError = unfinished.isError ? toAppError(unfinished.error) : null;
  if (offered.length === 0 && unreadable.length === 0 && !error && !lookupError) return null;

  const attempt = (work: Promise<unknown>) => {
    setError(null);
    onShowRun();
    work.catch((e: unknown) => setError(toAppError(e)));
  };
  return (
    <div className="unfinished-banner" data-testid="unfinished-banner" role="status">
      {offered.map((r) => (
        <div key={r.specId} className="unfinished-run" data-spec-id={r.specId}>
          <span className="unfinished-text">
            {sentence(r)}
            {r.failure && <span className="muted"> — {r.failure}</span>}
          </span>
          <button type="button" className="primary" data-testid="banner-resume" onClick={() => attempt(actions.resume(r.specId, environment))}>
            Resume
          </button>
          <button type="button" className="danger" data-testid="banner-destroy" onClick={() => setDestroying(r)}>
            Destroy…
          </button>
          <button type="button" data-testid="banner-dismiss" onClick={() => setDismissed((d) => [...d, r.specId])}>
            Dismiss
          </button>
        </div>
      ))}
      {unreadable.map((j) => (
        <div key={j.path} className="unfinished-run" data-testid="unreadable-journal">
          <span className="unfinished-text">
            A journal could not be read, so its run cannot be resumed from here: <code>{j.path}</code>
            <span className="muted"> — {j.reason}</span>
          </span>
          <button type="button" data-testid="banner-dismiss" onClick={() => setDismissed((d) => [...d, j.path])}>
            Dismiss
          </button>
        </div>
      ))}
      {lookupError && (
        <div data-testid="unfinished-lookup-error">
          <p>Could not look for unfinished runs:</p>
          <ErrorPanel error={lookupError} onRetry={() => void unfinished.refetch()} />
        </div>
      )}
      {error && <ErrorPanel error={error} />}
      {destroying && (
        <DestroyDialog
          clusterName={destroying.clusterName}
          region={destroying.region}
          onClose={() => setDestroying(null)}
          onConfirm={(typed, leftovers) => {
            const specId = destroying.specId;
            setDestroying(null);
            attempt(actions.destroyRecorded(specId, typed, leftovers, environment));
          }}
        />
      )}
    </div>
  );
}
