//! Sessions kept for the life of the app, one per selected environment, so
//! that credential caches (SSO tokens, assumed roles) are reused between
//! refreshes instead of being resolved again on every call.

use super::local_emulator;
use super::{AwsError, AwsSession, Environment};
use aws_credential_types::Credentials;
use std::collections::HashMap;
use std::future::Future;
use tokio::sync::Mutex;

#[derive(Default)]
pub struct Sessions {
    by_environment: Mutex<HashMap<Environment, AwsSession>>,
    /// One sign-in per app run: each sign-in rotates the local user's key,
    /// which would invalidate sessions of other regions.
    emulator_credentials: Mutex<Option<Credentials>>,
    emulator_endpoint: String,
}

impl Sessions {
    pub fn new(emulator_endpoint: String) -> Self {
        Self {
            emulator_endpoint,
            ..Self::default()
        }
    }

    pub fn emulator_endpoint(&self) -> &str {
        &self.emulator_endpoint
    }

    async fn emulator_session(&self, region: &str) -> Result<AwsSession, AwsError> {
        let mut creds = self.emulator_credentials.lock().await;
        let credentials = match creds.as_ref() {
            Some(c) => c.clone(),
            None => {
                let c = local_emulator::sign_in(&self.emulator_endpoint, region).await?;
                *creds = Some(c.clone());
                c
            }
        };
        Ok(AwsSession::with_static_credentials(&self.emulator_endpoint, region, credentials).await)
    }

    pub async fn get(&self, environment: &Environment) -> Result<AwsSession, AwsError> {
        if let Some(s) = self.by_environment.lock().await.get(environment) {
            return Ok(s.clone());
        }
        let session = match environment {
            Environment::Profile { profile, region } => {
                AwsSession::for_profile(profile, region).await?
            }
            Environment::Emulator { region } => self.emulator_session(region).await?,
        };
        tracing::debug!(?session, "new AWS session");
        self.by_environment
            .lock()
            .await
            .insert(environment.clone(), session.clone());
        Ok(session)
    }

    /// Runs `call` with the environment's session. When the credentials are
    /// rejected the session is dropped, so that the next call resolves them
    /// again (a restarted emulator, a renewed SSO login).
    pub async fn with<T, F, Fut>(&self, environment: &Environment, call: F) -> Result<T, AwsError>
    where
        F: FnOnce(AwsSession) -> Fut,
        Fut: Future<Output = Result<T, AwsError>>,
    {
        let result = match self.get(environment).await {
            Ok(session) => call(session).await,
            Err(e) => Err(e),
        };
        if let Err(e) = &result {
            tracing::warn!(?environment, error = %e, "AWS call failed");
        }
        if let Err(
            AwsError::InvalidCredentials { .. }
            | AwsError::SsoExpired { .. }
            | AwsError::NoCredentials { .. },
        ) = &result
        {
            self.by_environment.lock().await.remove(environment);
            if matches!(environment, Environment::Emulator { .. }) {
                *self.emulator_credentials.lock().await = None;
            }
        }
        result
    }
}
