//! What the commands share for the life of the window.

use crate::aws::Sessions;
use crate::provision::Runs;
use crate::spec::lookup::FactsCache;
use crate::spec::store::SpecStore;

/// State shared by all commands.
pub struct AppState {
    pub sessions: Sessions,
    pub facts: FactsCache,
    pub specs: SpecStore,
    /// Journals in `<app data>/journals`, and the runs going on (spec id →
    /// its cancel), one per spec at a time.
    pub runs: Runs,
}
