import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ok } from "../../../test/fixtures";
import { stubReactFlowBrowser } from "../../../test/reactFlowStubs";
import { heldRun, progress } from "../../../test/runFixtures";
import { planResult, seedSpec, specCheck, step } from "../../../test/specFixtures";
import { EMULATOR, mocked, renderCreatePage, resetCreateMocks } from "../createTestSetup";

vi.mock("../../../bindings", async () => (await import("../createCommandsMock")).mockCreateCommands());
vi.mock("@tauri-apps/api/core", async () => ({ Channel: (await import("../../../test/runFixtures")).FakeChannel }));

beforeAll(stubReactFlowBrowser);
beforeEach(() => resetCreateMocks());

const STEPS = [
  step({ id: "vpc/main", kind: "vpc", name: "10.0.0.0/16" }),
  step({ id: "role/cluster", kind: "iam_role", name: "AmazonEKSClusterRole-my-eks" }),
  step({ id: "cluster/my-eks", kind: "cluster", name: "my-eks", dependsOn: ["vpc/main", "role/cluster"] }),
];

/** The Create page with STEPS planned; the account id known, as the identity badge would have made it. */
async function planned(steps = STEPS, applyBlockedBy: string | null = null) {
  const user = userEvent.setup();
  mocked.planClusterSpec.mockResolvedValue(ok(planResult(steps, applyBlockedBy)));
  const { client } = await renderCreatePage();
  client.setQueryData(["identity", "emulator", "ap-northeast-2"], { account: "000000000000", arn: "", userId: "", isRoot: false });
  await user.click(screen.getByTestId("plan-button"));
  await screen.findByTestId("plan-list");
  return user;
}

function stateOf(container: HTMLElement, id: string): string | null {
  return container.querySelector(`[data-step='${id}']`)?.getAttribute("data-step-state") ?? null;
}

const listState = (id: string) => stateOf(screen.getByTestId("run-steps"), id);
const graphState = (id: string) => stateOf(screen.getByTestId("plan-graph"), id);

describe("Apply", () => {
  it("asks first, then each progress batch moves the bar, the list, the graph and the log", async () => {
    const run = heldRun();
    mocked.startApply.mockImplementation(run.command);
    const user = await planned();
    await user.click(screen.getByTestId("apply-button"));
    expect(screen.getByTestId("apply-question")).toHaveTextContent("Create 3 resources in account 000000000000, region ap-northeast-2?");
    expect(mocked.startApply).not.toHaveBeenCalled();
    await user.click(screen.getByTestId("apply-confirm"));
    expect(mocked.startApply).toHaveBeenCalledWith(EMULATOR, seedSpec(), expect.anything());

    expect(screen.getByTestId("run-status")).toHaveAttribute("data-state", "running");
    const bar = screen.getByTestId("run-progress");
    expect([bar.dataset.done, bar.dataset.total]).toEqual(["0", "3"]);
    await waitFor(() => expect(graphState("cluster/my-eks")).toBe("pending"));

    await run.send([
      progress("run", { state: "running" }, { message: "3 of 3 steps to run (0 already done)" }),
      progress("vpc/main", { state: "running" }),
      progress("role/cluster", { state: "running" }),
    ]);
    expect(listState("vpc/main")).toBe("running");
    expect(graphState("role/cluster")).toBe("running");
    expect(listState("cluster/my-eks")).toBe("pending");

    await run.send([
      progress("vpc/main", { state: "done" }, { message: "created", resourceId: "vpc-0abc", elapsedMs: 1200, stepsDone: 1 }),
      progress("role/cluster", { state: "done" }, { message: "created", elapsedMs: 900, stepsDone: 2 }),
      progress("cluster/my-eks", { state: "running" }, { stepsDone: 2 }),
      progress("cluster/my-eks", { state: "running" }, { message: "status CREATING", elapsedMs: 65_000, stepsDone: 2 }),
    ]);
    expect([bar.dataset.done, bar.dataset.total]).toEqual(["2", "3"]);
    expect(listState("vpc/main")).toBe("done");
    expect(graphState("vpc/main")).toBe("done");
    expect(graphState("cluster/my-eks")).toBe("running");
    const cluster = screen.getByTestId("run-steps").querySelector("[data-step='cluster/my-eks']") as HTMLElement;
    expect(cluster).toHaveTextContent("status CREATING");
    expect(cluster).toHaveTextContent("1 min 05 s");
    expect(screen.getByTestId("run-steps").querySelector("[data-step='vpc/main']")).toHaveTextContent("vpc-0abc");
    const log = screen.getByTestId("run-log").textContent ?? "";
    expect(log).toContain("vpc/main done: created [vpc-0abc]");
    // Newest last.
    expect(log.indexOf("status CREATING")).toBeGreaterThan(log.indexOf("vpc/main done"));
    expect(screen.getByTestId("cancel-run")).toBeEnabled();

    await run.send([
      progress("cluster/my-eks", { state: "done" }, { message: "created", stepsDone: 3 }),
      progress("run", { state: "done" }, { message: "finished", stepsDone: 3 }),
    ]);
    await run.finish(ok({ operation: "apply", steps: 3, waves: 2, wallMs: 8000, journalPath: "/j.json" }));
    expect(screen.getByTestId("run-status")).toHaveAttribute("data-state", "done");
    expect([bar.dataset.done, bar.dataset.total]).toEqual(["3", "3"]);
    expect(graphState("cluster/my-eks")).toBe("done");
    expect(screen.queryByTestId("cancel-run")).not.toBeInTheDocument();
    expect(screen.getByTestId("destroy-run")).toBeInTheDocument();
    expect(screen.getByTestId("run-progress").nextElementSibling).toHaveTextContent("created in 8 s");

    // Back to the plan, and to the run again.
    await user.click(screen.getByTestId("close-run"));
    expect(screen.getByTestId("plan-list")).toBeInTheDocument();
    expect(screen.getByTestId("last-run-note")).toHaveTextContent("The last apply of this spec is done.");
    await user.click(screen.getByTestId("show-run"));
    expect(screen.getByTestId("run-status")).toHaveAttribute("data-state", "done");
  });

  it("says so when the backend had no run left to cancel", async () => {
    const run = heldRun();
    mocked.startApply.mockImplementation(run.command);
    mocked.cancelRun.mockResolvedValue(false);
    const user = await planned();
    await user.click(screen.getByTestId("apply-button"));
    await user.click(screen.getByTestId("apply-confirm"));
    await run.send([progress("run", { state: "running" })]);
    await user.click(screen.getByTestId("cancel-run"));
    expect(await screen.findByTestId("cancel-note")).toHaveTextContent("there was nothing to cancel");
    expect(screen.getByTestId("cancel-run")).toBeEnabled();
  });

  it("cancels on request and then offers to resume", async () => {
    const run = heldRun();
    mocked.startApply.mockImplementation(run.command);
    mocked.cancelRun.mockResolvedValue(true);
    const user = await planned();
    await user.click(screen.getByTestId("apply-button"));
    await user.click(screen.getByTestId("apply-confirm"));
    await run.send([progress("run", { state: "running" }), progress("vpc/main", { state: "running" })]);
    await user.click(screen.getByTestId("cancel-run"));
    expect(mocked.cancelRun).toHaveBeenCalledWith(seedSpec().id);
    expect(screen.getByTestId("cancel-run")).toBeDisabled();
    expect(screen.getByTestId("run-status")).toHaveTextContent("cancelling…");

    await run.send([
      progress("vpc/main", { state: "cancelled" }, { message: "cancelled; resume continues here" }),
      progress("run", { state: "cancelled" }),
    ]);
    await run.finish({ status: "error", error: { code: "cancelled", message: "Cancelled." } });
    expect(screen.getByTestId("run-status")).toHaveAttribute("data-state", "cancelled");
    expect(listState("vpc/main")).toBe("cancelled");
    expect(screen.getByTestId("resume-run")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("is not offered while the plan has a conflict", async () => {
    const conflict = [...STEPS.slice(0, 2), { ...STEPS[2], action: "conflict" as const, note: "Cluster my-eks exists and was not created by EKS Desk" }];
    await planned(conflict, "The plan has 1 conflict(s): resolve it before applying.");
    expect(screen.getByTestId("apply-button")).toBeDisabled();
    expect(screen.getByTestId("apply-blocked")).toHaveTextContent("The plan has 1 conflict(s): resolve it before applying.");
  });

  it("is not offered while the spec has errors", async () => {
    mocked.checkClusterSpec.mockResolvedValue(
      ok(specCheck([{ field: "cluster.name", message: "Name is required", severity: "error" }])),
    );
    await planned();
    expect(screen.getByTestId("apply-button")).toBeDisabled();
    expect(screen.getByTestId("apply-blocked")).toHaveTextContent("Fix the spec's error first.");
  });
});
