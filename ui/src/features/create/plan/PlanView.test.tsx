import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ok } from "../../../test/fixtures";
import { planResult, seedSpec, step } from "../../../test/specFixtures";
import { EMULATOR, field, mocked, renderCreatePage, resetCreateMocks } from "../createTestSetup";

vi.mock("../../../bindings", async () => (await import("../createCommandsMock")).mockCreateCommands());

// What React Flow needs from a browser that jsdom does not have.
beforeAll(() => {
  vi.stubGlobal(
    "ResizeObserver",
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
  vi.stubGlobal(
    "DOMMatrixReadOnly",
    class {
      m22 = 1;
    },
  );
  Object.defineProperties(HTMLElement.prototype, {
    offsetHeight: { get: () => 400, configurable: true },
    offsetWidth: { get: () => 800, configurable: true },
  });
});

const FIRST = [
  step({ id: "vpc/main", kind: "vpc", name: "10.0.0.0/16", detail: "new VPC, DNS hostnames on" }),
  step({ id: "subnet/control-plane-0", name: "10.0.0.192/28", detail: "control plane ENIs, ap-northeast-2a", dependsOn: ["vpc/main"] }),
  step({ id: "subnet/control-plane-1", name: "10.0.0.208/28", detail: "control plane ENIs, ap-northeast-2b", dependsOn: ["vpc/main"] }),
  step({ id: "role/cluster", kind: "iam_role", name: "AmazonEKSClusterRole-my-eks", action: "conflict", note: "Role exists and was not created by EKS Desk" }),
  step({
    id: "cluster/my-eks",
    kind: "cluster",
    name: "my-eks",
    detail: "Kubernetes 1.33",
    dependsOn: ["subnet/control-plane-0", "subnet/control-plane-1", "role/cluster"],
  }),
];

beforeEach(() => resetCreateMocks());

describe("Plan view", () => {
  it("lists the steps in order with their actions and notes, and draws the graph", async () => {
    mocked.planClusterSpec.mockResolvedValue(ok(planResult(FIRST)));
    await renderCreatePage();
    await userEvent.setup().click(screen.getByTestId("plan-button"));
    const list = await screen.findByTestId("plan-list");
    expect(mocked.planClusterSpec).toHaveBeenCalledWith(EMULATOR, seedSpec());
    const items = within(list).getAllByRole("listitem");
    expect(items.map((li) => li.getAttribute("data-step"))).toEqual(FIRST.map((s) => s.id));
    expect(items[0]).toHaveTextContent("create");
    expect(items[0]).toHaveTextContent("VPC");
    expect(items[0]).toHaveTextContent("10.0.0.0/16");
    expect(items[3]).toHaveTextContent("conflict");
    expect(items[3]).toHaveTextContent("Role exists and was not created by EKS Desk");
    // A first plan has nothing to compare with.
    expect(within(list).queryByTestId("step-mark")).not.toBeInTheDocument();
    expect(screen.getByText(/Plan for my-eks in ap-northeast-2: 5 steps/)).toBeInTheDocument();

    const graph = await screen.findByTestId("plan-graph");
    await waitFor(() => expect(graph.querySelectorAll("[data-step]")).toHaveLength(FIRST.length));
    const cluster = graph.querySelector("[data-step='cluster/my-eks']")!;
    expect(cluster).toHaveClass("plan-node-create");
    expect(cluster).toHaveTextContent("EKS cluster");
    expect(cluster).toHaveTextContent("my-eks");
    expect(graph.querySelector("[data-step='role/cluster']")).toHaveClass("plan-node-conflict");
  });

  it("marks what changed since the previous plan, and what is gone", async () => {
    const user = userEvent.setup();
    mocked.planClusterSpec.mockResolvedValue(ok(planResult(FIRST)));
    await renderCreatePage();
    await user.click(screen.getByTestId("plan-button"));
    await screen.findByTestId("plan-list");

    const second = [
      FIRST[0],
      { ...FIRST[1], name: "10.0.1.0/28" },
      FIRST[3],
      { ...FIRST[4], dependsOn: ["subnet/control-plane-0", "role/cluster"] },
      step({ id: "nodegroup/ng", kind: "node_group", name: "ng", dependsOn: ["cluster/my-eks"] }),
    ];
    mocked.planClusterSpec.mockResolvedValue(ok(planResult(second)));
    await user.click(screen.getByTestId("plan-button"));
    await waitFor(() => expect(screen.getByTestId("plan-list").querySelector("[data-step='nodegroup/ng']")).not.toBeNull());
    const list = screen.getByTestId("plan-list");
    const mark = (id: string) => list.querySelector(`[data-step='${id}']`)?.getAttribute("data-mark") ?? null;
    expect(mark("vpc/main")).toBeNull();
    expect(mark("subnet/control-plane-0")).toBe("changed");
    expect(mark("cluster/my-eks")).toBe("changed");
    expect(mark("nodegroup/ng")).toBe("added");
    expect(within(list).getAllByTestId("step-mark").map((m) => m.textContent)).toEqual(["changed", "changed", "new"]);
    expect(screen.getByTestId("plan-removed")).toHaveTextContent("10.0.0.208/28");
    expect(screen.getByTestId("plan-diff-summary")).toHaveTextContent("3 new or changed, 1 removed");
    await waitFor(() => expect(screen.getByTestId("plan-graph").querySelectorAll(".plan-node-marked")).toHaveLength(3));
  });

  it("shows why planning was refused and takes you to the field", async () => {
    const user = userEvent.setup();
    mocked.planClusterSpec.mockResolvedValue({
      status: "error",
      error: { code: "invalid_input", field: "nodeGroups[0].maxSize", message: "1 error(s) in the spec; first: Max size must be at least 1" },
    });
    await renderCreatePage();
    await user.click(screen.getByTestId("plan-button"));
    const failure = await screen.findByTestId("plan-error");
    expect(failure).toHaveTextContent("Invalid value");
    expect(failure).toHaveTextContent("1 error(s) in the spec; first: Max size must be at least 1");
    expect(failure).toHaveTextContent("nodeGroups[0].maxSize");
    expect(screen.queryByTestId("plan-list")).not.toBeInTheDocument();
    await user.click(within(failure).getByRole("button", { name: "Show the field" }));
    await waitFor(() => expect(field("nodeGroups[0].maxSize")).toHaveFocus());
  });

  it("says when the spec changed after the plan", async () => {
    const user = userEvent.setup();
    mocked.planClusterSpec.mockResolvedValue(ok(planResult(FIRST)));
    await renderCreatePage();
    await user.click(screen.getByTestId("plan-button"));
    await screen.findByTestId("plan-list");
    expect(screen.queryByTestId("plan-stale")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("view-form"));
    await user.type(field("cluster.name"), "-2");
    await user.click(screen.getByTestId("view-plan"));
    expect(screen.getByTestId("plan-stale")).toHaveTextContent("The spec changed since this plan.");
  });
});
