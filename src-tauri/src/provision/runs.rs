//! The app's runs: which specs are being applied or destroyed right now (one
//! run per spec at a time, each stoppable), their progress passed on in
//! batches, and the journals of runs that did not finish. What the Tauri
//! commands call; knows nothing of Tauri.

use super::config::EngineConfig;
use super::engine::{Provisioner, RunReport};
use super::error::ProvisionError;
use super::journal::{check_spec_id, find_unfinished, Journal, JournalFile, UnfinishedRuns};
use super::preflight::confirm_destroy;
use super::progress::{forward_in_batches, Cancellation, ProgressEvent};
use crate::aws::{AwsSession, Environment};
use crate::spec::ClusterSpec;
use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Progress goes out at most every this long (from a batch's first event)…
pub const BATCH_WINDOW: Duration = Duration::from_millis(200);
/// …or as soon as this many events are waiting.
pub const BATCH_MAX: usize = 200;

/// Spec id → how to stop its run. A plain mutex: it is never held across an
/// await, and a finished run gives its place up in `Drop`, which cannot await.
type Active = Arc<Mutex<HashMap<String, Cancellation>>>;

/// The runs of this process and the folder of their journals.
pub struct Runs {
    journal_dir: PathBuf,
    active: Active,
    /// Polls and timeouts for every run; `None`: each run's environment
    /// decides (short polls on the emulator, AWS's pace elsewhere).
    config: Option<EngineConfig>,
}

/// A spec's place among the active runs, given up when dropped (however
/// the run ends, a panic included).
struct Slot {
    spec_id: String,
    cancel: Cancellation,
    active: Active,
}

impl Drop for Slot {
    fn drop(&mut self) {
        lock(&self.active).remove(&self.spec_id);
    }
}

fn lock(active: &Active) -> MutexGuard<'_, HashMap<String, Cancellation>> {
    active
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Runs {
    /// `journal_dir` is `<app data>/journals` in the app.
    pub fn new(journal_dir: PathBuf) -> Self {
        Self {
            journal_dir,
            active: Arc::default(),
            config: None,
        }
    }

    /// The same, with `config` for every run (the CLI's `--poll-ms`).
    pub fn with_config(self, config: Option<EngineConfig>) -> Self {
        Self { config, ..self }
    }

    pub fn journal_dir(&self) -> &Path {
        &self.journal_dir
    }

    /// Whether a run of `spec_id` is going on in this process.
    pub fn is_running(&self, spec_id: &str) -> bool {
        lock(&self.active).contains_key(spec_id)
    }

    fn begin(&self, spec_id: &str, cluster_name: &str) -> Result<Slot, ProvisionError> {
        check_spec_id(spec_id)?;
        let mut active = lock(&self.active);
        if active.contains_key(spec_id) {
            return Err(ProvisionError::AlreadyRunning {
                spec_id: spec_id.to_string(),
                cluster_name: cluster_name.to_string(),
            });
        }
        let cancel = Cancellation::new();
        active.insert(spec_id.to_string(), cancel.clone());
        Ok(Slot {
            spec_id: spec_id.to_string(),
            cancel,
            active: self.active.clone(),
        })
    }

    /// Stops the run of `spec_id` after the calls in flight; false when
    /// none is running.
    pub fn cancel(&self, spec_id: &str) -> bool {
        match lock(&self.active).get(spec_id) {
            Some(cancel) => {
                cancel.cancel();
                true
            }
            None => false,
        }
    }

    /// Applies `spec` with `session`; `watch` receives the progress in
    /// batches, the last one before this returns.
    pub async fn apply(
        &self,
        session: AwsSession,
        spec: &ClusterSpec,
        watch: impl FnMut(Vec<ProgressEvent>),
    ) -> Result<RunReport, ProvisionError> {
        let slot = self.begin(&spec.id, &spec.cluster.name)?;
        self.run(slot, session, watch, |p| async move { p.apply(spec).await })
            .await
    }

    /// Destroys what the app made for `spec`, once `typed_name` is the
    /// cluster's name exactly.
    pub async fn destroy(
        &self,
        session: AwsSession,
        spec: &ClusterSpec,
        typed_name: &str,
        delete_leftovers: bool,
        watch: impl FnMut(Vec<ProgressEvent>),
    ) -> Result<RunReport, ProvisionError> {
        confirm_destroy(spec, typed_name)?;
        let slot = self.begin(&spec.id, &spec.cluster.name)?;
        self.run(slot, session, watch, move |mut p| async move {
            p.delete_leftovers = delete_leftovers;
            p.destroy(spec).await
        })
        .await
    }

    /// Continues the journal of `spec_id` (apply or destroy). The session
    /// must be for [`Runs::resume_environment`].
    pub async fn resume(
        &self,
        session: AwsSession,
        spec_id: &str,
        watch: impl FnMut(Vec<ProgressEvent>),
    ) -> Result<RunReport, ProvisionError> {
        let journal = self.required_journal(spec_id)?;
        let slot = self.begin(spec_id, &journal.spec.cluster.name)?;
        self.run(
            slot,
            session,
            watch,
            |p| async move { p.resume(spec_id).await },
        )
        .await
    }

    /// Runs `work` with a provisioner that reports to `watch` and stops on
    /// the slot's cancel; returns after the last batch went out.
    async fn run<F, Fut>(
        &self,
        slot: Slot,
        session: AwsSession,
        watch: impl FnMut(Vec<ProgressEvent>),
        work: F,
    ) -> Result<RunReport, ProvisionError>
    where
        F: FnOnce(Provisioner) -> Fut,
        Fut: Future<Output = Result<RunReport, ProvisionError>>,
    {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let mut provisioner = Provisioner::new(session, self.journal_dir.clone());
        provisioner.config = self
            .config
            .clone()
            .unwrap_or_else(|| EngineConfig::for_environment(&provisioner.session.environment));
        provisioner.events = Some(tx);
        provisioner.cancel = slot.cancel.clone();
        // `work` owns the provisioner and with it the last event sender:
        // when the run ends the forwarder sends what is left and stops.
        let (result, ()) = tokio::join!(
            work(provisioner),
            forward_in_batches(rx, BATCH_WINDOW, BATCH_MAX, watch)
        );
        drop(slot);
        result
    }

    /// Runs whose journal says they did not finish, newest first, without
    /// those still going on in this process.
    pub fn unfinished(&self) -> Result<UnfinishedRuns, ProvisionError> {
        let mut found = find_unfinished(&self.journal_dir)?;
        let active = lock(&self.active);
        found.runs.retain(|r| !active.contains_key(&r.spec_id));
        Ok(found)
    }

    /// The journal of the last run of `spec_id`, if there is one.
    pub fn journal(&self, spec_id: &str) -> Result<Option<Journal>, ProvisionError> {
        Ok(JournalFile::load(&self.journal_dir, spec_id)?.map(|f| f.journal().clone()))
    }

    pub fn required_journal(&self, spec_id: &str) -> Result<Journal, ProvisionError> {
        self.journal(spec_id)?
            .ok_or_else(|| ProvisionError::NoJournal {
                spec_id: spec_id.to_string(),
                dir: self.journal_dir.display().to_string(),
            })
    }

    /// Where a resume of `spec_id` goes: the account and region its journal
    /// recorded.
    pub fn resume_environment(&self, spec_id: &str) -> Result<Environment, ProvisionError> {
        let journal = self.required_journal(spec_id)?;
        let region = journal.spec.cluster.region.clone();
        journal
            .environment
            .map(|env| env.with_region(&region))
            .ok_or_else(|| ProvisionError::NoEnvironment {
                spec_id: spec_id.to_string(),
            })
    }
}

#[cfg(test)]
#[path = "runs_tests.rs"]
mod tests;
