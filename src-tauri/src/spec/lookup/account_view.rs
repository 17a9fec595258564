//! Whether a spec was looked at with its account or offline, and why.

use super::facts::AccountFacts;
use crate::aws::AwsError;

/// What the checks and the plan were made against.
#[derive(Debug, Clone)]
pub enum AccountView {
    /// The account's facts (read now, or within the cache's TTL).
    Account(Box<AccountFacts>),
    /// Built-in knowledge only, and why.
    Offline(Offline),
}

/// Why a spec was looked at without its account.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Offline {
    /// `--offline`, or no environment with credentials.
    #[error("No AWS environment selected: checked offline.")]
    NoEnvironment,
    /// The account could not be read; what AWS (or the network) said.
    #[error("Could not read the account, checked offline: {0}")]
    Unreadable(#[source] AwsError),
}

impl AccountView {
    pub fn facts(&self) -> Option<&AccountFacts> {
        match self {
            AccountView::Account(facts) => Some(facts),
            AccountView::Offline(_) => None,
        }
    }
}
