//! What the kubeconfig writer's tests share: an entry, golden files, and a
//! temporary directory with a kubeconfig named by KUBECONFIG. Golden files
//! (`golden/*-before.yaml` → `*-after.yaml`) pin the exact text;
//! `EKS_DESK_BLESS=1` rewrites the `-after` files after a deliberate change
//! (review the diff).

use super::*;
use crate::connect::kubeconfig_entry::Authenticator;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

pub(super) const ARN: &str = "arn:aws:eks:eu-west-1:111122223333:cluster/prod";

pub(super) fn entry() -> KubeconfigEntry {
    KubeconfigEntry {
        cluster_name: "prod".into(),
        cluster_arn: ARN.into(),
        endpoint: "https://NEW.gr7.eu-west-1.eks.amazonaws.com".into(),
        certificate_authority_data: "TkVXLUNB".into(),
        region: "eu-west-1".into(),
        profile: None,
        alias: None,
        authenticator: Authenticator::Aws,
        set_current: false,
    }
}

pub(super) fn with_profile(profile: &str, alias: Option<&str>) -> KubeconfigEntry {
    KubeconfigEntry {
        profile: Some(profile.into()),
        alias: alias.map(str::to_string),
        ..entry()
    }
}

pub(super) fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src-tauri/src/connect/golden")
        .join(name)
}

pub(super) fn golden(name: &str) -> String {
    std::fs::read_to_string(golden_path(name)).expect("golden file")
}

pub(super) fn assert_golden(name: &str, actual: &str) {
    if std::env::var_os("EKS_DESK_BLESS").is_some() {
        std::fs::write(golden_path(name), actual).expect("bless");
        return;
    }
    let expected = golden(name);
    assert!(
        expected == actual,
        "{name} differs (EKS_DESK_BLESS=1 rewrites it):\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

/// A temporary directory with `config` in it (when `text` is given), named
/// by KUBECONFIG.
pub(super) struct Fixture {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Fixture {
    pub(super) fn new(text: Option<&str>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config");
        if let Some(text) = text {
            std::fs::write(&path, text).expect("seed");
            set_mode(&path, 0o600);
        }
        Self { dir, path }
    }

    pub(super) fn location(&self) -> KubeconfigLocation {
        KubeconfigLocation {
            kubeconfig_env: Some(self.path.clone().into_os_string()),
            home: None,
        }
    }

    pub(super) fn add(
        &self,
        entry: &KubeconfigEntry,
    ) -> Result<KubeconfigWriteOutcome, KubeconfigWriteError> {
        add_to_kubeconfig(entry, &self.location())
    }

    pub(super) fn text(&self) -> String {
        std::fs::read_to_string(&self.path).expect("reads")
    }

    pub(super) fn value(&self) -> YamlValue {
        yaml_value::parse(&self.text()).expect("the file parses")
    }

    /// Files in the directory other than `config`.
    pub(super) fn others(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("lists")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n != "config")
            .collect();
        names.sort();
        names
    }
}

pub(super) fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

pub(super) fn mode_of(path: &Path) -> u32 {
    std::fs::metadata(path).expect("exists").mode() & 0o777
}

pub(super) fn names_in(value: &YamlValue, section: &str) -> Vec<String> {
    value
        .get(section)
        .and_then(YamlValue::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| {
            e.get("name")
                .and_then(YamlValue::as_str)
                .map(str::to_string)
        })
        .collect()
}

pub(super) fn named<'a>(value: &'a YamlValue, section: &str, name: &str) -> &'a YamlValue {
    value
        .get(section)
        .and_then(YamlValue::as_seq)
        .unwrap_or_default()
        .iter()
        .find(|e| e.get("name").and_then(YamlValue::as_str) == Some(name))
        .expect("entry present")
}

pub(super) fn comment_lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.contains('#')).collect()
}

/// What kubectl itself (go-yaml, a third parser) reads from `path` for
/// `entry`: its cluster's server and CA, its user's exec command and
/// arguments, its context's cluster and user. Fails loudly without kubectl.
pub(super) fn assert_kubectl_sees(path: &Path, entry: &KubeconfigEntry) {
    let out = std::process::Command::new("kubectl")
        .args(["config", "view", "--raw", "-o", "json", "--kubeconfig"])
        .arg(path)
        .output()
        .unwrap_or_else(|e| {
            panic!("this test needs kubectl (Debian package kubernetes-client): {e}")
        });
    assert!(
        out.status.success(),
        "kubectl cannot read {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let view: serde_json::Value = serde_json::from_slice(&out.stdout).expect("kubectl's JSON");
    let names = entry.names();
    let find = |section: &str, name: &str| {
        view[section]
            .as_array()
            .and_then(|items| items.iter().find(|i| i["name"] == name))
            .cloned()
            .unwrap_or_else(|| panic!("kubectl sees no {section} entry {name}"))
    };
    let cluster = find("clusters", &names.cluster);
    assert_eq!(cluster["cluster"]["server"], entry.endpoint.as_str());
    assert_eq!(
        cluster["cluster"]["certificate-authority-data"],
        entry.certificate_authority_data.as_str()
    );
    let exec = &find("users", &names.user)["user"]["exec"];
    let args: Vec<&str> = exec["args"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    match &entry.authenticator {
        Authenticator::Aws => {
            assert_eq!(exec["command"], "aws");
            assert_eq!(
                args[..4],
                ["--region", entry.region.as_str(), "eks", "get-token"]
            );
        }
        Authenticator::EksDesk { binary } => {
            assert_eq!(exec["command"], binary.display().to_string().as_str());
            assert_eq!(args[0], "token");
        }
    }
    let context = &find("contexts", &names.context)["context"];
    assert_eq!(context["cluster"], names.cluster.as_str());
    assert_eq!(context["user"], names.user.as_str());
}
