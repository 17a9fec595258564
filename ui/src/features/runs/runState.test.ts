import { describe, expect, it } from "vitest";
import type { Environment } from "../../bindings";
import { journal, progress } from "../../test/runFixtures";
import { seedSpec, step } from "../../test/specFixtures";
import { elapsedOf, failedStep, formatElapsed, LOG_LIMIT, newRun, withBatch, withOutcome } from "./runState";

const ENV: Environment = { kind: "emulator", region: "ap-northeast-2" };
const STEPS = [step({ id: "a" }), step({ id: "b" }), step({ id: "c" })];
const fresh = () => newRun({ operation: "apply", spec: seedSpec(), environment: ENV, steps: STEPS, now: 1000 });

describe("run state", () => {
  it("starts with every step pending, or done where the journal says so", () => {
    const run = fresh();
    expect(run.phase).toBe("starting");
    expect(Object.values(run.progress).map((p) => p.state.state)).toEqual(["pending", "pending", "pending"]);
    expect([run.stepsDone, run.stepsTotal]).toEqual([0, 3]);
    const resumed = newRun({ operation: "apply", spec: seedSpec(), environment: ENV, steps: STEPS, journal: journal(["a"], ["a", "b", "c"]), now: 0 });
    expect(resumed.progress.a).toMatchObject({ state: { state: "done" }, earlier: true });
    expect(resumed.stepsDone).toBe(1);
  });

  it("takes a batch in order: the last event of a step wins, run events set the phase", () => {
    const run = withBatch(
      fresh(),
      [
        progress("run", { state: "running" }),
        progress("a", { state: "running" }),
        progress("a", { state: "done" }, { resourceId: "vpc-1", stepsDone: 1 }),
        progress("b", { state: "running" }, { message: "status CREATING", elapsedMs: 4000, stepsDone: 1 }),
      ],
      5000,
    );
    expect(run.phase).toBe("running");
    expect(run.started).toBe(true);
    expect(run.progress.a).toMatchObject({ state: { state: "done" }, resourceId: "vpc-1" });
    expect(run.progress.b).toMatchObject({ state: { state: "running" }, message: "status CREATING", receivedAt: 5000 });
    expect(run.stepsDone).toBe(1);
    expect(run.log.map((l) => l.text)).toEqual([
      "run running: started",
      "a running: started",
      "a done: done [vpc-1]",
      "b running: status CREATING",
    ]);
    // A later event without a resource id keeps the one known.
    expect(withBatch(run, [progress("a", { state: "done" })], 6000).progress.a.resourceId).toBe("vpc-1");
  });

  it("ends as the command says: done, cancelled, or failed with the error", () => {
    const summary = { operation: "apply" as const, steps: 3, waves: 2, wallMs: 10, journalPath: "j" };
    expect(withOutcome(fresh(), { status: "ok", data: summary })).toMatchObject({ phase: "done", stepsDone: 3, summary });
    expect(withOutcome(fresh(), { status: "error", error: { code: "cancelled", message: "Cancelled." } }).phase).toBe("cancelled");
    const failed = withOutcome(fresh(), { status: "error", error: { code: "conflict", message: "already running" } });
    expect(failed).toMatchObject({ phase: "failed", error: { code: "conflict" } });
  });

  it("finds the failed step with the engine's words", () => {
    const run = withBatch(fresh(), [progress("b", { state: "failed", message: "AWS said no", operation: "iam:CreateRole" })], 0);
    expect(failedStep(run)).toMatchObject({ id: "b", message: "AWS said no", operation: "iam:CreateRole" });
    expect(failedStep(fresh())).toBeNull();
  });

  it("keeps only the newest log lines", () => {
    const events = Array.from({ length: LOG_LIMIT + 5 }, (_, i) => progress("a", { state: "running" }, { message: `poll ${i}` }));
    const run = withBatch(fresh(), events, 0);
    expect(run.log).toHaveLength(LOG_LIMIT);
    expect(run.log[run.log.length - 1].text).toBe(`a running: poll ${LOG_LIMIT + 4}`);
  });

  it("keeps a running step's clock going between events", () => {
    const running = { state: { state: "running" as const }, elapsedMs: 2000, receivedAt: 10_000, message: "", resourceId: null };
    expect(elapsedOf(running, 13_500)).toBe(5500);
    expect(elapsedOf({ ...running, state: { state: "done" } }, 13_500)).toBe(2000);
    expect([formatElapsed(850), formatElapsed(12_400), formatElapsed(184_000)]).toEqual(["850 ms", "12 s", "3 min 04 s"]);
  });
});
