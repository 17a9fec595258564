import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { answerShell, renderCluster } from "../../test/appFixtures";
import { commands } from "../../bindings";
import { ok } from "../../test/fixtures";
import { CONNECTION, heldWatch, liveState, nodeCard, overview, podStates } from "../../test/workloadsFixtures";

// Every command mocked: the cluster is opened through the app's routes and shell.
vi.mock("../../bindings");
vi.mock("@tauri-apps/api/core", async () => ({ Channel: (await import("../../test/runFixtures")).FakeChannel }));

const nodeCards = vi.mocked(commands.nodeCards);
let watch: ReturnType<typeof heldWatch>;

/** Rust's order: node group, zone, name. */
const CARDS = [
  nodeCard({ name: "a-1", nodeGroup: "general", zone: "eu-west-1a" }),
  nodeCard({ name: "a-2", nodeGroup: "general", zone: "eu-west-1a", ready: false, cordoned: true, pressures: ["MemoryPressure"] }),
  nodeCard({ name: "b-1", nodeGroup: "general", zone: "eu-west-1b", instanceType: "m6i.2xlarge" }),
  nodeCard(
    {
      name: "s-1",
      nodeGroup: "spot",
      zone: "eu-west-1b",
      instanceType: "c7g.large",
      capacityType: "SPOT",
      taints: [{ key: "spot", value: "true", effect: "NoSchedule" }],
    },
    {
      pods: podStates({ running: 70, pending: 5, problems: 5 }),
      podCount: 75,
      // Rust caps the marks at 40 and counts the rest.
      marks: [...Array<"problem">(5).fill("problem"), ...Array<"running">(35).fill("running")],
      moreMarks: 35,
    },
  ),
];

beforeEach(() => {
  answerShell();
  nodeCards.mockReset().mockResolvedValue(ok(CARDS));
  vi.mocked(commands.workloadsOverview).mockReset().mockResolvedValue(ok(overview()));
  vi.mocked(commands.stopWorkloads).mockReset().mockResolvedValue(ok(null));
  watch = heldWatch();
  vi.mocked(commands.watchWorkloads).mockReset().mockImplementation(watch.command);
});

async function openNodes() {
  const user = userEvent.setup();
  await renderCluster();
  await watch.send(liveState());
  await user.click(screen.getByTestId("tab-nodes"));
  await screen.findAllByTestId("node-card");
  return user;
}

function names(within: HTMLElement | Document = document): (string | null)[] {
  return Array.from(within.querySelectorAll("[data-testid=node-card]")).map((c) => c.getAttribute("data-node"));
}

function group(name: string): HTMLElement {
  const found = screen.getAllByTestId("node-group").find((g) => g.getAttribute("data-group") === name);
  if (!found) throw new Error(`no node group ${name}`);
  return found;
}

function zone(groupName: string, zoneName: string): HTMLElement {
  const found = within(group(groupName))
    .getAllByTestId("node-zone")
    .find((z) => z.getAttribute("data-zone") === zoneName);
  if (!found) throw new Error(`no zone ${zoneName} in ${groupName}`);
  return found;
}

describe("the node map", () => {
  it("groups the cards by node group, then zone, with their counts", async () => {
    await openNodes();
    expect(nodeCards).toHaveBeenCalledWith(CONNECTION);
    expect(screen.getAllByTestId("node-group").map((g) => g.getAttribute("data-group"))).toEqual(["general", "spot"]);
    expect(within(group("general")).getByTestId("node-group-count")).toHaveTextContent("3 nodes in 2 zones");
    expect(within(group("spot")).getByTestId("node-group-count")).toHaveTextContent("1 node in 1 zone");
    expect(names(zone("general", "eu-west-1a"))).toEqual(["a-1", "a-2"]);
    expect(names(zone("general", "eu-west-1b"))).toEqual(["b-1"]);
    expect(names(zone("spot", "eu-west-1b"))).toEqual(["s-1"]);
  });

  it("shows each card's bars as numbers, its state and its pods as marks", async () => {
    await openNodes();
    const card = screen.getAllByTestId("node-card").find((c) => c.getAttribute("data-node") === "a-1")!;
    expect(within(card).getByTestId("node-cpu")).toHaveTextContent("1.2 / 3.9 cores");
    expect(within(card).getByTestId("node-memory")).toHaveTextContent("3.1 / 15.2 GiB");
    expect(within(card).getByTestId("node-pods")).toHaveTextContent("14 / 58 pods");
    expect(within(card).getByTestId("node-ready")).toHaveTextContent("Ready");
    expect(card).toHaveTextContent("m6i.xlarge");
    expect(card).toHaveTextContent("v1.31.4-eks-2d5f260");
    const marks = within(card).getByTestId("pod-marks");
    const kinds = Array.from(marks.querySelectorAll("[data-kind]")).map((m) => m.getAttribute("data-kind"));
    // 12 running, 1 pending, 1 succeeded, 1 problem among them: 14 pods, the problem drawn once, first.
    expect(kinds).toHaveLength(14);
    expect(kinds.filter((k) => k === "problem")).toHaveLength(1);
    expect(kinds[0]).toBe("problem");
    expect(marks).toHaveAccessibleName("12 running · 1 pending · 1 problem · 1 succeeded");

    const sick = screen.getAllByTestId("node-card").find((c) => c.getAttribute("data-node") === "a-2")!;
    expect(within(sick).getByTestId("node-ready")).toHaveTextContent("NotReady");
    expect(sick).toHaveTextContent("cordoned");
    expect(sick).toHaveTextContent("MemoryPressure");

    const spot = screen.getAllByTestId("node-card").find((c) => c.getAttribute("data-node") === "s-1")!;
    expect(within(spot).getByTestId("capacity-type")).toHaveTextContent("SPOT");
    expect(within(spot).getByTestId("capacity-type")).toHaveAttribute("data-spot", "true");
    expect(within(card).getByTestId("capacity-type")).not.toHaveAttribute("data-spot");
    expect(within(spot).getByTestId("node-taints")).toHaveTextContent("1 taint");
    // 75 pods: the marks stop at a cap and say how many more.
    const spotMarks = within(spot).getByTestId("pod-marks");
    expect(spotMarks.querySelectorAll("[data-kind]")).toHaveLength(40);
    expect(spotMarks).toHaveTextContent("+35");
  });

  it("filters the cards by name, instance type or zone", async () => {
    const user = await openNodes();
    const search = screen.getByTestId("nodes-search");
    await user.type(search, "C7G");
    expect(names()).toEqual(["s-1"]);
    expect(screen.getByTestId("nodes-count")).toHaveTextContent("1 of 4 nodes");
    await user.clear(search);
    await user.type(search, "1b");
    expect(names()).toEqual(["b-1", "s-1"]);
    await user.clear(search);
    await user.type(search, "a-");
    expect(names()).toEqual(["a-1", "a-2"]);
    await user.keyboard("{Escape}");
    expect(names()).toHaveLength(4);
  });

  it("collapses and opens a node group from its header", async () => {
    const user = await openNodes();
    const toggle = within(group("general")).getByTestId("node-group-toggle");
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(names()).toEqual(["s-1"]);
    expect(within(group("general")).getByTestId("node-group-count")).toHaveTextContent("3 nodes");
    await user.click(toggle);
    expect(names()).toHaveLength(4);
  });

  it("shows a clicked node's fields beside the map, until Esc", async () => {
    const user = await openNodes();
    expect(screen.queryByTestId("node-detail")).not.toBeInTheDocument();
    await user.click(screen.getAllByTestId("node-card").find((c) => c.getAttribute("data-node") === "s-1")!);
    const detail = screen.getByTestId("node-detail");
    expect(within(detail).getByRole("heading")).toHaveTextContent("s-1");
    expect(detail).toHaveTextContent("spot");
    expect(detail).toHaveTextContent("c7g.large");
    expect(within(detail).getByTestId("node-detail-taints")).toHaveTextContent("spot=true:NoSchedule");
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("node-detail")).not.toBeInTheDocument();
  });

  it("/ focuses the node search", async () => {
    const user = await openNodes();
    await user.keyboard("/");
    expect(screen.getByTestId("nodes-search")).toHaveFocus();
    await waitFor(() => expect(screen.getByTestId("nodes-search")).toHaveValue(""));
  });

  it("shows hostile node names as text", async () => {
    nodeCards.mockResolvedValue(ok([nodeCard({ name: "<script>alert(1)</script>", nodeGroup: "<img src=x>", zone: "z\u2066one" })]));
    await openNodes();
    const card = screen.getByTestId("node-card");
    expect(card).toHaveTextContent("<script>alert(1)</script>");
    expect(within(group("<img src=x>")).getByRole("button", { expanded: true })).toHaveTextContent("<img src=x>");
    expect(screen.getByTestId("node-zone")).toHaveTextContent("z⟨U+2066⟩one");
    expect(screen.getByTestId("node-map").querySelector("script, img")).toBeNull();
  });
});
