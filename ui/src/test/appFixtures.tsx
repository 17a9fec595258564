// Test-only helpers for screens reached through the router: the shell's
// commands answering as for profile dev in eu-west-1, the demo cluster
// opened in this window, and the app rendered at a URL over memory history
// (whose back and forward the test drives).
import { createMemoryHistory } from "@tanstack/react-router";
import { act, screen } from "@testing-library/react";
import { StrictMode } from "react";
import { vi } from "vitest";
import { commands, type Environment } from "../bindings";
import { App } from "../app/App";
import type { ConnectTarget } from "../features/connect/connectTarget";
import { rememberOpened } from "../features/connect/openedClusters";
import { choices, clusterOverview, noKubeContexts, ok, renderWithClient } from "./fixtures";
import { CONNECTION, overview } from "./workloadsFixtures";

export const PROFILE: Environment = { kind: "profile", profile: "dev", region: "eu-west-1" };
export const DEMO: ConnectTarget = { kind: "eks", environment: PROFILE, cluster: "demo" };

/**
 * What the shell and an opened cluster ask for, answered; needs the test
 * file to mock ../bindings (vi.mock of the module, without a factory, mocks
 * every command).
 */
export function answerShell() {
  vi.mocked(commands.environmentChoices).mockResolvedValue(ok(choices()));
  vi.mocked(commands.callerIdentity).mockResolvedValue(
    ok({ account: "111122223333", arn: "arn:aws:iam::111122223333:role/dev", userId: "AIDA", isRoot: false }),
  );
  vi.mocked(commands.unfinishedRuns).mockResolvedValue(ok({ runs: [], unreadable: [] }));
  vi.mocked(commands.listClusters).mockResolvedValue(ok([]));
  vi.mocked(commands.kubeContexts).mockResolvedValue(ok(noKubeContexts()));
  vi.mocked(commands.connectCluster).mockResolvedValue(ok(clusterOverview({ connection: CONNECTION })));
  vi.mocked(commands.listNamespaces).mockResolvedValue(
    ok([
      { name: "default", terminating: false },
      { name: "kube-system", terminating: false },
      { name: "prod", terminating: false },
    ]),
  );
}

/** The live view's commands answered: a watch that sends nothing, and the overview's counts. */
export function answerLive() {
  vi.mocked(commands.watchWorkloads).mockResolvedValue(ok(null));
  vi.mocked(commands.stopWorkloads).mockResolvedValue(ok(null));
  vi.mocked(commands.workloadsOverview).mockResolvedValue(ok(overview()));
}

/** A path under the demo cluster's URL: `clusterPath("pods", "default", "web")`. */
export function clusterPath(...rest: string[]): string {
  return [`/connect/${encodeURIComponent(CONNECTION)}`, ...rest.map(encodeURIComponent)].join("/");
}

/** The app at `path`, with the demo cluster opened in this window unless `opened` is false. */
export function renderApp(path: string, { opened = true, strict = false }: { opened?: boolean; strict?: boolean } = {}) {
  if (opened) rememberOpened(CONNECTION, DEMO);
  const history = createMemoryHistory({ initialEntries: [path] });
  const app = <App history={history} />;
  const utils = renderWithClient(strict ? <StrictMode>{app}</StrictMode> : app);
  return {
    ...utils,
    history,
    back: () => act(() => history.back()),
    forward: () => act(() => history.forward()),
  };
}

/** The demo cluster opened on one of its tabs, once its tabs are shown. */
export async function renderCluster(tab = "overview", options: { strict?: boolean } = {}) {
  const rendered = renderApp(clusterPath(tab), options);
  await screen.findByTestId("workloads");
  return rendered;
}
