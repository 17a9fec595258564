import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { commands } from "../bindings";
import { answerLive, answerShell, clusterPath, renderApp, renderCluster } from "../test/appFixtures";
import { cluster, clusterOverview, ok, renderWithClient } from "../test/fixtures";
import { CONNECTION, podRow, podWindow } from "../test/workloadsFixtures";
import { App } from "./App";

vi.mock("../bindings");
vi.mock("@tauri-apps/api/core", async () => ({ Channel: (await import("../test/runFixtures")).FakeChannel }));

const ENCODED = encodeURIComponent(CONNECTION);
let heights: MockInstance;

beforeEach(() => {
  vi.clearAllMocks();
  answerShell();
  answerLive();
  vi.mocked(commands.podsWindow).mockResolvedValue(ok(podWindow([podRow({ namespace: "prod", name: "web-1" })])));
  // The pods table's scroll box has a height, as on a screen (jsdom lays nothing out).
  heights = vi.spyOn(Element.prototype, "clientHeight", "get").mockImplementation(function (this: Element) {
    return this.getAttribute("data-testid") === "pods-scroll" ? 560 : 0;
  });
});

afterEach(() => heights.mockRestore());

describe("the app's URLs", () => {
  it("opens a cluster from its row at a URL holding its encoded connection id", async () => {
    vi.mocked(commands.listClusters).mockResolvedValue(ok([cluster({ name: "demo" })]));
    const { history } = renderApp("/clusters", { opened: false });
    await userEvent.setup().click(await screen.findByTestId("connect-demo"));
    expect(await screen.findByTestId("workloads")).toBeInTheDocument();
    // Its own URL is its first tab's.
    expect(history.location.pathname).toBe(`/connect/${ENCODED}/overview`);
    expect(ENCODED).toBe("eks%3Aeu-west-1%2Fdemo");
    expect(screen.getByTestId("tab-overview")).toHaveAttribute("aria-selected", "true");
    // The live view starts on the connection Rust named.
    await waitFor(() => expect(vi.mocked(commands.watchWorkloads).mock.calls[0]?.[0]).toBe(CONNECTION));
  });

  it("follows Rust's name for the connection when it is not the one the URL holds", async () => {
    const named = "eks:eu-west-1/demo@dev";
    vi.mocked(commands.connectCluster).mockResolvedValue(ok(clusterOverview({ connection: named })));
    const { history } = renderApp(clusterPath("nodes"));
    await waitFor(() => expect(history.location.pathname).toBe(`/connect/${encodeURIComponent(named)}/nodes`));
    expect(await screen.findByTestId("workloads")).toBeInTheDocument();
    expect(screen.getByTestId("tab-nodes")).toHaveAttribute("aria-selected", "true");
    await waitFor(() => expect(vi.mocked(commands.watchWorkloads)).toHaveBeenCalled());
    expect(vi.mocked(commands.watchWorkloads).mock.calls.every(([c]) => c === named)).toBe(true);
    // Replaced, not pushed: Back does not return to the old name.
    expect(history.length).toBe(1);
  });

  it("gives each tab its URL, so Back and Forward move between them", async () => {
    const user = userEvent.setup();
    const { history, back, forward } = await renderCluster();
    await user.click(screen.getByTestId("tab-nodes"));
    await user.click(screen.getByTestId("tab-pods"));
    expect(history.location.pathname).toBe(`/connect/${ENCODED}/pods`);
    back();
    await waitFor(() => expect(screen.getByTestId("tab-nodes")).toHaveAttribute("aria-selected", "true"));
    back();
    await waitFor(() => expect(screen.getByTestId("tab-overview")).toHaveAttribute("aria-selected", "true"));
    forward();
    await waitFor(() => expect(screen.getByTestId("tab-nodes")).toHaveAttribute("aria-selected", "true"));
    // The cluster stays connected across its tabs: one sign-in, one live view.
    expect(vi.mocked(commands.connectCluster)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(commands.watchWorkloads)).toHaveBeenCalledTimes(1);
  });

  it("asks before connecting a cluster this window has not opened, then connects with the selected profile", async () => {
    renderApp(clusterPath("nodes"), { opened: false });
    const prompt = await screen.findByTestId("connect-again");
    expect(prompt).toHaveTextContent("demo is not open");
    expect(prompt).toHaveTextContent("Connect again signs in with profile dev in eu-west-1.");
    expect(vi.mocked(commands.connectCluster)).not.toHaveBeenCalled();

    await userEvent.setup().click(within(prompt).getByRole("button", { name: "Connect again" }));
    expect(await screen.findByTestId("workloads")).toBeInTheDocument();
    expect(screen.getByTestId("tab-nodes")).toHaveAttribute("aria-selected", "true");
    expect(vi.mocked(commands.connectCluster)).toHaveBeenCalledExactlyOnceWith(
      { kind: "profile", profile: "dev", region: "eu-west-1" },
      { cluster: "demo" },
    );
  });

  it("offers only the way back for a URL that names no connection", async () => {
    const { history } = renderApp("/connect/nonsense/overview", { opened: false });
    const prompt = await screen.findByTestId("connect-again");
    expect(within(prompt).queryByRole("button", { name: "Connect again" })).not.toBeInTheDocument();
    await userEvent.setup().click(within(prompt).getByRole("button", { name: "Back to clusters" }));
    expect(await screen.findByTestId("clusters-page")).toBeInTheDocument();
    expect(history.location.pathname).toBe("/clusters");
  });

  it("reads the screen from the window's hash when no history is given", async () => {
    window.location.hash = "#/settings";
    try {
      renderWithClient(<App />);
      expect(await screen.findByTestId("coming-soon-settings")).toBeInTheDocument();
      expect(screen.getByTestId("nav-settings")).toHaveAttribute("aria-current", "page");
    } finally {
      window.location.hash = "";
    }
  });
});
