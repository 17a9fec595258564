//! Container logs: deterministic generated lines (one every few seconds of
//! a container's life, so followers see new ones), lines given through the
//! control API (for hostile-text tests), and lines appended later.

use std::collections::HashMap;
use std::sync::Mutex;

use tokio::sync::watch;

use crate::model::meta::mix;

/// A generated line every PERIOD seconds of a container's run.
pub const PERIOD: i64 = 3;
/// How many generated lines a container keeps (older ones were rotated away).
pub const HISTORY: i64 = 2_000;

/// Text for hostile-output tests: markup, terminal escapes, bidi controls.
pub const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\u{1b}[31mERROR\u{1b}[0m coloured with ANSI SGR \u{1b}[1;32mgreen bold\u{1b}[0m",
    "\u{1b}]0;window title set by OSC 0\u{7} after the title",
    "\u{1b}]8;;https://attacker.invalid/\u{1b}\\click here\u{1b}]8;;\u{1b}\\ (OSC 8 hyperlink)",
    "invoice_\u{202e}fdp.exe\u{202c} (RLO bidi override)",
    "\u{2067}isolated right-to-left\u{2069} and \u{200f}RLM and \u{061c}ALM",
    "\u{1b}[2J\u{1b}[H screen cleared by CSI 2J",
    "javascript:alert(document.cookie)",
    "\"><svg onload=alert(1)>",
];

#[derive(Clone, Default)]
pub struct Extra {
    /// The container has given lines only (no generated ones).
    pub custom_only: bool,
    /// (unix nanos, text), in time order.
    pub lines: Vec<(i64, String)>,
}

pub struct LogStore {
    extra: Mutex<HashMap<(String, String, String), Extra>>,
    pub epoch: watch::Sender<u64>,
}

impl Default for LogStore {
    fn default() -> Self {
        LogStore {
            extra: Mutex::new(HashMap::new()),
            epoch: watch::channel(0).0,
        }
    }
}

fn key(ns: &str, pod: &str, container: &str) -> (String, String, String) {
    (ns.to_string(), pod.to_string(), container.to_string())
}

impl LogStore {
    pub fn get(&self, ns: &str, pod: &str, container: &str) -> Extra {
        self.extra
            .lock()
            .map(|m| m.get(&key(ns, pod, container)).cloned().unwrap_or_default())
            .unwrap_or_default()
    }

    /// Replaces a container's lines (a pod created through the control API).
    pub fn set_custom(&self, ns: &str, pod: &str, container: &str, lines: Vec<String>, start: i64) {
        let lines = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| ((start * 1_000_000_000) + i as i64 * 1_000_000, l))
            .collect();
        if let Ok(mut m) = self.extra.lock() {
            m.insert(
                key(ns, pod, container),
                Extra {
                    custom_only: true,
                    lines,
                },
            );
        }
        self.epoch.send_modify(|e| *e += 1);
    }

    pub fn clear_pod(&self, ns: &str, pod: &str) {
        if let Ok(mut m) = self.extra.lock() {
            m.retain(|(n, p, _), _| !(n == ns && p == pod));
        }
    }

    pub fn append(&self, ns: &str, pod: &str, container: &str, lines: Vec<String>) {
        let now = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0);
        if let Ok(mut m) = self.extra.lock() {
            let e = m.entry(key(ns, pod, container)).or_default();
            for (i, l) in lines.into_iter().enumerate() {
                e.lines.push((now + i as i64, l));
            }
        }
        self.epoch.send_modify(|e| *e += 1);
    }
}

/// Generated line `k` of a container run seeded by `seed`, in the style of
/// what the image would print.
pub fn generated(image: &str, seed: u64, k: i64, unix: i64) -> String {
    let r = mix(seed ^ (k as u64).wrapping_mul(0x9e37));
    let time = chrono::DateTime::from_timestamp(unix, 0).unwrap_or_default();
    if image.contains("nginx") || image.contains("frontend") {
        let paths = [
            "/",
            "/healthz",
            "/api/cart",
            "/static/app.js",
            "/api/products?page=2",
        ];
        let codes = [200, 200, 200, 304, 404, 500];
        return format!(
            "10.0.{}.{} - - [{}] \"GET {} HTTP/1.1\" {} {} \"-\" \"Mozilla/5.0\"",
            r % 64,
            (r >> 8) % 250 + 4,
            time.format("%d/%b/%Y:%H:%M:%S +0000"),
            paths[(r >> 16) as usize % paths.len()],
            codes[(r >> 24) as usize % codes.len()],
            (r >> 32) % 4096
        );
    }
    if image.contains("coredns") {
        return format!(
            "[INFO] 10.0.{}.{}:{} - {} \"A IN shop-cart.shop.svc.cluster.local. udp 52 false 512\" NOERROR qr,aa,rd 106 0.000{}s",
            r % 64,
            (r >> 8) % 250 + 4,
            30000 + (r >> 16) % 30000,
            (r >> 32) % 65536,
            (r >> 40) % 900 + 100
        );
    }
    if image.contains("amazon-k8s-cni") || image.contains("network-policy") {
        let msgs = [
            "Received AddNetwork request",
            "IP address pool stats: total 28, assigned 9",
            "Successfully reconciled ENI",
            "Received DelNetwork request",
        ];
        return format!(
            "{{\"level\":\"info\",\"ts\":\"{}\",\"caller\":\"ipamd/ipamd.go:{}\",\"msg\":\"{}\"}}",
            time.format("%Y-%m-%dT%H:%M:%S.000Z"),
            500 + r % 900,
            msgs[(r >> 20) as usize % msgs.len()]
        );
    }
    let levels = ["info", "info", "info", "debug", "warn", "error"];
    let msgs = [
        "request handled",
        "cache refreshed",
        "connected to backend",
        "slow query",
        "retrying upstream call",
        "health check ok",
    ];
    format!(
        "time=\"{}\" level={} msg=\"{}\" request_id={:016x} duration_ms={}",
        time.format("%Y-%m-%dT%H:%M:%SZ"),
        levels[(r >> 8) as usize % levels.len()],
        msgs[(r >> 16) as usize % msgs.len()],
        r,
        (r >> 32) % 900
    )
}
