//! Watches: a chunked stream of `{"type":…,"object":…}` lines read from the
//! store's change log after a resource version, with selectors applied
//! (an object leaving the selection is DELETED for this watcher, as on a
//! real server), bookmarks, timeouts, and 410 ERROR events for versions
//! older than the retained history.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::model::object::Object;
use crate::model::resources::Res;
use crate::state::Shared;
use crate::store::EventType;

use super::read::parse_rv;
use super::response::{self, Resp};
use super::router::Query;
use super::selectors::{FieldSelector, LabelSelector};
use super::status::ApiError;
use super::table::{self, Include};

struct Filter {
    res: Res,
    prefix: String,
    labels: LabelSelector,
    fields: FieldSelector,
}

impl Filter {
    fn matches(&self, o: &Object) -> bool {
        o.res == self.res
            && o.meta.key().starts_with(&self.prefix)
            && self.labels.matches(o)
            && self.fields.matches(o)
    }
}

struct Encoder {
    table: Option<Include>,
    sent_columns: bool,
}

impl Encoder {
    fn line(&mut self, kind: &str, obj: &Object, cached: Option<&Bytes>) -> Bytes {
        let object: Bytes = match self.table {
            Some(include) => {
                let t = table::table(
                    obj.res,
                    &[Arc::new(obj.clone())],
                    include,
                    json!({"resourceVersion": obj.meta.resource_version.to_string()}),
                    !self.sent_columns,
                );
                self.sent_columns = true;
                Bytes::from(serde_json::to_vec(&t).unwrap_or_default())
            }
            None => match cached {
                Some(b) => b.clone(),
                None => Bytes::from(serde_json::to_vec(&obj.to_json()).unwrap_or_default()),
            },
        };
        let mut out = Vec::with_capacity(object.len() + 32);
        out.extend_from_slice(b"{\"type\":\"");
        out.extend_from_slice(kind.as_bytes());
        out.extend_from_slice(b"\",\"object\":");
        out.extend_from_slice(&object);
        out.extend_from_slice(b"}\n");
        Bytes::from(out)
    }
}

fn raw_line(kind: &str, object: &Value) -> Bytes {
    Bytes::from(format!("{}\n", json!({"type": kind, "object": object})))
}

pub fn too_old(requested: u64, oldest: u64) -> Value {
    ApiError::expired(format!("too old resource version: {requested} ({oldest})")).to_json()
}

struct OpenWatch(Arc<Shared>);

impl Drop for OpenWatch {
    fn drop(&mut self) {
        self.0.open_watches.fetch_sub(1, Ordering::Relaxed);
    }
}

pub fn watch(
    shared: Arc<Shared>,
    res: Res,
    namespace: Option<&str>,
    q: &Query,
    accept: &str,
) -> Result<Resp, ApiError> {
    let labels = LabelSelector::parse(q.get("labelSelector").unwrap_or(""))?;
    let fields = FieldSelector::parse(q.get("fieldSelector").unwrap_or(""), res)?;
    if q.get("sendInitialEvents").is_some() {
        return Err(ApiError::bad_request(
            "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled",
        ));
    }
    let rv = parse_rv(q)?;
    let timeout = q.number("timeoutSeconds")?.unwrap_or(1800).max(0) as u64;
    let bookmarks = q.flag("allowWatchBookmarks")?;
    let filter = Filter {
        res,
        prefix: namespace.map(|ns| format!("{ns}/")).unwrap_or_default(),
        labels,
        fields,
    };
    let encoder = Encoder {
        table: table::wants_table(accept).then(|| table::parse_include(q.get("includeObject"))),
        sent_columns: false,
    };
    let (resp, tx) = response::stream("application/json");
    shared.open_watches.fetch_add(1, Ordering::Relaxed);
    let guard = OpenWatch(shared.clone());
    tokio::spawn(async move {
        let _guard = guard;
        run(
            shared,
            filter,
            encoder,
            rv.filter(|r| *r != 0),
            timeout,
            bookmarks,
            tx,
        )
        .await;
    });
    Ok(resp)
}

async fn run(
    shared: Arc<Shared>,
    filter: Filter,
    mut enc: Encoder,
    from: Option<u64>,
    timeout: u64,
    bookmarks: bool,
    tx: mpsc::Sender<Bytes>,
) {
    let deadline = Instant::now() + Duration::from_secs(timeout);
    let mut rv_rx = shared.rv.clone();
    let mut restart = shared.restart.subscribe();
    let mut silence = shared.silence.subscribe();
    rv_rx.mark_unchanged();
    restart.mark_unchanged();
    silence.mark_unchanged();
    // Without a resource version: the current state first, as ADDED events.
    let mut cursor = match from {
        Some(r) => r,
        None => {
            let (rv, initial): (u64, Vec<Arc<Object>>) = {
                let c = shared.cluster();
                let objs = c
                    .store
                    .map(filter.res)
                    .range(filter.prefix.clone()..)
                    .take_while(|(k, _)| k.starts_with(&filter.prefix))
                    .filter(|(_, o)| filter.matches(o))
                    .map(|(_, o)| o.clone())
                    .collect();
                (c.store.rv(), objs)
            };
            for o in initial {
                if tx.send(enc.line("ADDED", &o, None)).await.is_err() {
                    return;
                }
            }
            rv
        }
    };
    let mut seen = cursor;
    let bookmark_every =
        Duration::from_millis(shared.bookmark_millis.load(Ordering::Relaxed).max(10));
    let mut next_bookmark = Instant::now() + bookmark_every;
    loop {
        let changes = {
            let c = shared.cluster();
            seen = seen.max(c.store.rv());
            c.store.changes_after(cursor)
        };
        match changes {
            Err(e) => {
                let _ = tx
                    .send(raw_line("ERROR", &too_old(e.requested, e.oldest)))
                    .await;
                return;
            }
            Ok(list) => {
                for ch in list {
                    cursor = ch.rv;
                    let now = filter.matches(&ch.object);
                    let before = ch.prev.as_ref().is_some_and(|p| filter.matches(p));
                    let kind = match (ch.kind, before, now) {
                        (EventType::Added, _, true) => "ADDED",
                        (EventType::Modified, true, true) => "MODIFIED",
                        (EventType::Modified, false, true) => "ADDED",
                        (EventType::Modified, true, false) => "DELETED",
                        (EventType::Deleted, true, _) => "DELETED",
                        _ => continue,
                    };
                    let cached = (kind == ch.kind.as_str()).then(|| ch.object_json());
                    if tx.send(enc.line(kind, &ch.object, cached)).await.is_err() {
                        return;
                    }
                }
            }
        }
        let bookmark_sleep = if bookmarks { next_bookmark } else { deadline };
        tokio::select! {
            r = rv_rx.changed() => if r.is_err() { return },
            _ = tokio::time::sleep_until(bookmark_sleep), if bookmarks => {
                next_bookmark = Instant::now() + bookmark_every;
                let obj = json!({"kind": filter.res.info().kind, "apiVersion": filter.res.api_version(),
                                 "metadata": {"resourceVersion": seen.max(cursor).to_string()}});
                if tx.send(raw_line("BOOKMARK", &obj)).await.is_err() {
                    return;
                }
            }
            _ = tokio::time::sleep_until(deadline) => return,
            _ = restart.changed() => return,
            _ = silence.changed() => {
                // A dropped connection: open, but nothing more arrives.
                tokio::select! {
                    _ = tx.closed() => {}
                    _ = restart.changed() => {}
                }
                return;
            }
            _ = tx.closed() => return,
        }
    }
}
