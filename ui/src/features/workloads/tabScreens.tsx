// The Overview, Nodes and Pods tabs as routes: each takes the cluster's
// live state from its layout and its question from the kept filters.
import { useNavigate } from "@tanstack/react-router";
import { useClusterScreen } from "./clusterScreen";
import { useKeptFilters } from "./keptFilters";
import { NodeMap } from "./NodeMap";
import { PodsTable } from "./PodsTable";
import { WorkloadsOverview } from "./WorkloadsOverview";

export function OverviewTab() {
  const { connection, live } = useClusterScreen();
  const [, setPodFilters] = useKeptFilters(connection, "pods");
  const navigate = useNavigate();
  return (
    <WorkloadsOverview
      connection={connection}
      started={live.started}
      state={live.state}
      onShowProblems={() => {
        setPodFilters((f) => ({ ...f, status: { kind: "problems" } }));
        void navigate({ to: "/connect/$connection/pods", params: { connection } });
      }}
    />
  );
}

export function NodesTab() {
  const { connection, live, searchRef } = useClusterScreen();
  const [search, setSearch] = useKeptFilters(connection, "nodeSearch");
  return (
    <NodeMap
      connection={connection}
      started={live.started}
      state={live.state}
      search={search}
      onSearch={(s) => setSearch(() => s)}
      searchRef={searchRef}
    />
  );
}

export function PodsTab() {
  const { connection, live, searchRef } = useClusterScreen();
  const [filters, setFilters] = useKeptFilters(connection, "pods");
  return (
    <PodsTable
      connection={connection}
      started={live.started}
      pods={live.state?.pods}
      filters={filters}
      onFilters={setFilters}
      searchRef={searchRef}
    />
  );
}
