import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type ExportFormat } from "../../../bindings";
import { toAppError, unwrap } from "../../../app/ipc";
import { ErrorPanel } from "../../errors/ErrorPanel";
import type { Spec } from "../spec";
import { useCopy } from "./useCopy";

const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: "terraform", label: "Terraform" },
  { format: "eksctl", label: "eksctl" },
  { format: "yaml", label: "Spec YAML" },
];

type Props = {
  spec: Spec;
  /** Errors the last check found: the export is still made, with a word of warning. */
  errorCount: number;
};

export function ExportView({ spec, errorCount }: Props) {
  const [format, setFormat] = useState<ExportFormat>("terraform");
  const [copyState, copy] = useCopy();
  const text = useQuery({
    queryKey: ["export-cluster-spec", format, spec],
    queryFn: () => unwrap(commands.exportClusterSpec(spec, format)),
  });
  const save = useMutation({
    mutationFn: () => unwrap(format === "yaml" ? commands.saveClusterSpec(spec) : commands.saveClusterExport(spec, format)),
  });
  const pick = (f: ExportFormat) => {
    setFormat(f);
    save.reset();
  };
  return (
    <section className="panel export-view" data-testid="export-view">
      <div className="tabs" role="tablist" aria-label="Export format">
        {FORMATS.map((f) => (
          <button
            key={f.format}
            type="button"
            role="tab"
            aria-selected={f.format === format}
            className={f.format === format ? "tab active" : "tab"}
            data-testid={`export-tab-${f.format}`}
            onClick={() => pick(f.format)}
          >
            {f.label}
          </button>
        ))}
        <span className="tabs-spacer" />
        <button type="button" data-testid="export-copy" disabled={!text.data} onClick={() => text.data && copy(text.data)}>
          Copy
        </button>
        <button type="button" data-testid="export-save" disabled={save.isPending} onClick={() => save.mutate()}>
          {save.isPending ? "Saving…" : "Save"}
        </button>
      </div>
      <div className="export-status" aria-live="polite">
        {copyState === "copied" && <span className="muted">Copied.</span>}
        {copyState === "failed" && <span className="muted">Could not copy: select the text and copy it by hand.</span>}
        {save.data && (
          <span data-testid="export-saved">
            Saved to <code>{save.data.path}</code>
          </span>
        )}
      </div>
      {save.isError && <ErrorPanel error={toAppError(save.error)} />}
      {errorCount > 0 && (
        <p className="stale-note">
          The spec has {errorCount} error{errorCount === 1 ? "" : "s"}: this export shows it as it is, and AWS would refuse it.
        </p>
      )}
      {text.isPending && <p className="muted">Rendering…</p>}
      {text.isError && <ErrorPanel error={toAppError(text.error)} onRetry={() => void text.refetch()} />}
      {text.data !== undefined && (
        <pre className="export-text" data-testid="export-text">
          {text.data}
        </pre>
      )}
    </section>
  );
}
