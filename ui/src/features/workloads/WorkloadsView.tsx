import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { LiveIndicator, isStale } from "./LiveIndicator";
import { NodeMap } from "./NodeMap";
import { PodsTable } from "./PodsTable";
import { WorkloadsOverview } from "./WorkloadsOverview";
import { ALL_PODS, type PodFilters } from "./podFilters";
import { useLiveState } from "./useLiveState";
import "./workloads.css";

type Tab = "overview" | "nodes" | "pods";

const TABS: { tab: Tab; label: string }[] = [
  { tab: "overview", label: "Overview" },
  { tab: "nodes", label: "Nodes" },
  { tab: "pods", label: "Pods" },
];

/** Keys typed into a field are the field's, not shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLElement && target.isContentEditable)
  );
}

/**
 * What runs on an opened cluster, live: the overview's counts, the node map
 * and the pods table, over the stores Rust keeps for the connection.
 */
export function WorkloadsView({ connection }: { connection: string }) {
  const live = useLiveState(connection);
  const [tab, setTab] = useState<Tab>("overview");
  // Kept here, not in the tabs, so that a switch of tabs keeps what was asked.
  const [podFilters, setPodFilters] = useState<PodFilters>(ALL_PODS);
  const [nodeSearch, setNodeSearch] = useState("");
  // Only the current tab is rendered, so one ref is its search box.
  const searchRef = useRef<HTMLInputElement>(null);
  const tabRefs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});

  useEffect(() => {
    const slash = (e: KeyboardEvent) => {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (!searchRef.current) return;
      e.preventDefault();
      searchRef.current.focus();
    };
    document.addEventListener("keydown", slash);
    return () => document.removeEventListener("keydown", slash);
  }, []);

  // The tab list's arrow keys, as ARIA's tabs pattern has them.
  const arrows = (e: ReactKeyboardEvent) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    const at = TABS.findIndex((t) => t.tab === tab);
    const next = TABS[(at + step + TABS.length) % TABS.length].tab;
    setTab(next);
    tabRefs.current[next]?.focus();
  };

  const stale = isStale(live.state);
  const { started, state } = live;
  return (
    <section className="panel workloads" data-testid="workloads">
      <header className="workloads-head">
        <div role="tablist" aria-label="Cluster views" className="workloads-tabs" onKeyDown={arrows}>
          {TABS.map(({ tab: t, label }) => (
            <button
              key={t}
              type="button"
              role="tab"
              id={`workloads-tab-${t}`}
              ref={(el) => {
                tabRefs.current[t] = el;
              }}
              data-testid={`tab-${t}`}
              aria-selected={tab === t}
              aria-controls="workloads-panel"
              tabIndex={tab === t ? 0 : -1}
              onClick={() => setTab(t)}
            >
              {label}
            </button>
          ))}
        </div>
        <LiveIndicator live={live} />
      </header>
      <div
        role="tabpanel"
        id="workloads-panel"
        aria-labelledby={`workloads-tab-${tab}`}
        className={stale ? "workloads-panel workloads-stale" : "workloads-panel"}
        data-stale={stale || undefined}
      >
        {tab === "overview" && (
          <WorkloadsOverview
            connection={connection}
            started={started}
            state={state}
            onShowProblems={() => {
              setPodFilters((f) => ({ ...f, status: { kind: "problems" } }));
              setTab("pods");
            }}
          />
        )}
        {tab === "nodes" && (
          <NodeMap
            connection={connection}
            started={started}
            state={state}
            search={nodeSearch}
            onSearch={setNodeSearch}
            searchRef={searchRef}
          />
        )}
        {tab === "pods" && (
          <PodsTable
            connection={connection}
            started={started}
            pods={state?.pods}
            filters={podFilters}
            onFilters={setPodFilters}
            searchRef={searchRef}
          />
        )}
      </div>
    </section>
  );
}
