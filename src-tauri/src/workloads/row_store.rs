//! The rows of one kind, kept in Rust as a watcher reports changes: only
//! the pruned row of each object (never the object). The first list shows
//! its rows page by page as they come (a big cluster's first rows appear
//! at once); a later relist (`Init` … `InitDone`, after a 410 Gone or a
//! reconnect) replaces the rows atomically when it is complete, so the
//! store then holds exactly what the server listed and nothing flickers
//! meanwhile. A version counts changes, so that views know when to ask
//! again.

use std::collections::HashMap;

use kube::runtime::watcher::Event;

/// A row built from an object, and the key it is stored under.
pub trait Row: Clone + Send + Sync + 'static {
    type Object;
    fn of(object: &Self::Object) -> Self;
    /// `namespace/name` (or `name` for cluster-scoped kinds).
    fn key(&self) -> String;
}

pub struct RowStore<R: Row> {
    rows: HashMap<String, R>,
    /// Rows of a relist in progress; they replace `rows` at `InitDone`.
    relist: Option<HashMap<String, R>>,
    version: u32,
    /// Whether a full list has been applied at least once.
    synced: bool,
}

impl<R: Row> Default for RowStore<R> {
    fn default() -> Self {
        Self {
            rows: HashMap::new(),
            relist: None,
            version: 0,
            synced: false,
        }
    }
}

impl<R: Row> RowStore<R> {
    /// Applies one watcher event; true when the visible rows changed.
    pub fn apply(&mut self, event: &Event<R::Object>) -> bool {
        match event {
            Event::Init => {
                if self.synced {
                    self.relist = Some(HashMap::new());
                    false
                } else {
                    // A first list that starts again begins from nothing.
                    self.rows.clear();
                    true
                }
            }
            Event::InitApply(object) => {
                let row = R::of(object);
                match &mut self.relist {
                    Some(relist) => {
                        relist.insert(row.key(), row);
                        false
                    }
                    None => {
                        self.rows.insert(row.key(), row);
                        self.version = self.version.wrapping_add(1);
                        true
                    }
                }
            }
            Event::InitDone => {
                if let Some(listed) = self.relist.take() {
                    self.rows = listed;
                }
                self.synced = true;
                self.version = self.version.wrapping_add(1);
                true
            }
            Event::Apply(object) => {
                let row = R::of(object);
                self.rows.insert(row.key(), row);
                self.version = self.version.wrapping_add(1);
                true
            }
            Event::Delete(object) => {
                let key = R::of(object).key();
                let removed = self.rows.remove(&key).is_some();
                if removed {
                    self.version = self.version.wrapping_add(1);
                }
                removed
            }
        }
    }

    /// Counts changes, wrapping (views compare for inequality only).
    pub fn version(&self) -> u32 {
        self.version
    }

    pub fn synced(&self) -> bool {
        self.synced
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&R> {
        self.rows.get(key)
    }

    pub fn rows(&self) -> impl Iterator<Item = &R> {
        self.rows.values()
    }
}
