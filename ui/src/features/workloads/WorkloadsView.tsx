import { Outlet, useNavigate, useRouterState } from "@tanstack/react-router";
import { useEffect, useMemo, useRef, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { ClusterScreenContext, type ClusterTab } from "./clusterScreen";
import { LiveIndicator, isStale } from "./LiveIndicator";
import { useLiveState } from "./useLiveState";
import "./workloads.css";

const TABS: { tab: ClusterTab; label: string }[] = [
  { tab: "overview", label: "Overview" },
  { tab: "nodes", label: "Nodes" },
  { tab: "pods", label: "Pods" },
];

const TAB_PATH = {
  overview: "/connect/$connection/overview",
  nodes: "/connect/$connection/nodes",
  pods: "/connect/$connection/pods",
} as const;

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
 * What runs on an opened cluster, live: the tabs (each its own URL), the
 * live indicator and the screen the URL names, over the stores Rust keeps
 * for the connection.
 */
export function WorkloadsView({ connection }: { connection: string }) {
  const live = useLiveState(connection);
  const navigate = useNavigate();
  // Each screen's route says which tab it belongs to.
  const tab = useRouterState({
    select: (s) => s.matches[s.matches.length - 1]?.staticData.tab ?? "overview",
  });
  // Only the current screen is rendered, so one ref is its search box.
  const searchRef = useRef<HTMLInputElement>(null);
  const tabRefs = useRef<Partial<Record<ClusterTab, HTMLButtonElement | null>>>({});
  const screen = useMemo(() => ({ connection, live, searchRef }), [connection, live]);

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

  const open = (t: ClusterTab) => void navigate({ to: TAB_PATH[t], params: { connection } });

  // The tab list's arrow keys, as ARIA's tabs pattern has them.
  const arrows = (e: ReactKeyboardEvent) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    const at = TABS.findIndex((t) => t.tab === tab);
    const next = TABS[(at + step + TABS.length) % TABS.length].tab;
    open(next);
    tabRefs.current[next]?.focus();
  };

  const stale = isStale(live.state);
  return (
    <ClusterScreenContext.Provider value={screen}>
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
                onClick={() => open(t)}
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
          <Outlet />
        </div>
      </section>
    </ClusterScreenContext.Provider>
  );
}
