// Test-only helpers for the workloads views: Rust's LiveState, pod rows,
// windows, the overview and node cards, and a watch whose Channel the test
// sends LiveStates through.
import { act, waitFor } from "@testing-library/react";
import type {
  Connection,
  KindState,
  LiveState,
  NodeCard_Serialize,
  NodeRow_Serialize,
  Overview,
  PodQuery_Deserialize,
  PodRow_Serialize,
  PodStates,
  PodWindow_Serialize,
} from "../bindings";
import { ok } from "./fixtures";
import type { FakeChannel } from "./runFixtures";

export const CONNECTION = "eks:eu-west-1/demo";

export function kind(connection: Connection = { state: "live" }, version = 1, count = 0): KindState {
  return { connection, version, count };
}

export function liveState(overrides: Partial<LiveState> = {}): LiveState {
  return { pods: kind(), nodes: kind(), ...overrides };
}

export function podRow(overrides: Partial<PodRow_Serialize> = {}): PodRow_Serialize {
  const name = overrides.name ?? "web-5d4f-abcde";
  return {
    uid: `uid-${overrides.namespace ?? "default"}-${name}`,
    namespace: "default",
    name,
    readyContainers: 1,
    containers: 1,
    status: "Running",
    phase: "running",
    restarts: 0,
    created: "2024-05-01T10:00:00Z",
    node: "ip-10-0-1-10.eu-west-1.compute.internal",
    ip: "10.0.1.23",
    owner: { kind: "ReplicaSet", name: "web-5d4f" },
    problem: false,
    ...overrides,
  };
}

export function podWindow(rows: PodRow_Serialize[], overrides: Partial<PodWindow_Serialize> = {}): PodWindow_Serialize {
  return { version: 1, total: rows.length, matching: rows.length, offset: 0, rows, ...overrides };
}

/** A podsWindow mock over `matching` pods named pod-<index>: it answers any offset and limit. */
export function manyPods(matching: number, total = matching) {
  return async (_connection: string, query: PodQuery_Deserialize) => {
    const offset = Math.min(query.offset ?? 0, matching);
    const count = Math.max(0, Math.min(query.limit ?? 1, matching - offset));
    const rows = Array.from({ length: count }, (_, i) => podRow({ name: `pod-${offset + i}` }));
    return ok(podWindow(rows, { total, matching, offset }));
  };
}

export function podStates(overrides: Partial<PodStates> = {}): PodStates {
  return { running: 0, pending: 0, succeeded: 0, failed: 0, unknown: 0, problems: 0, ...overrides };
}

export function overview(overrides: Partial<Overview> = {}): Overview {
  return {
    nodes: 3,
    nodesReady: 2,
    pods: podStates({ running: 40, pending: 2, succeeded: 5, failed: 1, problems: 3 }),
    restarts: 17,
    byNodeGroup: { "ng-general": 2, "ng-spot": 1 },
    byZone: { "eu-west-1a": 2, "eu-west-1b": 1 },
    byCapacityType: { ON_DEMAND: 2, SPOT: 1 },
    ...overrides,
  };
}

export function nodeRow(overrides: Partial<NodeRow_Serialize> = {}): NodeRow_Serialize {
  return {
    name: "ip-10-0-1-10.eu-west-1.compute.internal",
    nodeGroup: "ng-general",
    zone: "eu-west-1a",
    instanceType: "m6i.xlarge",
    capacityType: "ON_DEMAND",
    kubeletVersion: "v1.31.4-eks-2d5f260",
    ready: true,
    pressures: [],
    cordoned: false,
    taints: [],
    allocatableCpuMilli: 3920,
    allocatableMemoryMib: 15565,
    allocatablePods: 58,
    created: "2024-05-01T09:00:00Z",
    ...overrides,
  };
}

export function nodeCard(node: Partial<NodeRow_Serialize> = {}, overrides: Partial<NodeCard_Serialize> = {}): NodeCard_Serialize {
  return {
    node: nodeRow(node),
    pods: podStates({ running: 12, pending: 1, problems: 1, succeeded: 1 }),
    podCount: 14,
    cpuRequestedMilli: 1200,
    memoryRequestedMib: 3174,
    // As Rust sends them: one per pod, problems first.
    marks: ["problem", "pending", ...Array<"running">(11).fill("running"), "succeeded"],
    moreMarks: 0,
    ...overrides,
  };
}

/**
 * A watchWorkloads mock that keeps the Channel the view passes, so that
 * `send` can push LiveStates through it as Rust does.
 */
export function heldWatch() {
  let channel: FakeChannel<LiveState> | null = null;
  return {
    command: (_connection: string, onState: unknown) => {
      channel = onState as FakeChannel<LiveState>;
      return Promise.resolve(ok(null));
    },
    /** Sends a LiveState once the view has started watching (its watch call goes out after a microtask). */
    async send(state: LiveState) {
      await waitFor(() => {
        if (!channel) throw new Error("the live view was not started");
      });
      const ch = channel as FakeChannel<LiveState> | null;
      if (!ch) return;
      await act(async () => {
        ch.send(state);
      });
    },
  };
}
