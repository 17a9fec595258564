import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { commands, type ClusterSpec_Deserialize } from "../../bindings";
import { ok } from "../../test/fixtures";
import { seedSpec, specCheck } from "../../test/specFixtures";
import { EMULATOR, field, mocked, renderCreatePage, resetCreateMocks } from "./createTestSetup";

vi.mock("../../bindings", async () => (await import("./createCommandsMock")).mockCreateCommands());

const suggestSubnets = vi.mocked(commands.suggestSubnets);
const loadClusterSpec = vi.mocked(commands.loadClusterSpec);

function lastChecked(): ClusterSpec_Deserialize {
  const calls = mocked.checkClusterSpec.mock.calls;
  return calls[calls.length - 1][1];
}

beforeEach(() => resetCreateMocks());

describe("editing the spec", () => {
  it("re-carves the subnets from the VPC's free space", async () => {
    suggestSubnets.mockResolvedValue(
      ok({
        controlPlane: [
          { cidr: "10.0.0.0/28", availabilityZone: "ap-northeast-2a" },
          { cidr: "10.0.0.16/28", availabilityZone: "ap-northeast-2b" },
          { cidr: "10.0.0.32/28", availabilityZone: "ap-northeast-2c" },
        ],
        nodes: [{ cidr: "10.0.64.0/18", availabilityZone: "ap-northeast-2a" }],
        public: [{ cidr: "10.0.1.0/24", availabilityZone: "ap-northeast-2a" }],
      }),
    );
    await renderCreatePage();
    await userEvent.setup().click(screen.getByTestId("recarve-button"));
    await waitFor(() => expect(field("network.controlPlaneSubnets[0].cidr")).toHaveValue("10.0.0.0/28"));
    // Rust decides sizes, zones and what is taken: it gets the spec.
    expect(suggestSubnets).toHaveBeenCalledWith(EMULATOR, expect.objectContaining({ id: seedSpec().id }));
    expect(field("network.nodeSubnets[0].cidr")).toHaveValue("10.0.64.0/18");
    expect(field("network.publicSubnets[0].cidr")).toHaveValue("10.0.1.0/24");
    expect(screen.queryByTestId("field-network.nodeSubnets[1].cidr")).not.toBeInTheDocument();
  });

  it("picks the way out of the VPC, and offers zones by name and ID with the ones EKS refuses disabled", async () => {
    mocked.checkClusterSpec.mockResolvedValue(
      ok(
        specCheck([], {
          account: {
            checked: true,
            offlineReason: null,
            notes: [],
            zonesAssumed: false,
            availabilityZones: [
              { name: "ap-northeast-2a", id: "apne2-az1", controlPlaneProblem: null, problem: null },
              { name: "ap-northeast-2b", id: "apne2-az2", controlPlaneProblem: "zone apne2-az2 takes no control planes", problem: null },
              { name: "ap-northeast-2c", id: "apne2-az3", controlPlaneProblem: null, problem: null },
            ],
          },
        }),
      ),
    );
    const user = userEvent.setup();
    await renderCreatePage();
    await user.click(screen.getByRole("radio", { name: /Private endpoints only/ }));
    await waitFor(() => expect(lastChecked().network.egress).toBe("privateEndpoints"));
    expect((await screen.findAllByRole("option", { name: "ap-northeast-2a (apne2-az1)" })).length).toBeGreaterThan(0);
    const picker = field("network.controlPlaneSubnets[0].availabilityZone");
    const refused = within(picker).getByRole("option", { name: "ap-northeast-2b (apne2-az2) — not for EKS" });
    expect(refused).toBeDisabled();
    expect(refused).toHaveAttribute("title", "zone apne2-az2 takes no control planes");
    // Node subnets may use it.
    const nodes = field("network.nodeSubnets[1].availabilityZone");
    expect(within(nodes).getByRole("option", { name: "ap-northeast-2b (apne2-az2)" })).toBeEnabled();
  });

  it("opens a saved spec", async () => {
    const user = userEvent.setup();
    mocked.savedClusterSpecs.mockResolvedValue(ok([{ name: "prod", path: "/specs/prod.yaml" }]));
    const prod = seedSpec();
    prod.cluster.name = "prod";
    loadClusterSpec.mockResolvedValue(ok(prod));
    await renderCreatePage();
    const saved = screen.getByTestId("saved-specs");
    await waitFor(() => expect(within(saved).getByRole("option", { name: "prod" })).toBeInTheDocument());
    await user.selectOptions(saved, "prod");
    await user.click(screen.getByTestId("open-spec"));
    await waitFor(() => expect(field("cluster.name")).toHaveValue("prod"));
    expect(loadClusterSpec).toHaveBeenCalledWith("prod");
  });

  it("adds a node group, an addon, a tag and a namespace-scoped access entry", async () => {
    const user = userEvent.setup();
    await renderCreatePage();
    await user.click(screen.getByRole("button", { name: "+ Add node group" }));
    expect(field("nodeGroups[1].name")).toHaveValue("node_group_2");

    await user.click(screen.getByRole("checkbox", { name: "Install eks-pod-identity-agent" }));
    expect(field("addons[3].version")).toHaveValue("");

    await user.click(screen.getByRole("button", { name: "+ Add tag" }));
    await user.type(screen.getByRole("textbox", { name: "tag 1 key" }), "team");
    await user.type(screen.getByRole("textbox", { name: "tag 1 value" }), "platform");

    await user.click(screen.getByRole("button", { name: "+ Add access entry" }));
    const entry = within(screen.getByTestId("access-entry-1"));
    await user.type(field("access.entries[1].principalArn"), "arn:aws:iam::123456789012:role/Dev");
    await user.click(entry.getByRole("radio", { name: "Namespaces" }));
    await user.type(field("access.entries[1].scope.namespaces"), "team-a, team-b");

    await waitFor(() => {
      const spec = lastChecked();
      expect(spec.nodeGroups?.map((g) => g.name)).toEqual(["default_node_group", "node_group_2"]);
      expect(spec.addons?.[3]).toEqual({ name: "eks-pod-identity-agent", version: "" });
      expect(spec.cluster.tags).toEqual({ team: "platform" });
      expect(spec.access?.entries?.[1]).toEqual({
        principalArn: "arn:aws:iam::123456789012:role/Dev",
        policy: "AmazonEKSViewPolicy",
        scope: { type: "namespace", namespaces: ["team-a", "team-b"] },
      });
    });
  });

  it("shows an issue about one namespace under the namespaces box", async () => {
    const spec = seedSpec();
    spec.access.entries[0].scope = { type: "namespace", namespaces: ["ok", "Team_B"] };
    mocked.newClusterSpec.mockResolvedValue(spec);
    mocked.checkClusterSpec.mockResolvedValue(
      ok(specCheck([{ field: "access.entries[0].scope.namespaces[1]", message: '"Team_B" is not a valid namespace name', severity: "error" }])),
    );
    await renderCreatePage();
    expect(await screen.findByTestId("issue-access.entries[0].scope.namespaces")).toHaveTextContent(
      '"Team_B" is not a valid namespace name',
    );
    expect(field("access.entries[0].scope.namespaces")).toHaveValue("ok, Team_B");
    expect(field("access.entries[0].scope.namespaces")).toHaveAttribute("aria-invalid", "true");
  });
});
