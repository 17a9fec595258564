//! The listeners: HTTPS for the Kubernetes API (HTTP/1.1, every connection
//! closed at once by /restart) and plain HTTP for the control API; and the
//! ticker that runs the cluster's delayed actions and churn.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::sim::churn::churn_once;
use crate::sim::pod_lifecycle::run_timer;
use crate::state::Shared;

pub async fn serve_api(listener: TcpListener, tls: Arc<rustls::ServerConfig>, shared: Arc<Shared>) {
    let acceptor = TlsAcceptor::from(tls);
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let acceptor = acceptor.clone();
        let shared = shared.clone();
        tokio::spawn(async move {
            let mut restart = shared.restart.subscribe();
            restart.mark_unchanged();
            let Ok(Ok(stream)) =
                tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await
            else {
                return;
            };
            let svc_shared = shared.clone();
            let service = service_fn(move |req| {
                let s = svc_shared.clone();
                async move { Ok::<_, Infallible>(crate::api::handle(s, req).await) }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                // An apiserver restart: the connection drops mid-whatever.
                _ = restart.changed() => {}
            }
        });
    }
}

pub async fn serve_control(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let s = shared.clone();
                async move { Ok::<_, Infallible>(crate::control::handle(s, req).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tcp), service)
                .await;
        });
    }
}

/// Every 50 ms: due timers (terminating pods disappear, new ones start)
/// and the churn budget for that slice of time.
pub async fn tick(shared: Arc<Shared>) {
    let mut interval = tokio::time::interval(Duration::from_millis(50));
    let mut budget = 0.0f64;
    let mut n = 0u64;
    loop {
        interval.tick().await;
        budget += shared.churn_rate() * 0.05;
        // A stalled tick does not turn into a burst later.
        budget = budget.min(shared.churn_rate().max(1.0));
        let mut c = shared.cluster();
        for t in c.due_timers() {
            run_timer(&mut c, t);
        }
        while budget >= 1.0 {
            budget -= 1.0;
            n += 1;
            churn_once(&mut c, n);
        }
    }
}
