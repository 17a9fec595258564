import { MarkerType, Position, type Edge, type Node } from "@xyflow/react";
import type { PlanStep } from "../../../bindings";
import type { StepProgress } from "../../runs/runState";
import type { StepMark } from "./planDiff";
import { layoutPlan, NODE_HEIGHT, NODE_WIDTH } from "./planLayout";

/** `progress` is set while the plan is being applied or destroyed. */
export type StepNodeData = { step: PlanStep; mark: StepMark | undefined; progress?: StepProgress };
export type StepNode = Node<StepNodeData, "step">;

/** The plan as React Flow nodes and edges, laid out left to right. */
export function planFlow(
  steps: readonly PlanStep[],
  marks: ReadonlyMap<string, StepMark>,
): { nodes: StepNode[]; edges: Edge[]; width: number; height: number } {
  const { nodes, links, width, height } = layoutPlan(steps);
  const byId = new Map(steps.map((s) => [s.id, s]));
  return {
    width,
    height,
    nodes: nodes.map((n) => {
      const step = byId.get(n.id)!;
      return {
        id: n.id,
        type: "step",
        position: { x: n.x, y: n.y },
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        data: { step, mark: marks.get(n.id) },
        sourcePosition: Position.Right,
        targetPosition: Position.Left,
        draggable: false,
        connectable: false,
      };
    }),
    edges: links.map((l) => ({
      id: l.id,
      source: l.source,
      target: l.target,
      markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 },
      className: "plan-edge",
    })),
  };
}
