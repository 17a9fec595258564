import type { PodRow } from "../../bindings";
import { age, ownerText, ready, statusClass } from "./podFormat";
import { visible } from "./visibleText";

type Props = {
  /** Null while its window has not arrived (a fast scroll). */
  row: PodRow | null;
  index: number;
  /** Where the virtual list puts it, in pixels from the list's top. */
  top: number;
  height: number;
  now: number;
};

/** One pod of the virtual list, placed at its row in the full list. */
export function PodRowView({ row, index, top, height, now }: Props) {
  const place = { transform: `translateY(${top}px)`, height };
  if (!row) {
    return (
      <div role="row" className="pod-grid pod-row pod-row-loading" aria-rowindex={index + 2} style={place} data-testid="pod-row-loading">
        <div role="cell" className="muted">…</div>
      </div>
    );
  }
  const owner = ownerText(row.owner);
  return (
    <div
      role="row"
      className={row.problem ? "pod-grid pod-row pod-row-problem" : "pod-grid pod-row"}
      aria-rowindex={index + 2}
      style={place}
      data-testid="pod-row"
      data-pod={`${row.namespace}/${row.name}`}
    >
      <div role="cell" title={visible(row.namespace)}>{visible(row.namespace)}</div>
      <div role="cell" className="pod-name" title={visible(row.name)}>{visible(row.name)}</div>
      <div role="cell">{ready(row)}</div>
      <div role="cell" className={statusClass(row)} data-testid="pod-status">{visible(row.status)}</div>
      <div role="cell" className={row.restarts > 0 ? "pod-restarts-some" : undefined}>{row.restarts}</div>
      <div role="cell" title={row.created ?? undefined}>{age(row.created, now)}</div>
      <div role="cell" title={row.node ? visible(row.node) : undefined}>{row.node ? visible(row.node) : ""}</div>
      <div role="cell" className="mono">{row.ip ?? ""}</div>
      <div role="cell" title={visible(owner)}>{visible(owner)}</div>
    </div>
  );
}
