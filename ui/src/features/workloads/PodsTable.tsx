// The pods table. Rust keeps every pod; this asks for the window of rows in
// view plus a margin (podsWindow), again when the store's version moves or
// the user scrolls, sorts or filters, and renders only the rows in view.
// The scroll height is `matching` rows, so the scrollbar is the whole list.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, useState, type Ref } from "react";
import { commands, type KindState, type PodColumn, type PodQuery_Deserialize } from "../../bindings";
import { unwrap } from "../../app/ipc";
import { useDebouncedValue } from "../create/useDebouncedValue";
import { useNow } from "../runs/useNow";
import { PodFiltersBar } from "./PodFiltersBar";
import { PodRowView } from "./PodRowView";
import { sortedBy, type PodFilters } from "./podFilters";
import { useNewest } from "./useNewest";
import { useThrottled } from "./useThrottled";

export const ROW_HEIGHT = 28;
/** Windows start and end on multiples of this, so scrolling a few rows asks nothing. */
const BLOCK = 50;
/** Rows asked for above and below those in view. */
const MARGIN = 50;
/** Rust's largest window. */
const MAX_WINDOW = 1000;
/** A new store version asks again at most this often. */
const VERSION_EVERY_MS = 300;
const TYPING_MS = 200;

const COLUMNS: { column: PodColumn; label: string }[] = [
  { column: "namespace", label: "Namespace" },
  { column: "name", label: "Name" },
  { column: "ready", label: "Ready" },
  { column: "status", label: "Status" },
  { column: "restarts", label: "Restarts" },
  { column: "age", label: "Age" },
  { column: "node", label: "Node" },
  { column: "ip", label: "IP" },
  { column: "owner", label: "Owner" },
];

type Props = {
  connection: string;
  /** Rust holds the stores: windows may be asked for. */
  started: boolean;
  /** The pods watch, from the LiveState. */
  pods: KindState | undefined;
  filters: PodFilters;
  onFilters: (change: (filters: PodFilters) => PodFilters) => void;
  searchRef: Ref<HTMLInputElement>;
};

type InView = { first: number; last: number };

type WindowRequest = { query: PodQuery_Deserialize; version: number };

export function PodsTable({ connection, started, pods, filters, onFilters, searchRef }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [inView, setInView] = useState<InView>({ first: 0, last: 0 });
  const now = useNow(true, 10_000);
  // Picked from a list, so there is no typing to wait for.
  const namespace = filters.namespace;
  const search = useDebouncedValue(filters.search, TYPING_MS);
  const labels = useDebouncedValue(filters.labels, TYPING_MS);
  const version = useThrottled(pods?.version ?? 0, VERSION_EVERY_MS);

  const start = Math.max(0, Math.floor((inView.first - MARGIN) / BLOCK) * BLOCK);
  const end = Math.max(start + 2 * BLOCK, Math.ceil((inView.last + 1 + MARGIN) / BLOCK) * BLOCK);
  const question = {
    namespace: namespace === "" ? null : namespace,
    search,
    labels,
    status: filters.status,
    sort: filters.sort,
    descending: filters.descending,
  };
  const request: WindowRequest | null = started
    ? { query: { ...question, offset: start, limit: Math.min(MAX_WINDOW, end - start) }, version }
    : null;
  const fetchWindow = useCallback(
    (r: WindowRequest) => unwrap(commands.podsWindow(connection, r.query)),
    [connection],
  );
  const answer = useNewest(request, fetchWindow);
  const shown = answer.data;
  const matching = shown?.matching ?? 0;

  const virtualizer = useVirtualizer({
    count: matching,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    onChange: (v) => {
      const offset = v.scrollOffset ?? 0;
      const height = v.scrollRect?.height ?? 0;
      const next = { first: Math.floor(offset / ROW_HEIGHT), last: Math.floor((offset + height) / ROW_HEIGHT) };
      setInView((seen) => (seen.first === next.first && seen.last === next.last ? seen : next));
    },
  });

  // Another question is another list: start it from its top.
  const questionKey = JSON.stringify(question);
  const askedBefore = useRef(questionKey);
  useEffect(() => {
    if (askedBefore.current === questionKey) return;
    askedBefore.current = questionKey;
    virtualizer.scrollToOffset(0);
  }, [questionKey, virtualizer]);

  const labelsError = answer.error?.field === "labels" ? answer.error : null;
  const otherError = answer.error && !labelsError ? answer.error : null;
  const forbidden = pods?.connection.state === "forbidden" ? pods.connection.message : null;

  return (
    <div className="pods-view">
      <div className="pods-toolbar">
        <PodFiltersBar connection={connection} filters={filters} onFilters={onFilters} labelsError={labelsError} searchRef={searchRef} />
        <span className="pods-count muted" data-testid="pods-count">
          {shown ? `${shown.matching.toLocaleString()} of ${shown.total.toLocaleString()} pods` : "…"}
        </span>
      </div>
      {otherError && (
        <p className="field-issue field-issue-error" role="alert" data-testid="pods-error">
          {otherError.message}
        </p>
      )}
      <div className="pods-table" data-testid="pods-table" role="table" aria-label="Pods" aria-rowcount={matching + 1}>
        <div role="rowgroup" className="pods-head">
          <div role="row" className="pod-grid" aria-rowindex={1}>
            {COLUMNS.map(({ column, label }) => {
              const sorted = filters.sort === column;
              return (
                <div
                  key={column}
                  role="columnheader"
                  aria-sort={sorted ? (filters.descending ? "descending" : "ascending") : "none"}
                >
                  <button
                    type="button"
                    className="pods-sort"
                    data-testid={`sort-${column}`}
                    onClick={() => onFilters((f) => sortedBy(f, column))}
                  >
                    {label}
                    {sorted && <span aria-hidden="true">{filters.descending ? " ▼" : " ▲"}</span>}
                  </button>
                </div>
              );
            })}
          </div>
        </div>
        <div ref={scrollRef} className="pods-scroll" data-testid="pods-scroll" role="rowgroup">
          <div className="pods-inner" data-testid="pods-inner" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const at = shown ? item.index - shown.offset : -1;
              const row = shown && at >= 0 && at < shown.rows.length ? shown.rows[at] : null;
              return (
                <PodRowView
                  key={row?.uid || `at-${item.index}`}
                  row={row}
                  index={item.index}
                  top={item.start}
                  height={ROW_HEIGHT}
                  now={now}
                />
              );
            })}
          </div>
          {shown && matching === 0 && (
            <p className="pods-empty muted" data-testid="pods-empty">
              {forbidden ? `Kubernetes does not let you list pods: ${forbidden}` : "No pods match."}
            </p>
          )}
          {!shown && !answer.error && (
            <p className="pods-empty muted" data-testid="pods-loading">
              Loading pods…
            </p>
          )}
        </div>
      </div>
    </div>
  );
}
