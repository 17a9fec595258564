//! Apply, resume and destroy: builds the plan, opens the journal, and runs
//! the steps through the scheduler, dispatching each to its ensure (apply)
//! or destroy function. Orchestration only: what a step does lives in the
//! `ensure_*` and `destroy_*` files.

use super::config::EngineConfig;
use super::ensure_network::SubnetUse;
use super::error::ProvisionError;
use super::journal::{check_spec_id, JournalFile, Operation, WriteHook};
use super::progress::{Cancellation, ProgressSink};
use super::scheduler::{run_graph, RunContext, StepDone, StepHandle, StepRunner};
use super::step_call::{with_step_retries, StepCall, StepEnv};
use super::{destroy_eks, destroy_gateways, destroy_iam, destroy_leftovers, destroy_network};
use super::{
    ensure_access, ensure_addon, ensure_cluster, ensure_endpoints, ensure_gateways, ensure_iam,
    ensure_network, ensure_node_group, ensure_routes,
};
use crate::aws::AwsSession;
use crate::spec::plan::{
    self, ExistingResources, Plan, PlanStep, ResourceKind, StepAction, StepTarget,
};
use crate::spec::ClusterSpec;
use futures::future::BoxFuture;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a finished run did, for the CLI summary and the benchmark.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub operation: Operation,
    pub steps: usize,
    /// Length of the critical path, in steps.
    pub waves: usize,
    pub wall: Duration,
    /// Time steps spent sleeping between polls (summed over steps).
    pub waited: Duration,
    pub journal_writes: usize,
    pub journal_time: Duration,
    pub journal_path: PathBuf,
}

/// The scheduler's runner: every step with the run's environment, retried
/// after a transient failure.
struct Steps {
    env: StepEnv,
    operation: Operation,
}

impl StepRunner for Steps {
    fn run(
        self: Arc<Self>,
        step: PlanStep,
        handle: StepHandle,
    ) -> BoxFuture<'static, Result<StepDone, ProvisionError>> {
        Box::pin(async move {
            let call = &StepCall {
                env: &self.env,
                step: &step,
                handle: &handle,
            };
            match self.operation {
                Operation::Apply => {
                    with_step_retries(&handle, &self.env.config, || ensure(call)).await
                }
                Operation::Destroy => {
                    with_step_retries(&handle, &self.env.config, || remove(call)).await
                }
            }
        })
    }
}

async fn ensure(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    {
        match &call.step.target {
            StepTarget::Vpc => ensure_network::vpc(call).await,
            StepTarget::ControlPlaneSubnet(i) => {
                ensure_network::subnet(call, SubnetUse::ControlPlane, *i).await
            }
            StepTarget::NodeSubnet(i) => ensure_network::subnet(call, SubnetUse::Nodes, *i).await,
            StepTarget::PublicSubnet(i) => {
                ensure_network::subnet(call, SubnetUse::Public, *i).await
            }
            StepTarget::InternetGateway => ensure_gateways::internet_gateway(call).await,
            StepTarget::PublicRouteTable => ensure_routes::public(call).await,
            StepTarget::PrivateRouteTable(i) => ensure_routes::private(call, *i).await,
            StepTarget::ElasticIp(i) => ensure_gateways::elastic_ip(call, *i).await,
            StepTarget::NatGateway(i) => ensure_gateways::nat_gateway(call, *i).await,
            StepTarget::EndpointSecurityGroup => ensure_endpoints::security_group(call).await,
            StepTarget::VpcEndpoint(service) => ensure_endpoints::endpoint(call, *service).await,
            StepTarget::KubernetesLeftovers => Err(call.internal("a destroy step in an apply")),
            StepTarget::Role(role) => ensure_iam::role(call, *role).await,
            StepTarget::RolePolicy { role, policy_arn } => {
                ensure_iam::attach(call, *role, policy_arn).await
            }
            StepTarget::Cluster => ensure_cluster::cluster(call).await,
            StepTarget::NodeGroup(i) => ensure_node_group::node_group(call, *i).await,
            StepTarget::Addon(i) => ensure_addon::addon(call, *i).await,
            StepTarget::AccessEntry(i) => ensure_access::access_entry(call, *i).await,
            StepTarget::AccessPolicy(i) => ensure_access::access_policy(call, *i).await,
        }
    }
}

async fn remove(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    {
        match &call.step.target {
            StepTarget::AccessPolicy(i) => destroy_eks::access_policy(call, *i).await,
            StepTarget::AccessEntry(i) => destroy_eks::access_entry(call, *i).await,
            StepTarget::Addon(i) => destroy_eks::addon(call, *i).await,
            StepTarget::NodeGroup(i) => destroy_eks::node_group(call, *i).await,
            StepTarget::Cluster => destroy_eks::cluster(call).await,
            StepTarget::ControlPlaneSubnet(i) => {
                destroy_network::subnet(call, SubnetUse::ControlPlane, *i).await
            }
            StepTarget::NodeSubnet(i) => destroy_network::subnet(call, SubnetUse::Nodes, *i).await,
            StepTarget::PublicSubnet(i) => {
                destroy_network::subnet(call, SubnetUse::Public, *i).await
            }
            StepTarget::InternetGateway => destroy_gateways::internet_gateway(call).await,
            StepTarget::PublicRouteTable | StepTarget::PrivateRouteTable(_) => {
                destroy_gateways::route_table(call).await
            }
            StepTarget::ElasticIp(_) => destroy_gateways::elastic_ip(call).await,
            StepTarget::NatGateway(_) => destroy_gateways::nat_gateway(call).await,
            StepTarget::EndpointSecurityGroup => destroy_gateways::security_group(call).await,
            StepTarget::VpcEndpoint(_) => destroy_gateways::endpoint(call).await,
            StepTarget::KubernetesLeftovers => destroy_leftovers::kubernetes_leftovers(call).await,
            StepTarget::Vpc => destroy_network::vpc(call).await,
            StepTarget::RolePolicy { role, policy_arn } => {
                destroy_iam::role_policy(call, *role, policy_arn).await
            }
            StepTarget::Role(role) => destroy_iam::role(call, *role).await,
        }
    }
}

/// Runs apply, resume and destroy for one account and journal folder.
pub struct Provisioner {
    pub session: AwsSession,
    pub config: EngineConfig,
    /// The app passes `<app data>/journals`.
    pub journal_dir: PathBuf,
    pub events: Option<ProgressSink>,
    pub cancel: Cancellation,
    /// Called after every journal write (the crash tests stop the process
    /// there); `None` in the app and the CLI.
    pub journal_hook: Option<WriteHook>,
    /// A destroy deletes what Kubernetes left in the VPC (the user typed
    /// the confirmation); otherwise it stops and lists it.
    pub delete_leftovers: bool,
}

impl Provisioner {
    pub fn new(session: AwsSession, journal_dir: PathBuf) -> Self {
        Self {
            session,
            config: EngineConfig::default(),
            journal_dir,
            events: None,
            cancel: Cancellation::new(),
            journal_hook: None,
            delete_leftovers: false,
        }
    }

    /// Creates what the spec describes and is missing; reuses what this
    /// spec made before; stops at anything in the way. Tokens of an earlier
    /// apply of the same spec are reused.
    pub async fn apply(&self, spec: &ClusterSpec) -> Result<RunReport, ProvisionError> {
        check_spec_id(&spec.id)?;
        let earlier = JournalFile::load(&self.journal_dir, &spec.id)?
            .map(|f| f.journal().clone())
            .filter(|j| j.operation == Operation::Apply);
        self.start(Operation::Apply, spec, earlier.as_ref()).await
    }

    /// Removes what the app created for the spec (owner tag = spec id), in
    /// reverse dependency order; never touches what it does not own.
    pub async fn destroy(&self, spec: &ClusterSpec) -> Result<RunReport, ProvisionError> {
        check_spec_id(&spec.id)?;
        self.start(Operation::Destroy, spec, None).await
    }

    /// Continues the journal of `spec_id`: done steps are skipped, tokens
    /// and resource ids are reused. Works for apply and destroy journals.
    pub async fn resume(&self, spec_id: &str) -> Result<RunReport, ProvisionError> {
        let mut journal = JournalFile::load(&self.journal_dir, spec_id)?.ok_or_else(|| {
            ProvisionError::NoJournal {
                spec_id: spec_id.to_string(),
                dir: self.journal_dir.display().to_string(),
            }
        })?;
        journal.set_write_hook(self.journal_hook.clone());
        let operation = journal.journal().operation;
        let spec = journal.journal().spec.clone();
        self.run(operation, &spec, journal).await
    }

    async fn start(
        &self,
        operation: Operation,
        spec: &ClusterSpec,
        carry_over: Option<&super::journal::Journal>,
    ) -> Result<RunReport, ProvisionError> {
        let journal = JournalFile::create_observed(
            &self.journal_dir,
            operation,
            spec,
            Some(self.session.environment.clone()),
            &steps_for(operation, spec),
            carry_over,
            self.journal_hook.clone(),
        )?;
        self.run(operation, spec, journal).await
    }

    async fn run(
        &self,
        operation: Operation,
        spec: &ClusterSpec,
        journal: JournalFile,
    ) -> Result<RunReport, ProvisionError> {
        let plan = steps_for(operation, spec);
        let steps = plan.steps.clone();
        let waves = plan.waves().len();
        let runner = Arc::new(Steps {
            env: StepEnv::new(
                self.session.clone(),
                spec.clone(),
                plan,
                self.config.clone(),
            )
            .deleting_leftovers(self.delete_leftovers),
            operation,
        });
        let started = Instant::now();
        let journal_path = journal.path().to_path_buf();
        let ctx = RunContext::new(journal, self.events.clone(), self.cancel.clone());
        let count = steps.len();
        run_graph(steps, runner, ctx.clone(), self.config.max_concurrency).await?;
        let (journal_writes, journal_time) = ctx.journal_stats();
        Ok(RunReport {
            operation,
            steps: count,
            waves,
            wall: started.elapsed(),
            waited: ctx.waited(),
            journal_writes,
            journal_time,
            journal_path,
        })
    }
}

/// The steps of an apply or a destroy of `spec`, in the order the engine
/// runs them, with the dependencies it waits for (turned around for a
/// destroy, which also clears what Kubernetes left in the VPC once the
/// cluster is gone and before the network goes).
pub fn steps_for(operation: Operation, spec: &ClusterSpec) -> Plan {
    let plan = plan::build(spec, &ExistingResources::default());
    match operation {
        Operation::Apply => plan,
        Operation::Destroy => with_leftovers_step(plan.reversed()),
    }
}

const LEFTOVERS_STEP: &str = "leftovers/kubernetes";

fn with_leftovers_step(mut plan: Plan) -> Plan {
    let Some(cluster) = plan
        .steps
        .iter()
        .position(|s| s.target == StepTarget::Cluster)
    else {
        return plan;
    };
    let holds_the_network = |t: &StepTarget| {
        matches!(
            t,
            StepTarget::Vpc
                | StepTarget::InternetGateway
                | StepTarget::ControlPlaneSubnet(_)
                | StepTarget::NodeSubnet(_)
                | StepTarget::PublicSubnet(_)
        )
    };
    for step in &mut plan.steps {
        if holds_the_network(&step.target) {
            step.depends_on.push(LEFTOVERS_STEP.to_string());
        }
    }
    let after = plan.steps[cluster].id.clone();
    plan.steps.insert(
        cluster + 1,
        PlanStep {
            id: LEFTOVERS_STEP.to_string(),
            kind: ResourceKind::KubernetesLeftovers,
            name: "load balancers, target groups, security groups, interfaces".into(),
            detail: "what Kubernetes left in the VPC (deleted only when confirmed)".into(),
            depends_on: vec![after],
            action: StepAction::Create,
            note: None,
            target: StepTarget::KubernetesLeftovers,
        },
    );
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backwards_waves(apply: &Plan) -> usize {
        apply.clone().reversed().waves().len() + 1
    }

    #[test]
    fn a_destroy_runs_the_apply_steps_backwards() {
        let spec = ClusterSpec::default();
        let apply = steps_for(Operation::Apply, &spec);
        let destroy = steps_for(Operation::Destroy, &spec);
        let ids = |p: &Plan| p.steps.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        let mut backwards = ids(&apply);
        backwards.reverse();
        let without_leftovers: Vec<String> = ids(&destroy)
            .into_iter()
            .filter(|id| id != LEFTOVERS_STEP)
            .collect();
        assert_eq!(without_leftovers, backwards);
        let vpc = destroy.steps.iter().find(|s| s.id == "vpc/main").unwrap();
        assert!(!vpc.depends_on.is_empty(), "the VPC goes after its subnets");
        // What Kubernetes left goes after the cluster, before the network.
        let pos = |id: &str| destroy.steps.iter().position(|s| s.id == id).unwrap();
        assert_eq!(pos(LEFTOVERS_STEP), pos("cluster/my-eks") + 1);
        for id in ["subnet/nodes-0", "subnet/public-2", "igw/main", "vpc/main"] {
            let step = &destroy.steps[pos(id)];
            assert!(
                step.depends_on.contains(&LEFTOVERS_STEP.to_string()),
                "{id}"
            );
        }
        assert!(
            destroy.waves().len() <= backwards_waves(&apply),
            "the leftovers step adds at most one wave to the critical path"
        );
    }
}
