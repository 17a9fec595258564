use super::*;
use crate::provision::journal::Operation;
use crate::spec::plan;

fn spec(id: &str) -> ClusterSpec {
    ClusterSpec {
        id: id.into(),
        ..Default::default()
    }
}

fn emulator() -> Environment {
    Environment::Emulator {
        region: "ap-northeast-2".into(),
    }
}

fn write_journal(dir: &Path, id: &str, environment: Option<Environment>) {
    let spec = spec(id);
    let plan = plan::build(&spec, &Default::default());
    JournalFile::create(dir, Operation::Apply, &spec, environment, &plan, None).unwrap();
}

#[test]
fn a_spec_runs_once_at_a_time_and_its_place_is_freed_when_the_run_ends() {
    let runs = Runs::new(PathBuf::from("/nonexistent"));
    let first = runs.begin("spec-a", "my-eks").unwrap();
    assert!(runs.is_running("spec-a"));
    let err = runs.begin("spec-a", "my-eks").err().expect("refused");
    assert!(
        matches!(err, ProvisionError::AlreadyRunning { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("my-eks"), "{err}");
    // Another spec is not held up.
    let other = runs.begin("spec-b", "other").unwrap();
    drop(first);
    assert!(!runs.is_running("spec-a"));
    runs.begin("spec-a", "my-eks").unwrap();
    drop(other);
}

#[test]
fn an_id_that_cannot_name_a_journal_is_refused() {
    let runs = Runs::new(PathBuf::from("/nonexistent"));
    let err = runs.begin("../x", "my-eks").err().expect("refused");
    assert!(matches!(err, ProvisionError::BadSpecId(_)), "{err}");
    assert!(!runs.is_running("../x"));
}

#[test]
fn cancel_reaches_the_running_spec_only() {
    let runs = Runs::new(PathBuf::from("/nonexistent"));
    assert!(!runs.cancel("spec-a"), "nothing to cancel");
    let slot = runs.begin("spec-a", "my-eks").unwrap();
    let other = runs.begin("spec-b", "other").unwrap();
    assert!(runs.cancel("spec-a"));
    assert!(slot.cancel.is_cancelled());
    assert!(!other.cancel.is_cancelled());
}

#[test]
fn unfinished_runs_leave_out_those_going_on_here() {
    let dir = tempfile::tempdir().unwrap();
    write_journal(dir.path(), "spec-a", Some(emulator()));
    write_journal(dir.path(), "spec-b", Some(emulator()));
    let runs = Runs::new(dir.path().to_path_buf());
    let mut ids: Vec<_> = runs
        .unfinished()
        .unwrap()
        .runs
        .into_iter()
        .map(|r| r.spec_id)
        .collect();
    ids.sort();
    assert_eq!(ids, ["spec-a", "spec-b"]);
    let _running = runs.begin("spec-a", "my-eks").unwrap();
    let ids: Vec<_> = runs
        .unfinished()
        .unwrap()
        .runs
        .into_iter()
        .map(|r| r.spec_id)
        .collect();
    assert_eq!(ids, ["spec-b"]);
}

#[test]
fn a_resume_goes_where_the_journal_says() {
    let dir = tempfile::tempdir().unwrap();
    let runs = Runs::new(dir.path().to_path_buf());
    let err = runs.resume_environment("spec-a").unwrap_err();
    assert!(matches!(err, ProvisionError::NoJournal { .. }), "{err}");

    let profile = Environment::Profile {
        profile: "dev".into(),
        region: "ap-northeast-2".into(),
    };
    write_journal(dir.path(), "spec-a", Some(profile.clone()));
    assert_eq!(runs.resume_environment("spec-a").unwrap(), profile);
    assert_eq!(runs.journal("spec-a").unwrap().unwrap().spec_id, "spec-a");
    assert!(runs.journal("spec-z").unwrap().is_none());

    write_journal(dir.path(), "spec-b", None);
    let err = runs.resume_environment("spec-b").unwrap_err();
    assert!(matches!(err, ProvisionError::NoEnvironment { .. }), "{err}");
}

#[tokio::test]
async fn a_destroy_without_the_typed_name_deletes_nothing_and_holds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let runs = Runs::new(dir.path().to_path_buf());
    let session = AwsSession::with_static_credentials(
        "http://127.0.0.1:9",
        "ap-northeast-2",
        aws_credential_types::Credentials::new("ANOTREAL", "not-a-secret", None, None, "test"),
    )
    .await;
    let mut batches = 0;
    let err = runs
        .destroy(session, &spec("spec-a"), "my-ek", false, |_| batches += 1)
        .await
        .unwrap_err();
    assert!(matches!(err, ProvisionError::NotConfirmed { .. }), "{err}");
    assert_eq!(batches, 0);
    assert!(!runs.is_running("spec-a"));
    assert!(runs.journal("spec-a").unwrap().is_none(), "no journal");
}
