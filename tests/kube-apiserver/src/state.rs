//! Everything the API and control servers share.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use tokio::sync::watch;

use crate::auth::Authenticator;
use crate::logs::LogStore;
use crate::sim::cluster::Cluster;

pub struct Shared {
    cluster: Mutex<Cluster>,
    /// The store's resource version, for watchers to wake on.
    pub rv: watch::Receiver<u64>,
    /// Bumped by /restart: every API connection and watch closes.
    pub restart: watch::Sender<u64>,
    /// Bumped by /drop-connections: open watches go silent.
    pub silence: watch::Sender<u64>,
    pub bookmark_millis: AtomicU64,
    /// (status, count) of injected failures for the next API requests.
    pub failures: Mutex<Option<(u16, u64)>>,
    pub requests: AtomicU64,
    pub open_watches: AtomicU64,
    /// Pod updates per second, as f64 bits.
    pub churn_rate: AtomicU64,
    pub logs: LogStore,
    pub auth: Authenticator,
}

impl Shared {
    pub fn new(cluster: Cluster, rv: watch::Receiver<u64>, auth: Authenticator) -> Self {
        Shared {
            cluster: Mutex::new(cluster),
            rv,
            restart: watch::channel(0).0,
            silence: watch::channel(0).0,
            bookmark_millis: AtomicU64::new(5_000),
            failures: Mutex::new(None),
            requests: AtomicU64::new(0),
            open_watches: AtomicU64::new(0),
            churn_rate: AtomicU64::new(0f64.to_bits()),
            logs: LogStore::default(),
            auth,
        }
    }

    /// The cluster, even if a panicking request poisoned the lock (the
    /// store's invariants hold between statements, so it stays usable).
    pub fn cluster(&self) -> MutexGuard<'_, Cluster> {
        self.cluster.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn churn_rate(&self) -> f64 {
        f64::from_bits(self.churn_rate.load(Ordering::Relaxed))
    }

    pub fn set_churn_rate(&self, r: f64) {
        self.churn_rate
            .store(r.max(0.0).to_bits(), Ordering::Relaxed);
    }

    /// Takes one injected failure, if any is pending.
    pub fn take_failure(&self) -> Option<u16> {
        let mut f = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match f.as_mut() {
            Some((status, n)) if *n > 0 => {
                *n -= 1;
                let s = *status;
                if *n == 0 {
                    *f = None;
                }
                Some(s)
            }
            _ => None,
        }
    }
}
