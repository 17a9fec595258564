import { describe, expect, it } from "vitest";
import { step } from "../../../test/specFixtures";
import { diffPlans } from "./planDiff";

const before = [
  step({ id: "vpc/main", kind: "vpc", name: "10.0.0.0/16", detail: "new VPC" }),
  step({ id: "subnet/control-plane-0", name: "10.0.0.192/28", dependsOn: ["vpc/main"] }),
  step({ id: "subnet/control-plane-1", name: "10.0.0.208/28", dependsOn: ["vpc/main"] }),
  step({ id: "cluster/my-eks", kind: "cluster", name: "my-eks", detail: "Kubernetes 1.33" }),
];

describe("diffPlans", () => {
  it("marks nothing on the first plan", () => {
    expect(diffPlans(null, before)).toEqual({ marks: new Map(), removed: [] });
  });

  it("marks nothing when the plan is the same", () => {
    const diff = diffPlans(before, before.map((s) => ({ ...s, dependsOn: [...s.dependsOn] })));
    expect(diff.marks.size).toBe(0);
    expect(diff.removed).toEqual([]);
  });

  it("marks added steps, changed details, actions and names, and lists removed steps", () => {
    const after = [
      before[0],
      { ...before[1], name: "10.0.1.0/28" },
      { ...before[3], detail: "Kubernetes 1.34" },
      step({ id: "subnet/control-plane-2", name: "10.0.0.224/28", dependsOn: ["vpc/main"] }),
    ];
    const diff = diffPlans(before, after);
    expect(Object.fromEntries(diff.marks)).toEqual({
      "subnet/control-plane-0": "changed",
      "cluster/my-eks": "changed",
      "subnet/control-plane-2": "added",
    });
    expect(diff.removed.map((s) => s.id)).toEqual(["subnet/control-plane-1"]);

    const conflict = diffPlans(before, [{ ...before[0], action: "conflict", note: "VPC exists" }]);
    expect(conflict.marks.get("vpc/main")).toBe("changed");
    const rewired = diffPlans(before, [{ ...before[3], dependsOn: ["vpc/main"] }]);
    expect(rewired.marks.get("cluster/my-eks")).toBe("changed");
  });
});
