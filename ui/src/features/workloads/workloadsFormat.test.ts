import { describe, expect, it } from "vitest";
import { nodeCard, podStates } from "../../test/workloadsFixtures";
import { cpuText, memoryText, podMarks, podsText } from "./nodeFormat";
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

describe("a node's pod marks", () => {
  it("draw one mark per pod, each problem once, problems first", () => {
    // 6 pods, 3 of them problems: the 2 failed ones and one more, taken from pending before running.
    const { marks, more } = podMarks(podStates({ running: 3, pending: 1, failed: 2, problems: 3 }), 100);
    expect(marks).toEqual(["problem", "problem", "problem", "running", "running", "running"]);
    expect(more).toBe(0);
  });
  it("stop at the cap and count the rest", () => {
    const { marks, more } = podMarks(podStates({ running: 250 }), 60);
    expect(marks).toHaveLength(60);
    expect(more).toBe(190);
  });
});
