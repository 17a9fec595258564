import { Component, type ReactNode } from "react";

type State = { message: string | null };

/** If the graph cannot be drawn, say so and keep the rest of the plan. */
export class GraphBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { message: null };

  static getDerivedStateFromError(error: unknown): State {
    return { message: error instanceof Error ? error.message : String(error) };
  }

  render() {
    if (this.state.message !== null) {
      return (
        <p className="plan-graph plan-graph-failed" data-testid="plan-graph-error">
          The graph could not be drawn ({this.state.message}); the list below has every step.
        </p>
      );
    }
    return this.props.children;
  }
}
