import { useState } from "react";
import { FieldIssues, useFieldProps } from "./FieldIssues";
import { RemoveButton } from "./inputs";

type Row = { key: string; value: string };
type Props = {
  /** Spec path of the whole map, e.g. `cluster.tags`: its issues show below. */
  path: string;
  value: Record<string, string>;
  onChange: (value: Record<string, string>) => void;
  /** "tag" or "label": names the rows and the add button. */
  noun: string;
};

function rowsOf(map: Record<string, string>): Row[] {
  return Object.entries(map).map(([key, value]) => ({ key, value }));
}

/** Rows that are still blank are not part of the map yet. */
function mapOf(rows: Row[]): Record<string, string> {
  return Object.fromEntries(rows.filter((r) => r.key !== "" || r.value !== "").map((r) => [r.key, r.value]));
}

const same = (a: Record<string, string>, b: Record<string, string>) => JSON.stringify(a) === JSON.stringify(b);

/** Key/value pairs (tags, labels), one row each. */
export function KeyValueEditor({ path, value, onChange, noun }: Props) {
  const [rows, setRows] = useState<Row[]>(() => rowsOf(value));
  const [shown, setShown] = useState(value);
  if (!same(shown, value)) {
    setShown(value);
    setRows(rowsOf(value));
  }
  const update = (next: Row[]) => {
    setRows(next);
    const map = mapOf(next);
    setShown(map);
    if (!same(map, value)) onChange(map);
  };
  const { "data-field": field, "data-testid": testId } = useFieldProps(path);
  return (
    <div className="kv-editor" data-field={field} data-testid={testId} tabIndex={-1}>
      {rows.map((row, i) => (
        <div className="kv-row" key={i}>
          <input
            type="text"
            aria-label={`${noun} ${i + 1} key`}
            placeholder="key"
            value={row.key}
            spellCheck={false}
            onChange={(e) => update(rows.map((r, j) => (j === i ? { ...r, key: e.target.value } : r)))}
          />
          <span className="muted">=</span>
          <input
            type="text"
            aria-label={`${noun} ${i + 1} value`}
            placeholder="value"
            value={row.value}
            spellCheck={false}
            onChange={(e) => update(rows.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))}
          />
          <RemoveButton label={`Remove ${noun} ${i + 1}`} onClick={() => update(rows.filter((_, j) => j !== i))} />
        </div>
      ))}
      <button type="button" className="link-button" onClick={() => setRows([...rows, { key: "", value: "" }])}>
        + Add {noun}
      </button>
      <FieldIssues path={path} />
    </div>
  );
}
