import type { AccountCheck, FieldIssue } from "../../../bindings";
import { countIssues } from "../form/issuePaths";

type Props = {
  issues: FieldIssue[];
  account: AccountCheck | undefined;
  /** From the caller identity, when known: "checked against account …". */
  accountId: string | undefined;
  region: string;
  checking: boolean;
  /** Why the last check failed (the app's own failure), if it did. */
  checkError: string | null;
  onShow: (field: string) => void;
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function AccountLine({ account, accountId, region }: { account: AccountCheck; accountId: string | undefined; region: string }) {
  if (!account.checked) {
    return (
      <p className="muted" data-testid="account-check">
        {account.offlineReason}
      </p>
    );
  }
  return (
    <div data-testid="account-check">
      <p className="muted">
        Checked against account {accountId ?? "(unknown)"} in {region}.
      </p>
      {account.notes.length > 0 && (
        <ul className="notes">
          {account.notes.map((note, i) => (
            <li key={i} className="muted">
              Not checked: {note}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Counts of errors and warnings, each issue a link to its field. */
export function IssuesSummary({ issues, account, accountId, region, checking, checkError, onShow }: Props) {
  const counts = countIssues(issues);
  return (
    <section className="panel side-panel" data-testid="issues-summary">
      <header className="panel-header">
        <h2>Checks</h2>
        {checking && <span className="muted">Checking…</span>}
      </header>
      <p className="issue-counts" data-testid="issue-counts">
        <span className={counts.error > 0 ? "count-error" : "count-ok"} data-testid="error-count">
          {plural(counts.error, "error")}
        </span>
        {" · "}
        <span className={counts.warning > 0 ? "count-warning" : "count-ok"} data-testid="warning-count">
          {plural(counts.warning, "warning")}
        </span>
      </p>
      {checkError && <p className="field-issue field-issue-error">Could not check the spec: {checkError}</p>}
      {issues.length > 0 && (
        <ol className="issue-list">
          {issues.map((issue, i) => (
            <li key={i}>
              <button
                type="button"
                className={`issue-link issue-link-${issue.severity}`}
                data-issue-field={issue.field}
                title={`Go to ${issue.field}`}
                onClick={() => onShow(issue.field)}
              >
                <span className="issue-field mono">{issue.field}</span>
                <span>{issue.message}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      {account && <AccountLine account={account} accountId={accountId} region={region} />}
    </section>
  );
}
