//! The state one fake server shares between its handle, its HTTP handlers and its webhook
//! pusher: queued updates, recorded calls, the chats and the messages that exist in them,
//! injected faults and rate-limit windows.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Instant;

use serde_json::Value;

use crate::limits::{Fault, RateLimits};
use crate::records::{Call, Handout, Push, SentMessage};
use crate::refs::ChatRef;

#[derive(Default)]
pub(crate) struct State {
    /// The id the next injected update gets.
    pub(crate) next_update_id: i64,
    /// Updates the bot has not confirmed yet, oldest first.
    pub(crate) updates: VecDeque<Value>,
    pub(crate) calls: Vec<Call>,
    /// Shared by injected messages and the bot's own.
    pub(crate) next_message_id: i64,
    /// The bot's messages that exist, by `(chat_id, message_id)`.
    pub(crate) messages: HashMap<(i64, i64), SentMessage>,
    /// Chats seen in injected updates, so answers describe them as the test did.
    pub(crate) chats: HashMap<i64, ChatRef>,
    /// getChatMember answers, by `(chat_id, user_id)`.
    pub(crate) members: HashMap<(i64, i64), String>,
    /// Faults for the next calls of a method (lower-case).
    pub(crate) faults: HashMap<String, VecDeque<Fault>>,
    /// Faults for the next sends to a chat.
    pub(crate) chat_faults: HashMap<i64, VecDeque<Fault>>,
    pub(crate) blocked_chats: HashSet<i64>,
    pub(crate) migrated_chats: HashMap<i64, i64>,
    pub(crate) limits: Option<RateLimits>,
    /// Sends counted against the overall limit, within the last second.
    pub(crate) recent_sends: VecDeque<Instant>,
    /// Sends counted against each chat's limit, within its window.
    pub(crate) recent_by_chat: HashMap<i64, VecDeque<Instant>>,
    pub(crate) rate_limited: usize,
    /// Numbers callback-query and inline-query ids.
    pub(crate) next_callback: u64,
    /// Files a test sent, by file id: `(file_path, bytes)`.
    pub(crate) files: HashMap<String, (String, Vec<u8>)>,
    pub(crate) webhook: Option<Webhook>,
    pub(crate) pushes: Vec<Push>,
    pub(crate) polls: usize,
    pub(crate) handouts: Vec<Handout>,
    /// The last update id recorded in `handouts`.
    pub(crate) handed_out_up_to: i64,
}

impl State {
    /// A fresh server's state: update ids from 1, message ids from 1001.
    pub(crate) fn new() -> Self {
        Self {
            next_update_id: 1,
            next_message_id: 1000,
            ..Self::default()
        }
    }
}

/// A webhook the bot registered.
#[derive(Debug, Clone)]
pub(crate) struct Webhook {
    pub(crate) url: String,
    pub(crate) secret: Option<String>,
}
