import { Outlet, useNavigate, useRouterState } from "@tanstack/react-router";
import { useContext, useMemo, useState } from "react";
import type { Environment } from "../bindings";
import { ChoicesContext, ShellContext } from "./shellContext";
import { CallerIdentityBadge } from "../features/environment/CallerIdentityBadge";
import { EmulatorBanner } from "../features/environment/EmulatorBanner";
import { EnvironmentProvider } from "../features/environment/EnvironmentContext";
import { EnvironmentPicker } from "../features/environment/EnvironmentPicker";
import { UnfinishedBanner } from "../features/runs/UnfinishedBanner";

const PAGES = [
  { page: "Clusters", path: "/clusters" },
  { page: "Create", path: "/create" },
  { page: "Access", path: "/access" },
  { page: "Settings", path: "/settings" },
] as const;

/** The sidebar's page for a path: an opened cluster belongs to Clusters. */
function pageOf(pathname: string): string | undefined {
  if (pathname.startsWith("/connect/")) return "Clusters";
  return PAGES.find((p) => pathname === p.path || pathname.startsWith(`${p.path}/`))?.page;
}

/** The window around every page: sidebar, environment picker, banners. */
export function Shell() {
  const choices = useContext(ChoicesContext);
  const [selected, setSelected] = useState<Environment | null>(null);
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const current = pageOf(pathname);

  const environment = selected ?? choices?.initial;
  const shell = useMemo(
    () =>
      environment && {
        environment,
        changeEnvironment: (next: Environment) => {
          setSelected(next);
          // An EKS cluster belongs to the environment it was listed in: in
          // another one, the list is what makes sense.
          if (pathname.startsWith("/connect/")) void navigate({ to: "/clusters" });
        },
      },
    [environment, pathname, navigate],
  );

  if (!choices || !environment || !shell) return null;

  return (
    <ShellContext.Provider value={shell}>
      <EnvironmentProvider value={{ environment, choices }}>
        <div className="shell">
          <nav className="sidebar" aria-label="Main">
            <div className="brand">EKS Desk</div>
            {PAGES.map(({ page, path }) => (
              <button
                key={page}
                type="button"
                className={page === current ? "nav-item active" : "nav-item"}
                aria-current={page === current ? "page" : undefined}
                data-testid={`nav-${page.toLowerCase()}`}
                onClick={() => void navigate({ to: path })}
              >
                {page}
              </button>
            ))}
          </nav>
          <div className="main">
            <header className="topbar">
              <EnvironmentPicker choices={choices} value={environment} onChange={shell.changeEnvironment} />
              <CallerIdentityBadge environment={environment} />
            </header>
            {environment.kind === "emulator" && (
              <EmulatorBanner endpoint={choices.emulatorEndpoint} hasCredentials={choices.hasCredentials} />
            )}
            <UnfinishedBanner environment={environment} onShowRun={() => void navigate({ to: "/create" })} />
            <Outlet />
          </div>
        </div>
      </EnvironmentProvider>
    </ShellContext.Provider>
  );
}
