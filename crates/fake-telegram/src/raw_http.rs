//! A minimal HTTP/1.1 request reader for tests that serve raw HTTP themselves (the main
//! crate's canned-route test server uses it). The fake itself serves with axum.

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// Longest request head read.
const MAX_HEAD_BYTES: usize = 1 << 20;
/// Longest request body read.
const MAX_BODY_BYTES: usize = 16 << 20;

/// Reads one HTTP/1.1 request from `socket`: its path and body (by `Content-Length`).
/// `None` when the peer closed the connection or sent something too large. Shared with other
/// loopback test servers so there is one request reader.
pub async fn read_request(socket: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if data.len() > MAX_HEAD_BYTES {
            return None;
        }
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    if length > MAX_BODY_BYTES {
        return None;
    }
    while data.len() < head_end + length {
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    let path = head.split_whitespace().nth(1)?.to_owned();
    Some((path, data[head_end..head_end + length].to_vec()))
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncWriteExt;
    use tokio::net::TcpListener;

    use super::*;

    /// Sends `chunks` to a fresh loopback connection (pausing between them) and closes it;
    /// returns what `read_request` made of it, then of the rest.
    async fn read_from(chunks: &[&[u8]]) -> Vec<Option<(String, Vec<u8>)>> {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let chunks: Vec<Vec<u8>> = chunks.iter().map(|c| c.to_vec()).collect();
        let client = tokio::spawn(async move {
            let mut socket = TcpStream::connect(address).await.expect("connect");
            for chunk in chunks {
                socket.write_all(&chunk).await.expect("write");
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        });
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut read = Vec::new();
        for _ in 0..3 {
            let request = read_request(&mut socket).await;
            let done = request.is_none();
            read.push(request);
            if done {
                break;
            }
        }
        client.await.expect("client");
        read
    }

    #[tokio::test]
    async fn reads_path_and_body_even_in_pieces() {
        let read = read_from(&[
            b"POST /bot1/sendMessage HTTP/1.1\r\nHost: x\r\nContent-Le",
            b"ngth: 11\r\n\r\n{\"a\":",
            b"\"bcd\"}",
        ])
        .await;
        assert_eq!(
            read,
            vec![
                Some(("/bot1/sendMessage".to_owned(), b"{\"a\":\"bcd\"}".to_vec())),
                None,
            ]
        );
    }

    #[tokio::test]
    async fn a_request_cut_short_is_none() {
        let read = read_from(&[b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"]).await;
        assert_eq!(read, vec![None]);
    }
}
