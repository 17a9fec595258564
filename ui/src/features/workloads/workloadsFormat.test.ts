import { describe, expect, it } from "vitest";
import { nodeCard } from "../../test/workloadsFixtures";
import { cpuText, memoryText, podsText } from "./nodeFormat";
import { age } from "./podFormat";

describe("a pod's age", () => {
  const now = Date.parse("2024-05-10T12:00:00Z");
  it("reads in its largest unit, as kubectl's AGE", () => {
    expect(age("2024-05-10T11:59:15Z", now)).toBe("45s");
    expect(age("2024-05-10T11:55:00Z", now)).toBe("5m");
    expect(age("2024-05-10T08:30:00Z", now)).toBe("3h");
    expect(age("2024-05-08T11:00:00Z", now)).toBe("2d");
  });
  it("is ? without a creation time, and never negative for a clock ahead of ours", () => {
    expect(age(null, now)).toBe("?");
    expect(age("not a time", now)).toBe("?");
    expect(age("2024-05-10T12:00:05Z", now)).toBe("0s");
  });
});

describe("a node card's numbers", () => {
  it("say ? for what the node does not report", () => {
    const card = nodeCard({ allocatableCpuMilli: null, allocatableMemoryMib: null, allocatablePods: null });
    expect(cpuText(card)).toBe("1.2 / ? cores");
    expect(memoryText(card)).toBe("3.1 / ? GiB");
    expect(podsText(card)).toBe("14 / ? pods");
  });
});
