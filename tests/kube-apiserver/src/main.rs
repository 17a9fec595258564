//! test-kube-apiserver: a strict, EKS-shaped Kubernetes API server for EKS
//! Desk's tests, benchmarks and simulation mode. See README.md.

mod api;
mod auth;
mod control;
mod logs;
mod model;
mod server;
mod sim;
mod state;
mod store;
mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use tokio::net::TcpListener;

#[derive(Parser, Debug)]
#[command(
    name = "test-kube-apiserver",
    about = "A strict test Kubernetes API server (EKS-shaped)"
)]
struct Args {
    /// HTTPS address of the Kubernetes API (loopback only).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Plain-HTTP address of the control API (loopback only).
    #[arg(long, default_value = "127.0.0.1:0")]
    control: SocketAddr,
    /// Where ca.pem is written.
    #[arg(long)]
    state_dir: PathBuf,
    /// The AWS emulator's URL (http://127.0.0.1:PORT); enables EKS-token sign-in.
    #[arg(long)]
    emulator: Option<String>,
    /// Cluster names tokens may be for (repeatable); default: any the emulator has.
    #[arg(long = "cluster")]
    clusters: Vec<String>,
    /// TOKEN=USERNAME[:GROUP,GROUP...] (repeatable); group system:masters may do everything.
    #[arg(long = "static-token")]
    static_tokens: Vec<String>,
    /// A small EKS-like cluster with workloads and slow churn.
    #[arg(long)]
    simulate: bool,
    /// Initial node count (instead of --simulate's).
    #[arg(long)]
    nodes: Option<usize>,
    /// Initial pod count, all namespaces (instead of --simulate's).
    #[arg(long)]
    pods: Option<usize>,
    /// The AWS region the nodes are in.
    #[arg(long, default_value = "us-west-2")]
    region: String,
}

fn fail(msg: String) -> ! {
    eprintln!("test-kube-apiserver: {msg}");
    std::process::exit(2);
}

fn emulator_host_port(url: &str) -> Result<String, String> {
    let u = url::Url::parse(url).map_err(|e| format!("--emulator {url:?}: {e}"))?;
    if u.scheme() != "http" {
        return Err(format!("--emulator {url:?}: expected an http:// URL"));
    }
    let host = u.host_str().ok_or(format!("--emulator {url:?}: no host"))?;
    let port = u
        .port_or_known_default()
        .ok_or(format!("--emulator {url:?}: no port"))?;
    Ok(format!("{host}:{port}"))
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if rustls::crypto::aws_lc_rs::default_provider()
        .install_default()
        .is_err()
    {
        fail("could not install the aws-lc-rs crypto provider".into());
    }
    for (flag, addr) in [("--listen", args.listen), ("--control", args.control)] {
        if !addr.ip().is_loopback() {
            fail(format!(
                "{flag} {addr}: only loopback addresses are allowed"
            ));
        }
    }
    if let Err(e) = std::fs::create_dir_all(&args.state_dir) {
        fail(format!("--state-dir {}: {e}", args.state_dir.display()));
    }
    let tls = tls::server_config(&args.state_dir).unwrap_or_else(|e| fail(e.to_string()));
    let mut statics = Vec::new();
    for s in &args.static_tokens {
        statics.push(auth::parse_static(s).unwrap_or_else(|e| fail(e)));
    }
    let eks = match &args.emulator {
        Some(url) => Some(auth::EksConfig {
            emulator: emulator_host_port(url).unwrap_or_else(|e| fail(e)),
            clusters: args.clusters.clone(),
        }),
        None => None,
    };
    let authenticator = auth::Authenticator::new(statics, eks);

    let (rv_tx, rv_rx) = tokio::sync::watch::channel(1u64);
    let mut cluster = sim::cluster::Cluster::new(store::Store::new(rv_tx), args.region.clone());
    let started = std::time::Instant::now();
    if args.simulate {
        sim::seed::seed_simulation(&mut cluster);
    } else {
        cluster.instant_start = true;
        sim::seed::seed_base(&mut cluster);
        cluster.instant_start = false;
    }
    if args.nodes.is_some() || args.pods.is_some() {
        sim::scale::scale(&mut cluster, args.nodes, args.pods);
    }
    eprintln!(
        "test-kube-apiserver: seeded {} nodes, {} pods in {} ms",
        cluster.store.count(model::resources::Res::Nodes),
        cluster.store.count(model::resources::Res::Pods),
        started.elapsed().as_millis()
    );
    let shared = Arc::new(state::Shared::new(cluster, rv_rx, authenticator));
    if args.simulate {
        shared.set_churn_rate(0.5);
    }

    let api = TcpListener::bind(args.listen)
        .await
        .unwrap_or_else(|e| fail(format!("--listen {}: {e}", args.listen)));
    let control = TcpListener::bind(args.control)
        .await
        .unwrap_or_else(|e| fail(format!("--control {}: {e}", args.control)));
    let api_addr = api.local_addr().unwrap_or(args.listen);
    let control_addr = control.local_addr().unwrap_or(args.control);
    tokio::spawn(server::serve_api(api, tls, shared.clone()));
    tokio::spawn(server::serve_control(control, shared.clone()));
    tokio::spawn(server::tick(shared.clone()));

    let ready = serde_json::json!({
        "url": format!("https://{api_addr}"),
        "caFile": args.state_dir.join("ca.pem").display().to_string(),
        "control": format!("http://{control_addr}"),
    });
    println!("{ready}");
    eprintln!(
        "test-kube-apiserver: serving {} (control {})",
        ready["url"], ready["control"]
    );

    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => fail(format!("cannot watch SIGTERM: {e}")),
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    eprintln!("test-kube-apiserver: stopping");
}
