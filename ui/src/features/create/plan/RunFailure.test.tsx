import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ok } from "../../../test/fixtures";
import { stubReactFlowBrowser } from "../../../test/reactFlowStubs";
import { heldRun, journal, progress } from "../../../test/runFixtures";
import { planResult, seedSpec, step } from "../../../test/specFixtures";
import { EMULATOR, mocked, renderCreatePage, resetCreateMocks } from "../createTestSetup";

vi.mock("../../../bindings", async () => (await import("../createCommandsMock")).mockCreateCommands());
vi.mock("@tauri-apps/api/core", async () => ({ Channel: (await import("../../../test/runFixtures")).FakeChannel }));

beforeAll(stubReactFlowBrowser);
beforeEach(() => resetCreateMocks());

const STEPS = [
  step({ id: "vpc/main", kind: "vpc", name: "10.0.0.0/16" }),
  step({ id: "cluster/my-eks", kind: "cluster", name: "my-eks", dependsOn: ["vpc/main"] }),
];
const IDS = STEPS.map((s) => s.id);
const AWS_SAYS = "eks:CreateCluster failed (InvalidParameterException): Subnets specified must be in at least two different AZs";

/** An apply of STEPS that has been confirmed and is going on. */
async function applying() {
  const user = userEvent.setup();
  const run = heldRun();
  mocked.planClusterSpec.mockResolvedValue(ok(planResult(STEPS)));
  mocked.startApply.mockImplementation(run.command);
  await renderCreatePage();
  await user.click(screen.getByTestId("plan-button"));
  await screen.findByTestId("plan-list");
  await user.click(screen.getByTestId("apply-button"));
  await user.click(screen.getByTestId("apply-confirm"));
  return { user, run };
}

function stepState(id: string): string | null {
  return screen.getByTestId("run-steps").querySelector(`[data-step='${id}']`)?.getAttribute("data-step-state") ?? null;
}

describe("A failed run", () => {
  it("shows the failing step, its AWS operation and message verbatim, and resumes from the journal", async () => {
    const { user, run } = await applying();
    await run.send([
      progress("run", { state: "running" }),
      progress("vpc/main", { state: "done" }, { message: "created", stepsDone: 1, stepsTotal: 2 }),
      progress("cluster/my-eks", { state: "running" }, { stepsDone: 1, stepsTotal: 2 }),
      progress("cluster/my-eks", { state: "failed", message: AWS_SAYS, operation: "eks:CreateCluster" }, { message: AWS_SAYS, stepsDone: 1, stepsTotal: 2 }),
      progress("run", { state: "failed", message: `cluster/my-eks: ${AWS_SAYS}`, operation: "eks:CreateCluster" }, { stepsDone: 1, stepsTotal: 2 }),
    ]);
    await run.finish({ status: "error", error: { code: "aws_service", message: `cluster/my-eks: ${AWS_SAYS}` } });

    expect(screen.getByTestId("run-status")).toHaveAttribute("data-state", "failed");
    const failure = screen.getByTestId("run-failure");
    expect(failure).toHaveTextContent("Stopped at EKS cluster my-eks");
    expect(within(failure).getByTestId("run-failure-operation")).toHaveTextContent("eks:CreateCluster");
    expect(within(failure).getByTestId("run-failure-message").textContent).toBe(AWS_SAYS);
    expect(stepState("cluster/my-eks")).toBe("failed");
    const graph = await screen.findByTestId("plan-graph");
    await waitFor(() => expect(graph.querySelector("[data-step='cluster/my-eks']")).toHaveAttribute("data-step-state", "failed"));
    expect(screen.getByTestId("destroy-run")).toBeInTheDocument();

    // Resume: the journal says the VPC is done; the rest starts over.
    const resumed = heldRun();
    mocked.runJournal.mockResolvedValue(ok(journal(["vpc/main"], IDS)));
    mocked.runPlan.mockResolvedValue({ clusterName: "my-eks", region: "ap-northeast-2", steps: STEPS });
    mocked.resumeRun.mockImplementation(resumed.command);
    await user.click(screen.getByTestId("resume-run"));
    expect(mocked.runJournal).toHaveBeenCalledWith(seedSpec().id);
    expect(mocked.runPlan).toHaveBeenCalledWith("apply", seedSpec());
    expect(mocked.resumeRun).toHaveBeenCalledWith(seedSpec().id, expect.anything());
    expect(screen.getByTestId("run-status")).toHaveAttribute("data-state", "running");
    expect(stepState("vpc/main")).toBe("done");
    expect(stepState("cluster/my-eks")).toBe("pending");
    expect(screen.getByTestId("run-progress")).toHaveAttribute("data-done", "1");
    expect(screen.queryByTestId("run-failure")).not.toBeInTheDocument();

    await resumed.send([progress("cluster/my-eks", { state: "running" }, { stepsDone: 1, stepsTotal: 2 })]);
    expect(stepState("cluster/my-eks")).toBe("running");
  });

  it("is destroyed only once the cluster name is typed exactly", async () => {
    const { user, run } = await applying();
    await run.send([progress("run", { state: "failed", message: "x", operation: "" })]);
    await run.finish({ status: "error", error: { code: "conflict", message: "role/cluster: not ours" } });

    await user.click(screen.getByTestId("destroy-run"));
    const input = screen.getByTestId("destroy-confirm-input");
    const confirm = screen.getByTestId("destroy-confirm-button");
    expect(input).toHaveFocus();
    expect(confirm).toBeDisabled();
    for (const wrong of ["my-ek", "my-eks ", "MY-EKS"]) {
      await user.clear(input);
      await user.type(input, wrong);
      expect(confirm).toBeDisabled();
    }
    // Enter does nothing while the name does not match.
    await user.type(input, "{Enter}");
    expect(mocked.startDestroy).not.toHaveBeenCalled();

    const destroying = heldRun();
    mocked.runPlan.mockResolvedValue({ clusterName: "my-eks", region: "ap-northeast-2", steps: [...STEPS].reverse() });
    mocked.startDestroy.mockImplementation(destroying.command);
    await user.clear(input);
    await user.type(input, "my-eks");
    expect(confirm).toBeEnabled();
    await user.click(confirm);
    expect(mocked.runPlan).toHaveBeenCalledWith("destroy", seedSpec());
    expect(mocked.startDestroy).toHaveBeenCalledWith(EMULATOR, seedSpec(), "my-eks", null, expect.anything());
    expect(await screen.findByText("Destroying my-eks in ap-northeast-2")).toBeInTheDocument();
    expect(screen.queryByTestId("destroy-dialog")).not.toBeInTheDocument();
    expect(screen.getByTestId("run-status")).toHaveAttribute("data-state", "running");
  });

  it("lists what Kubernetes left in the VPC and deletes it only when 'delete' is typed too", async () => {
    mocked.destroyLeftovers.mockResolvedValue(
      ok({
        vpcId: "vpc-1",
        items: [
          { kind: "load_balancer", id: "arn:lb", name: "k8s-shop-web", detail: "tagged elbv2.k8s.aws/cluster=my-eks" },
          { kind: "security_group", id: "sg-1", name: "k8s-elb-a1b2", detail: "tagged kubernetes.io/cluster/my-eks=owned" },
        ],
      }),
    );
    const { user, run } = await applying();
    await run.send([progress("run", { state: "failed", message: "x", operation: "" })]);
    await run.finish({ status: "error", error: { code: "conflict", message: "role/cluster: not ours" } });
    await user.click(screen.getByTestId("destroy-run"));
    const listed = await screen.findByTestId("destroy-leftovers");
    expect(listed).toHaveTextContent("Load balancer k8s-shop-web");
    expect(listed).toHaveTextContent("Security group k8s-elb-a1b2");
    expect(mocked.destroyLeftovers).toHaveBeenCalledWith(EMULATOR, seedSpec());
    mocked.runPlan.mockResolvedValue({ clusterName: "my-eks", region: "ap-northeast-2", steps: [...STEPS].reverse() });
    mocked.startDestroy.mockImplementation(heldRun().command);
    await user.type(screen.getByTestId("destroy-confirm-input"), "my-eks");
    await user.type(screen.getByTestId("destroy-leftovers-input"), "delete");
    await user.click(screen.getByTestId("destroy-confirm-button"));
    expect(mocked.startDestroy).toHaveBeenCalledWith(EMULATOR, seedSpec(), "my-eks", "delete", expect.anything());
  });
});
