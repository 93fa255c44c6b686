//! The HTTP side, on axum: file downloads under `/file/`, and every other path a Bot API
//! call named by its last segment (`/bot<token>/sendMessage`), whatever the HTTP method.
//! Answers are JSON; a call faulted with a dropped connection hangs up instead.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;

use crate::FakeTelegram;
use crate::body::parse_body;
use crate::hangup::{Hangup, HangupListener};
use crate::methods::Answer;
use crate::state;

/// Largest request body read; a larger one is refused with 413.
const MAX_BODY_BYTES: usize = 16 << 20;

/// The routes, sharing `fake`.
pub(crate) fn router(fake: FakeTelegram) -> Router {
    Router::new()
        .route("/file/", any(download))
        .route("/file/{*path}", any(download))
        .fallback(call_method)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(fake)
}

/// Serves `fake` on `listener` until the runtime ends.
pub(crate) async fn serve(listener: HangupListener, fake: FakeTelegram) {
    let app = router(fake).into_make_service_with_connect_info::<Hangup>();
    // axum retries failed accepts itself, so this never ends with an error.
    let _ = axum::serve(listener, app).await;
}

/// The request target as sent: path and query, still percent-encoded.
fn request_target(uri: &Uri) -> &str {
    uri.path_and_query().map_or(uri.path(), |p| p.as_str())
}

/// A file a test sent, by the download path teloxide asks for.
async fn download(State(fake): State<FakeTelegram>, uri: Uri) -> Response {
    let found = file_at(&fake.lock(), request_target(&uri));
    let (status, bytes) = match found {
        Some(bytes) => (StatusCode::OK, bytes),
        None => (StatusCode::NOT_FOUND, b"Not Found".to_vec()),
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/octet-stream")],
        bytes,
    )
        .into_response()
}

/// The bytes of the file whose path ends `target`.
fn file_at(state: &state::State, target: &str) -> Option<Vec<u8>> {
    // teloxide sends the file path as one URL segment, its slashes as %2F.
    let target = target.replace("%2F", "/").replace("%2f", "/");
    state
        .files
        .values()
        .find(|(path, _)| target.ends_with(path.as_str()))
        .map(|(_, bytes)| bytes.clone())
}

/// A Bot API call: the method is the target's last segment, in any case.
async fn call_method(
    State(fake): State<FakeTelegram>,
    ConnectInfo(hangup): ConnectInfo<Hangup>,
    uri: Uri,
    body: Bytes,
) -> Response {
    let method = request_target(&uri)
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_lowercase();
    match fake.handle(method, parse_body(&body)).await {
        Some(answer) => json_response(answer),
        None => {
            hangup.hang_up();
            // Never sent: the connection fails before the first byte is written.
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `answer` as an HTTP response; a status HTTP cannot carry becomes 500.
fn json_response(answer: Answer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(answer.body)).into_response()
}
