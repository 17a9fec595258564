import { useMemo, useRef, useState } from "react";
import type { Environment } from "../../bindings";
import { CostPanel } from "./cost/CostPanel";
import { useCostEstimate } from "./cost/useCostEstimate";
import { setDraftSpec, useDraft } from "./draftStore";
import { ExportView } from "./export/ExportView";
import { IssuesProvider } from "./form/FieldIssues";
import { countIssues, focusField, indexIssues } from "./form/issuePaths";
import { hideRun, useRunsStore } from "../runs/runStore";
import { PlanView } from "./plan/PlanView";
import { usePlans } from "./plan/usePlans";
import { AccessSection } from "./sections/AccessSection";
import { AddonsSection } from "./sections/AddonsSection";
import { ClusterSection } from "./sections/ClusterSection";
import { IamSection } from "./sections/IamSection";
import { NetworkSection } from "./sections/NetworkSection";
import { NodeGroupsSection } from "./sections/NodeGroupsSection";
import { IpGuardPanel } from "./side/IpGuardPanel";
import { IssuesSummary } from "./side/IssuesSummary";
import { applyEdit, type EditSpec, type SectionProps, type Spec } from "./spec";
import { SpecFileBar } from "./SpecFileBar";
import { useSpecChecks } from "./useSpecChecks";

type View = "form" | "plan" | "export";
const VIEWS: { view: View; label: string }[] = [
  { view: "form", label: "Spec" },
  { view: "plan", label: "Plan" },
  { view: "export", label: "Export" },
];

export function CreateWorkspace({ environment, seed }: { environment: Environment; seed: Spec }) {
  // The draft outlives a visit to another page.
  const spec = useDraft().spec ?? seed;
  const setSpec = (next: Spec) => setDraftSpec(() => next, seed);
  const edit: EditSpec = (recipe) => setDraftSpec((s) => applyEdit(s, recipe), seed);
  const { shown, showCount } = useRunsStore();
  // A run brought into view (here or from the banner) opens the Plan view.
  const [view, setView] = useState<View>(shown ? "plan" : "form");
  const [seenShowCount, setSeenShowCount] = useState(showCount);
  if (showCount !== seenShowCount) {
    setSeenShowCount(showCount);
    setView("plan");
  }
  const formRef = useRef<HTMLDivElement>(null);
  const { check, checking, checkError, choices, accountId } = useSpecChecks(environment, spec);
  const { cost, estimating, costError } = useCostEstimate(spec);
  const plans = usePlans(environment);

  const issues = useMemo(() => check?.issues ?? [], [check]);
  const index = useMemo(() => indexIssues(issues), [issues]);
  const counts = countIssues(issues);
  const showField = (field: string, alsoTry: string[] = []) => {
    setView("form");
    // After the form is shown again.
    setTimeout(() => formRef.current && focusField(formRef.current, field, alsoTry), 0);
  };
  const plan = () => {
    // A new plan is shown instead of the last run's progress (which stays one click away).
    hideRun();
    setView("plan");
    plans.plan(spec);
  };
  const sectionProps: SectionProps = { spec, edit, choices, environment, availabilityZones: check && !check.account.zonesAssumed ? check.account.availabilityZones : [] };

  return (
    <div className="page create-page" data-testid="create-page">
      <header className="panel create-header">
        <div className="create-title">
          <h2>Create a cluster</h2>
          <span className="muted">
            {spec.cluster.name || "(unnamed)"} · {spec.cluster.region || "(no region)"}
          </span>
        </div>
        <SpecFileBar spec={spec} region={environment.region} onLoad={setSpec} />
        <div className="tabs" role="tablist" aria-label="Create views">
          {VIEWS.map((v) => (
            <button
              key={v.view}
              type="button"
              role="tab"
              aria-selected={view === v.view}
              className={view === v.view ? "tab active" : "tab"}
              data-testid={`view-${v.view}`}
              onClick={() => setView(v.view)}
            >
              {v.label}
            </button>
          ))}
          <span className="tabs-spacer" />
          <button type="button" className="primary" data-testid="plan-button" disabled={plans.isPending} onClick={plan}>
            {plans.isPending ? "Planning…" : "Plan"}
          </button>
          <button type="button" data-testid="export-button" onClick={() => setView("export")}>
            Export
          </button>
        </div>
      </header>
      <IssuesProvider index={index}>
        <div className="create-body" hidden={view !== "form"}>
          <div className="create-form" ref={formRef}>
            <ClusterSection {...sectionProps} />
            <NetworkSection {...sectionProps} />
            <IamSection {...sectionProps} />
            <NodeGroupsSection {...sectionProps} />
            <AddonsSection {...sectionProps} />
            <AccessSection {...sectionProps} />
          </div>
          <aside className="create-side">
            <IssuesSummary
              issues={issues}
              account={check?.account}
              accountId={accountId}
              region={spec.cluster.region}
              checking={checking}
              checkError={checkError}
              onShow={(field) => showField(field)}
            />
            <IpGuardPanel usages={check?.ipGuard ?? []} onShow={(field) => showField(field, [`${field}.cidr`])} />
            <CostPanel cost={cost} estimating={estimating} costError={costError} />
          </aside>
        </div>
      </IssuesProvider>
      {view === "plan" && (
        <PlanView
          plans={plans}
          spec={spec}
          environment={environment}
          accountId={accountId}
          errorCount={counts.error}
          onPlan={plan}
          onShowField={showField}
        />
      )}
      {view === "export" && <ExportView spec={spec} errorCount={counts.error} />}
    </div>
  );
}
