import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { answerShell, renderCluster } from "../../test/appFixtures";
import { commands } from "../../bindings";
import { ok } from "../../test/fixtures";
import { CONNECTION, heldWatch, kind, liveState, manyPods, overview, podStates } from "../../test/workloadsFixtures";

// Every command mocked: the cluster is opened through the app's routes and shell.
vi.mock("../../bindings");
vi.mock("@tauri-apps/api/core", async () => ({ Channel: (await import("../../test/runFixtures")).FakeChannel }));

const workloadsOverview = vi.mocked(commands.workloadsOverview);
let watch: ReturnType<typeof heldWatch>;

beforeEach(() => {
  answerShell();
  workloadsOverview.mockReset().mockResolvedValue(ok(overview()));
  vi.mocked(commands.stopWorkloads).mockReset().mockResolvedValue(ok(null));
  vi.mocked(commands.podsWindow).mockReset().mockImplementation(manyPods(3));
  watch = heldWatch();
  vi.mocked(commands.watchWorkloads).mockReset().mockImplementation(watch.command);
});

function entries(testId: string): [string, string][] {
  return Array.from(screen.getByTestId(testId).querySelectorAll(":scope > div")).map((d) => [
    d.querySelector("dt")?.textContent ?? "",
    d.querySelector("dd")?.textContent ?? "",
  ]);
}

describe("the overview", () => {
  it("shows Rust's counts: nodes ready, pods by phase, problems, restarts and placements", async () => {
    await renderCluster();
    await watch.send(liveState());
    const view = await screen.findByTestId("workloads-overview");
    expect(workloadsOverview).toHaveBeenCalledWith(CONNECTION);
    expect(within(view).getByTestId("overview-nodes")).toHaveTextContent("2 / 3");
    expect(within(view).getByTestId("overview-pods")).toHaveTextContent(/^48$/);
    expect(within(view).getByTestId("overview-problems")).toHaveTextContent(/^3$/);
    expect(within(view).getByTestId("overview-restarts")).toHaveTextContent(/^17$/);
    expect(entries("overview-phases")).toEqual([
      ["Running", "40"],
      ["Pending", "2"],
      ["Succeeded", "5"],
      ["Failed", "1"],
      ["Unknown", "0"],
    ]);
    expect(entries("overview-by-node-group")).toEqual([
      ["ng-general", "2"],
      ["ng-spot", "1"],
    ]);
    expect(entries("overview-by-zone")).toEqual([
      ["eu-west-1a", "2"],
      ["eu-west-1b", "1"],
    ]);
    expect(entries("overview-by-capacity-type")).toEqual([
      ["ON_DEMAND", "2"],
      ["SPOT", "1"],
    ]);
  });

  it("counts again when the stores change", async () => {
    await renderCluster();
    await watch.send(liveState());
    expect(await screen.findByTestId("overview-nodes")).toHaveTextContent("2 / 3");
    workloadsOverview.mockResolvedValue(ok(overview({ nodes: 4, nodesReady: 4 })));
    await watch.send(liveState({ nodes: kind({ state: "live" }, 2) }));
    await waitFor(() => expect(screen.getByTestId("overview-nodes")).toHaveTextContent("4 / 4"));
    expect(workloadsOverview).toHaveBeenCalledTimes(2);
  });

  it("Show them opens the pods table on the pods with problems", async () => {
    workloadsOverview.mockResolvedValue(ok(overview({ pods: podStates({ running: 3, problems: 2 }) })));
    const user = userEvent.setup();
    await renderCluster();
    await watch.send(liveState());
    await user.click(await screen.findByRole("button", { name: "Show them" }));
    expect(screen.getByTestId("tab-pods")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("pods-status")).toHaveValue("problems");
    await waitFor(() =>
      expect(vi.mocked(commands.podsWindow)).toHaveBeenLastCalledWith(
        CONNECTION,
        expect.objectContaining({ status: { kind: "problems" } }),
      ),
    );
  });
});
