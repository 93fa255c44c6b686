//! A headline's whole article as the paper printed it, for its "全文 / Full story" button:
//! title, kicker and subtitle, byline, dateline and every paragraph in order, as Telegram
//! HTML messages within Telegram's limit. Nothing is dropped: a paragraph too long for one
//! message splits between sentences.

use super::labels::labels;
use super::telegram_html::{Item, pack, text_segments};
use super::{Headline, Lang, MAX_MESSAGE_UNITS, escape_html};
use crate::core::edition::Notice;

/// The article of `headline` as messages; `None` when the digest kept no paragraphs for it
/// (a digest from before they were kept, a feed item with only a summary).
#[must_use]
pub fn full_story_messages(headline: &Headline, lang: Lang) -> Option<Vec<String>> {
    if headline.paragraphs.is_empty() {
        return None;
    }
    let mut head: Item = Vec::new();
    if let Some(kicker) = headline.kicker.as_deref().filter(|k| !k.trim().is_empty()) {
        head.push(format!("<i>{}</i>", escape_html(kicker)));
    }
    head.push(format!("<b>{}</b>", escape_html(&headline.title)));
    if let Some(subtitle) = headline
        .subtitle
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        head.push(escape_html(subtitle));
    }
    if !headline.reporters.is_empty() {
        let l = labels(lang);
        head.push(format!(
            "{}{}{}",
            l.reporters,
            l.colon,
            escape_html(&headline.reporters.join(" "))
        ));
    }
    let mut items = vec![head];
    for (i, paragraph) in headline.paragraphs.iter().enumerate() {
        let text = match (i, headline.dateline.as_deref()) {
            (0, Some(dateline)) if !paragraph.starts_with(dateline) => {
                format!("{dateline} {paragraph}")
            }
            _ => paragraph.clone(),
        };
        items.push(text_segments(&text));
    }
    Some(pack(items, MAX_MESSAGE_UNITS))
}

/// A notice of the digest whole, as messages: its title and its text as printed.
#[must_use]
pub fn notice_messages(notice: &Notice) -> Vec<String> {
    let mut items: Vec<Item> = Vec::new();
    if let Some(title) = notice.title.as_deref().filter(|t| !t.trim().is_empty()) {
        items.push(vec![format!("📢 <b>{}</b>", escape_html(title))]);
    }
    for line in notice.text.lines().filter(|l| !l.trim().is_empty()) {
        items.push(text_segments(line));
    }
    pack(items, MAX_MESSAGE_UNITS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::digest::{plain_text, telegram_length};

    fn headline(paragraphs: Vec<String>) -> Headline {
        Headline {
            title: "青溪港三期码头投入试运行".to_owned(),
            subtitle: Some("年吞吐能力将新增120万标箱".to_owned()),
            summary: "摘要。".to_owned(),
            summary_short: "摘要。".to_owned(),
            link: None,
            reporters: vec!["林朔".to_owned()],
            page: None,
            kicker: Some("港口建设".to_owned()),
            dateline: Some("本报讯".to_owned()),
            paragraphs,
            english: None,
        }
    }

    #[test]
    fn the_whole_article_in_order_within_the_limit_with_nothing_lost() {
        let paragraphs: Vec<String> = (1..=40)
            .map(|i| {
                format!(
                    "第{i}段：{}。",
                    "码头建设进展顺利，工人们日夜奋战".repeat(8)
                )
            })
            .chain(std::iter::once("很长的一段".repeat(1500)))
            .collect();
        let messages =
            full_story_messages(&headline(paragraphs.clone()), Lang::Zh).expect("a story");
        assert!(messages.len() > 2, "{} messages", messages.len());
        assert!(
            messages
                .iter()
                .all(|m| telegram_length(m) <= MAX_MESSAGE_UNITS)
        );
        let shown: String = messages
            .iter()
            .map(|m| plain_text(m))
            .collect::<Vec<_>>()
            .join("\n")
            .replace('\n', "");
        assert!(shown.starts_with("港口建设青溪港三期码头投入试运行年吞吐能力将新增120万标箱"));
        assert!(shown.contains("林朔"));
        assert!(shown.contains("本报讯 第1段"));
        let all: String = paragraphs.concat();
        let body_start = shown.find("第1段").expect("the first paragraph");
        assert_eq!(shown[body_start..].replace("本报讯 ", ""), all);
        assert_eq!(full_story_messages(&headline(Vec::new()), Lang::Zh), None);
    }
}
