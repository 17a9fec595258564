import { describe, expect, it } from "vitest";
import { render } from "@testing-library/react";
import type { FieldIssue } from "../../../bindings";
import { countIssues, displayPath, findFieldElement, indexIssues, parentPath } from "./issuePaths";

const error = (field: string, message = `bad ${field}`): FieldIssue => ({ field, message, severity: "error" });
const warning = (field: string, message = `odd ${field}`): FieldIssue => ({ field, message, severity: "warning" });

describe("displayPath", () => {
  it("keeps paths that have an input of their own", () => {
    for (const path of ["cluster.name", "network.controlPlaneSubnets[1].cidr", "nodeGroups[0].maxSize", "network.nodeSubnets[2]"]) {
      expect(displayPath(path)).toBe(path);
    }
  });

  it("puts items of one-box lists under the box", () => {
    expect(displayPath("access.entries[0].scope.namespaces[3]")).toBe("access.entries[0].scope.namespaces");
    expect(displayPath("nodeGroups[1].subnets[0]")).toBe("nodeGroups[1].subnets");
  });
});

describe("indexIssues and countIssues", () => {
  it("groups issues by path in the order reported and counts severities", () => {
    const issues = [
      error("cluster.name", "one"),
      warning("nodeGroups[0].subnets[1]"),
      error("cluster.name", "two"),
      error("nodeGroups[0].subnets[0]"),
    ];
    const index = indexIssues(issues);
    expect(index.get("cluster.name")?.map((i) => i.message)).toEqual(["one", "two"]);
    expect(index.get("nodeGroups[0].subnets")).toHaveLength(2);
    expect(countIssues(issues)).toEqual({ error: 3, warning: 1 });
    expect(countIssues([])).toEqual({ error: 0, warning: 0 });
  });
});

describe("parentPath", () => {
  it("walks up one segment at a time", () => {
    expect(parentPath("network.controlPlaneSubnets[1].cidr")).toBe("network.controlPlaneSubnets[1]");
    expect(parentPath("network.controlPlaneSubnets[1]")).toBe("network.controlPlaneSubnets");
    expect(parentPath("network.controlPlaneSubnets")).toBe("network");
    expect(parentPath("network")).toBeNull();
  });
});

describe("findFieldElement", () => {
  it("finds the input of a path, or the nearest section holding it", () => {
    render(
      <>
        <div data-field="network.controlPlaneSubnets">
          <input data-field="network.controlPlaneSubnets[0].cidr" id="cidr0" />
        </div>
        <input data-field="access.entries[0].scope.namespaces" id="ns" />
      </>,
    );
    expect(findFieldElement(document, "network.controlPlaneSubnets[0].cidr")?.id).toBe("cidr0");
    expect(findFieldElement(document, "network.controlPlaneSubnets[2].availabilityZone")?.dataset.field).toBe(
      "network.controlPlaneSubnets",
    );
    expect(findFieldElement(document, "access.entries[0].scope.namespaces[1]")?.id).toBe("ns");
    expect(findFieldElement(document, "network.controlPlaneSubnets[0]", ["network.controlPlaneSubnets[0].cidr"])?.id).toBe("cidr0");
    expect(findFieldElement(document, "iam.clusterRole.name")).toBeNull();
  });
});
