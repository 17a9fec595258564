import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type Environment } from "../bindings";
import { toAppError, unwrap } from "./ipc";
import { ClustersPage } from "../features/clusters/ClustersPage";
import { ClusterView } from "../features/connect/ClusterView";
import { connectKey, type ConnectTarget } from "../features/connect/connectTarget";
import { CreatePage } from "../features/create/CreatePage";
import { CallerIdentityBadge } from "../features/environment/CallerIdentityBadge";
import { EmulatorBanner } from "../features/environment/EmulatorBanner";
import { EnvironmentProvider } from "../features/environment/EnvironmentContext";
import { EnvironmentPicker } from "../features/environment/EnvironmentPicker";
import { ErrorPanel } from "../features/errors/ErrorPanel";
import { ComingSoon } from "../features/placeholder/ComingSoon";
import { UnfinishedBanner } from "../features/runs/UnfinishedBanner";

const PAGES = ["Clusters", "Create", "Access", "Settings"] as const;
type Page = (typeof PAGES)[number];

export function App() {
  const choices = useQuery({
    queryKey: ["environment-choices"],
    queryFn: () => unwrap(commands.environmentChoices()),
    staleTime: Infinity,
  });
  const [selected, setSelected] = useState<Environment | null>(null);
  const [page, setPage] = useState<Page>("Clusters");
  // The cluster or context open in the Clusters page, if any. Going to a
  // page from the sidebar, or to another environment, shows the list again.
  const [opened, setOpened] = useState<ConnectTarget | null>(null);
  const go = (p: Page) => {
    setPage(p);
    setOpened(null);
  };
  const changeEnvironment = (e: Environment) => {
    setSelected(e);
    setOpened(null);
  };

  if (choices.isPending) return <div className="boot muted">Starting EKS Desk…</div>;
  if (choices.isError) return <ErrorPanel error={toAppError(choices.error)} onRetry={() => void choices.refetch()} />;

  const environment = selected ?? choices.data.initial;
  const useEmulator = () => changeEnvironment({ kind: "emulator", region: environment.region });

  return (
    <EnvironmentProvider value={{ environment, choices: choices.data }}>
      <div className="shell">
        <nav className="sidebar" aria-label="Main">
          <div className="brand">EKS Desk</div>
          {PAGES.map((p) => (
            <button
              key={p}
              type="button"
              className={p === page ? "nav-item active" : "nav-item"}
              aria-current={p === page ? "page" : undefined}
              data-testid={`nav-${p.toLowerCase()}`}
              onClick={() => go(p)}
            >
              {p}
            </button>
          ))}
        </nav>
        <div className="main">
          <header className="topbar">
            <EnvironmentPicker choices={choices.data} value={environment} onChange={changeEnvironment} />
            <CallerIdentityBadge environment={environment} />
          </header>
          {environment.kind === "emulator" && (
            <EmulatorBanner endpoint={choices.data.emulatorEndpoint} hasCredentials={choices.data.hasCredentials} />
          )}
          <UnfinishedBanner environment={environment} onShowRun={() => go("Create")} />
          {page === "Clusters" && opened ? (
            <ClusterView
              key={connectKey(opened).join("/")}
              target={opened}
              onBack={() => setOpened(null)}
              onOpenAccess={() => go("Access")}
            />
          ) : page === "Clusters" ? (
            <ClustersPage
              environment={environment}
              onUseEmulator={useEmulator}
              onCreate={() => go("Create")}
              onOpen={setOpened}
            />
          ) : page === "Create" ? (
            <CreatePage environment={environment} />
          ) : (
            <ComingSoon page={page} />
          )}
        </div>
      </div>
    </EnvironmentProvider>
  );
}
