import { describe, expect, it } from "vitest";
import { step } from "../../../test/specFixtures";
import { planFlow } from "./planFlow";
import { layoutPlan, NODE_WIDTH } from "./planLayout";

const steps = [
  step({ id: "vpc/main", kind: "vpc" }),
  step({ id: "subnet/a", dependsOn: ["vpc/main"] }),
  step({ id: "subnet/b", dependsOn: ["vpc/main"] }),
  step({ id: "role/cluster", kind: "iam_role" }),
  step({ id: "cluster/my-eks", kind: "cluster", dependsOn: ["subnet/a", "subnet/b", "role/cluster", "gone/elsewhere"] }),
];

describe("layoutPlan", () => {
  it("places every step right of the steps it depends on", () => {
    const { nodes } = layoutPlan(steps);
    const x = new Map(nodes.map((n) => [n.id, n.x]));
    expect(nodes).toHaveLength(steps.length);
    expect(x.get("subnet/a")!).toBeGreaterThanOrEqual(x.get("vpc/main")! + NODE_WIDTH);
    expect(x.get("cluster/my-eks")!).toBeGreaterThanOrEqual(x.get("subnet/a")! + NODE_WIDTH);
    expect(x.get("cluster/my-eks")!).toBeGreaterThan(x.get("role/cluster")!);
    // Steps of one layer are stacked, not on top of each other.
    const a = nodes.find((n) => n.id === "subnet/a")!;
    const b = nodes.find((n) => n.id === "subnet/b")!;
    expect(a.x).toBe(b.x);
    expect(a.y).not.toBe(b.y);
  });

  it("links each dependency that is in the plan, and only those", () => {
    const { links } = layoutPlan(steps);
    expect(links.map((l) => l.id).sort()).toEqual(
      ["vpc/main->subnet/a", "vpc/main->subnet/b", "subnet/a->cluster/my-eks", "subnet/b->cluster/my-eks", "role/cluster->cluster/my-eks"].sort(),
    );
  });
});

describe("planFlow", () => {
  it("gives React Flow one node per step with its mark, and one edge per link", () => {
    const { nodes, edges } = planFlow(steps, new Map([["subnet/b", "added"]]));
    expect(nodes.map((n) => n.id)).toEqual(steps.map((s) => s.id));
    expect(nodes.find((n) => n.id === "subnet/b")?.data.mark).toBe("added");
    expect(nodes.find((n) => n.id === "subnet/a")?.data.mark).toBeUndefined();
    expect(nodes.every((n) => n.type === "step" && n.draggable === false)).toBe(true);
    expect(edges).toHaveLength(5);
    expect(edges[0]).toMatchObject({ source: "vpc/main", target: "subnet/a" });
  });
});
