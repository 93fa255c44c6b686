//! Credits printed at the end of an article or a caption (`（记者 王强 通讯员 李红）`,
//! `…画春联。（通讯员 伍思远 摄）`): on a line of their own, wrapped over two lines by a narrow
//! column, or closing the last paragraph or the caption after its final sentence.

use std::sync::LazyLock;

use regex::Regex;

use super::credit_lines::classify_credit;
use super::{Line, LineKind};
use crate::core::edition::Credit;
use crate::core::edition::byline::{parse_credits, split_role_prefix};
use crate::core::punctuation::{char_len, ends_sentence, is_mostly_cjk, trim_all};

/// A bracketed closing credit wrapped across two lines (`（记者 王强 通讯员` / `李红）`): the
/// first line becomes the credit, read from both, the second its tail. Each keeps its own
/// line number, so both stay owned by the article the credit closes.
pub(super) fn join_wrapped_credits(lines: &mut [Line]) {
    const OPEN: [char; 2] = ['（', '('];
    const CLOSE: [char; 2] = ['）', ')'];
    for i in 1..lines.len() {
        let (head, tail) = (&lines[i - 1], &lines[i]);
        let opens = head.kind == LineKind::Text
            && head.text.starts_with(OPEN)
            && !head.text.contains(CLOSE)
            && head.chars() <= 30;
        let closes = tail.kind == LineKind::Text
            && tail.text.ends_with(CLOSE)
            && !tail.text.contains(OPEN)
            && tail.chars() <= 16
            && tail.block <= head.block + 1;
        if !(opens && closes) {
            continue;
        }
        let glue = if is_mostly_cjk(&head.text) { "" } else { " " };
        if let Some(credits) = closing_credit(&format!("{}{glue}{}", head.text, tail.text)) {
            lines[i - 1].kind = LineKind::ClosingCredit(credits);
            lines[i].kind = LineKind::ClosingCreditTail;
        }
    }
}

/// A bracketed credit closing a paragraph after its last sentence (`…完工。（记者 王强 通讯员
/// 李红）`): where the bracket starts, and the people it names.
pub fn trailing_credit(paragraph: &str) -> Option<(usize, Vec<Credit>)> {
    let text = paragraph.trim_end();
    if !text.ends_with(['）', ')']) {
        return None;
    }
    let at = text.rfind(['（', '('])?;
    let before = text[..at].trim_end();
    if !before.is_empty() && !ends_sentence(before) {
        return None;
    }
    let credits = closing_credit(&text[at..])?;
    Some((before.len(), credits))
}

/// The people a bracketed credit line names (`（记者 王强 通讯员 李红）`), when it is one.
pub(super) fn closing_credit(text: &str) -> Option<Vec<Credit>> {
    let inner = text
        .strip_prefix(['（', '('])?
        .strip_suffix(['）', ')'])?
        .trim();
    if inner.is_empty() || char_len(inner) > 40 {
        return None;
    }
    match classify_credit(inner, char_len(inner))? {
        LineKind::Byline(credits, _) if !credits.is_empty() => Some(credits),
        _ => None,
    }
}

/// An English caption closing with its credit: `Photo: Name`, `Photo by Name`, `(Submitted
/// photo)`.
static ENGLISH_CAPTION_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.{20,}?[.!?])\s+(?:(?:Staff\s+)?(?:Photo|Picture)(?:\s+by|:|\s*/)\s+(\p{Lu}[\p{L}.'\- ]{1,40})|\((?i:submitted|file|contributed|courtesy) photo\))$")
        .expect("static regex")
});

/// A caption that closes with its photo's credit, after its last sentence: `…画春联。（通讯员
/// 伍思远　摄）`, `…快检。本报记者　喻　澄　摄`, `…敬献花圈。（摄影：何伟光）`: where the caption
/// ends, and the photographers.
pub fn inline_photo_credit(text: &str) -> Option<(usize, Vec<String>)> {
    // `…on Friday. Photo: Mara Lindell`, `…on Sunday. (Submitted photo)`
    if let Some(c) = ENGLISH_CAPTION_CREDIT.captures(text) {
        let caption = c.get(1)?;
        let names = c.get(2).map_or_else(Vec::new, |names| {
            crate::core::edition::byline::split_english_names(names.as_str()).0
        });
        return Some((caption.end(), names));
    }
    let end = text
        .char_indices()
        .rev()
        .find(|&(_, c)| matches!(c, '。' | '！' | '？'))
        .map(|(at, c)| at + c.len_utf8())?;
    let (caption, rest) = (&text[..end], trim_all(&text[end..]));
    if rest.is_empty() || char_len(rest) > 30 {
        return None;
    }
    let bracketed = rest
        .strip_prefix(['（', '('])
        .and_then(|r| r.strip_suffix(['）', ')']));
    let who = match bracketed {
        // `（摄影：何伟光）`
        Some(inner) if inner.starts_with("摄影") => inner
            .trim_start_matches("摄影")
            .trim_start_matches([':', '：', ' ', '\u{3000}']),
        Some(inner) => inner.strip_suffix('摄')?,
        None => rest.strip_suffix('摄')?,
    }
    .trim();
    if who.is_empty() {
        return None;
    }
    let names: Vec<String> = if split_role_prefix(who).0.is_some() {
        parse_credits(who).into_iter().map(|c| c.name).collect()
    } else if bracketed.is_some() && who.chars().all(|c| c.is_alphabetic()) && char_len(who) <= 4 {
        vec![who.to_owned()]
    } else {
        Vec::new()
    };
    (!names.is_empty()).then_some((caption.len(), names))
}

#[cfg(test)]
mod tests {
    use super::{inline_photo_credit, trailing_credit};

    #[test]
    fn a_credit_closing_the_last_sentence_is_split_off() {
        let text = "项目全部完工后，收集率将提升到90%以上。（记者　倪安若　通讯员　童小溪）";
        let (at, credits) = trailing_credit(text).expect("a credit");
        assert_eq!(&text[..at], "项目全部完工后，收集率将提升到90%以上。");
        let names: Vec<&str> = credits.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["倪安若", "童小溪"]);
        // A bracket inside the sentence, or one that names nobody, is the text's own.
        assert!(trailing_credit("他说（据介绍）项目已完工").is_none());
        let (end, names) = inline_photo_credit(
            "Eagles pitcher Cal Dempsey delivers on Friday. Photo: Mara Lindell",
        )
        .expect("a credit");
        assert_eq!(names, ["Mara Lindell"]);
        assert_eq!(end, "Eagles pitcher Cal Dempsey delivers on Friday.".len());
        let (_, nobody) = inline_photo_credit(
            "Players celebrate their spring tournament title on Sunday. (Submitted photo)",
        )
        .expect("a credit");
        assert!(nobody.is_empty());
        let (_, names) = inline_photo_credit(
            "Kauri Point lock Finn Hadlow wins a lineout at Harbour Park. Photo / Kiri Hapeta",
        )
        .expect("a credit");
        assert_eq!(names, ["Kiri Hapeta"]);
        assert!(trailing_credit("项目已完工。（详见第3版）").is_none());
    }
}
