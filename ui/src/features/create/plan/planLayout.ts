import dagre from "@dagrejs/dagre";
import type { PlanStep } from "../../../bindings";

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 46;

export type Placed = { id: string; x: number; y: number };
export type Link = { id: string; source: string; target: string };

/**
 * A left-to-right layered layout of the plan: each step after the steps it
 * depends on. Positions are top-left corners. Dependencies on steps that are
 * not in the plan are left out.
 */
export function layoutPlan(steps: readonly PlanStep[]): { nodes: Placed[]; links: Link[]; width: number; height: number } {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 10, ranksep: 44, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(steps.map((s) => s.id));
  for (const step of steps) g.setNode(step.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const links: Link[] = [];
  for (const step of steps) {
    for (const dep of step.dependsOn) {
      if (!ids.has(dep)) continue;
      g.setEdge(dep, step.id);
      links.push({ id: `${dep}->${step.id}`, source: dep, target: step.id });
    }
  }
  dagre.layout(g);
  const nodes = steps.map((step) => {
    const n = g.node(step.id);
    return { id: step.id, x: n.x - NODE_WIDTH / 2, y: n.y - NODE_HEIGHT / 2 };
  });
  const { width = 0, height = 0 } = g.graph();
  return { nodes, links, width, height };
}
