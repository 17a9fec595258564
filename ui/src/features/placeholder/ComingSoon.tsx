const WHAT: Record<string, string> = {
  Create: "Plan a cluster through forms, check subnets and IP headroom, and export Terraform or eksctl.",
  Access: "Grant IAM principals access to a cluster through access entries and policies.",
  Settings: "Preferences for the app: defaults for new clusters, log level, kubeconfig location.",
};

export function ComingSoon({ page }: { page: string }) {
  return (
    <div className="page" data-testid={`coming-soon-${page.toLowerCase()}`}>
      <section className="panel empty">
        <h2>{page}</h2>
        <p>{WHAT[page]}</p>
        <p className="muted">Coming soon.</p>
      </section>
    </div>
  );
}
