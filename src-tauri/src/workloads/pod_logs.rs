//! A container's log, streamed in batches (at most every 100 ms or 500
//! lines) to whoever shows it: follow, the previous container, tail,
//! timestamps. Lines are made visible text (see `visible_text`).

use std::time::Duration;

use futures::{AsyncBufReadExt, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::api::LogParams;
use kube::Api;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::pod_detail::PodRef;
use super::visible_text::visible;
use super::workload_error::{from_kube, WorkloadError};

const BATCH_LINES: usize = 500;
const BATCH_EVERY: Duration = Duration::from_millis(100);

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LogRequest {
    pub pod: PodRef,
    /// Required when the pod has several containers.
    pub container: Option<String>,
    pub follow: bool,
    /// The container's previous run (after a restart).
    pub previous: bool,
    pub tail_lines: Option<u32>,
    pub timestamps: bool,
}

/// Why the stream ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum LogEnd {
    /// Everything was sent (not following, or the container stopped).
    Complete,
    /// The reader went away.
    Stopped,
}

/// Streams the log to `sink` in batches; `sink` returns false to stop.
pub async fn stream_logs(
    client: &kube::Client,
    request: &LogRequest,
    mut sink: impl FnMut(Vec<String>) -> bool,
) -> Result<LogEnd, WorkloadError> {
    let what = format!("pod {}/{}", request.pod.namespace, request.pod.name);
    let pods: Api<Pod> = Api::namespaced(client.clone(), &request.pod.namespace);
    let params = LogParams {
        container: request.container.clone(),
        follow: request.follow,
        previous: request.previous,
        tail_lines: request.tail_lines.map(i64::from),
        timestamps: request.timestamps,
        ..Default::default()
    };
    let reader = pods
        .log_stream(&request.pod.name, &params)
        .await
        .map_err(|e| from_kube(e, &what))?;
    let mut lines = std::pin::pin!(reader.lines());
    let mut batch = Vec::new();
    let mut tick = tokio::time::interval(BATCH_EVERY);
    loop {
        tokio::select! {
            line = lines.next() => match line {
                Some(Ok(line)) => {
                    batch.push(visible(&line));
                    if batch.len() >= BATCH_LINES && !sink(std::mem::take(&mut batch)) {
                        return Ok(LogEnd::Stopped);
                    }
                }
                Some(Err(e)) => {
                    if !batch.is_empty() {
                        sink(std::mem::take(&mut batch));
                    }
                    return Err(WorkloadError::Unreachable { reason: e.to_string() });
                }
                None => {
                    if !batch.is_empty() && !sink(batch) {
                        return Ok(LogEnd::Stopped);
                    }
                    return Ok(LogEnd::Complete);
                }
            },
            _ = tick.tick() => {
                if !batch.is_empty() && !sink(std::mem::take(&mut batch)) {
                    return Ok(LogEnd::Stopped);
                }
            }
        }
    }
}
