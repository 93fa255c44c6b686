//! A tiny HTTP/1.1 server on loopback port 0 that serves canned routes, so fetch tests run
//! without a network. Each connection answers one request and closes.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
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

/// Starts the server; returns its base URL (`http://127.0.0.1:PORT`).
pub async fn serve(routes: HashMap<String, Route>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr: SocketAddr = listener.local_addr().expect("local addr");
    let routes = Arc::new(routes);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let routes = Arc::clone(&routes);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65_536 {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&head);
                let path = text.split_whitespace().nth(1).unwrap_or("/").to_owned();
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
            });
        }
    });
    format!("http://{addr}")
}
