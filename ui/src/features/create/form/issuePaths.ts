// Where the form shows each issue the backend reports. Field paths come from
// the Rust rules (`network.controlPlaneSubnets[1].cidr`, `nodeGroups[0].maxSize`
// ...); the form has one input per path, except for lists typed as one text
// box, whose items' issues are shown under the box.
import type { FieldIssue, Severity } from "../../../bindings";

export type IssueIndex = ReadonlyMap<string, FieldIssue[]>;

/** Lists edited in one input: an issue about item N goes under the input. */
const ONE_INPUT_LISTS = [/^(access\.entries\[\d+\]\.scope\.namespaces)\[\d+\]$/, /^(nodeGroups\[\d+\]\.subnets)\[\d+\]$/];

/** The form path that shows the issues reported at `field`. */
export function displayPath(field: string): string {
  for (const list of ONE_INPUT_LISTS) {
    const m = list.exec(field);
    if (m) return m[1];
  }
  return field;
}

/** Issues grouped by the path that shows them, in the order reported. */
export function indexIssues(issues: readonly FieldIssue[]): IssueIndex {
  const index = new Map<string, FieldIssue[]>();
  for (const issue of issues) {
    const path = displayPath(issue.field);
    const list = index.get(path);
    if (list) list.push(issue);
    else index.set(path, [issue]);
  }
  return index;
}

export function countIssues(issues: readonly FieldIssue[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0 };
  for (const issue of issues) counts[issue.severity] += 1;
  return counts;
}

/** The path one level up: `a.b[2].c` → `a.b[2]` → `a.b` → `a`; null at the top. */
export function parentPath(path: string): string | null {
  const m = /^(.*)(\[\d+\]|\.[^.[\]]+)$/.exec(path);
  return m && m[1] ? m[1] : null;
}

/**
 * The element showing `field`, or the nearest section holding it. `alsoTry`
 * names more precise inputs to prefer when they exist.
 */
export function findFieldElement(root: ParentNode, field: string, alsoTry: readonly string[] = []): HTMLElement | null {
  const find = (path: string) => root.querySelector<HTMLElement>(`[data-field="${CSS.escape(path)}"]`);
  for (const path of alsoTry) {
    const el = find(path);
    if (el) return el;
  }
  for (let path: string | null = displayPath(field); path; path = parentPath(path)) {
    const el = find(path);
    if (el) return el;
  }
  return null;
}

/** Scrolls to the input of `field` and puts the cursor in it. */
export function focusField(root: ParentNode, field: string, alsoTry: readonly string[] = []): boolean {
  const el = findFieldElement(root, field, alsoTry);
  if (!el) return false;
  el.scrollIntoView?.({ block: "center", behavior: "smooth" });
  el.focus({ preventScroll: true });
  return true;
}
