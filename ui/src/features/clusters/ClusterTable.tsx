import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import type { ClusterSummary } from "../../bindings";
import { StatusBadge } from "./StatusBadge";

const col = createColumnHelper<ClusterSummary>();

function formatCreated(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

const columns = [
  col.accessor("name", { header: "Name", cell: (c) => <span className="cluster-name">{c.getValue()}</span> }),
  col.accessor("status", { header: "Status", cell: (c) => <StatusBadge status={c.getValue()} /> }),
  col.accessor("version", { header: "Kubernetes", cell: (c) => c.getValue() ?? "—" }),
  col.accessor("endpoint", {
    header: "Endpoint",
    cell: (c) => <span className="mono endpoint">{c.getValue() ?? "—"}</span>,
  }),
  col.accessor("authenticationMode", { header: "Authentication", cell: (c) => c.getValue() ?? "—" }),
  col.accessor("createdAt", { header: "Created", cell: (c) => formatCreated(c.getValue()) }),
  col.accessor("platformVersion", { header: "Platform", cell: (c) => c.getValue() ?? "—" }),
  col.accessor("tags", {
    header: "Tags",
    cell: (c) => {
      const tags = Object.entries(c.getValue());
      if (tags.length === 0) return "—";
      return (
        <span className="tags">
          {tags.map(([k, v]) => (
            <span key={k} className="tag">
              {k}={v}
            </span>
          ))}
        </span>
      );
    },
  }),
];

type Props = {
  clusters: ClusterSummary[];
  onConnect: (cluster: ClusterSummary) => void;
  onAddToKubeconfig: (cluster: ClusterSummary) => void;
};

/** Connect and Add to kubeconfig, outside the table's columns: they are actions, not data. */
function RowActions({ cluster, onConnect, onAddToKubeconfig }: { cluster: ClusterSummary } & Omit<Props, "clusters">) {
  const active = cluster.status === "ACTIVE";
  return (
    <span className="row-actions">
      <button
        type="button"
        data-testid={`connect-${cluster.name}`}
        disabled={!active}
        title={active ? `Sign in to ${cluster.name}` : `${cluster.name} is ${cluster.status}: it can be opened once it is ACTIVE`}
        onClick={() => onConnect(cluster)}
      >
        Connect
      </button>
      <button type="button" data-testid={`add-kubeconfig-${cluster.name}`} onClick={() => onAddToKubeconfig(cluster)}>
        Add to kubeconfig
      </button>
    </span>
  );
}

export function ClusterTable({ clusters, onConnect, onAddToKubeconfig }: Props) {
  const table = useReactTable({ data: clusters, columns, getCoreRowModel: getCoreRowModel() });
  return (
    <table className="data-table" data-testid="cluster-table">
      <thead>
        {table.getHeaderGroups().map((g) => (
          <tr key={g.id}>
            {g.headers.map((h) => (
              <th key={h.id}>{flexRender(h.column.columnDef.header, h.getContext())}</th>
            ))}
            <th>Actions</th>
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id} data-cluster={row.original.name}>
            {row.getVisibleCells().map((cell) => (
              <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
            ))}
            <td>
              <RowActions cluster={row.original} onConnect={onConnect} onAddToKubeconfig={onAddToKubeconfig} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
