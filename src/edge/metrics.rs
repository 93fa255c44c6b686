//! The names of the metrics the program records, one constant each, so the use cases, the
//! `/metrics` endpoint and the README agree.

/// Messages delivered, by `kind` (`digest`, `notice`).
pub const MESSAGES_SENT: &str = "newsbot_messages_sent_total";
/// Sends that failed, by `reason` (`retry_after`, `chat_gone`, `migrated`, `bad_markup`,
/// `transient`, `refused`, `message_gone`).
pub const SEND_ERRORS: &str = "newsbot_send_errors_total";
/// 429 answers from Telegram.
pub const RATE_LIMITED: &str = "newsbot_telegram_429_total";
/// Jobs waiting in the outbox.
pub const OUTBOX_DEPTH: &str = "newsbot_outbox_depth";
/// Seconds from a delivery's due time to its last piece sent.
pub const DELIVERY_LAG: &str = "newsbot_delivery_lag_seconds";
/// Seconds to build the day's digest.
pub const DIGEST_BUILD: &str = "newsbot_digest_build_seconds";
/// Seconds to handle one update, from the dispatcher handing it out to the handler's end.
pub const HANDLER_LATENCY: &str = "newsbot_handler_seconds";
/// 1 when this instance talks to Telegram (the leader, or the only instance), 0 on a standby.
pub const LEADER: &str = "newsbot_leader";
/// Seconds this instance has held the leader's lease.
pub const LEASE_AGE: &str = "newsbot_lease_age_seconds";
