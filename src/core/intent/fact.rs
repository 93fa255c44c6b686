//! Questions that ask for one fact of a notice or an article rather than for a section:
//! `交通学校的电话是多少`, `停水是什么时候`, `职业学校在哪`, `what's the phone number for the
//! water notice`, `who wrote the bridge story`. The fact asked for, and the words naming the
//! item (empty when the question leaves the item unsaid: `电话多少？`).

use super::{normalise, words_of};
use crate::core::summary::Segmenter;

/// Which fact of an item a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    /// A phone number to call.
    Phone,
    /// Where: an address or a place.
    Place,
    /// When: a date, a time or a range of them.
    Time,
    /// Who to contact.
    Contact,
    /// How much: a price, a fee, an amount of money.
    Price,
    /// Who reported it.
    Reporter,
}

/// A question for one fact of an item, and the words that name the item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactQuestion {
    /// The fact asked for.
    pub fact: Fact,
    /// The words naming the item; empty when the question does not name it.
    pub subject: Vec<String>,
}

/// Words (or phrases found in the text) that ask for each fact, most specific first.
const ASKS: &[(Fact, &[&str])] = &[
    (
        Fact::Contact,
        &[
            "联系人",
            "找谁",
            "联系谁",
            "who to contact",
            "contact person",
            "whom",
        ],
    ),
    (
        Fact::Reporter,
        &[
            "谁写的",
            "谁报道",
            "哪个记者",
            "哪位记者",
            "记者写的",
            "谁拍的",
            "谁拍",
            "摄影",
            "who reported",
            "reported by",
            "who took",
            "photographer",
            "photographed",
            "记者是谁",
            "作者",
            "who wrote",
            "reporter",
            "author",
            "written by",
        ],
    ),
    (
        Fact::Phone,
        &[
            "电话",
            "号码",
            "热线",
            "联系方式",
            "怎么联系",
            "如何联系",
            "手机",
            "how do i reach",
            "how can i reach",
            "how to reach",
            "how do i contact",
            "how can i contact",
            "how to contact",
            "should i call",
            "phone",
            "telephone",
            "hotline",
            "number to call",
            "call",
        ],
    ),
    (
        Fact::Price,
        &[
            "多少钱",
            "价格",
            "费用",
            "收费",
            "票价",
            "几块",
            "how much",
            "price",
            "cost",
            "fee",
            "fees",
        ],
    ),
    (
        Fact::Time,
        &[
            "什么时候",
            "几点",
            "时间",
            "哪天",
            "何时",
            "日期",
            "几号",
            "多久",
            "when",
            "what time",
            "what date",
            "how long",
        ],
    ),
    (
        Fact::Place,
        &[
            "在哪里",
            "在哪儿",
            "在哪",
            "地址",
            "地点",
            "位置",
            "where",
            "address",
            "location",
        ],
    ),
];

/// Words that only frame the question (`是多少`, `what's the`), never its subject.
const FRAME: &[&str] = &[
    "是", "多少", "什么", "请问", "的", "吗", "呢", "啊", "有", "一下", "告诉", "我", "知道", "谁",
    "那篇", "这篇", "篇", "那个", "这个", "要", "恢复", "开始", "结束", "举行", "举办", "开放",
    "写", "写的", "报道", "新闻", "消息", "照片", "图片", "那张", "这张", "张", "开", "拍", "what",
    "what's", "whats", "is", "are", "the", "of", "for", "to", "a", "an", "do", "does", "i", "me",
    "tell", "please", "number", "it", "its", "and", "at", "in", "on", "about", "story", "article",
    "news", "notice", "can", "could", "should", "would", "will", "did", "was", "were", "how",
    "find", "located", "situated", "there", "get", "took", "photo", "picture", "who", "reported",
    "which", "this", "that",
];

/// The fact `text` asks for and the item it names, or `None` when it asks for no fact.
#[must_use]
pub fn fact_question(text: &str, segmenter: &Segmenter) -> Option<FactQuestion> {
    let norm = normalise(text);
    let words = words_of(&norm, segmenter);
    let (fact, asked) = ASKS.iter().find_map(|(fact, asks)| {
        let asked: Vec<&str> = asks
            .iter()
            .copied()
            .filter(|ask| {
                if ask.contains(' ') || !ask.is_ascii() {
                    norm.contains(ask)
                } else {
                    words.iter().any(|w| w == ask)
                }
            })
            .collect();
        (!asked.is_empty()).then_some((*fact, asked))
    })?;
    // What is left once the asking words are taken out names the item.
    let mut rest = norm.clone();
    for ask in &asked {
        rest = rest.replace(ask, " ");
    }
    let subject = segmenter
        .content_words(&rest)
        .into_iter()
        .map(|w| w.to_lowercase())
        .filter(|w| !FRAME.contains(&w.as_str()))
        .filter(|w| !ASKS.iter().any(|(_, asks)| asks.contains(&w.as_str())))
        .collect();
    Some(FactQuestion { fact, subject })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fact_and_the_item_named() {
        let segmenter = Segmenter::new();
        let ask = |t: &str| fact_question(t, &segmenter);
        let q = ask("交通学校的电话是多少").expect("a fact question");
        assert_eq!(q.fact, Fact::Phone);
        assert_eq!(q.subject, ["交通", "学校"]);
        assert_eq!(ask("电话多少？").map(|q| q.subject), Some(Vec::new()));
        assert_eq!(ask("停水是什么时候").map(|q| q.fact), Some(Fact::Time));
        assert_eq!(ask("职业学校在哪").map(|q| q.fact), Some(Fact::Place));
        let q = ask("What's the phone number for the water notice?").expect("a fact question");
        assert_eq!((q.fact, q.subject), (Fact::Phone, vec!["water".to_owned()]));
        assert_eq!(
            ask("who wrote the bridge story").map(|q| q.fact),
            Some(Fact::Reporter)
        );
        assert_eq!(ask("今天有什么新闻"), None);
        assert_eq!(ask("码头"), None);
    }
}
