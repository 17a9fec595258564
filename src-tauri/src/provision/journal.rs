//! The journal of one apply or destroy: a JSON file per spec id, rewritten
//! atomically (temp file + rename) after every step transition, so that a
//! process killed at any moment leaves a journal that says what was done,
//! which AWS ids were made, and which client request tokens were sent.
//! Resume reads it back and continues without creating duplicates.

use super::error::ProvisionError;
use crate::aws::Environment;
use crate::spec::plan::Plan;
use crate::spec::ClusterSpec;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Format of the file; bumped when an older app could not read a newer one.
pub const JOURNAL_VERSION: u32 = 1;

/// Called after every journal write with the number of writes so far (of
/// this journal file handle). The crash tests use it to stop a run right
/// after each write in turn; the app and the CLI set none.
pub type WriteHook = Arc<dyn Fn(usize) + Send + Sync>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Operation {
    Apply,
    Destroy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum StepState {
    Pending,
    Running,
    Done,
    #[serde(rename_all = "camelCase")]
    Failed {
        message: String,
        /// The failing AWS operation (`eks:CreateCluster`), or `conflict`.
        operation: String,
    },
    Cancelled,
}

/// How the whole run stands. A crashed run stays `running`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum RunStatus {
    Running,
    Done,
    Failed,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StepRecord {
    pub id: String,
    pub state: StepState,
    /// vpc-…, subnet-…, a role or cluster ARN, a principal ARN…
    pub resource_id: Option<String>,
    /// Sent with every EKS create of this step, on retry and on resume, so
    /// that EKS recognises a repeated request instead of creating twice.
    pub client_request_token: Option<String>,
    /// What happened, in words (created, reused, deleted, not ours…).
    pub message: Option<String>,
    /// RFC 3339 UTC.
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

impl StepRecord {
    fn pending(id: &str) -> Self {
        Self {
            id: id.to_string(),
            state: StepState::Pending,
            resource_id: None,
            client_request_token: None,
            message: None,
            started_at: None,
            finished_at: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Journal {
    pub version: u32,
    pub spec_id: String,
    pub operation: Operation,
    pub status: RunStatus,
    /// Where the run goes; resume uses the same account and region.
    pub environment: Option<Environment>,
    /// The spec as it was when the run started.
    pub spec: ClusterSpec,
    pub started_at: String,
    pub updated_at: String,
    /// In plan order.
    pub steps: Vec<StepRecord>,
}

impl Journal {
    pub fn step(&self, id: &str) -> Option<&StepRecord> {
        self.steps.iter().find(|s| s.id == id)
    }

    pub fn step_mut(&mut self, id: &str) -> Option<&mut StepRecord> {
        self.steps.iter_mut().find(|s| s.id == id)
    }
}

/// An apply or destroy that did not finish, for the "Resume" offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UnfinishedRun {
    pub spec_id: String,
    pub cluster_name: String,
    pub region: String,
    pub operation: Operation,
    pub status: RunStatus,
    pub environment: Option<Environment>,
    pub updated_at: String,
    pub steps_done: u32,
    pub steps_total: u32,
    /// The first failed step's message, if any.
    pub failure: Option<String>,
    pub path: String,
}

/// A journal file that could not be read: shown with the runs, never
/// dropped silently (a run behind it may have left resources in AWS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UnreadableJournal {
    pub path: String,
    pub reason: String,
}

/// What did not finish, as the journal folder says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UnfinishedRuns {
    /// Newest first.
    pub runs: Vec<UnfinishedRun>,
    pub unreadable: Vec<UnreadableJournal>,
}

/// Spec ids become file names; anything that could leave the folder is refused.
pub fn check_spec_id(spec_id: &str) -> Result<(), ProvisionError> {
    if spec_id.is_empty() {
        return Err(ProvisionError::MissingSpecId);
    }
    let ok = spec_id.len() <= 100
        && spec_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(ProvisionError::BadSpecId(spec_id.to_string()))
    }
}

pub fn path_for(dir: &Path, spec_id: &str) -> PathBuf {
    dir.join(format!("{spec_id}.json"))
}

pub use crate::timestamps::now_rfc3339;

fn io_error(path: &Path, e: impl std::fmt::Display) -> ProvisionError {
    ProvisionError::Journal {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// A journal and the file it lives in. Every change goes through
/// [`JournalFile::update`], which writes the file before returning.
pub struct JournalFile {
    path: PathBuf,
    journal: Journal,
    after_write: Option<WriteHook>,
    /// Writes by this handle and the time they took (for the benchmark).
    pub writes: usize,
    pub write_time: Duration,
}

impl JournalFile {
    /// A new journal for `plan`, every step pending, written at once.
    /// `carry_over` keeps the tokens and resource ids of an earlier journal
    /// of the same spec, so a repeated apply reuses its tokens.
    pub fn create(
        dir: &Path,
        operation: Operation,
        spec: &ClusterSpec,
        environment: Option<Environment>,
        plan: &Plan,
        carry_over: Option<&Journal>,
    ) -> Result<Self, ProvisionError> {
        Self::create_observed(dir, operation, spec, environment, plan, carry_over, None)
    }

    /// [`JournalFile::create`], with `after_write` called after every write
    /// including the first.
    pub fn create_observed(
        dir: &Path,
        operation: Operation,
        spec: &ClusterSpec,
        environment: Option<Environment>,
        plan: &Plan,
        carry_over: Option<&Journal>,
        after_write: Option<WriteHook>,
    ) -> Result<Self, ProvisionError> {
        check_spec_id(&spec.id)?;
        let now = now_rfc3339();
        let steps = plan
            .steps
            .iter()
            .map(|s| {
                let mut record = StepRecord::pending(&s.id);
                if let Some(old) = carry_over.and_then(|j| j.step(&s.id)) {
                    record.client_request_token = old.client_request_token.clone();
                    record.resource_id = old.resource_id.clone();
                }
                record
            })
            .collect();
        let mut file = Self {
            path: path_for(dir, &spec.id),
            journal: Journal {
                version: JOURNAL_VERSION,
                spec_id: spec.id.clone(),
                operation,
                status: RunStatus::Running,
                environment,
                spec: spec.clone(),
                started_at: now.clone(),
                updated_at: now,
                steps,
            },
            after_write,
            writes: 0,
            write_time: Duration::ZERO,
        };
        file.write()?;
        Ok(file)
    }

    /// The journal of `spec_id` in `dir`, if there is one.
    pub fn load(dir: &Path, spec_id: &str) -> Result<Option<Self>, ProvisionError> {
        check_spec_id(spec_id)?;
        let path = path_for(dir, spec_id);
        let Some(journal) = read(&path)? else {
            return Ok(None);
        };
        Ok(Some(Self {
            path,
            journal,
            after_write: None,
            writes: 0,
            write_time: Duration::ZERO,
        }))
    }

    /// Calls `hook` after every write from now on.
    pub fn set_write_hook(&mut self, hook: Option<WriteHook>) {
        self.after_write = hook;
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Changes the journal and writes it; the change is durable on return.
    pub fn update(&mut self, change: impl FnOnce(&mut Journal)) -> Result<(), ProvisionError> {
        change(&mut self.journal);
        self.journal.updated_at = now_rfc3339();
        self.write()
    }

    fn write(&mut self) -> Result<(), ProvisionError> {
        let started = Instant::now();
        let text =
            serde_json::to_string_pretty(&self.journal).map_err(|e| io_error(&self.path, e))?;
        crate::spec::store::write_atomically(&self.path, &text)
            .map_err(|e| io_error(&self.path, e))?;
        self.writes += 1;
        self.write_time += started.elapsed();
        if let Some(hook) = &self.after_write {
            hook(self.writes);
        }
        Ok(())
    }
}

impl std::fmt::Debug for JournalFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalFile")
            .field("path", &self.path)
            .field("writes", &self.writes)
            .finish_non_exhaustive()
    }
}

fn read(path: &Path) -> Result<Option<Journal>, ProvisionError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path, e)),
    };
    let journal: Journal = serde_json::from_str(&text).map_err(|e| io_error(path, e))?;
    if journal.version > JOURNAL_VERSION {
        return Err(io_error(
            path,
            format!(
                "written by a newer EKS Desk (format {}, this one reads {JOURNAL_VERSION})",
                journal.version
            ),
        ));
    }
    Ok(Some(journal))
}

/// Journals in `dir` whose run did not finish, newest first, and the
/// `.json` files there that could not be read as journals. Other files (a
/// leftover temp file) are not journals and are passed over.
pub fn find_unfinished(dir: &Path) -> Result<UnfinishedRuns, ProvisionError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(UnfinishedRuns::default()),
        Err(e) => return Err(io_error(dir, e)),
    };
    let mut found = UnfinishedRuns::default();
    let runs = &mut found.runs;
    for entry in entries {
        let path = entry.map_err(|e| io_error(dir, e))?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let journal = match read(&path) {
            Ok(Some(journal)) => journal,
            Ok(None) => continue,
            Err(e) => {
                found.unreadable.push(UnreadableJournal {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        if journal.status == RunStatus::Done {
            continue;
        }
        let steps_done = journal
            .steps
            .iter()
            .filter(|s| s.state == StepState::Done)
            .count() as u32;
        let failure = journal.steps.iter().find_map(|s| match &s.state {
            StepState::Failed { message, .. } => Some(format!("{}: {message}", s.id)),
            _ => None,
        });
        runs.push(UnfinishedRun {
            spec_id: journal.spec_id.clone(),
            cluster_name: journal.spec.cluster.name.clone(),
            region: journal.spec.cluster.region.clone(),
            operation: journal.operation,
            status: journal.status,
            environment: journal.environment.clone(),
            updated_at: journal.updated_at.clone(),
            steps_done,
            steps_total: journal.steps.len() as u32,
            failure,
            path: path.display().to_string(),
        });
    }
    runs.sort_by(|a, b| b.updated_at.cmp(&a.updated_at));
    found.unreadable.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::plan;

    fn spec(id: &str) -> ClusterSpec {
        ClusterSpec {
            id: id.into(),
            ..Default::default()
        }
    }

    fn new_journal(dir: &Path, id: &str) -> JournalFile {
        let spec = spec(id);
        let plan = plan::build(&spec, &Default::default());
        JournalFile::create(dir, Operation::Apply, &spec, None, &plan, None).unwrap()
    }

    #[test]
    fn a_new_journal_is_on_disk_with_every_step_pending() {
        let dir = tempfile::tempdir().unwrap();
        let file = new_journal(dir.path(), "spec-1");
        let loaded = JournalFile::load(dir.path(), "spec-1").unwrap().unwrap();
        assert_eq!(loaded.journal(), file.journal());
        assert!(loaded.journal().steps.len() > 20);
        assert!(loaded
            .journal()
            .steps
            .iter()
            .all(|s| s.state == StepState::Pending));
        assert_eq!(loaded.journal().status, RunStatus::Running);
    }

    #[test]
    fn every_update_is_on_disk_when_it_returns_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = new_journal(dir.path(), "spec-2");
        file.update(|j| {
            let step = j.step_mut("vpc/main").unwrap();
            step.state = StepState::Done;
            step.resource_id = Some("vpc-123".into());
            step.client_request_token = Some("tok".into());
        })
        .unwrap();
        let loaded = JournalFile::load(dir.path(), "spec-2").unwrap().unwrap();
        let vpc = loaded.journal().step("vpc/main").unwrap();
        assert_eq!(vpc.state, StepState::Done);
        assert_eq!(vpc.resource_id.as_deref(), Some("vpc-123"));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["spec-2.json"], "the temp file was renamed");
        assert_eq!(file.writes, 2);
    }

    #[test]
    fn a_torn_temp_file_does_not_hide_the_last_good_journal() {
        let dir = tempfile::tempdir().unwrap();
        new_journal(dir.path(), "spec-3");
        // A crash between writing the temp file and renaming it.
        std::fs::write(dir.path().join("spec-3.tmp"), "{\"version\": 1, \"spe").unwrap();
        let loaded = JournalFile::load(dir.path(), "spec-3").unwrap().unwrap();
        assert_eq!(loaded.journal().spec_id, "spec-3");
        assert_eq!(find_unfinished(dir.path()).unwrap().runs.len(), 1);
    }

    #[test]
    fn unfinished_lists_running_failed_and_cancelled_runs_but_not_done_ones() {
        let dir = tempfile::tempdir().unwrap();
        new_journal(dir.path(), "running");
        let mut failed = new_journal(dir.path(), "failed");
        failed
            .update(|j| {
                j.status = RunStatus::Failed;
                j.step_mut("role/cluster").unwrap().state = StepState::Failed {
                    message: "Role X exists".into(),
                    operation: "conflict".into(),
                };
            })
            .unwrap();
        let mut done = new_journal(dir.path(), "done");
        done.update(|j| j.status = RunStatus::Done).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a journal").unwrap();
        std::fs::write(dir.path().join("broken.json"), "{").unwrap();

        let found = find_unfinished(dir.path()).unwrap();
        let runs = &found.runs;
        let mut ids: Vec<_> = runs.iter().map(|r| r.spec_id.as_str()).collect();
        ids.sort();
        assert_eq!(ids, ["failed", "running"]);
        // The broken journal is reported, not dropped; the text file is no journal.
        assert_eq!(found.unreadable.len(), 1, "{:?}", found.unreadable);
        assert!(found.unreadable[0].path.ends_with("broken.json"));
        assert!(!found.unreadable[0].reason.is_empty());
        let failed = runs.iter().find(|r| r.spec_id == "failed").unwrap();
        assert_eq!(
            failed.failure.as_deref(),
            Some("role/cluster: Role X exists")
        );
        assert_eq!(failed.cluster_name, "my-eks");
        assert_eq!(failed.steps_done, 0);
    }

    #[test]
    fn a_missing_folder_has_nothing_unfinished_and_no_journal() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        assert_eq!(
            find_unfinished(&missing).unwrap(),
            UnfinishedRuns::default()
        );
        assert!(JournalFile::load(&missing, "x").unwrap().is_none());
    }

    #[test]
    fn spec_ids_that_are_not_file_names_are_refused() {
        assert!(matches!(
            check_spec_id(""),
            Err(ProvisionError::MissingSpecId)
        ));
        for bad in ["../x", "a/b", "a b", "é"] {
            assert!(
                matches!(check_spec_id(bad), Err(ProvisionError::BadSpecId(_))),
                "{bad}"
            );
        }
        check_spec_id("3f2a-9c_seed").unwrap();
    }

    #[test]
    fn tokens_and_ids_carry_over_to_a_new_journal_of_the_same_spec() {
        let dir = tempfile::tempdir().unwrap();
        let mut first = new_journal(dir.path(), "spec-4");
        first
            .update(|j| {
                j.step_mut("cluster/my-eks").unwrap().client_request_token = Some("tok-1".into())
            })
            .unwrap();
        let spec = spec("spec-4");
        let plan = plan::build(&spec, &Default::default());
        let second = JournalFile::create(
            dir.path(),
            Operation::Apply,
            &spec,
            None,
            &plan,
            Some(first.journal()),
        )
        .unwrap();
        let cluster = second.journal().step("cluster/my-eks").unwrap();
        assert_eq!(cluster.client_request_token.as_deref(), Some("tok-1"));
        assert_eq!(cluster.state, StepState::Pending);
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let t = now_rfc3339();
        assert_eq!(t.len(), 24, "{t}");
        assert!(
            t.starts_with("20") && t.ends_with('Z') && &t[10..11] == "T",
            "{t}"
        );
    }
}
