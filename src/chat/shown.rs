//! The item a chat was last shown (a notice, an article), so that a follow-up question that
//! names nothing (`电话多少？` right after a notice) refers to it. Kept in memory only: a
//! restart forgets it, and the bot then asks which item is meant.

use std::collections::HashMap;
use std::sync::Mutex;

use teloxide::types::ChatId;

/// How many chats' last items are kept before the oldest memories are dropped all at once.
const MAX_CHATS: usize = 10_000;

/// The title of the item each chat was last shown.
#[derive(Debug, Default)]
pub struct ShownItems {
    titles: Mutex<HashMap<ChatId, String>>,
}

impl ShownItems {
    /// Remembers that `chat` was just shown the item titled `title`.
    pub fn remember(&self, chat: ChatId, title: &str) {
        let mut titles = self.titles.lock().unwrap_or_else(|e| e.into_inner());
        if titles.len() >= MAX_CHATS && !titles.contains_key(&chat) {
            titles.clear();
        }
        titles.insert(chat, title.to_owned());
    }

    /// The title of the item `chat` was last shown, if any.
    pub fn last(&self, chat: ChatId) -> Option<String> {
        let titles = self.titles.lock().unwrap_or_else(|e| e.into_inner());
        titles.get(&chat).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_item_shown_to_each_chat() {
        let shown = ShownItems::default();
        assert_eq!(shown.last(ChatId(1)), None);
        shown.remember(ChatId(1), "停水通知");
        shown.remember(ChatId(2), "青溪市第二职业学校");
        shown.remember(ChatId(1), "青溪港三期码头投入试运行");
        assert_eq!(
            shown.last(ChatId(1)).as_deref(),
            Some("青溪港三期码头投入试运行")
        );
        assert_eq!(shown.last(ChatId(2)).as_deref(), Some("青溪市第二职业学校"));
    }
}
