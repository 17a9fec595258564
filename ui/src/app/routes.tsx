// Every screen's URL. Code-based routes over hash history (the app is
// served from a custom protocol, where only the part after # is the app's
// own); the tests use memory history. A cluster's URL names its connection
// by Rust's id, which the router encodes (it holds ':' and '/').
import {
  createRootRoute,
  createRoute,
  createRouter,
  Link,
  redirect,
  useNavigate,
  type RouterHistory,
} from "@tanstack/react-router";
import { Shell } from "./Shell";
import { useShell } from "./shellContext";
import { ClustersPage } from "../features/clusters/ClustersPage";
import { ClusterRoute } from "../features/connect/ClusterRoute";
import { connectionId, rememberOpened } from "../features/connect/openedClusters";
import { CreatePage } from "../features/create/CreatePage";
import { ComingSoon } from "../features/placeholder/ComingSoon";
import type { ClusterTab } from "../features/workloads/clusterScreen";
import { NodesTab, OverviewTab, PodsTab } from "../features/workloads/tabScreens";

function ClustersRoute() {
  const { environment, changeEnvironment } = useShell();
  const navigate = useNavigate();
  return (
    <ClustersPage
      environment={environment}
      onUseEmulator={() => changeEnvironment({ kind: "emulator", region: environment.region })}
      onCreate={() => void navigate({ to: "/create" })}
      onOpen={(target) => {
        const connection = connectionId(target);
        rememberOpened(connection, target);
        void navigate({ to: "/connect/$connection", params: { connection } });
      }}
    />
  );
}

function CreateRoute() {
  return <CreatePage environment={useShell().environment} />;
}

function NoSuchPage() {
  return (
    <div className="page" data-testid="no-such-page">
      <section className="panel empty">
        <h2>Nothing here</h2>
        <p className="muted">This address names no screen of EKS Desk.</p>
        <Link to="/clusters">Go to the clusters</Link>
      </section>
    </div>
  );
}

const rootRoute = createRootRoute({ component: Shell, notFoundComponent: NoSuchPage });

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
  beforeLoad: () => {
    throw redirect({ to: "/clusters", replace: true });
  },
});
const clustersRoute = createRoute({ getParentRoute: () => rootRoute, path: "clusters", component: ClustersRoute });
const createPageRoute = createRoute({ getParentRoute: () => rootRoute, path: "create", component: CreateRoute });
const accessRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "access",
  component: () => <ComingSoon page="Access" />,
});
const settingsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "settings",
  component: () => <ComingSoon page="Settings" />,
});

const clusterRoute = createRoute({ getParentRoute: () => rootRoute, path: "connect/$connection", component: ClusterRoute });
// The cluster's own URL is its first tab's.
const clusterIndexRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: "/",
  beforeLoad: ({ params }) => {
    throw redirect({ to: "/connect/$connection/overview", params, replace: true });
  },
});

const overviewRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: "overview",
  staticData: { tab: "overview" },
  component: OverviewTab,
});
const nodesRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: "nodes",
  staticData: { tab: "nodes" },
  component: NodesTab,
});
const podsRoute = createRoute({
  getParentRoute: () => clusterRoute,
  path: "pods",
  staticData: { tab: "pods" },
  component: PodsTab,
});
const routeTree = rootRoute.addChildren([
  indexRoute,
  clustersRoute,
  createPageRoute,
  accessRoute,
  settingsRoute,
  clusterRoute.addChildren([
    clusterIndexRoute,
    overviewRoute,
    nodesRoute,
    podsRoute,
  ]),
]);

export function createAppRouter(history: RouterHistory) {
  return createRouter({ routeTree, history });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
  interface StaticDataRouteOption {
    /** The cluster tab a screen belongs to. */
    tab?: ClusterTab;
  }
}
