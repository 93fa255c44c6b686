//! Builds notices (announcements, adverts, reminders, slogans) from their lines and pulls out
//! the facts a reader acts on: phone numbers, addresses, the issuer and dates, all copied
//! exactly as printed.

use std::sync::LazyLock;

use regex::Regex;

use super::lines::{Line, LineKind};
use super::{Notice, NoticeKind};
use crate::core::punctuation::{char_len, ends_sentence};

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:地址|联系地址|Address|ADDRESS)\s*[:：]\s*(.+)$").expect("static regex")
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d{4}年\d{1,2}月\d{1,2}日(?:\s*[(（]星期.[)）])?|\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}\s*(?:至|到|—|-|~|～)\s*\d{1,2}:\d{2}|\d{1,2}:\d{2}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am|pm))",
    )
    .expect("static regex")
});
static ISSUER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(公司|局|委员会|委|办公室|办事处|街道|中心|政府|管理处|所|站|院|学校|集团|协会|Authority|Department|Council|Company|Utilities|Office|District)$")
        .expect("static regex")
});
static ADVERT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"招生|热线|优惠|报名|招聘|出售|出租|Sale|SALE|Enrol|Hiring").expect("static regex")
});

/// Builds a notice of `kind` from its lines (in page order).
pub fn build_notice(kind: NoticeKind, lines: &[&Line]) -> Notice {
    let text = lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let kind = if kind == NoticeKind::Advert && !ADVERT_WORDS.is_match(&text) {
        NoticeKind::Announcement
    } else {
        kind
    };
    let title = match kind {
        NoticeKind::Announcement | NoticeKind::Advert => lines
            .first()
            .filter(|l| {
                matches!(l.kind, LineKind::NoticeTitle | LineKind::Text)
                    && char_len(&l.text) <= 30
                    && !ends_sentence(&l.text)
            })
            .map(|l| l.text.clone()),
        NoticeKind::Reminder => lines
            .first()
            .and_then(|l| l.text.split([':', '：']).next())
            .map(str::to_owned),
        NoticeKind::Slogan => None,
    };
    let addresses = lines
        .iter()
        .filter_map(|l| ADDRESS.captures(&l.text).map(|c| c[1].trim().to_owned()))
        .collect();
    let issuer = lines
        .iter()
        .skip(1)
        .rev()
        .find(|l| {
            l.kind == LineKind::Text
                && char_len(&l.text) <= 30
                && !ends_sentence(&l.text)
                && !l.text.contains([',', '，', ':', '：'])
                && ISSUER.is_match(&l.text)
        })
        .map(|l| l.text.clone());
    let dates = DATE
        .find_iter(&text)
        .map(|m| m.as_str().to_owned())
        .collect();
    Notice {
        kind,
        title,
        phones: extract_phones(&text),
        addresses,
        issuer,
        dates,
        text,
        lines: lines.iter().map(|l| l.no).collect(),
    }
}

/// Finds phone numbers in `text`, exactly as printed: landlines with or without an area
/// code (`0573-86012345`, `8508171`), mobiles, and `(555) 010-2477`.
pub fn extract_phones(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut phones = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            || (matches!(chars[i], '(' | '+')
                && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        let after_digit = i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.');
        if !starts || after_digit {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() {
            let c = chars[j];
            let ok = c.is_ascii_digit()
                || c == '-'
                || c == '+'
                || c == '('
                || (c == ')' && chars[i..j].contains(&'('))
                || (c == ' ' && j > 0 && chars[j - 1] == ')');
            if !ok {
                break;
            }
            j += 1;
        }
        let run: String = chars[i..j].iter().collect();
        let run = run.trim_end_matches(['-', '(', ' ', '+']);
        let digits = run.chars().filter(char::is_ascii_digit).count();
        let next = chars.get(j).copied();
        let is_quantity = next.is_some_and(|c| {
            matches!(
                c,
                '年' | '月' | '日' | '元' | '万' | '人' | '.' | '%' | '个' | '件' | '项'
            )
        });
        // Five- and six-digit service numbers (95598, 12345) only count right after a label.
        let labelled = i > 0 && matches!(chars[i - 1], ':' | '：' | '线' | '话');
        if ((7..=13).contains(&digits) || (labelled && (5..=6).contains(&digits))) && !is_quantity {
            phones.push(run.to_owned());
        }
        i = j.max(i + 1);
    }
    phones
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_copied_as_printed() {
        assert_eq!(
            extract_phones("招生热线:8508171(微信同号) 8508780(备用)"),
            vec!["8508171", "8508780"]
        );
        assert_eq!(
            extract_phones("咨询电话:0573-86012345"),
            vec!["0573-86012345"]
        );
        assert_eq!(
            extract_phones("Call (555) 010-2477 today"),
            vec!["(555) 010-2477"]
        );
        assert_eq!(extract_phones("手机13905731234。"), vec!["13905731234"]);
        assert_eq!(extract_phones("服务热线:95598"), vec!["95598"]);
    }

    #[test]
    fn dates_and_amounts_are_not_phones() {
        assert!(extract_phones("2026年11月29日,投资38000000元,8:00至18:00").is_empty());
    }
}
