import { useId, type Ref } from "react";
import type { AppError } from "../../bindings";
import { escClears } from "./escClears";
import { NamespaceSelect } from "./NamespaceSelect";
import { PHASES, statusOf, statusValue, type PodFilters } from "./podFilters";

type Props = {
  connection: string;
  filters: PodFilters;
  onFilters: (change: (filters: PodFilters) => PodFilters) => void;
  /** The Labels field's error from Rust (an invalid selector). */
  labelsError: AppError | null;
  /** The search box, which `/` focuses. */
  searchRef: Ref<HTMLInputElement>;
};

/** The pods table's question: namespace, text, labels and status. */
export function PodFiltersBar({ connection, filters, onFilters, labelsError, searchRef }: Props) {
  const ids = useId();
  const set = (change: Partial<PodFilters>) => onFilters((f) => ({ ...f, ...change }));
  return (
    <div className="pod-filters">
      <NamespaceSelect
        connection={connection}
        value={filters.namespace}
        onChange={(namespace) => set({ namespace })}
        testId="pods-namespace"
      />
      <label className="field pod-filter-search">
        <span className="field-label">Search</span>
        <input
          type="text"
          ref={searchRef}
          data-testid="pods-search"
          placeholder="name, namespace, status, node, IP, owner  ( / )"
          value={filters.search}
          spellCheck={false}
          onChange={(e) => set({ search: e.target.value })}
          onKeyDown={escClears(filters.search, () => set({ search: "" }))}
        />
      </label>
      <div className="field pod-filter-labels">
        <label className="field-label" htmlFor={`${ids}-labels`}>
          Labels
        </label>
        <input
          id={`${ids}-labels`}
          type="text"
          data-testid="pods-labels"
          placeholder="app=web,tier!=db"
          value={filters.labels}
          spellCheck={false}
          aria-invalid={labelsError ? true : undefined}
          aria-describedby={labelsError ? `${ids}-labels-error` : undefined}
          onChange={(e) => set({ labels: e.target.value })}
          onKeyDown={escClears(filters.labels, () => set({ labels: "" }))}
        />
        {labelsError && (
          <p className="field-issue field-issue-error" id={`${ids}-labels-error`} data-testid="pods-labels-error" role="alert">
            {labelsError.message}
          </p>
        )}
      </div>
      <label className="field pod-filter-status">
        <span className="field-label">Status</span>
        <select
          data-testid="pods-status"
          value={statusValue(filters.status)}
          onChange={(e) => set({ status: statusOf(e.target.value) })}
        >
          <option value="all">All</option>
          <option value="problems">Problems</option>
          {PHASES.map((phase) => (
            <option key={phase} value={phase}>
              {phase[0].toUpperCase() + phase.slice(1)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
