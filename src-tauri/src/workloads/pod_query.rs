//! The pods table's questions, answered in Rust over the row store: which
//! namespace, text and label search, status filter, sort on any column, and
//! only the window of rows the table shows — so the UI's memory does not
//! grow with the cluster.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use specta::Type;

use super::label_selector::{LabelSelector, SelectorError};
use super::pod_row::{PodPhase, PodRow};
use super::row_store::{Row, RowStore};

impl Row for PodRow {
    type Object = k8s_openapi::api::core::v1::Pod;
    fn of(object: &Self::Object) -> Self {
        PodRow::of(object)
    }
    fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PodColumn {
    Namespace,
    #[default]
    Name,
    Ready,
    Status,
    Restarts,
    Age,
    Node,
    Ip,
    Owner,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", content = "phase", rename_all = "camelCase")]
pub enum StatusFilter {
    #[default]
    All,
    /// Failed, crashing, not ready while running.
    Problems,
    Phase(PodPhase),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct PodQuery {
    /// `None`: every namespace.
    pub namespace: Option<String>,
    /// Only the pods on this node.
    pub node: Option<String>,
    /// Case-insensitive, in name, namespace, status, node, IP and owner.
    pub search: String,
    /// A label selector (`app=web,tier!=db`).
    pub labels: String,
    pub status: StatusFilter,
    pub sort: PodColumn,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PodWindow {
    /// The store's version the window was cut from.
    pub version: u32,
    /// Pods in the store (all namespaces).
    pub total: u32,
    /// Pods matching the query.
    pub matching: u32,
    pub offset: u32,
    pub rows: Vec<PodRow>,
}

/// The largest window one query returns.
pub const MAX_WINDOW: u32 = 1000;

fn compare(a: &PodRow, b: &PodRow, column: PodColumn) -> Ordering {
    let by = match column {
        PodColumn::Namespace => a.namespace.cmp(&b.namespace),
        PodColumn::Name => Ordering::Equal,
        PodColumn::Ready => {
            (a.ready_containers, a.containers).cmp(&(b.ready_containers, b.containers))
        }
        PodColumn::Status => a.status.cmp(&b.status),
        PodColumn::Restarts => a.restarts.cmp(&b.restarts),
        // Ascending age is the youngest pod first (the smallest AGE).
        PodColumn::Age => b.created_secs.cmp(&a.created_secs),
        PodColumn::Node => a.node.cmp(&b.node),
        PodColumn::Ip => a.ip.cmp(&b.ip),
        PodColumn::Owner => a
            .owner
            .as_ref()
            .map(|o| (&o.kind, &o.name))
            .cmp(&b.owner.as_ref().map(|o| (&o.kind, &o.name))),
    };
    // Ties by namespace and name, so the order is total and stable.
    by.then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.namespace.cmp(&b.namespace))
}

fn contains(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(needle)
}

fn matches_search(row: &PodRow, needle: &str) -> bool {
    needle.is_empty()
        || contains(&row.name, needle)
        || contains(&row.namespace, needle)
        || contains(&row.status, needle)
        || row.node.as_deref().is_some_and(|n| contains(n, needle))
        || row.ip.as_deref().is_some_and(|n| contains(n, needle))
        || row
            .owner
            .as_ref()
            .is_some_and(|o| contains(&o.name, needle))
}

/// The window of `query` over `store`. A malformed label selector is an
/// error for the `labels` field.
pub fn pod_window(store: &RowStore<PodRow>, query: &PodQuery) -> Result<PodWindow, SelectorError> {
    let selector = LabelSelector::parse(&query.labels)?;
    let needle = query.search.trim().to_lowercase();
    let mut matching: Vec<&PodRow> = store
        .rows()
        .filter(|r| {
            query
                .namespace
                .as_deref()
                .is_none_or(|ns| r.namespace == ns)
        })
        .filter(|r| query.node.is_none() || r.node == query.node)
        .filter(|r| match query.status {
            StatusFilter::All => true,
            StatusFilter::Problems => r.problem,
            StatusFilter::Phase(p) => r.phase == p,
        })
        .filter(|r| matches_search(r, &needle))
        .filter(|r| selector.is_empty() || selector.matches(&r.labels))
        .collect();
    let limit = query.limit.clamp(1, MAX_WINDOW) as usize;
    let offset = (query.offset as usize).min(matching.len());
    let order = |a: &&PodRow, b: &&PodRow| {
        let o = compare(a, b, query.sort);
        if query.descending {
            o.reverse()
        } else {
            o
        }
    };
    // Only the rows up to the window's end need to be in order.
    let end = (offset + limit).min(matching.len());
    if end < matching.len() && end > 0 {
        matching.select_nth_unstable_by(end - 1, order);
        matching[..end].sort_unstable_by(order);
    } else {
        matching.sort_unstable_by(order);
    }
    Ok(PodWindow {
        version: store.version(),
        total: u32::try_from(store.len()).unwrap_or(u32::MAX),
        matching: u32::try_from(matching.len()).unwrap_or(u32::MAX),
        offset: offset as u32,
        rows: matching[offset..end].iter().map(|r| (*r).clone()).collect(),
    })
}

#[cfg(test)]
#[path = "pod_query_tests.rs"]
mod tests;
