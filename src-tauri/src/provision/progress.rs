//! What a running apply or destroy tells its watcher (the CLI's lines, the
//! UI's plan graph through a Tauri Channel), and how the watcher stops it.

use super::journal::{Operation, StepState};
use serde::Serialize;
use specta::Type;
use std::sync::Arc;
use tokio::sync::{mpsc, watch};

/// One step transition or a status change seen while waiting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProgressEvent {
    pub spec_id: String,
    pub operation: Operation,
    /// A plan step id (`cluster/my-eks`), or `run` for the run as a whole.
    pub step_id: String,
    pub state: StepState,
    /// Since the step started (or the run, for `run` events).
    pub elapsed_ms: u32,
    /// Since the run started.
    pub run_elapsed_ms: u32,
    /// What happened or what is awaited, for the log.
    pub message: String,
    pub resource_id: Option<String>,
    pub steps_done: u32,
    pub steps_total: u32,
}

pub type ProgressSink = mpsc::UnboundedSender<ProgressEvent>;

/// Stops a run: no new step starts, waits end at their next poll, calls in
/// flight finish. Cloned handles share one flag.
#[derive(Clone, Debug)]
pub struct Cancellation {
    flag: Arc<watch::Sender<bool>>,
}

impl Default for Cancellation {
    fn default() -> Self {
        Self {
            flag: Arc::new(watch::channel(false).0),
        }
    }
}

impl Cancellation {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.flag.send_replace(true);
    }

    pub fn is_cancelled(&self) -> bool {
        *self.flag.borrow()
    }

    /// Completes once [`Cancellation::cancel`] was called.
    pub async fn cancelled(&self) {
        let mut rx = self.flag.subscribe();
        // The sender lives in `self`, so the channel cannot close here.
        let _ = rx.wait_for(|cancelled| *cancelled).await;
    }
}

/// Passes events on in batches: each batch holds what arrived within
/// `window` of its first event, at most `max` events. One send per batch
/// instead of one per event keeps a watcher across IPC cheap when steps
/// report fast. Returns once every sender is gone, after sending the last
/// batch.
pub async fn forward_in_batches(
    mut events: mpsc::UnboundedReceiver<ProgressEvent>,
    window: std::time::Duration,
    max: usize,
    mut send: impl FnMut(Vec<ProgressEvent>),
) {
    while let Some(first) = events.recv().await {
        let deadline = tokio::time::Instant::now() + window;
        let mut batch = vec![first];
        while batch.len() < max.max(1) {
            match tokio::time::timeout_at(deadline, events.recv()).await {
                Ok(Some(event)) => batch.push(event),
                // Closed (the run ended) or the window is over.
                Ok(None) | Err(_) => break,
            }
        }
        send(batch);
    }
}

pub(crate) fn millis(d: std::time::Duration) -> u32 {
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The UI will receive these over a Tauri Channel: they must export to
    /// TypeScript (no 64-bit integers, which would need BigInt).
    #[test]
    fn progress_and_journal_types_export_to_typescript() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("types.ts");
        tauri_specta::Builder::<tauri::Wry>::new()
            .typ::<ProgressEvent>()
            .typ::<super::super::journal::Journal>()
            .typ::<super::super::journal::UnfinishedRun>()
            .export(specta_typescript::Typescript::default(), &path)
            .expect("exportable");
        let ts = std::fs::read_to_string(path).unwrap();
        assert!(ts.contains("stepId: string"), "{ts}");
        assert!(ts.contains("elapsedMs: number"), "{ts}");
        assert!(ts.contains("clientRequestToken"), "{ts}");
    }

    fn event(step_id: &str) -> ProgressEvent {
        ProgressEvent {
            spec_id: "s".into(),
            operation: Operation::Apply,
            step_id: step_id.into(),
            state: StepState::Running,
            elapsed_ms: 0,
            run_elapsed_ms: 0,
            message: String::new(),
            resource_id: None,
            steps_done: 0,
            steps_total: 1,
        }
    }

    fn ids(batch: &[ProgressEvent]) -> Vec<&str> {
        batch.iter().map(|e| e.step_id.as_str()).collect()
    }

    #[tokio::test(start_paused = true)]
    async fn events_go_out_in_batches_per_window_and_the_last_batch_is_flushed() {
        use std::time::Duration;
        let (tx, rx) = mpsc::unbounded_channel();
        let batches = Arc::new(std::sync::Mutex::new(Vec::<Vec<ProgressEvent>>::new()));
        let sent = batches.clone();
        let forwarder = tokio::spawn(forward_in_batches(
            rx,
            Duration::from_millis(200),
            3,
            move |b| sent.lock().unwrap().push(b),
        ));
        // Five at once: full batches of three, then the rest at the window's end.
        for id in ["a", "b", "c", "d", "e"] {
            tx.send(event(id)).unwrap();
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        // One more, then the run ends before its window is over.
        tx.send(event("f")).unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(tx);
        forwarder.await.unwrap();
        let batches = batches.lock().unwrap();
        let got: Vec<Vec<&str>> = batches.iter().map(|b| ids(b)).collect();
        assert_eq!(got, [vec!["a", "b", "c"], vec!["d", "e"], vec!["f"]]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_quiet_run_sends_nothing_and_ends_with_its_senders() {
        let (tx, rx) = mpsc::unbounded_channel::<ProgressEvent>();
        let mut calls = 0;
        drop(tx);
        forward_in_batches(rx, std::time::Duration::from_millis(200), 10, |_| {
            calls += 1
        })
        .await;
        assert_eq!(calls, 0);
    }

    #[tokio::test]
    async fn cancel_wakes_every_waiter() {
        let cancel = Cancellation::new();
        let waiter = {
            let c = cancel.clone();
            tokio::spawn(async move { c.cancelled().await })
        };
        assert!(!cancel.is_cancelled());
        cancel.cancel();
        tokio::time::timeout(std::time::Duration::from_secs(1), waiter)
            .await
            .expect("woken")
            .unwrap();
        assert!(cancel.is_cancelled());
        // Already cancelled: returns at once.
        cancel.cancelled().await;
    }
}
