//! `GET .../pods/NAME/log`: plain text, chunked while following, with the
//! kubelet's rules for `container`, `previous`, `tailLines`, `limitBytes`,
//! `sinceSeconds` and `timestamps`.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::logs::{generated, Extra, HISTORY, PERIOD};
use crate::model::meta::key_of;
use crate::model::pod::{Container, State};
use crate::model::resources::Res;
use crate::state::Shared;

use super::response::{self, Resp};
use super::router::Query;
use super::status::ApiError;

struct Run {
    start: i64,
    /// None: still running, lines keep coming.
    end: Option<i64>,
    seed: u64,
    image: String,
    /// The last line a crashed run printed.
    last_words: Option<String>,
}

fn nanos(unix: i64) -> i64 {
    unix * 1_000_000_000
}

fn stamp(n: i64) -> String {
    chrono::DateTime::from_timestamp(
        n.div_euclid(1_000_000_000),
        n.rem_euclid(1_000_000_000) as u32,
    )
    .unwrap_or_default()
    .format("%Y-%m-%dT%H:%M:%S%.9fZ")
    .to_string()
}

fn pick_container<'a>(
    pod_name: &str,
    containers: &'a [Container],
    q: &Query,
) -> Result<&'a Container, ApiError> {
    match q.get("container").filter(|c| !c.is_empty()) {
        Some(name) => containers.iter().find(|c| &*c.name == name).ok_or_else(|| {
            ApiError::bad_request(format!("container {name} is not valid for pod {pod_name}"))
        }),
        None if containers.len() == 1 => Ok(&containers[0]),
        None => {
            let names: Vec<&str> = containers.iter().map(|c| &*c.name).collect();
            Err(ApiError::bad_request(format!(
                "a container name must be specified for pod {pod_name}, choose one of: [{}]",
                names.join(" ")
            )))
        }
    }
}

fn run_of(pod_name: &str, c: &Container, uid: u64, previous: bool) -> Result<Run, ApiError> {
    let crashed = |t: &crate::model::pod::Terminated, restarts: u32| Run {
        start: t.started,
        end: Some(t.finished),
        seed: uid ^ (restarts as u64).wrapping_mul(0x51),
        image: c.image.to_string(),
        last_words: (t.exit_code != 0).then(|| {
            format!(
                "fatal: exiting after error (exit code {}, {})",
                t.exit_code, t.reason
            )
        }),
    };
    if previous {
        return match (&c.last, c.restarts) {
            (Some(t), r) if r > 0 => Ok(crashed(t, r - 1)),
            _ => Err(ApiError::bad_request(format!(
                "previous terminated container \"{}\" in pod \"{pod_name}\" not found",
                c.name
            ))),
        };
    }
    match &c.state {
        State::Running { started } => Ok(Run {
            start: *started,
            end: None,
            seed: uid ^ (c.restarts as u64).wrapping_mul(0x51),
            image: c.image.to_string(),
            last_words: None,
        }),
        State::Terminated(t) => Ok(crashed(t, c.restarts)),
        State::Waiting { reason, .. } => match &c.last {
            // A crash-looping container shows its last run's output.
            Some(t) if c.restarts > 0 => Ok(crashed(t, c.restarts - 1)),
            _ => Err(ApiError::bad_request(format!(
                "container \"{}\" in pod \"{pod_name}\" is waiting to start: {reason}",
                c.name
            ))),
        },
    }
}

/// Generated lines of `run` with index in [from, to), then given lines.
fn generated_between(run: &Run, from: i64, to: i64) -> Vec<(i64, String)> {
    (from..to)
        .map(|k| {
            let t = run.start + k * PERIOD;
            (nanos(t), generated(&run.image, run.seed, k, t))
        })
        .collect()
}

fn count_until(run: &Run, t: i64) -> i64 {
    ((t - run.start) / PERIOD + 1).max(0)
}

struct Output {
    timestamps: bool,
    limit: Option<usize>,
    written: usize,
}

impl Output {
    /// Formats lines, stopping at limitBytes. Returns false once the limit is hit.
    fn render(&mut self, lines: &[(i64, String)], out: &mut Vec<u8>) -> bool {
        for (t, text) in lines {
            let line = if self.timestamps {
                format!("{} {text}\n", stamp(*t))
            } else {
                format!("{text}\n")
            };
            if let Some(limit) = self.limit {
                let room = limit.saturating_sub(self.written);
                if line.len() >= room {
                    out.extend_from_slice(&line.as_bytes()[..room]);
                    self.written = limit;
                    return false;
                }
            }
            self.written += line.len();
            out.extend_from_slice(line.as_bytes());
        }
        true
    }
}

pub fn logs(shared: Arc<Shared>, ns: &str, name: &str, q: &Query) -> Result<Resp, ApiError> {
    let pod_obj = shared
        .cluster()
        .store
        .get(Res::Pods, &key_of(ns, name))
        .cloned()
        .ok_or_else(|| ApiError::not_found("", "pods", name))?;
    let Some(pod) = pod_obj.pod() else {
        return Err(ApiError::no_such_path());
    };
    let container = pick_container(name, &pod.containers, q)?;
    if pod.node.is_none() {
        return Err(ApiError::bad_request(format!(
            "pod {name} does not have a host assigned"
        )));
    }
    let previous = q.flag("previous")?;
    let follow = q.flag("follow")?;
    let run = run_of(name, container, pod_obj.meta.uid as u64, previous)?;
    let tail = q.number("tailLines")?;
    let since = q.number("sinceSeconds")?;
    if since.is_some_and(|s| s < 1) {
        return Err(ApiError::bad_request(
            "sinceSeconds: Invalid value: must be greater than 0",
        ));
    }
    let limit = q.number("limitBytes")?;
    if limit.is_some_and(|l| l < 1) {
        return Err(ApiError::bad_request(
            "limitBytes: Invalid value: must be greater than 0",
        ));
    }
    let now = crate::model::meta::now();
    let extra: Extra = if previous {
        Extra::default()
    } else {
        shared.logs.get(ns, name, &container.name)
    };
    let end = run.end.unwrap_or(now);
    let mut lines: Vec<(i64, String)> = Vec::new();
    let mut next_k = count_until(&run, end);
    if !extra.custom_only {
        lines = generated_between(&run, (next_k - HISTORY).max(0), next_k);
        if let Some(w) = &run.last_words {
            lines.push((nanos(end), w.clone()));
        }
    }
    let mut sent_extra = extra.lines.len();
    lines.extend(extra.lines.iter().cloned());
    lines.sort_by_key(|l| l.0);
    if let Some(s) = since {
        let from = nanos(now - s);
        lines.retain(|l| l.0 >= from);
    }
    if let Some(t) = tail {
        let keep = t.max(0) as usize;
        if lines.len() > keep {
            lines.drain(..lines.len() - keep);
        }
    }
    let mut output = Output {
        timestamps: q.flag("timestamps")?,
        limit: limit.map(|l| l as usize),
        written: 0,
    };
    let mut first = Vec::new();
    let more = output.render(&lines, &mut first);
    if !follow || run.end.is_some() || !more {
        return Ok(response::bytes(200, "text/plain", first));
    }
    let (resp, tx) = response::stream("text/plain");
    let (ns, name, cname, uid) = (
        ns.to_string(),
        name.to_string(),
        container.name.to_string(),
        pod_obj.meta.uid,
    );
    let custom_only = extra.custom_only;
    tokio::spawn(async move {
        if tx.send(Bytes::from(first)).await.is_err() {
            return;
        }
        let mut epoch = shared.logs.epoch.subscribe();
        let mut restart = shared.restart.subscribe();
        loop {
            let next_at = run.start + next_k * PERIOD;
            let wait = (next_at - crate::model::meta::now()).clamp(0, PERIOD) as u64;
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(wait * 1000 + 50)) => {}
                _ = epoch.changed() => {}
                _ = restart.changed() => return,
                _ = tx.closed() => return,
            }
            let alive = shared
                .cluster()
                .store
                .get(Res::Pods, &key_of(&ns, &name))
                .is_some_and(|p| p.meta.uid == uid);
            if !alive {
                return;
            }
            let mut new = Vec::new();
            if !custom_only {
                let n = count_until(&run, crate::model::meta::now());
                new = generated_between(&run, next_k, n);
                next_k = n;
            }
            let extra = shared.logs.get(&ns, &name, &cname);
            if extra.lines.len() > sent_extra {
                new.extend(extra.lines[sent_extra..].iter().cloned());
                sent_extra = extra.lines.len();
            }
            if new.is_empty() {
                continue;
            }
            new.sort_by_key(|l| l.0);
            let mut buf = Vec::new();
            let more = output.render(&new, &mut buf);
            if tx.send(Bytes::from(buf)).await.is_err() || !more {
                return;
            }
        }
    });
    Ok(resp)
}
