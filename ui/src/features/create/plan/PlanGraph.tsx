import { Background, Controls, Handle, Position, ReactFlow, type NodeProps } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useMemo } from "react";
import type { PlanStep } from "../../../bindings";
import type { StepProgress } from "../../runs/runState";
import { StepElapsed } from "../../runs/StepElapsed";
import { STATE_LABEL, STATE_MARK } from "../../runs/stepStateLabels";
import type { StepMark } from "./planDiff";
import { planFlow, type StepNode } from "./planFlow";
import { ACTION_LABEL, KIND_LABEL, MARK_LABEL } from "./stepLabels";

function StepBox({ data }: NodeProps<StepNode>) {
  const { step, mark, progress } = data;
  const state = progress?.state.state;
  const title = [
    `${KIND_LABEL[step.kind]} ${step.name}`,
    step.detail,
    step.note ?? "",
    `action: ${step.action}`,
    progress ? `${STATE_LABEL[progress.state.state]}: ${progress.message}` : "",
  ]
    .filter(Boolean)
    .join("\n");
  const classes = ["plan-node", `plan-node-${step.action}`, mark ? "plan-node-marked" : "", state ? `plan-node-run plan-node-state-${state}` : ""];
  return (
    <div className={classes.filter(Boolean).join(" ")} title={title} data-step={step.id} data-step-state={state}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <span className="plan-node-top">
        <span className="plan-node-kind">
          {KIND_LABEL[step.kind]}
          {step.action !== "create" && !progress && <span className="plan-node-action"> · {ACTION_LABEL[step.action]}</span>}
          {mark && <span className="plan-mark">{MARK_LABEL[mark]}</span>}
        </span>
        {progress && state !== "pending" && (
          <span className="plan-node-state">
            <span aria-label={STATE_LABEL[progress.state.state]}>{STATE_MARK[progress.state.state]}</span>{" "}
            <StepElapsed progress={progress} />
          </span>
        )}
      </span>
      <span className="plan-node-name">{step.name}</span>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

const NODE_TYPES = { step: StepBox };

type Props = {
  steps: readonly PlanStep[];
  marks: ReadonlyMap<string, StepMark>;
  /** While a run goes on: each step's state, which colours its node. */
  progress?: Readonly<Record<string, StepProgress>>;
};

/**
 * The plan's dependency graph: steps coloured by action (or, during a run,
 * by state), arrows from a step to what needs it.
 */
export function PlanGraph({ steps, marks, progress }: Props) {
  const flow = useMemo(() => planFlow(steps, marks), [steps, marks]);
  const { edges, width, height } = flow;
  // Progress changes often; the layout only when the steps do.
  const nodes = useMemo(
    () => (progress ? flow.nodes.map((n) => ({ ...n, data: { ...n.data, progress: progress[n.id] } })) : flow.nodes),
    [flow.nodes, progress],
  );
  // As tall as the graph needs at the window's width (within the CSS limits).
  const aspectRatio = width > 0 && height > 0 ? `${width} / ${height}` : undefined;
  return (
    <div className="plan-graph" data-testid="plan-graph" style={{ aspectRatio, height: aspectRatio ? "auto" : undefined }}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        fitView
        fitViewOptions={{ padding: 0.04, maxZoom: 1.2 }}
        minZoom={0.2}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
