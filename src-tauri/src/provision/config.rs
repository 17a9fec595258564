//! How long the engine waits for what, and how often it looks. A leaf of
//! `provision/`: every other file may use it, it uses none of them.

use std::time::Duration;

/// The defaults suit AWS (a cluster takes 10–15 minutes); the emulator and
/// tests shorten the polls.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// First pause between two status polls; doubles up to `poll_max`.
    pub poll_first: Duration,
    pub poll_max: Duration,
    /// How long a freshly made role may be unknown to EKS.
    pub iam_propagation_timeout: Duration,
    pub cluster_timeout: Duration,
    pub nodegroup_timeout: Duration,
    pub addon_timeout: Duration,
    /// For each delete, including ENIs that AWS releases late.
    pub delete_timeout: Duration,
    /// Steps at once; 0 = as many as are ready, 1 = one by one.
    pub max_concurrency: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            poll_first: Duration::from_secs(5),
            poll_max: Duration::from_secs(30),
            iam_propagation_timeout: Duration::from_secs(120),
            cluster_timeout: Duration::from_secs(40 * 60),
            nodegroup_timeout: Duration::from_secs(30 * 60),
            addon_timeout: Duration::from_secs(20 * 60),
            delete_timeout: Duration::from_secs(30 * 60),
            max_concurrency: 0,
        }
    }
}

impl EngineConfig {
    /// Short polls for the emulator, where everything is ready at once.
    pub fn quick() -> Self {
        Self {
            poll_first: Duration::from_millis(20),
            poll_max: Duration::from_millis(250),
            iam_propagation_timeout: Duration::from_secs(10),
            cluster_timeout: Duration::from_secs(120),
            nodegroup_timeout: Duration::from_secs(60),
            addon_timeout: Duration::from_secs(60),
            delete_timeout: Duration::from_secs(60),
            max_concurrency: 0,
        }
    }

    /// What a run in `environment` should use: short polls against the
    /// local emulator (everything is ready at once), AWS's pace elsewhere.
    pub fn for_environment(environment: &crate::aws::Environment) -> Self {
        match environment {
            crate::aws::Environment::Emulator { .. } => Self::quick(),
            crate::aws::Environment::Profile { .. } => Self::default(),
        }
    }

    /// AWS's timeouts with polls starting at `first` (the CLI's `--poll-ms`).
    pub fn with_first_poll(first: Duration) -> Self {
        let first = first.max(Duration::from_millis(1));
        Self {
            poll_first: first,
            poll_max: first * 6,
            ..Self::default()
        }
    }
}

/// Pauses between polls: `first`, doubled each time, capped at `max`.
pub(crate) struct Backoff {
    next: Duration,
    max: Duration,
}

impl Backoff {
    pub fn new(config: &EngineConfig) -> Self {
        Self {
            next: config.poll_first,
            max: config.poll_max,
        }
    }

    pub fn next_pause(&mut self) -> Duration {
        let pause = self.next;
        self.next = (self.next * 2).min(self.max);
        pause
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_emulator_gets_short_polls_and_aws_its_own_pace() {
        let emulator = EngineConfig::for_environment(&crate::aws::Environment::Emulator {
            region: "us-east-1".into(),
        });
        assert_eq!(emulator.poll_first, EngineConfig::quick().poll_first);
        let aws = EngineConfig::for_environment(&crate::aws::Environment::Profile {
            profile: "dev".into(),
            region: "us-east-1".into(),
        });
        assert_eq!(aws.poll_first, EngineConfig::default().poll_first);
        assert_eq!(aws.cluster_timeout, EngineConfig::default().cluster_timeout);
    }

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let config = EngineConfig {
            poll_first: Duration::from_secs(5),
            poll_max: Duration::from_secs(30),
            ..Default::default()
        };
        let mut b = Backoff::new(&config);
        let pauses: Vec<u64> = (0..5).map(|_| b.next_pause().as_secs()).collect();
        assert_eq!(pauses, [5, 10, 20, 30, 30]);
    }
}
