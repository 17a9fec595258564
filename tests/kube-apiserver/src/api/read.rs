//! get and list: selectors, `limit` + `continue` paging pinned to the first
//! page's resource version (so pages stay consistent while objects change),
//! resourceVersion / resourceVersionMatch semantics, and Table output.

use std::sync::Arc;

use base64::Engine;
use serde_json::{json, Value};

use crate::model::meta::key_of;
use crate::model::object::Object;
use crate::model::resources::Res;
use crate::state::Shared;
use crate::store::PageRequest;

use super::response::{self, Resp};
use super::router::Query;
use super::selectors::{FieldSelector, LabelSelector};
use super::status::ApiError;
use super::table::{self, Include};

pub fn get(
    shared: &Shared,
    res: Res,
    namespace: &str,
    name: &str,
    accept: &str,
    q: &Query,
) -> Result<Resp, ApiError> {
    let obj = shared
        .cluster()
        .store
        .get(res, &key_of(namespace, name))
        .cloned()
        .ok_or_else(|| ApiError::not_found(res.info().group, res.info().plural, name))?;
    if table::wants_table(accept) {
        let t = table::table(
            res,
            std::slice::from_ref(&obj),
            table::parse_include(q.get("includeObject")),
            json!({"resourceVersion": obj.meta.resource_version.to_string()}),
            true,
        );
        return Ok(response::json(200, &t));
    }
    Ok(response::json(200, &obj.to_json()))
}

struct Continue {
    rv: u64,
    after: String,
}

fn encode_continue(rv: u64, after: &str) -> String {
    let v = json!({"v": "meta.k8s.io/v1", "rv": rv, "start": after});
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

fn decode_continue(token: &str) -> Result<Continue, ApiError> {
    let bad = |why: &str| ApiError::bad_request(format!("continue key is not valid: {why}"));
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.trim_end_matches('='))
        .map_err(|_| bad("illegal base64 data"))?;
    let v: Value = serde_json::from_slice(&raw).map_err(|_| bad("invalid JSON"))?;
    if v["v"] != "meta.k8s.io/v1" {
        return Err(bad(
            "incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
        ));
    }
    match (v["rv"].as_u64(), v["start"].as_str()) {
        (Some(rv), Some(after)) if rv > 0 => Ok(Continue {
            rv,
            after: after.to_string(),
        }),
        _ => Err(bad("incorrect encoded start resourceVersion")),
    }
}

fn too_large(requested: u64, current: u64) -> ApiError {
    ApiError::new(
        504,
        "Timeout",
        format!("Too large resource version: {requested}, current: {current}"),
    )
    .with_details(json!({"causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}], "retryAfterSeconds": 1}))
}

pub fn parse_rv(q: &Query) -> Result<Option<u64>, ApiError> {
    match q.get("resourceVersion") {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("invalid resource version: {v:?}"))),
    }
}

pub fn list(
    shared: &Shared,
    res: Res,
    namespace: Option<&str>,
    q: &Query,
    accept: &str,
) -> Result<Resp, ApiError> {
    let labels = LabelSelector::parse(q.get("labelSelector").unwrap_or(""))?;
    let fields = FieldSelector::parse(q.get("fieldSelector").unwrap_or(""), res)?;
    let limit = q.number("limit")?.unwrap_or(0);
    if limit < 0 {
        return Err(ApiError::bad_request(
            "limit: Invalid value: must be non-negative",
        ));
    }
    let rv_param = parse_rv(q)?;
    let rv_match = q.get("resourceVersionMatch").unwrap_or("");
    let cont = match q.get("continue").filter(|c| !c.is_empty()) {
        Some(c) => {
            if rv_param.is_some_and(|r| r != 0) || !rv_match.is_empty() {
                return Err(ApiError::bad_request(
                    "specifying resource version is not allowed when using continue",
                ));
            }
            Some(decode_continue(c)?)
        }
        None => None,
    };
    match rv_match {
        "" | "NotOlderThan" | "Exact" => {}
        other => {
            return Err(ApiError::bad_request(format!(
                "resourceVersionMatch: Unsupported value: \"{other}\": supported values: \"Exact\", \"NotOlderThan\""
            )))
        }
    }
    if !rv_match.is_empty() && rv_param.is_none() {
        return Err(ApiError::bad_request(
            "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
        ));
    }
    if rv_match == "Exact" && rv_param == Some(0) {
        return Err(ApiError::bad_request(
            "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
        ));
    }
    let prefix = namespace.map(|ns| format!("{ns}/")).unwrap_or_default();
    let keep = |o: &Object| labels.matches(o) && fields.matches(o);
    let c = shared.cluster();
    let current = c.store.rv();
    // rv=0 is served from the watch cache, which ignores limit, as on a real server.
    let limit = if rv_param == Some(0) && cont.is_none() {
        0
    } else {
        limit as usize
    };
    let (at_rv, list_rv) = match (&cont, rv_param, rv_match) {
        (Some(t), _, _) => (Some(t.rv), t.rv),
        (None, Some(r), "Exact") => {
            if r > current {
                return Err(too_large(r, current));
            }
            (Some(r), r)
        }
        (None, Some(r), _) if r > current => return Err(too_large(r, current)),
        _ => (None, current),
    };
    let after = cont.as_ref().map(|t| t.after.as_str());
    let count = labels.is_empty() && fields.is_empty();
    let page = c
        .store
        .page(
            res,
            PageRequest {
                prefix: &prefix,
                after,
                at_rv,
                limit: if limit == 0 { usize::MAX } else { limit },
                keep: &keep,
                count_remaining: count,
            },
        )
        .map_err(|e| {
            if cont.is_some() {
                ApiError::expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
            } else {
                ApiError::expired(format!("The resourceVersion for the provided list is too old. ({}) ({})", e.requested, e.oldest))
            }
        })?;
    drop(c);
    let mut meta = json!({"resourceVersion": list_rv.to_string()});
    if let Some(next) = &page.next_after {
        meta["continue"] = json!(encode_continue(list_rv, next));
        if count {
            meta["remainingItemCount"] = json!(page.remaining);
        }
    }
    if table::wants_table(accept) {
        let include: Include = table::parse_include(q.get("includeObject"));
        return Ok(response::json(
            200,
            &table::table(res, &page.items, include, meta, true),
        ));
    }
    if page.items.len() <= STREAM_ABOVE {
        return Ok(response::bytes(
            200,
            "application/json",
            list_bytes(res, &page.items, &meta),
        ));
    }
    // A big list (150,000 pods unpaged is ~600 MB of JSON) is written in
    // chunks as it is serialised, so it never sits whole in memory.
    let (resp, tx) = response::stream_bounded("application/json", 2);
    let items = page.items;
    tokio::spawn(async move {
        let head = list_head(res, &meta);
        if tx.send(head.into()).await.is_err() {
            return;
        }
        for (n, chunk) in items.chunks(STREAM_ABOVE).enumerate() {
            let mut out = Vec::with_capacity(chunk.len() * 4096);
            for (i, o) in chunk.iter().enumerate() {
                if n > 0 || i > 0 {
                    out.push(b',');
                }
                write_item(&mut out, o);
            }
            if tx.send(out.into()).await.is_err() {
                return;
            }
        }
        let _ = tx.send(bytes::Bytes::from_static(b"]}\n")).await;
    });
    Ok(resp)
}

const STREAM_ABOVE: usize = 1_000;

fn list_head(res: Res, meta: &Value) -> Vec<u8> {
    format!(
        "{{\"kind\":\"{}List\",\"apiVersion\":\"{}\",\"metadata\":{},\"items\":[",
        res.info().kind,
        res.api_version(),
        meta
    )
    .into_bytes()
}

/// An item as a list carries it: without kind/apiVersion, as a real server writes it.
fn write_item(out: &mut Vec<u8>, o: &Object) {
    let mut v = o.to_json();
    if let Some(m) = v.as_object_mut() {
        m.remove("kind");
        m.remove("apiVersion");
    }
    let _ = serde_json::to_writer(&mut *out, &v);
}

/// `<Kind>List` JSON written item by item.
fn list_bytes(res: Res, items: &[Arc<Object>], meta: &Value) -> Vec<u8> {
    let mut out = list_head(res, meta);
    out.reserve(items.len() * 4096);
    for (i, o) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_item(&mut out, o);
    }
    out.extend_from_slice(b"]}\n");
    out
}
