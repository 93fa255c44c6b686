//! The words of a notices question that name what it is about (`停水` in `城东停水了吗`).

use super::{NOTICES, TODAY, TOMORROW, is_vocabulary, normalise};
use crate::core::summary::Segmenter;

/// The words of a notices question that name what it is about (`停水` in `城东停水了吗`),
/// without the words that only say "notices" or ask; empty for a generic `有什么通知`.
#[must_use]
pub fn notice_subject(text: &str, segmenter: &Segmenter) -> Vec<String> {
    const GENERIC: &[&str] = &[
        "通知",
        "公告",
        "告示",
        "启事",
        "提醒",
        "notice",
        "notices",
        "announcement",
        "announcements",
        "最近",
        "啥",
        "有啥",
        "哪些",
    ];
    let norm = normalise(text);
    // A named kind of notice (停水, 停电…), however jieba cut it.
    let named: Vec<String> = NOTICES
        .iter()
        .filter(|p| !GENERIC.contains(p) && !p.is_ascii() && norm.contains(*p))
        .map(|p| (*p).to_owned())
        .collect();
    if !named.is_empty() {
        return named;
    }
    segmenter
        .content_words(&norm)
        .into_iter()
        .filter(|w| !GENERIC.contains(&w.as_str()) && !is_vocabulary(w))
        .filter(|w| !TODAY.contains(&w.as_str()) && !TOMORROW.contains(&w.as_str()))
        .collect()
}
