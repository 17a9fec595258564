//! Logs to stderr and to a daily-rotated file in the app's log directory.
//!
//! The SDK's signing and HTTP internals log request headers (access key ids,
//! session tokens) at debug/trace level. Those targets are capped at INFO for
//! every output, whatever `EKS_DESK_LOG` asks for, so that raising the log
//! level for troubleshooting cannot write credentials to disk.

use std::path::Path;
use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, Registry};

/// Environment variable with an `EnvFilter` spec, e.g. `eks_desk=debug`.
pub const LEVEL_VAR: &str = "EKS_DESK_LOG";
const DEFAULT_LEVEL: &str = "info";
/// Rotated files kept.
const KEEP_FILES: usize = 7;

const CAPPED_TARGETS: &[&str] = &[
    "aws_sigv4",
    "aws_smithy_runtime",
    "aws_smithy_runtime_api",
    "aws_smithy_http_client",
    "aws_smithy_http",
    "aws_config",
    "aws_credential_types",
    "aws_runtime",
    "hyper",
    "hyper_util",
    "h2",
    "rustls",
    "kube_client",
];

/// The cap applied to every output.
pub fn sensitive_target_cap() -> Targets {
    CAPPED_TARGETS.iter().fold(
        Targets::new().with_default(LevelFilter::TRACE),
        |t, name| t.with_target(*name, LevelFilter::INFO),
    )
}

fn level_filter(spec: Option<&str>) -> EnvFilter {
    EnvFilter::try_new(spec.unwrap_or(DEFAULT_LEVEL))
        .unwrap_or_else(|_| EnvFilter::new(DEFAULT_LEVEL))
}

/// A subscriber writing to `writer` (plain text, no colours) with the app's
/// filters; the app uses it for the log file, tests for a buffer.
pub fn layer_for<S, W>(writer: W) -> impl Layer<S>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(writer)
        .with_filter(sensitive_target_cap())
}

/// Installs the global subscriber. Returns the guard that flushes the file
/// writer; keep it alive for the life of the process.
pub fn init(log_dir: Option<&Path>) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let spec = std::env::var(LEVEL_VAR).ok();
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(sensitive_target_cap());
    let (file, guard) = match log_dir.and_then(|dir| {
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("eks-desk")
            .filename_suffix("log")
            .max_log_files(KEEP_FILES)
            .build(dir)
            .ok()
    }) {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            (Some(layer_for(writer)), Some(guard))
        }
        None => (None, None),
    };
    let _ = Registry::default()
        .with(level_filter(spec.as_deref()))
        .with(stderr)
        .with(file)
        .try_init();
    guard
}

/// For tests: the app's filters over a custom writer at the given level.
pub fn subscriber_with_writer<W>(spec: &str, writer: W) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    Registry::default()
        .with(level_filter(Some(spec)))
        .with(layer_for(writer))
}
