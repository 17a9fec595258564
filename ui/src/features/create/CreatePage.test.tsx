import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ClusterSpec_Deserialize, FieldIssue } from "../../bindings";
import { err, ok, renderWithClient } from "../../test/fixtures";
import { seedSpec, specCheck, usage } from "../../test/specFixtures";
import { CreatePage } from "./CreatePage";
import { EMULATOR, field, mocked, renderCreatePage, resetCreateMocks } from "./createTestSetup";

vi.mock("../../bindings", async () => (await import("./createCommandsMock")).mockCreateCommands());

const ISSUES: FieldIssue[] = [
  { field: "network.controlPlaneSubnets[1].cidr", message: "10.0.0.300/28 is not a valid IPv4 CIDR", severity: "error" },
  { field: "nodeGroups[0].maxSize", message: "Max size must be at least 1", severity: "error" },
  { field: "cluster.name", message: "A name like this is unusual", severity: "warning" },
];

/** The spec of the last check. */
function lastChecked(): ClusterSpec_Deserialize {
  const calls = mocked.checkClusterSpec.mock.calls;
  return calls[calls.length - 1][1];
}

beforeEach(() => resetCreateMocks());

describe("CreatePage", () => {
  it("starts from the seed in the selected region and checks it against the environment", async () => {
    await renderCreatePage();
    expect(mocked.newClusterSpec).toHaveBeenCalledWith("ap-northeast-2");
    expect(field("cluster.name")).toHaveValue("my-eks");
    expect(field("network.vpc.cidr")).toHaveValue("10.0.0.0/16");
    expect([0, 1, 2].map((i) => field(`network.controlPlaneSubnets[${i}].cidr`).value)).toEqual([
      "10.0.0.192/28",
      "10.0.0.208/28",
      "10.0.0.224/28",
    ]);
    expect(field("nodeGroups[0].maxSize")).toHaveValue("3");
    expect(field("cluster.kubernetesVersion")).toHaveValue("1.33");
    // In the order Rust sends them (newest first), the first marked.
    const versions = within(field("cluster.kubernetesVersion")).getAllByRole("option").map((o) => o.getAttribute("value"));
    expect(versions).toEqual(["1.34", "1.33", "1.32", "1.31", "1.30"]);
    expect(screen.getByRole("radio", { name: /API_AND_CONFIG_MAP/ })).toBeChecked();
    expect(mocked.checkClusterSpec).toHaveBeenCalledWith(EMULATOR, seedSpec());
    expect(screen.getByTestId("error-count")).toHaveTextContent("0 errors");
    expect(screen.getByTestId("account-check")).toHaveTextContent("No AWS environment selected: checked offline.");
  });

  it("shows each issue under the field it names, errors and warnings apart", async () => {
    mocked.checkClusterSpec.mockResolvedValue(ok(specCheck(ISSUES)));
    await renderCreatePage();
    const cidr = await screen.findByTestId("issue-network.controlPlaneSubnets[1].cidr");
    expect(cidr).toHaveTextContent("10.0.0.300/28 is not a valid IPv4 CIDR");
    expect(cidr.querySelector(".field-issue-error")).not.toBeNull();
    // Under its own row, next to its input.
    const row = field("network.controlPlaneSubnets[1].cidr").closest(".subnet-item") as HTMLElement;
    expect(within(row).getByTestId("issue-network.controlPlaneSubnets[1].cidr")).toBe(cidr);
    expect(field("network.controlPlaneSubnets[1].cidr")).toHaveAttribute("aria-invalid", "true");
    expect(field("network.controlPlaneSubnets[0].cidr")).not.toHaveAttribute("aria-invalid");

    const maxSize = screen.getByTestId("issue-nodeGroups[0].maxSize");
    expect(maxSize).toHaveTextContent("Max size must be at least 1");
    expect(within(screen.getByTestId("node-group-0")).getByTestId("issue-nodeGroups[0].maxSize")).toBe(maxSize);

    const name = screen.getByTestId("issue-cluster.name");
    expect(name.querySelector(".field-issue-warning")).toHaveTextContent("A name like this is unusual");
    expect(field("cluster.name")).not.toHaveAttribute("aria-invalid");
    expect(screen.queryByTestId("issue-network.controlPlaneSubnets[0].cidr")).not.toBeInTheDocument();
  });

  it("counts errors and warnings, and an issue in the summary takes you to its field", async () => {
    mocked.checkClusterSpec.mockResolvedValue(ok(specCheck(ISSUES)));
    await renderCreatePage();
    const summary = await screen.findByTestId("issues-summary");
    await waitFor(() => expect(within(summary).getByTestId("issue-counts")).toHaveTextContent("2 errors · 1 warning"));
    await userEvent.setup().click(within(summary).getByRole("button", { name: /Max size must be at least 1/ }));
    await waitFor(() => expect(field("nodeGroups[0].maxSize")).toHaveFocus());
  });

  it("checks again once typing pauses, with the edited spec", async () => {
    const user = userEvent.setup();
    await renderCreatePage();
    const calls = mocked.checkClusterSpec.mock.calls.length;
    const cidr = field("network.controlPlaneSubnets[1].cidr");
    await user.clear(cidr);
    await user.type(cidr, "10.0.0.300/28");
    await waitFor(() => expect(lastChecked().network.controlPlaneSubnets[1].cidr).toBe("10.0.0.300/28"));
    // One check for the whole burst of keys, not one per key.
    expect(mocked.checkClusterSpec.mock.calls.length - calls).toBeLessThanOrEqual(2);

    await user.clear(field("nodeGroups[0].maxSize"));
    await user.type(field("nodeGroups[0].maxSize"), "0");
    await waitFor(() => expect(lastChecked().nodeGroups?.[0].maxSize).toBe(0));
  });

  it("keeps a number box's text while it is not a number, without changing the spec", async () => {
    const user = userEvent.setup();
    await renderCreatePage();
    await user.clear(field("nodeGroups[0].maxSize"));
    await user.type(field("nodeGroups[0].maxSize"), "x");
    expect(field("nodeGroups[0].maxSize")).toHaveValue("x");
    expect(screen.getByText("Enter a whole number (0 or more)")).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 400));
    expect(lastChecked().nodeGroups?.[0].maxSize).toBe(3);
  });

  it("draws one IP guard row per subnet with its headroom, red when short", async () => {
    mocked.checkClusterSpec.mockResolvedValue(
      ok(
        specCheck([], {
          ipGuard: [
            usage({ headroom: 7 }),
            usage({ field: "network.controlPlaneSubnets[1]", cidr: "10.0.0.208/28", controlPlaneEnisDuringUpgrade: 8, headroom: 3 }),
            usage({ field: "network.nodeSubnets[0]", cidr: "10.0.16.0/20", role: "nodes", usableIps: 4091, controlPlaneEnisDuringUpgrade: 0, nodeIpsAtMaxScale: 174, headroom: 3917 }),
          ],
        }),
      ),
    );
    await renderCreatePage();
    const guard = screen.getByTestId("ip-guard");
    expect(guard).toHaveTextContent("During a Kubernetes upgrade EKS adds control-plane ENIs in the cluster subnets");
    const ok0 = within(screen.getByTestId("ip-guard-network.controlPlaneSubnets[0]"));
    expect(ok0.getByTestId("headroom")).toHaveTextContent("headroom 7");
    expect(ok0.getByTestId("headroom")).not.toHaveClass("headroom-short");
    expect(ok0.getByText("control plane")).toBeInTheDocument();
    const short = within(screen.getByTestId("ip-guard-network.controlPlaneSubnets[1]"));
    expect(short.getByTestId("headroom")).toHaveTextContent("headroom 3");
    expect(short.getByTestId("headroom")).toHaveClass("headroom-short");
    const nodes = within(screen.getByTestId("ip-guard-network.nodeSubnets[0]"));
    expect(nodes.getByText("4091 usable")).toBeInTheDocument();
    expect(nodes.getByText("nodes")).toBeInTheDocument();
    const segments = screen.getByTestId("ip-guard-network.nodeSubnets[0]").querySelectorAll<HTMLElement>(".ip-seg");
    expect([...segments].map((s) => s.style.width)).toEqual(["0%", `${(174 / 4091) * 100}%`, `${(3917 / 4091) * 100}%`]);
  });

  it("says which account the spec was checked against", async () => {
    mocked.checkClusterSpec.mockResolvedValue(
      ok(
        specCheck([], {
          account: { checked: true, offlineReason: null, notes: ["addon versions (throttled)"], availabilityZones: [{ name: "ap-northeast-2a", id: "apne2-az1", controlPlaneProblem: null, problem: null }], zonesAssumed: false },
        }),
      ),
    );
    await renderCreatePage();
    const line = await screen.findByTestId("account-check");
    expect(line).toHaveTextContent("Checked against account (unknown) in ap-northeast-2.");
    expect(line).toHaveTextContent("Not checked: addon versions (throttled)");
    // The account's AZs become a picker.
    expect(field("network.controlPlaneSubnets[0].availabilityZone").tagName).toBe("SELECT");
  });

  it("shows a bad YAML file's line-numbered error under the import box and keeps the spec", async () => {
    const user = userEvent.setup();
    mocked.parseClusterSpec.mockResolvedValue({
      status: "error",
      error: { code: "invalid_input", field: "yaml", message: "line 3, column 5: unknown field `nmae`, expected one of `name`, `region`" },
    });
    await renderCreatePage();
    await user.clear(field("cluster.name"));
    await user.type(field("cluster.name"), "edited");
    const file = new File(["cluster:\n  nmae: x\n"], "bad.yaml", { type: "text/yaml" });
    await user.upload(screen.getByTestId("import-yaml"), file);
    const error = await screen.findByTestId("import-error");
    expect(error).toHaveTextContent("line 3, column 5: unknown field `nmae`");
    expect(mocked.parseClusterSpec).toHaveBeenCalledWith("cluster:\n  nmae: x\n");
    expect(field("cluster.name")).toHaveValue("edited");
    expect(field("network.controlPlaneSubnets[0].cidr")).toHaveValue("10.0.0.192/28");
  });

  it("replaces the form with a good YAML file", async () => {
    const user = userEvent.setup();
    const imported = seedSpec();
    imported.cluster.name = "from-file";
    imported.nodeGroups[0].maxSize = 9;
    mocked.parseClusterSpec.mockResolvedValue(ok(imported));
    await renderCreatePage();
    await user.upload(screen.getByTestId("import-yaml"), new File(["yaml"], "good.yaml"));
    await waitFor(() => expect(field("cluster.name")).toHaveValue("from-file"));
    expect(field("nodeGroups[0].maxSize")).toHaveValue("9");
    expect(screen.queryByTestId("import-error")).not.toBeInTheDocument();
  });

  it("saves the spec and says where", async () => {
    mocked.saveClusterSpec.mockResolvedValue(ok({ name: "my-eks", path: "/home/u/.local/share/eks-desk/specs/my-eks.yaml" }));
    await renderCreatePage();
    await userEvent.setup().click(screen.getByTestId("save-spec"));
    expect(await screen.findByTestId("spec-saved")).toHaveTextContent("/home/u/.local/share/eks-desk/specs/my-eks.yaml");
    expect(mocked.saveClusterSpec).toHaveBeenCalledWith(seedSpec());
  });

  it("shows a failed check without losing the form", async () => {
    mocked.checkClusterSpec.mockResolvedValue(err("internal", "check crashed"));
    const { container } = renderWithClient(<CreatePage environment={EMULATOR} />);
    expect(await screen.findByText("Could not check the spec: check crashed")).toBeInTheDocument();
    expect(container.querySelector("[data-field='cluster.name']")).toHaveValue("my-eks");
  });
});
