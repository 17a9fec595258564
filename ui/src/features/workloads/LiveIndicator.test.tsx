import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { answerShell, renderCluster } from "../../test/appFixtures";
import { commands } from "../../bindings";
import { err } from "../../test/fixtures";
import { CONNECTION, heldWatch, kind, liveState, overview } from "../../test/workloadsFixtures";
import { ok } from "../../test/fixtures";

// Every command mocked: the cluster is opened through the app's routes and shell.
vi.mock("../../bindings");
vi.mock("@tauri-apps/api/core", async () => ({ Channel: (await import("../../test/runFixtures")).FakeChannel }));

const watchWorkloads = vi.mocked(commands.watchWorkloads);
const stopWorkloads = vi.mocked(commands.stopWorkloads);

let watch: ReturnType<typeof heldWatch>;

beforeEach(() => {
  answerShell();
  vi.mocked(commands.workloadsOverview).mockReset().mockResolvedValue(ok(overview()));
  stopWorkloads.mockReset().mockResolvedValue(ok(null));
  watch = heldWatch();
  watchWorkloads.mockReset().mockImplementation(watch.command);
});

describe("the live indicator", () => {
  it("follows the connection states Rust sends over the channel", async () => {
    await renderCluster();
    const indicator = screen.getByTestId("live-indicator");
    expect(indicator).toHaveAttribute("data-state", "connecting");
    expect(indicator).toHaveTextContent("Connecting…");
    await waitFor(() => expect(watchWorkloads).toHaveBeenCalledTimes(1));
    expect(watchWorkloads.mock.calls[0][0]).toBe(CONNECTION);

    await watch.send(liveState());
    expect(indicator).toHaveAttribute("data-state", "live");
    expect(indicator).toHaveTextContent(/^Live$/);
    expect(screen.getByRole("tabpanel")).not.toHaveAttribute("data-stale");

    const since = "2024-05-01T10:15:30Z";
    const broken = { state: "reconnecting" as const, since, reason: "watch stream ended: connection reset" };
    await watch.send(liveState({ pods: kind(broken), nodes: kind(broken) }));
    expect(indicator).toHaveAttribute("data-state", "reconnecting");
    expect(indicator).toHaveTextContent(`Reconnecting — data as of ${new Date(since).toLocaleTimeString()}`);
    expect(indicator).toHaveAttribute("title", "watch stream ended: connection reset");
    // The rows shown are those of `since`: the data is greyed as stale.
    expect(screen.getByRole("tabpanel")).toHaveAttribute("data-stale", "true");

    const denied = { state: "forbidden" as const, message: 'pods is forbidden: User "alice" cannot list resource "pods"' };
    await watch.send(liveState({ pods: kind(denied), nodes: kind(denied) }));
    expect(indicator).toHaveAttribute("data-state", "forbidden");
    expect(indicator).toHaveTextContent(`Forbidden: ${denied.message}`);
    expect(screen.getByRole("tabpanel")).not.toHaveAttribute("data-stale");

    await watch.send(liveState());
    expect(indicator).toHaveAttribute("data-state", "live");
  });

  it("says how pods and nodes are doing apiece when they differ, and takes the worse as its state", async () => {
    await renderCluster();
    const message = 'nodes is forbidden: User "alice" cannot list resource "nodes" at the cluster scope';
    await watch.send(liveState({ pods: kind({ state: "live" }), nodes: kind({ state: "forbidden", message }) }));
    const indicator = screen.getByTestId("live-indicator");
    expect(indicator).toHaveAttribute("data-state", "forbidden");
    expect(within(indicator).getByTestId("live-pods")).toHaveTextContent("Pods: Live");
    expect(within(indicator).getByTestId("live-nodes")).toHaveTextContent(`Nodes: Forbidden: ${message}`);

    await watch.send(liveState({ pods: kind({ state: "connecting" }), nodes: kind({ state: "live" }) }));
    expect(indicator).toHaveAttribute("data-state", "connecting");
    expect(within(indicator).getByTestId("live-pods")).toHaveTextContent("Pods: Connecting…");
    expect(within(indicator).getByTestId("live-nodes")).toHaveTextContent("Nodes: Live");
  });

  it("says the view is not live when the watch cannot start", async () => {
    watchWorkloads.mockResolvedValue(err("invalid_input", "eks:eu-west-1/demo is not open: connect to it first"));
    await renderCluster();
    const indicator = screen.getByTestId("live-indicator");
    await waitFor(() => expect(indicator).toHaveAttribute("data-state", "error"));
    expect(indicator).toHaveTextContent("Not live: eks:eu-west-1/demo is not open: connect to it first");
  });

  it("stops the live view when the cluster view goes away", async () => {
    const { unmount } = await renderCluster();
    await watch.send(liveState());
    expect(stopWorkloads).not.toHaveBeenCalled();
    unmount();
    await waitFor(() => expect(stopWorkloads).toHaveBeenCalledExactlyOnceWith(CONNECTION));
  });
});
