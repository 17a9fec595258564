//! Credentials that go through the SDK's default chain (environment
//! variables here, as a CI job or `aws-vault exec` would set them) must never
//! reach the log, even at the most verbose level a user can ask for.
//! One test per binary: it sets process-wide environment variables.

#[path = "support/emulator.rs"]
mod emulator;

use aws_credential_types::Credentials;
use eks_desk::aws::{clusters, identity, AwsSession, Environment, Sessions};
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[test]
fn credentials_from_the_chain_never_appear_in_the_log() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let runtime = tokio::runtime::Runtime::new().unwrap();

    // Real temporary credentials (key id, secret, session token) from the
    // emulator's STS, so every call below succeeds with them.
    let temporary = runtime.block_on(async {
        let local = eks_desk::aws::local_emulator::session(&emu.url, "us-east-1")
            .await
            .unwrap();
        let out = local.sts().get_session_token().send().await.unwrap();
        out.credentials().unwrap().clone()
    });
    let secrets = [
        temporary.access_key_id().to_string(),
        temporary.secret_access_key().to_string(),
        temporary.session_token().to_string(),
    ];
    assert!(secrets.iter().all(|s| s.len() >= 16), "{secrets:?}");

    let home = tempfile::tempdir().unwrap();
    // SAFETY of set_var: this binary has a single test and sets these
    // before any other thread reads the environment.
    std::env::set_var("HOME", home.path());
    for var in [
        "AWS_PROFILE",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
    ] {
        std::env::remove_var(var);
    }
    std::env::set_var("AWS_ACCESS_KEY_ID", &secrets[0]);
    std::env::set_var("AWS_SECRET_ACCESS_KEY", &secrets[1]);
    std::env::set_var("AWS_SESSION_TOKEN", &secrets[2]);
    std::env::set_var("AWS_ENDPOINT_URL", &emu.url);

    let captured = Captured::default();
    tracing::subscriber::set_global_default(eks_desk::logging::subscriber_with_writer(
        "trace",
        captured.clone(),
    ))
    .unwrap();

    runtime.block_on(async {
        let sessions = Sessions::new(emu.url.clone());
        let env = Environment::Profile {
            profile: "default".into(),
            region: "us-east-1".into(),
        };
        let who = sessions
            .with(&env, |s| async move { identity::caller_identity(&s).await })
            .await
            .expect("the chain's credentials work");
        assert!(who.arn.ends_with("user/eks-desk-local"), "{}", who.arn);
        sessions
            .with(&env, |s| async move { clusters::list(&s).await })
            .await
            .unwrap();
        // A failing call is logged with its error.
        let wrong = AwsSession::with_static_credentials(
            &emu.url,
            "us-east-1",
            Credentials::new(
                &secrets[0],
                "not-the-secret",
                Some(secrets[2].clone()),
                None,
                "t",
            ),
        )
        .await;
        let err = clusters::list(&wrong).await.unwrap_err();
        tracing::warn!(error = %err, session = ?wrong, "expected failure");
    });

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("new AWS session") && log.contains("expected failure"),
        "the app's own log lines were not captured:\n{log}"
    );
    for (what, secret) in ["access key id", "secret key", "session token"]
        .iter()
        .zip(&secrets)
    {
        assert!(
            !log.contains(secret.as_str()),
            "the {what} appeared in the log:\n{log}"
        );
    }
}
