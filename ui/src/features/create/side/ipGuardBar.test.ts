import { describe, expect, it } from "vitest";
import { usage } from "../../../test/specFixtures";
import { barSegments, headroomShort } from "./ipGuardBar";

describe("barSegments", () => {
  it("splits the usable IPs into upgrade ENIs, node IPs and headroom", () => {
    const bar = barSegments(usage({ usableIps: 100, controlPlaneEnisDuringUpgrade: 10, nodeIpsAtMaxScale: 60, headroom: 30 }));
    expect(bar).toEqual({ controlPlane: 10, nodes: 60, headroom: 30, limit: 100 });
  });

  it("scales to the demand when it exceeds the usable IPs", () => {
    const bar = barSegments(usage({ usableIps: 11, controlPlaneEnisDuringUpgrade: 4, nodeIpsAtMaxScale: 40, headroom: -33 }));
    expect(bar.controlPlane + bar.nodes).toBeCloseTo(100);
    expect(bar.headroom).toBe(0);
    expect(bar.limit).toBeCloseTo(25);
  });

  it("copes with a subnet that has no usable IPs", () => {
    const bar = barSegments(usage({ usableIps: 0, controlPlaneEnisDuringUpgrade: 0, nodeIpsAtMaxScale: 0, headroom: 0 }));
    expect(bar).toEqual({ controlPlane: 0, nodes: 0, headroom: 0, limit: 0 });
  });
});

describe("headroomShort", () => {
  it("wants 5 free IPs in control-plane and shared subnets", () => {
    expect(headroomShort(usage({ role: "controlPlane", headroom: 4 }))).toBe(true);
    expect(headroomShort(usage({ role: "controlPlane", headroom: 5 }))).toBe(false);
    expect(headroomShort(usage({ role: "shared", headroom: 3 }))).toBe(true);
  });

  it("only wants node subnets not to run out", () => {
    expect(headroomShort(usage({ role: "nodes", headroom: 0 }))).toBe(false);
    expect(headroomShort(usage({ role: "nodes", headroom: -1 }))).toBe(true);
  });
});
