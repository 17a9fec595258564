//! One AWS session per selected environment: an SDK config built from a
//! profile + region (the aws-config default chain, so SSO, assume-role and
//! credential_process work as in the CLI) or from the local emulator's
//! endpoint. Credentials stay inside the SDK's providers; this type exposes
//! clients, never keys.

use super::errors::CallContext;
use super::{profiles, AwsError};
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::time::Duration;

/// What the environment picker selects.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Environment {
    /// A named profile from ~/.aws/config or ~/.aws/credentials.
    #[serde(rename_all = "camelCase")]
    Profile { profile: String, region: String },
    /// The local AWS emulator on loopback; nothing touches real AWS.
    #[serde(rename_all = "camelCase")]
    Emulator { region: String },
}

impl Environment {
    pub fn region(&self) -> &str {
        match self {
            Environment::Profile { region, .. } | Environment::Emulator { region } => region,
        }
    }

    /// The same account (profile or emulator) in another region.
    pub fn with_region(&self, region: &str) -> Self {
        match self {
            Environment::Profile { profile, .. } => Environment::Profile {
                profile: profile.clone(),
                region: region.to_string(),
            },
            Environment::Emulator { .. } => Environment::Emulator {
                region: region.to_string(),
            },
        }
    }

    pub fn profile(&self) -> Option<&str> {
        match self {
            Environment::Profile { profile, .. } => Some(profile),
            Environment::Emulator { .. } => None,
        }
    }
}

/// Debug shows where the session goes, never the SDK config: its credentials
/// provider would print the access key id.
#[derive(Clone)]
pub struct AwsSession {
    pub environment: Environment,
    config: SdkConfig,
    /// Set when every service is reached through one URL (emulator or
    /// AWS_ENDPOINT_URL); shown in "could not reach" errors.
    endpoint_override: Option<String>,
    profile_is_sso: bool,
}

/// Standard retry mode retries throttling and 5xx with jittered exponential
/// backoff; five attempts ride out a burst without hiding a real outage.
fn retry_config() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(5)
        .with_initial_backoff(Duration::from_millis(200))
}

/// Short connect timeout so that an unreachable endpoint is reported in
/// seconds, not minutes.
fn timeout_config() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(3))
        .operation_attempt_timeout(Duration::from_secs(20))
        .build()
}

fn check_region(region: &str) -> Result<(), AwsError> {
    // The emulator accepts any region, and real AWS adds regions over time;
    // only refuse what cannot be a region name at all.
    let ok = !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(AwsError::InvalidRegion(region.to_string()))
    }
}

impl std::fmt::Debug for AwsSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsSession")
            .field("environment", &self.environment)
            .field("endpoint_override", &self.endpoint_override)
            .field("profile_is_sso", &self.profile_is_sso)
            .finish_non_exhaustive()
    }
}

impl AwsSession {
    /// A session for a named profile, resolved through the default chain.
    pub async fn for_profile(profile: &str, region: &str) -> Result<Self, AwsError> {
        check_region(region)?;
        let known = profiles::list().await?;
        let info = known
            .iter()
            .find(|p| p.name == profile)
            .ok_or_else(|| AwsError::ProfileNotFound(profile.to_string()))?;
        let config = aws_config::defaults(BehaviorVersion::latest())
            .profile_name(profile)
            .region(Region::new(region.to_string()))
            .retry_config(retry_config())
            .timeout_config(timeout_config())
            .load()
            .await;
        Ok(Self {
            environment: Environment::Profile {
                profile: profile.to_string(),
                region: region.to_string(),
            },
            endpoint_override: std::env::var("AWS_ENDPOINT_URL").ok(),
            config,
            profile_is_sso: info.kind == profiles::ProfileKind::Sso,
        })
    }

    /// A session that sends every call to `endpoint` with fixed credentials.
    /// Used for the emulator, and by tests to present wrong credentials.
    pub async fn with_static_credentials(
        endpoint: &str,
        region: &str,
        credentials: Credentials,
    ) -> Self {
        let config = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.to_string()))
            .endpoint_url(endpoint)
            .credentials_provider(credentials)
            .retry_config(retry_config())
            .timeout_config(timeout_config())
            .load()
            .await;
        Self {
            environment: Environment::Emulator {
                region: region.to_string(),
            },
            config,
            endpoint_override: Some(endpoint.to_string()),
            profile_is_sso: false,
        }
    }

    pub fn eks(&self) -> aws_sdk_eks::Client {
        aws_sdk_eks::Client::new(&self.config)
    }

    pub fn sts(&self) -> aws_sdk_sts::Client {
        aws_sdk_sts::Client::new(&self.config)
    }

    pub fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.config)
    }

    pub fn ec2(&self) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.config)
    }

    pub fn elbv2(&self) -> aws_sdk_elasticloadbalancingv2::Client {
        aws_sdk_elasticloadbalancingv2::Client::new(&self.config)
    }

    pub fn region(&self) -> &str {
        self.environment.region()
    }

    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// The emulator's URL, when every call goes there.
    pub fn endpoint_override(&self) -> Option<&str> {
        self.endpoint_override.as_deref()
    }

    /// The current credentials, for what the app signs itself rather than
    /// the SDK (the EKS token). `Credentials`' `Debug` hides the secret and
    /// the session token; callers keep them in memory only.
    pub async fn credentials(&self) -> Result<Credentials, AwsError> {
        use aws_credential_types::provider::ProvideCredentials;
        let ctx = CallContext {
            action: "sts:GetCallerIdentity",
            profile: self.environment.profile(),
            profile_is_sso: self.profile_is_sso,
            endpoint: &self.endpoint("sts"),
        };
        let Some(provider) = self.config.credentials_provider() else {
            return Err(AwsError::NoCredentials {
                profile: self.environment.profile().map(str::to_string),
            });
        };
        provider
            .provide_credentials()
            .await
            .map_err(|e| super::errors::classify_credentials(&e, &ctx))
    }

    /// Where calls to `service` go, for error messages.
    pub fn endpoint(&self, service: &str) -> String {
        match &self.endpoint_override {
            Some(url) => url.clone(),
            None => {
                let region = self.environment.region();
                let suffix = super::arn::dns_suffix(super::arn::partition_of_region(region));
                format!("https://{service}.{region}.{suffix}")
            }
        }
    }

    /// Turns an SDK error of `action` (IAM action name, `eks:ListClusters`)
    /// into an [`AwsError`].
    pub fn classify<E, R>(&self, action: &str, err: aws_sdk_eks::error::SdkError<E, R>) -> AwsError
    where
        E: aws_sdk_eks::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        let service = action.split(':').next().unwrap_or("aws");
        let endpoint = self.endpoint(service);
        let ctx = CallContext {
            action,
            profile: self.environment.profile(),
            profile_is_sso: self.profile_is_sso,
            endpoint: &endpoint,
        };
        super::errors::classify(err, &ctx)
    }
}
