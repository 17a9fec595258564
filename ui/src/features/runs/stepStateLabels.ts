import type { StepState } from "../../bindings";

type State = StepState["state"];

export const STATE_LABEL: Record<State, string> = {
  pending: "pending",
  running: "running",
  done: "done",
  failed: "failed",
  cancelled: "cancelled",
};

/** Badge tone of each state, from the app's palette. */
export const STATE_TONE: Record<State, string> = {
  pending: "muted",
  running: "busy",
  done: "ok",
  failed: "bad",
  cancelled: "warn",
};

/** A one-character sign of each state, for the graph's small nodes (the colour says it too). */
export const STATE_MARK: Record<State, string> = {
  pending: "",
  running: "●",
  done: "✓",
  failed: "✗",
  cancelled: "■",
};
