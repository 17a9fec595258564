import { createContext, useContext, type ReactNode } from "react";
import type { FieldIssue } from "../../../bindings";
import type { IssueIndex } from "./issuePaths";

const IssuesContext = createContext<IssueIndex>(new Map());

export function IssuesProvider({ index, children }: { index: IssueIndex; children: ReactNode }) {
  return <IssuesContext.Provider value={index}>{children}</IssuesContext.Provider>;
}

export function useFieldIssues(path: string): FieldIssue[] {
  return useContext(IssuesContext).get(path) ?? [];
}

function issuesId(path: string): string {
  return `issues-${path}`;
}

/** What every input of the form carries: its spec path, for tests, the
 * issues summary and screen readers. */
export function useFieldProps(path: string) {
  const issues = useFieldIssues(path);
  return {
    "data-field": path,
    "data-testid": `field-${path}`,
    "aria-invalid": issues.some((i) => i.severity === "error") || undefined,
    "aria-describedby": issues.length > 0 ? issuesId(path) : undefined,
  };
}

/** The backend's messages about `path`, errors in red, warnings in amber. */
export function FieldIssues({ path }: { path: string }) {
  const issues = useFieldIssues(path);
  if (issues.length === 0) return null;
  return (
    <div className="field-issues" id={issuesId(path)} data-testid={`issue-${path}`}>
      {issues.map((issue, i) => (
        <p key={i} className={`field-issue field-issue-${issue.severity}`} data-severity={issue.severity}>
          {issue.message}
        </p>
      ))}
    </div>
  );
}
