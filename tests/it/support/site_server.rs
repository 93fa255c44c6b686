//! A digital edition's site on loopback: the files of a fixture folder served at the root of
//! `127.0.0.1:PORT`, paths mirroring addresses; anything else (and any path listed as
//! missing) answers 404. Counts the requests it answers.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

/// A running site.
pub struct SiteServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    requests: Arc<AtomicUsize>,
}

impl SiteServer {
    /// Requests answered so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

#[derive(Clone)]
struct Site {
    root: PathBuf,
    missing: Arc<Vec<String>>,
    requests: Arc<AtomicUsize>,
}

async fn serve_file(State(site): State<Site>, uri: Uri) -> Response {
    site.requests.fetch_add(1, Ordering::SeqCst);
    let path = uri.path().trim_start_matches('/');
    let relative = Path::new(path);
    let safe = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !safe || site.missing.iter().any(|m| m == path) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match tokio::fs::read(site.root.join(relative)).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Serves the fixture site `name` (a folder of `tests/fixtures/sites`), with `missing` paths
/// answering 404.
pub async fn serve_site(name: &str, missing: &[&str]) -> SiteServer {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sites")
        .join(name);
    let requests = Arc::new(AtomicUsize::new(0));
    let site = Site {
        root,
        missing: Arc::new(missing.iter().map(|m| (*m).to_owned()).collect()),
        requests: Arc::clone(&requests),
    };
    let app = Router::new().fallback(serve_file).with_state(site);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    SiteServer {
        base: format!("http://{address}"),
        requests,
    }
}
