//! The account's facts, read again at most every few seconds.

use super::account_view::{AccountView, Offline};
use super::facts::AccountFacts;
use super::gather::gather;
use crate::aws::AwsError;
use crate::spec::model::ClusterSpec;
use std::collections::BTreeMap;

/// Facts are looked up again at most every `TTL`: the form re-checks the
/// spec on every edit, and most edits do not change what is in the account.
pub struct FactsCache {
    entries: tokio::sync::Mutex<BTreeMap<String, (std::time::Instant, AccountFacts)>>,
}

const TTL: std::time::Duration = std::time::Duration::from_secs(20);

impl Default for FactsCache {
    fn default() -> Self {
        Self {
            entries: tokio::sync::Mutex::new(BTreeMap::new()),
        }
    }
}

impl FactsCache {
    /// The parts of a spec the look-ups depend on.
    fn key(environment: &crate::aws::Environment, spec: &ClusterSpec) -> String {
        format!(
            "{environment:?}|{}|{:?}|{:?}|{:?}|{}",
            spec.id,
            spec.network.vpc,
            spec.iam.cluster_role,
            spec.iam.node_role,
            spec.cluster.kubernetes_version
        )
    }

    /// The account as far as `spec` needs it, in the spec's region of
    /// `environment`; offline (saying why) without an environment or when
    /// the account cannot be read.
    pub async fn view(
        &self,
        sessions: &crate::aws::Sessions,
        environment: Option<&crate::aws::Environment>,
        spec: &ClusterSpec,
    ) -> AccountView {
        let Some(environment) = environment else {
            return AccountView::Offline(Offline::NoEnvironment);
        };
        let env = environment.with_region(&spec.cluster.region);
        match self.gather(sessions, &env, spec).await {
            Ok(facts) => AccountView::Account(Box::new(facts)),
            Err(e) => AccountView::Offline(Offline::Unreadable(e)),
        }
    }

    pub async fn gather(
        &self,
        sessions: &crate::aws::Sessions,
        environment: &crate::aws::Environment,
        spec: &ClusterSpec,
    ) -> Result<AccountFacts, AwsError> {
        let key = Self::key(environment, spec);
        if let Some((at, facts)) = self.entries.lock().await.get(&key) {
            if at.elapsed() < TTL {
                return Ok(facts.clone());
            }
        }
        let facts = sessions
            .with(environment, |s| async move { gather(&s, spec).await })
            .await?;
        let mut entries = self.entries.lock().await;
        entries.retain(|_, (at, _)| at.elapsed() < TTL);
        entries.insert(key, (std::time::Instant::now(), facts.clone()));
        Ok(facts)
    }
}
