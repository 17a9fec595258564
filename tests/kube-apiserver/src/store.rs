//! The object store: one global resource-version counter (like etcd's
//! revision), objects per resource in key order (`namespace/name`, as etcd
//! orders them), and a bounded log of changes. The log serves watches
//! (events after an RV) and consistent paging (the state as of an RV is the
//! current state with later changes undone), so nothing copies the store.

use std::collections::{BTreeMap, VecDeque};
use std::ops::Bound;
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use tokio::sync::watch;

use crate::model::meta::{mix, now};
use crate::model::object::Object;
use crate::model::resources::{Res, ALL};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

pub struct Change {
    pub rv: u64,
    pub kind: EventType,
    pub key: String,
    pub object: Arc<Object>,
    /// The object before this change (None when it was added).
    pub prev: Option<Arc<Object>>,
    json: OnceLock<Bytes>,
}

impl Change {
    /// The object serialised once, however many watchers send it.
    pub fn object_json(&self) -> &Bytes {
        self.json.get_or_init(|| {
            Bytes::from(serde_json::to_vec(&self.object.to_json()).unwrap_or_default())
        })
    }
}

pub const DEFAULT_HISTORY: usize = 10_000;

pub struct Store {
    rv: u64,
    maps: Vec<BTreeMap<String, Arc<Object>>>,
    log: VecDeque<Arc<Change>>,
    history: usize,
    /// Every change after this RV is in the log; older RVs are "too old".
    compacted_rv: u64,
    uid_seq: u64,
    rv_tx: watch::Sender<u64>,
}

/// Why a list at a past resource version cannot be served.
pub struct TooOld {
    pub requested: u64,
    pub oldest: u64,
}

/// Which page: objects under `prefix` (a `namespace/` or ""), after key
/// `after`, as the store was at `at_rv` (None: now), that `keep` accepts.
pub struct PageRequest<'a> {
    pub prefix: &'a str,
    pub after: Option<&'a str>,
    pub at_rv: Option<u64>,
    pub limit: usize,
    pub keep: &'a dyn Fn(&Object) -> bool,
    /// Count what remains after the page (for remainingItemCount).
    pub count_remaining: bool,
}

pub struct Page {
    pub items: Vec<Arc<Object>>,
    /// The key of the last item returned when more remain.
    pub next_after: Option<String>,
    pub remaining: u64,
}

impl Store {
    pub fn new(rv_tx: watch::Sender<u64>) -> Self {
        Store {
            rv: 1,
            maps: ALL.iter().map(|_| BTreeMap::new()).collect(),
            log: VecDeque::new(),
            history: DEFAULT_HISTORY,
            compacted_rv: 1,
            uid_seq: 0,
            rv_tx,
        }
    }

    pub fn rv(&self) -> u64 {
        self.rv
    }

    pub fn compacted_rv(&self) -> u64 {
        self.compacted_rv
    }

    pub fn new_uid(&mut self) -> u128 {
        self.uid_seq += 1;
        let a = mix(self.uid_seq);
        let b = mix(a ^ 0x1234_5678);
        ((a as u128) << 64) | b as u128
    }

    pub fn map(&self, res: Res) -> &BTreeMap<String, Arc<Object>> {
        &self.maps[res.index()]
    }

    pub fn get(&self, res: Res, key: &str) -> Option<&Arc<Object>> {
        self.maps[res.index()].get(key)
    }

    pub fn count(&self, res: Res) -> usize {
        self.maps[res.index()].len()
    }

    fn record(
        &mut self,
        kind: EventType,
        key: String,
        object: Arc<Object>,
        prev: Option<Arc<Object>>,
    ) {
        let change = Arc::new(Change {
            rv: self.rv,
            kind,
            key,
            object,
            prev,
            json: OnceLock::new(),
        });
        self.log.push_back(change);
        while self.log.len() > self.history {
            if let Some(old) = self.log.pop_front() {
                self.compacted_rv = old.rv;
            }
        }
        self.rv_tx.send_replace(self.rv);
    }

    /// Adds or replaces an object, giving it the next resource version.
    pub fn put(&mut self, mut obj: Object) -> Arc<Object> {
        self.rv += 1;
        obj.meta.resource_version = self.rv;
        if obj.meta.uid == 0 {
            obj.meta.uid = self.new_uid();
        }
        if obj.meta.created == 0 {
            obj.meta.created = now();
        }
        let key = obj.meta.key();
        let obj = Arc::new(obj);
        let prev = self.maps[obj.res.index()].insert(key.clone(), obj.clone());
        let kind = if prev.is_some() {
            EventType::Modified
        } else {
            EventType::Added
        };
        self.record(kind, key, obj.clone(), prev);
        obj
    }

    pub fn remove(&mut self, res: Res, key: &str) -> Option<Arc<Object>> {
        let prev = self.maps[res.index()].remove(key)?;
        self.rv += 1;
        let mut gone = (*prev).clone();
        gone.meta.resource_version = self.rv;
        self.record(
            EventType::Deleted,
            key.to_string(),
            Arc::new(gone),
            Some(prev.clone()),
        );
        Some(prev)
    }

    /// Forgets the change history: watches and continue tokens from before
    /// now get 410 Expired, as after an etcd compaction.
    pub fn compact(&mut self) {
        self.log.clear();
        self.compacted_rv = self.rv;
    }

    pub fn set_history(&mut self, n: usize) {
        self.history = n.max(1);
    }

    /// Changes after `rv` (all of them, in order), or why not.
    pub fn changes_after(&self, rv: u64) -> Result<Vec<Arc<Change>>, TooOld> {
        if rv < self.compacted_rv {
            return Err(TooOld {
                requested: rv,
                oldest: self.compacted_rv,
            });
        }
        let start = self.log.partition_point(|c| c.rv <= rv);
        Ok(self.log.range(start..).cloned().collect())
    }

    /// One page of `res`; the past is the present with later changes undone.
    pub fn page(&self, res: Res, req: PageRequest<'_>) -> Result<Page, TooOld> {
        let PageRequest {
            prefix,
            after,
            at_rv,
            limit,
            keep,
            count_remaining,
        } = req;
        // Objects changed since at_rv, mapped to what they were then.
        let mut undo: BTreeMap<&str, Option<&Arc<Object>>> = BTreeMap::new();
        if let Some(at) = at_rv {
            if at < self.compacted_rv {
                return Err(TooOld {
                    requested: at,
                    oldest: self.compacted_rv,
                });
            }
            let start = self.log.partition_point(|c| c.rv <= at);
            for c in self.log.range(start..) {
                if c.object.res == res {
                    undo.entry(c.key.as_str()).or_insert(c.prev.as_ref());
                }
            }
        }
        let lower: Bound<&str> = match after {
            Some(a) => Bound::Excluded(a),
            None => Bound::Included(prefix),
        };
        let in_prefix = |k: &str| k.starts_with(prefix);
        let mut current = self.maps[res.index()]
            .range::<str, _>((lower, Bound::Unbounded))
            .map(|(k, v)| (k.as_str(), Some(v)))
            .take_while(|(k, _)| in_prefix(k))
            .peekable();
        let mut past = undo
            .range::<&str, _>((lower.map(|s| s), Bound::Unbounded))
            .map(|(k, v)| (*k, *v))
            .take_while(|(k, _)| in_prefix(k))
            .peekable();
        // Merge the two ordered streams; the past version wins on equal keys.
        let mut next = move || -> Option<(&str, Option<&Arc<Object>>)> {
            match (current.peek(), past.peek()) {
                (None, None) => None,
                (Some(_), None) => current.next(),
                (None, Some(_)) => past.next(),
                (Some((ck, _)), Some((pk, _))) => {
                    if pk < ck {
                        past.next()
                    } else if pk == ck {
                        current.next();
                        past.next()
                    } else {
                        current.next()
                    }
                }
            }
        };
        let mut items = Vec::new();
        let mut last_key: Option<&str> = None;
        let mut more = false;
        let mut remaining = 0u64;
        while let Some((k, v)) = next() {
            let Some(obj) = v else { continue };
            if !keep(obj) {
                continue;
            }
            if items.len() < limit {
                items.push(obj.clone());
                last_key = Some(k);
            } else {
                more = true;
                if !count_remaining {
                    break;
                }
                remaining += 1;
            }
        }
        Ok(Page {
            items,
            next_after: if more {
                last_key.map(str::to_string)
            } else {
                None
            },
            remaining,
        })
    }
}
