import { Background, Controls, Handle, Position, ReactFlow, type NodeProps } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useMemo } from "react";
import type { PlanStep } from "../../../bindings";
import type { StepMark } from "./planDiff";
import { planFlow, type StepNode } from "./planFlow";
import { ACTION_LABEL, KIND_LABEL, MARK_LABEL } from "./stepLabels";

function StepBox({ data }: NodeProps<StepNode>) {
  const { step, mark } = data;
  const title = [`${KIND_LABEL[step.kind]} ${step.name}`, step.detail, step.note ?? "", `action: ${step.action}`]
    .filter(Boolean)
    .join("\n");
  return (
    <div className={`plan-node plan-node-${step.action}${mark ? " plan-node-marked" : ""}`} title={title} data-step={step.id}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <span className="plan-node-kind">
        {KIND_LABEL[step.kind]}
        {step.action !== "create" && <span className="plan-node-action"> · {ACTION_LABEL[step.action]}</span>}
        {mark && <span className="plan-mark">{MARK_LABEL[mark]}</span>}
      </span>
      <span className="plan-node-name">{step.name}</span>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

const NODE_TYPES = { step: StepBox };

/** The plan's dependency graph: steps coloured by action, arrows from a step to what needs it. */
export function PlanGraph({ steps, marks }: { steps: readonly PlanStep[]; marks: ReadonlyMap<string, StepMark> }) {
  const { nodes, edges, width, height } = useMemo(() => planFlow(steps, marks), [steps, marks]);
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
