//! Adds steps to a plan: each with its dependencies, marked as new, reused
//! or in conflict with what the look-ups found.

use super::steps::*;
use crate::aws::arn::{managed_policy_arn, partition_of_region, service_principal};
use crate::spec::model::{ClusterSpec, RoleChoice};

pub(super) struct Builder<'a> {
    pub spec: &'a ClusterSpec,
    pub existing: &'a ExistingResources,
    pub steps: Vec<PlanStep>,
}

impl Builder<'_> {
    pub fn push(
        &mut self,
        id: String,
        kind: ResourceKind,
        name: String,
        detail: String,
        depends_on: Vec<String>,
        target: StepTarget,
    ) {
        self.steps.push(PlanStep {
            id,
            kind,
            name,
            detail,
            depends_on,
            action: StepAction::Create,
            note: None,
            target,
        });
    }

    /// Marks the last step as reused or conflicting given what was found.
    pub fn against(&mut self, found: Option<&Found>, what: &str) {
        let spec_id = &self.spec.id;
        let step = self.steps.last_mut().expect("a step was pushed");
        match found {
            None => {}
            Some(f) if !spec_id.is_empty() && f.owner_spec_id.as_deref() == Some(spec_id) => {
                step.action = StepAction::Reuse;
                step.note = Some("exists (created by this spec), will reuse".to_string());
            }
            Some(f) => {
                step.action = StepAction::Conflict;
                step.note = Some(match &f.owner_spec_id {
                    Some(other) => format!("{what} exists and belongs to another spec ({other})"),
                    None => format!("{what} exists and was not created by EKS Desk"),
                });
            }
        }
    }

    /// Marks the last step (a node group) as reused, replaced when this
    /// spec's node group failed to create (it will never turn ACTIVE), or
    /// in conflict when it is not this spec's.
    pub fn node_group_against(&mut self, found: &FoundNodeGroup, name: &str) {
        let ours = !self.spec.id.is_empty()
            && found.owner_spec_id.as_deref() == Some(self.spec.id.as_str());
        if !ours {
            let owner = Found {
                owner_spec_id: found.owner_spec_id.clone(),
            };
            self.against(Some(&owner), &format!("Node group {name}"));
            return;
        }
        let step = self.steps.last_mut().expect("a step was pushed");
        if found.status == "CREATE_FAILED" {
            step.action = StepAction::Replace;
            step.note = Some("exists as CREATE_FAILED: it is deleted and made again".to_string());
        } else {
            step.action = StepAction::Reuse;
            step.note = Some("exists (created by this spec), will reuse".to_string());
        }
    }

    pub fn reuse(&mut self, note: &str) {
        let step = self.steps.last_mut().expect("a step was pushed");
        step.action = StepAction::Reuse;
        step.note = Some(note.to_string());
    }

    pub fn role(
        &mut self,
        role: RoleUse,
        choice: &RoleChoice,
        policies: &[&str],
    ) -> (String, Vec<String>) {
        let which = match role {
            RoleUse::Cluster => "cluster",
            RoleUse::Node => "node",
        };
        let id = format!("role/{which}");
        match choice {
            RoleChoice::Create { name, .. } => {
                let trust = service_principal(
                    partition_of_region(&self.spec.cluster.region),
                    if which == "cluster" { "eks" } else { "ec2" },
                );
                self.push(
                    id.clone(),
                    ResourceKind::IamRole,
                    name.clone(),
                    format!("{which} role, trusted by {trust}"),
                    vec![],
                    StepTarget::Role(role),
                );
                let found = self.existing.roles.get(name).cloned();
                self.against(found.as_ref(), &format!("Role {name}"));
                let mut after = vec![id.clone()];
                let partition = partition_of_region(&self.spec.cluster.region);
                for policy in policies {
                    let attach = format!("attach/{which}/{policy}");
                    self.push(
                        attach.clone(),
                        ResourceKind::RolePolicyAttachment,
                        policy.to_string(),
                        format!("attached to {name}"),
                        vec![id.clone()],
                        StepTarget::RolePolicy {
                            role,
                            policy_arn: managed_policy_arn(partition, policy),
                        },
                    );
                    after.push(attach);
                }
                (id, after)
            }
            RoleChoice::Existing { arn } => {
                self.push(
                    id.clone(),
                    ResourceKind::IamRole,
                    arn.rsplit('/').next().unwrap_or(arn).to_string(),
                    format!("existing {which} role {arn}"),
                    vec![],
                    StepTarget::Role(role),
                );
                self.reuse("picked existing role; never modified");
                (id.clone(), vec![id])
            }
        }
    }
}
