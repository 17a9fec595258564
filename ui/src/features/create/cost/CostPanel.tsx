import type { CostEstimate_Serialize } from "../../../bindings";
import { lineDetail, usd } from "./costText";

type Props = {
  /** Undefined until the first answer. */
  cost: CostEstimate_Serialize | undefined;
  estimating: boolean;
  /** Why the last estimate failed (the app's own failure), if it did. */
  costError: string | null;
};

/**
 * What the spec would cost a month, as Rust estimated it: the lines, their
 * total, the price table's date, and what the total leaves out.
 */
export function CostPanel({ cost, estimating, costError }: Props) {
  return (
    <section className="panel side-panel" data-testid="cost-panel">
      <header className="panel-header">
        <h2>Monthly cost (estimate)</h2>
        {estimating && <span className="muted">Estimating…</span>}
      </header>
      {costError && <p className="field-issue field-issue-error">The estimate failed: {costError}</p>}
      {cost === undefined ? (
        <p className="muted">No estimate yet.</p>
      ) : (
        <>
          <p className="cost-total">
            <strong data-testid="cost-total">{usd(cost.totalMonthlyUsd)}</strong>{" "}
            <span className="muted">{cost.currency} a month, of what could be priced</span>
          </p>
          <p className="muted section-note" data-testid="cost-label">
            {cost.label}.
          </p>
          <ul className="cost-lines" data-testid="cost-lines">
            {cost.lines.map((line, i) => (
              <li key={i} className="cost-line">
                <div className="cost-line-head">
                  <span>{line.what}</span>
                  <span className="cost-amount">{usd(line.monthlyUsd)}</span>
                </div>
                <div className="muted cost-line-detail">{lineDetail(line)}</div>
                {line.note && <div className="muted cost-line-detail">{line.note}</div>}
              </li>
            ))}
          </ul>
          {cost.notes.length > 0 && (
            <ul className="notes" data-testid="cost-notes">
              {cost.notes.map((note, i) => (
                <li key={i}>{note}</li>
              ))}
            </ul>
          )}
          {cost.unpriced.length > 0 && (
            <div data-testid="cost-unpriced">
              <h3 className="cost-subhead">Not in the total</h3>
              <ul className="notes">
                {cost.unpriced.map((item, i) => (
                  <li key={i} className="muted">
                    {item}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <p className="muted cost-source">Prices: {cost.priceSource}.</p>
        </>
      )}
    </section>
  );
}
