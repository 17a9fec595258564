import { useQuery } from "@tanstack/react-query";
import { commands } from "../../bindings";
import { toAppError, unwrap } from "../../app/ipc";
import { visible } from "./visibleText";

/** Namespaces come and go rarely: the list is asked for again at most this often. */
const NAMESPACES_STALE_MS = 30_000;

type Props = {
  connection: string;
  /** Empty: all namespaces. */
  value: string;
  onChange: (namespace: string) => void;
  testId: string;
};

export function useNamespaces(connection: string) {
  return useQuery({
    queryKey: ["namespaces", connection],
    queryFn: () => unwrap(commands.listNamespaces(connection)),
    staleTime: NAMESPACES_STALE_MS,
    retry: false,
  });
}

/**
 * A namespace from the cluster's list, or all of them: no free text, so a
 * typo cannot quietly show an empty table. The chosen namespace stays an
 * option while the list loads or after it is gone from the cluster.
 */
export function NamespaceSelect({ connection, value, onChange, testId }: Props) {
  const namespaces = useNamespaces(connection);
  const rows = namespaces.data ?? [];
  const missing = value !== "" && !rows.some((n) => n.name === value);
  return (
    <label className="field namespace-select">
      <span className="field-label">Namespace</span>
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All namespaces</option>
        {missing && <option value={value}>{visible(value)}</option>}
        {rows.map((n) => (
          <option key={n.name} value={n.name}>
            {visible(n.name)}
            {n.terminating ? " (terminating)" : ""}
          </option>
        ))}
      </select>
      {namespaces.error && (
        <span className="field-hint" data-testid={`${testId}-error`}>
          Namespaces not listed: {toAppError(namespaces.error).message}
        </span>
      )}
    </label>
  );
}
