// Test-only run data: progress events as the engine sends them, unfinished
// runs and journals as the backend returns them, and a stand-in for Tauri's
// Channel that a test can push batches through.
import type {
  Journal_Serialize,
  ProgressEvent_Serialize,
  StepState,
  UnfinishedRun_Serialize,
} from "../bindings";
import { act } from "@testing-library/react";
import { seedSpec } from "./specFixtures";

/** Lets timers of 0 ms run (TanStack Query notifies its observers on one). */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}

export function progress(
  stepId: string,
  state: StepState,
  overrides: Partial<ProgressEvent_Serialize> = {},
): ProgressEvent_Serialize {
  return {
    specId: seedSpec().id,
    operation: "apply",
    stepId,
    state,
    elapsedMs: 0,
    runElapsedMs: 0,
    message: state.state === "running" ? "started" : state.state,
    resourceId: null,
    stepsDone: 0,
    stepsTotal: 3,
    ...overrides,
  };
}

export function unfinishedRun(overrides: Partial<UnfinishedRun_Serialize> = {}): UnfinishedRun_Serialize {
  return {
    specId: seedSpec().id,
    clusterName: "my-eks",
    region: "ap-northeast-2",
    operation: "apply",
    status: "failed",
    environment: { kind: "emulator", region: "ap-northeast-2" },
    updatedAt: "2025-01-01T10:00:00.000Z",
    stepsDone: 2,
    stepsTotal: 3,
    failure: null,
    path: "/data/journals/x.json",
    ...overrides,
  };
}

export function journal(doneIds: string[], allIds: string[]): Journal_Serialize {
  return {
    version: 1,
    specId: seedSpec().id,
    operation: "apply",
    status: "failed",
    environment: { kind: "emulator", region: "ap-northeast-2" },
    spec: seedSpec(),
    startedAt: "2025-01-01T10:00:00.000Z",
    updatedAt: "2025-01-01T10:01:00.000Z",
    steps: allIds.map((id) => ({
      id,
      state: doneIds.includes(id) ? { state: "done" } : { state: "pending" },
      resourceId: null,
      clientRequestToken: null,
      message: null,
      startedAt: null,
      finishedAt: null,
    })),
  };
}

/** Stands in for `Channel` from @tauri-apps/api/core (which needs Tauri's IPC). */
export class FakeChannel<T> {
  onmessage: (message: T) => void = () => {};
  /** What the backend's `channel.send` does. */
  send(message: T) {
    this.onmessage(message);
  }
}

/**
 * A run command (startApply, resumeRun, startDestroy) that stays open until
 * the test ends it, like the real one while the run goes on. `send` pushes a
 * batch through the channel the UI passed.
 */
export function heldRun() {
  let channel: FakeChannel<ProgressEvent_Serialize[]> | null = null;
  let finish: ((result: unknown) => void) | null = null;
  return {
    /** The mock implementation: remembers the channel (the last argument). */
    command: (...args: unknown[]) => {
      channel = args[args.length - 1] as FakeChannel<ProgressEvent_Serialize[]>;
      return new Promise<never>((resolve) => {
        finish = resolve as (result: unknown) => void;
      });
    },
    /** Sends a batch and lets the UI take it in (the query cache notifies on a timer). */
    async send(batch: ProgressEvent_Serialize[]) {
      if (!channel) throw new Error("the run was not started");
      const ch = channel;
      await act(async () => {
        ch.send(batch);
        await settle();
      });
    },
    /** Ends the command with `result`, as the backend does when the run ends. */
    async finish(result: unknown) {
      if (!finish) throw new Error("the run was not started");
      const end = finish;
      await act(async () => {
        end(result);
        await settle();
      });
    },
  };
}
