import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type ChangeEvent } from "react";
import { commands } from "../../bindings";
import { toAppError, unwrap } from "../../app/ipc";
import type { Spec } from "./spec";

type Props = {
  spec: Spec;
  /** Region of the selected environment, for "New spec". */
  region: string;
  onLoad: (spec: Spec) => void;
};

const SAVED_KEY = ["saved-cluster-specs"];

/** Import a YAML file, save the spec, open one saved earlier, or start over. */
export function SpecFileBar({ spec, region, onLoad }: Props) {
  const client = useQueryClient();
  const [picked, setPicked] = useState("");
  const saved = useQuery({ queryKey: SAVED_KEY, queryFn: () => unwrap(commands.savedClusterSpecs()) });
  const importYaml = useMutation({
    mutationFn: async (file: File) => unwrap(commands.parseClusterSpec(await file.text())),
    onSuccess: (loadedSpec) => onLoad(loadedSpec),
  });
  const save = useMutation({
    mutationFn: () => unwrap(commands.saveClusterSpec(spec)),
    onSuccess: () => void client.invalidateQueries({ queryKey: SAVED_KEY }),
  });
  // A spec opened another way makes an old import error moot.
  const loaded = (next: Spec) => {
    importYaml.reset();
    onLoad(next);
  };
  const open = useMutation({ mutationFn: (name: string) => unwrap(commands.loadClusterSpec(name)), onSuccess: loaded });
  const fresh = useMutation({ mutationFn: () => commands.newClusterSpec(region), onSuccess: loaded });

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    // Picking the same file again must work too.
    e.target.value = "";
    if (file) importYaml.mutate(file);
  };
  const failure = [importYaml, save, open, fresh].find((m) => m.isError)?.error;
  return (
    <div className="spec-file-bar" data-testid="spec-file-bar">
      <label className="file-button">
        Import YAML…
        <input type="file" accept=".yaml,.yml,text/yaml,application/yaml" data-testid="import-yaml" onChange={onFile} />
      </label>
      <button type="button" data-testid="save-spec" disabled={save.isPending} onClick={() => save.mutate()}>
        Save spec
      </button>
      <select aria-label="Saved specs" data-testid="saved-specs" value={picked} onChange={(e) => setPicked(e.target.value)}>
        <option value="">{saved.isError ? "Saved specs unreadable" : saved.data?.length ? "Saved specs…" : "No saved specs"}</option>
        {saved.data?.map((f) => (
          <option key={f.path} value={f.name} title={f.path}>
            {f.name}
          </option>
        ))}
      </select>
      <button type="button" data-testid="open-spec" disabled={picked === "" || open.isPending} onClick={() => open.mutate(picked)}>
        Open
      </button>
      <button type="button" data-testid="new-spec" onClick={() => fresh.mutate()} title={`Start again from the seed in ${region}`}>
        New spec
      </button>
      {save.data && !save.isError && (
        <span className="muted" data-testid="spec-saved">
          Saved to <code>{save.data.path}</code>
        </span>
      )}
      {importYaml.isError && (
        <p className="field-issue field-issue-error import-error" data-testid="import-error" role="alert">
          Could not import: {toAppError(importYaml.error).message}
        </p>
      )}
      {saved.isError && (
        <p className="field-issue field-issue-error" data-testid="saved-specs-error" role="alert">
          Could not list the saved specs: {toAppError(saved.error).message}
        </p>
      )}
      {failure && failure !== importYaml.error && (
        <p className="field-issue field-issue-error" role="alert">
          {toAppError(failure).message}
        </p>
      )}
    </div>
  );
}
