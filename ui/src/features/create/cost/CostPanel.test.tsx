import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ClusterSpec_Deserialize } from "../../../bindings";
import { ok } from "../../../test/fixtures";
import { stubReactFlowBrowser } from "../../../test/reactFlowStubs";
import { costEstimate, planResult, seedSpec, step } from "../../../test/specFixtures";
import { mocked, renderCreatePage, resetCreateMocks } from "../createTestSetup";

vi.mock("../../../bindings", async () => (await import("../createCommandsMock")).mockCreateCommands());

beforeAll(() => stubReactFlowBrowser());
beforeEach(() => resetCreateMocks());

/** The first instance type of the spec Rust was last asked to price. */
function lastPricedType(): string | undefined {
  const calls = mocked.estimateCost.mock.calls;
  const spec: ClusterSpec_Deserialize = calls[calls.length - 1][0];
  return spec.nodeGroups?.[0].instanceTypes[0];
}

describe("Monthly cost panel", () => {
  it("shows Rust's lines, total, price date and what it could not price", async () => {
    await renderCreatePage();
    const panel = await screen.findByTestId("cost-panel");
    await waitFor(() => expect(within(panel).getByTestId("cost-total")).toHaveTextContent("$242.14"));
    expect(mocked.estimateCost).toHaveBeenCalledWith(seedSpec());
    expect(within(panel).getByRole("heading", { name: "Monthly cost (estimate)" })).toBeInTheDocument();
    expect(within(panel).getByTestId("cost-label")).toHaveTextContent("Estimate from list prices as of 2026-12-01");
    const lines = within(within(panel).getByTestId("cost-lines")).getAllByRole("listitem");
    expect(lines).toHaveLength(5);
    expect(lines[1]).toHaveTextContent("default_node_group: t4g.xlarge instances, on-demand Linux");
    expect(lines[1]).toHaveTextContent("$120.60");
    expect(lines[1]).toHaveTextContent("1 × instance at $0.1652/hour");
    expect(lines[2]).toHaveTextContent("20 × GiB at $0.0912/month");
    const unpriced = within(panel).getByTestId("cost-unpriced");
    expect(unpriced).toHaveTextContent("Not in the total");
    expect(unpriced).toHaveTextContent("NAT gateway data processing is charged per GB");
    expect(unpriced).toHaveTextContent("Data transfer");
  });

  it("asks again when the instance type changes, and shows the new total", async () => {
    mocked.estimateCost.mockImplementation(async (spec) =>
      spec.nodeGroups?.[0].instanceTypes[0] === "m5.large"
        ? costEstimate({ totalMonthlyUsd: 207.68, unpriced: ["spot is not priced"] })
        : costEstimate(),
    );
    const user = userEvent.setup();
    await renderCreatePage();
    await waitFor(() => expect(screen.getByTestId("cost-total")).toHaveTextContent("$242.14"));
    const group = within(screen.getByTestId("node-group-0"));
    await user.selectOptions(group.getByRole("combobox", { name: "Add an instance type" }), "m5.large");
    await user.click(group.getByRole("button", { name: "Remove t4g.xlarge" }));
    await waitFor(() => expect(lastPricedType()).toBe("m5.large"));
    await waitFor(() => expect(screen.getByTestId("cost-total")).toHaveTextContent("$207.68"));
    expect(screen.getByTestId("cost-unpriced")).toHaveTextContent("spot is not priced");
  });

  it("puts the plan's estimated total in the Plan view's header", async () => {
    mocked.planClusterSpec.mockResolvedValue(
      ok(planResult([step({ id: "vpc/main", kind: "vpc", name: "10.0.0.0/16" })], null)),
    );
    await renderCreatePage();
    await userEvent.setup().click(screen.getByTestId("plan-button"));
    const total = await screen.findByTestId("plan-cost-total");
    expect(total).toHaveTextContent("est. $242.14/month");
    expect(total).toHaveAttribute("title", expect.stringContaining("as of 2026-12-01"));
  });
});
