//! A Bot API call's parameters from its request body. teloxide sends JSON, or
//! `multipart/form-data` for methods that may upload a file (`setWebhook`, `sendPhoto`).
//!
//! The multipart reader is a small one of our own: axum's `multipart` feature would bring
//! in `multer`, a crate this workspace does not otherwise use, and the fake only needs the
//! text of each field. It finds the boundary from the body's first line, so it does not
//! depend on the `Content-Type` header; any other body (urlencoded forms included) reads as
//! `null`, as it always has.

use serde_json::{Map, Value};

/// A request body as JSON: JSON itself, or the fields of a `multipart/form-data` body, each
/// as a JSON string (lossily decoded when it is not UTF-8); `null` for anything else.
pub(crate) fn parse_body(body: &[u8]) -> Value {
    if let Ok(value) = serde_json::from_slice(body) {
        return value;
    }
    multipart_fields(body).map_or(Value::Null, Value::Object)
}

/// The fields of a multipart body, or `None` when it does not start with a boundary line.
fn multipart_fields(body: &[u8]) -> Option<Map<String, Value>> {
    let text = String::from_utf8_lossy(body);
    let boundary = text.lines().next().filter(|l| l.starts_with("--"))?;
    let boundary = boundary.trim_end();
    let mut fields = Map::new();
    for part in text.split(boundary) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = head
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        else {
            continue;
        };
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        fields.insert(name.to_owned(), Value::String(value.to_owned()));
    }
    Some(fields)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A multipart body laid out as reqwest (teloxide's client) writes one.
    fn multipart(boundary: &str, parts: &[(&str, &str)]) -> Vec<u8> {
        let mut body = String::new();
        for (head, value) in parts {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; {head}\r\n\r\n{value}\r\n"
            ));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        body.into_bytes()
    }

    #[test]
    fn json_bodies_are_read_as_json() {
        let body = br#"{"chat_id": 42, "text": "hi", "reply_markup": {"inline_keyboard": []}}"#;
        assert_eq!(
            parse_body(body),
            json!({ "chat_id": 42, "text": "hi", "reply_markup": { "inline_keyboard": [] } })
        );
        assert_eq!(parse_body(b"[1, 2]"), json!([1, 2]));
    }

    #[test]
    fn multipart_fields_are_read_as_strings() {
        let body = multipart(
            "a1b2c3",
            &[
                ("name=\"url\"", "http://127.0.0.1:9/hook"),
                ("name=\"secret_token\"", "s3cret"),
                ("name=\"max_connections\"", "40"),
                ("name=\"note\"", "two\r\nlines"),
            ],
        );
        assert_eq!(
            parse_body(&body),
            json!({
                "url": "http://127.0.0.1:9/hook",
                "secret_token": "s3cret",
                "max_connections": "40",
                "note": "two\r\nlines",
            })
        );
    }

    #[test]
    fn multipart_file_parts_are_named_by_their_field() {
        let body = multipart(
            "xyz",
            &[
                ("name=\"chat_id\"", "7"),
                (
                    "name=\"photo\"; filename=\"p.png\"\r\nContent-Type: image/png",
                    "PNG",
                ),
            ],
        );
        assert_eq!(parse_body(&body), json!({ "chat_id": "7", "photo": "PNG" }));
    }

    #[test]
    fn anything_else_is_null() {
        assert_eq!(parse_body(b""), Value::Null);
        assert_eq!(parse_body(b"chat_id=1&text=hi"), Value::Null);
        assert_eq!(parse_body(b"\xff\xfe not json"), Value::Null);
    }

    #[test]
    fn a_bare_boundary_is_an_empty_form() {
        assert_eq!(parse_body(b"--b--\r\n"), json!({}));
    }
}
