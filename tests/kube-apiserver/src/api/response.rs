//! Response bodies: whole JSON documents, and chunked streams fed through a
//! channel (watches, log follows) that end when the client goes away.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Response, StatusCode};
use http_body::{Body, Frame};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use tokio::sync::mpsc;

use super::status::ApiError;

pub type Resp = Response<BoxBody<Bytes, Infallible>>;

pub struct ChannelBody {
    rx: mpsc::Receiver<Bytes>,
}

impl Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(b)) => Poll::Ready(Some(Ok(Frame::data(b)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

fn build(status: u16, content_type: &str, body: BoxBody<Bytes, Infallible>) -> Resp {
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = content_type.parse() {
        r.headers_mut().insert(http::header::CONTENT_TYPE, v);
    }
    if let Ok(v) = "no-cache, private".parse() {
        r.headers_mut().insert(http::header::CACHE_CONTROL, v);
    }
    r
}

pub fn bytes(status: u16, content_type: &str, b: impl Into<Bytes>) -> Resp {
    build(status, content_type, Full::new(b.into()).boxed())
}

pub fn json(status: u16, v: &Value) -> Resp {
    bytes(
        status,
        "application/json",
        serde_json::to_vec(v).unwrap_or_default(),
    )
}

pub fn error(e: &ApiError) -> Resp {
    json(e.code, &e.to_json())
}

/// A streamed response and the sender that feeds it.
pub fn stream(content_type: &str) -> (Resp, mpsc::Sender<Bytes>) {
    stream_bounded(content_type, 256)
}

/// A stream that holds at most `chunks` unsent chunks (big lists: the
/// writer waits for a slow reader instead of buffering everything).
pub fn stream_bounded(content_type: &str, chunks: usize) -> (Resp, mpsc::Sender<Bytes>) {
    let (tx, rx) = mpsc::channel(chunks);
    (build(200, content_type, ChannelBody { rx }.boxed()), tx)
}
