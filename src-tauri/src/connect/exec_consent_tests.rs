use super::*;
use std::os::unix::fs::MetadataExt;

/// A temporary directory with a `bin/` of fake programs and a kubeconfig.
struct Place {
    dir: tempfile::TempDir,
}

impl Place {
    fn new() -> Self {
        let place = Self {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::create_dir(place.bin()).expect("bin");
        place
    }

    fn bin(&self) -> PathBuf {
        self.dir.path().join("bin")
    }

    fn program(&self, name: &str, mode: u32) -> PathBuf {
        let path = self.bin().join(name);
        std::fs::write(&path, "#!/bin/sh\n").expect("writes");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        path
    }

    /// A kubeconfig whose context `c` runs `command`.
    fn kubeconfig(&self, name: &str, command: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        let text = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster: {{server: 'https://k'}}\n\
             contexts:\n- name: c\n  context: {{cluster: k, user: u}}\n\
             - name: plain\n  context: {{cluster: k, user: tok}}\n\
             users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: {command}\n      env: [{{name: SECRET, value: hush}}]\n\
             - name: tok\n  user: {{token: bearer-secret}}\n"
        );
        std::fs::write(&path, text).expect("writes");
        path
    }

    fn search_path(&self) -> std::ffi::OsString {
        std::env::join_paths([self.dir.path().join("empty"), self.bin()]).expect("joins")
    }

    fn store(&self) -> PathBuf {
        self.dir
            .path()
            .join("data/dev.eksdesk.app/exec-consent.json")
    }
}

fn command(context: &str, written: &str, resolved: &Path) -> ExecCommand {
    ExecCommand {
        context: context.into(),
        written: written.into(),
        resolved: resolved.to_path_buf(),
    }
}

#[test]
fn a_bare_command_is_found_on_path_and_a_relative_one_next_to_its_kubeconfig() {
    let place = Place::new();
    let kubelogin = place.program("kubelogin", 0o755);
    let config = place.kubeconfig("config", "kubelogin");
    let found = exec_command_of(&[config], "c", Some(&place.search_path()))
        .expect("reads")
        .expect("an exec plugin");
    assert_eq!(found.written, "kubelogin");
    assert_eq!(
        found.resolved,
        std::fs::canonicalize(&kubelogin).expect("exists")
    );

    let relative = place.kubeconfig("relative", "./bin/kubelogin");
    let found = exec_command_of(&[relative], "c", None)
        .expect("reads")
        .expect("an exec plugin");
    assert_eq!(
        found.resolved,
        std::fs::canonicalize(&kubelogin).expect("exists")
    );
}

#[test]
fn a_symlinked_command_resolves_to_its_target() {
    let place = Place::new();
    let real = place.program("plugin-v2", 0o755);
    std::os::unix::fs::symlink(&real, place.bin().join("plugin")).expect("links");
    let config = place.kubeconfig("config", "plugin");
    let found = exec_command_of(&[config], "c", Some(&place.search_path()))
        .expect("reads")
        .expect("an exec plugin");
    assert_eq!(found.resolved, std::fs::canonicalize(real).expect("exists"));
}

#[test]
fn missing_or_not_executable_commands_and_unknown_contexts_are_errors() {
    let place = Place::new();
    place.program("not-exec", 0o644);
    for written in ["missing", "not-exec"] {
        let config = place.kubeconfig(written, written);
        let err = exec_command_of(&[config], "c", Some(&place.search_path())).unwrap_err();
        assert!(
            matches!(&err, ExecConsentError::CommandNotFound { command, .. } if command == written),
            "{err}"
        );
    }
    let config = place.kubeconfig("config", "kubelogin");
    let err = exec_command_of(std::slice::from_ref(&config), "nope", None).unwrap_err();
    assert!(
        matches!(err, ExecConsentError::ContextNotFound { .. }),
        "{err}"
    );
    assert_eq!(
        exec_command_of(&[config], "plain", None).expect("reads"),
        None
    );
}

#[test]
fn the_first_file_defining_the_user_wins() {
    let place = Place::new();
    let first = place.program("first", 0o755);
    place.program("second", 0o755);
    let a = place.kubeconfig("a", "first");
    let b = place.kubeconfig("b", "second");
    let found = exec_command_of(&[a, b], "c", Some(&place.search_path()))
        .expect("reads")
        .expect("an exec plugin");
    assert_eq!(
        found.resolved,
        std::fs::canonicalize(first).expect("exists")
    );
}

#[test]
fn trusted_commands_run_without_consent_only_when_written_bare() {
    let place = Place::new();
    let aws = place.program("aws", 0o755);
    for name in TRUSTED_COMMANDS {
        assert!(!needs_consent(&command("c", name, &aws), None), "{name}");
    }
    let fake_aws = aws.display().to_string();
    assert!(needs_consent(&command("c", &fake_aws, &aws), None));
    assert!(needs_consent(&command("c", "kubelogin", &aws), None));
}

#[test]
fn this_apps_own_binary_is_trusted_by_path() {
    let place = Place::new();
    let me = place.program("eks-desk", 0o755);
    let written = me.display().to_string();
    let resolved = std::fs::canonicalize(&me).expect("exists");
    assert!(!needs_consent(
        &command("c", &written, &resolved),
        Some(&me)
    ));
    let other = place.program("other", 0o755);
    assert!(needs_consent(
        &command("c", &written, &resolved),
        Some(&other)
    ));
}

#[test]
fn consent_is_recorded_once_per_program_and_checked() {
    let place = Place::new();
    let store = place.store();
    let plugin = place.program("kubelogin", 0o755);
    let other = place.program("other", 0o755);
    let cmd = command("c", "kubelogin", &plugin);
    assert_eq!(
        consent_state(&store, &cmd, None).expect("reads"),
        ConsentState::Required
    );
    record_consent(&store, &cmd).expect("records");
    record_consent(&store, &cmd).expect("records again");
    assert!(has_consent(&store, &cmd).expect("reads"));
    assert_eq!(
        consent_state(&store, &cmd, None).expect("reads"),
        ConsentState::Granted
    );
    // Per program, not per context.
    assert!(has_consent(&store, &command("another-context", "x", &plugin)).expect("reads"));
    assert!(!has_consent(&store, &command("c", "other", &other)).expect("reads"));
    let aws = command("c", "aws", &other);
    assert_eq!(
        consent_state(&store, &aws, None).expect("reads"),
        ConsentState::Trusted
    );

    let meta = std::fs::metadata(&store).expect("written");
    assert_eq!(meta.mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&store).expect("reads");
    assert_eq!(text.matches("kubelogin").count(), 1, "{text}");
    let leftovers: Vec<_> = std::fs::read_dir(store.parent().expect("dir"))
        .expect("lists")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temp or lock left: {leftovers:?}");
}

#[test]
fn a_damaged_store_is_an_error_and_left_as_it_is() {
    let place = Place::new();
    let store = place.store();
    std::fs::create_dir_all(store.parent().expect("dir")).expect("dir");
    std::fs::write(&store, "{not json").expect("writes");
    let plugin = place.program("kubelogin", 0o755);
    let cmd = command("c", "kubelogin", &plugin);
    assert!(matches!(
        has_consent(&store, &cmd),
        Err(ExecConsentError::StoreDamaged { .. })
    ));
    assert!(record_consent(&store, &cmd).is_err());
    assert_eq!(std::fs::read_to_string(&store).expect("reads"), "{not json");
}

#[test]
fn no_secret_of_the_kubeconfig_reaches_the_command_or_an_error() {
    let place = Place::new();
    place.program("kubelogin", 0o755);
    let config = place.kubeconfig("config", "kubelogin");
    let found = exec_command_of(
        std::slice::from_ref(&config),
        "c",
        Some(&place.search_path()),
    );
    let missing = exec_command_of(&[config], "c", None);
    let json = serde_json::to_string(found.as_ref().expect("reads")).expect("json");
    let shown = format!("{found:?} {json} {missing:?}");
    for secret in ["hush", "bearer-secret"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

#[test]
fn the_default_store_is_in_the_app_data_folder() {
    assert!(default_store().ends_with("dev.eksdesk.app/exec-consent.json"));
}
