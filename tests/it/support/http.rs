//! A tiny HTTP/1.1 server on loopback port 0 that serves canned routes and records every
//! request, so fetch and LLM tests run without a network. Each connection answers one
//! request and closes.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

/// A canned answer.
#[derive(Clone, Debug)]
pub struct Route {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
    /// Leave out `Content-Length` and end the body by closing the connection.
    pub close_delimited: bool,
}

impl Route {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
            close_delimited: false,
        }
    }

    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            close_delimited: false,
        }
    }

    pub fn redirect(to: &str) -> Self {
        Self {
            headers: vec![("Location".into(), to.into())],
            ..Self::status(302)
        }
    }
}

/// One request the server received.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub path: String,
    pub body: String,
}

/// A running server: its base URL and what it has received.
pub struct TestServer {
    pub base: String,
    pub requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TestServer {
    /// Requests received so far.
    pub fn received(&self) -> Vec<Recorded> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// Starts the server; returns its base URL (`http://127.0.0.1:PORT`).
pub async fn serve(routes: HashMap<String, Route>) -> String {
    start(routes).await.base
}

/// Starts the server and keeps a record of every request.
pub async fn start(routes: HashMap<String, Route>) -> TestServer {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr: SocketAddr = listener.local_addr().expect("local addr");
    let routes = Arc::new(routes);
    let requests: Arc<Mutex<Vec<Recorded>>> = Arc::default();
    let record = Arc::clone(&requests);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(answer(socket, Arc::clone(&routes), Arc::clone(&record)));
        }
    });
    TestServer {
        base: format!("http://{addr}"),
        requests,
    }
}

async fn answer(
    mut socket: tokio::net::TcpStream,
    routes: Arc<HashMap<String, Route>>,
    record: Arc<Mutex<Vec<Recorded>>>,
) {
    let Some((path, body)) = fake_telegram::read_request(&mut socket).await else {
        return;
    };
    let body = String::from_utf8_lossy(&body).to_string();
    if let Ok(mut r) = record.lock() {
        r.push(Recorded {
            path: path.clone(),
            body,
        });
    }
    let route = routes
        .get(&path)
        .cloned()
        .unwrap_or_else(|| Route::status(404));
    tokio::time::sleep(route.delay).await;
    let mut response = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", route.status);
    for (k, v) in &route.headers {
        response.push_str(&format!("{k}: {v}\r\n"));
    }
    if !route.close_delimited {
        response.push_str(&format!("Content-Length: {}\r\n", route.body.len()));
    }
    response.push_str("\r\n");
    let _ = socket.write_all(response.as_bytes()).await;
    let _ = socket.write_all(&route.body).await;
    let _ = socket.shutdown().await;
}
