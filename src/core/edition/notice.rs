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
        r"([〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日|\d{4}年\d{1,2}月\d{1,2}日(?:\s*[(（]星期.[)）])?|\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}\s*(?:至|到|—|-|~|～)\s*\d{1,2}:\d{2}|\d{1,2}:\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am|pm))",
    )
    .expect("static regex")
});
/// `, Inc.`, `, LLC`, `, Ltd.` closing a company's name.
static CORPORATE_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r",\s*(?:Inc\.?|LLC|L\.L\.C\.|Ltd\.?|Corp\.?|Co\.|P\.?C\.)$").expect("static regex")
});

/// A local number written with spaces, as UK and Australian papers print them.
static SPACED_PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\(0\d{1,4}\)\s?\d{3,4}\s?\d{3,4}|0\d{2,4}\s\d{3,4}\s?\d{3,4}|0\d{3,4}\s\d{5,6})$",
    )
    .expect("static regex")
});
/// `1990-2026`: two years joined by a dash.
static YEAR_SPAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:19|20)\d{2}-(?:19|20)\d{2}$").expect("static regex"));

/// A US number written with dots: `360.555.0171`, `1.800.555.0199`.
static DOTTED_PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:1\.)?\d{3}\.\d{3}\.\d{4}$").expect("static regex"));

/// How the names of issuing bodies end: companies, bureaus, committees, schools, clinics.
static ISSUER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(公司|局|委员会|委|办公室|办事处|街道|中心|政府|管理处|所|站|院|学校|集团|协会|社|组|部|处|队|馆|会|行|厂|店|诊所|医院|物业|社区|农场|林场|药房|超市|酒店|宾馆|幼儿园|基地|园区|俱乐部|工作室|(?i:authority|department|council|company|utilities|office|district|board|commission|center|centre|library|association|club|committee|agency|services|works|llc|inc\.?|co\.|corporation|corp\.?|clerk|school|clinic|hospital|church|bank|trust|foundation|society|chamber|bureau|court|township|village|city|county|town))$")
        .expect("static regex")
});
static ADVERT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"招生|热线|优惠|报名|招聘|出售|出租|预约|诊所|门诊|医院|培训|课程|开业|营业|(?i:sale|enrol|hiring|clinic|classes|appointments?|open daily)").expect("static regex")
});

/// True for a line that names an issuing body: short, unpunctuated, and either ending like
/// an organisation's name or written in English title case (`Friends of the Millbrook
/// Library`).
pub fn is_issuer_line(text: &str) -> bool {
    // `Cutler Ridge Hunting Club, Inc.`: the corporate suffix after a comma is part of a name.
    let text = CORPORATE_SUFFIX.replace(text, "");
    let text = text.as_ref();
    char_len(text) <= 48
        && !ends_sentence(text)
        && !text.contains([',', '，', ':', '：', ';', '；'])
        && (ISSUER.is_match(text) || is_title_case(text))
}

/// `Town of Millbrook Highway Department`: two or more words, every long word capitalised.
fn is_title_case(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() >= 2
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphanumeric() || "&.'-".contains(c)))
        && words
            .first()
            .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
        && words
            .iter()
            .filter(|w| w.chars().count() > 3)
            .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// Builds a notice of `kind` from its lines (in page order).
pub fn build_notice(kind: NoticeKind, lines: &[&Line]) -> Notice {
    let text = lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    // Bare contact fields that offer something are an advert too.
    let kind = if kind == NoticeKind::Announcement
        && lines.iter().all(|l| l.kind == LineKind::NoticeField)
        && ADVERT_WORDS.is_match(&text)
    {
        NoticeKind::Advert
    } else {
        kind
    };
    let title = match kind {
        NoticeKind::Announcement | NoticeKind::Advert => lines
            .first()
            .filter(|l| {
                matches!(l.kind, LineKind::NoticeTitle | LineKind::Text)
                    && char_len(&l.text) <= 60
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
    // An advert's first line already names who advertises; only announcements sign off.
    let issuer = lines
        .iter()
        .skip(1)
        .rev()
        .filter(|_| kind != NoticeKind::Advert)
        .find(|l| l.kind == LineKind::Text && is_issuer_line(&l.text))
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
        // After a digit, a dot or a letter it is part of a figure or a code (`浙DA5720316`).
        let after_digit = i > 0
            && (chars[i - 1].is_ascii_digit()
                || chars[i - 1] == '.'
                || chars[i - 1].is_ascii_alphabetic());
        if !starts || after_digit {
            i += 1;
            continue;
        }
        // Spaces separate digit groups only in international numbers (`+1 555 201 4400`)
        // and after an area code in brackets; elsewhere they separate two numbers.
        let international = chars[i] == '+';
        // `01632 960123`, `(02) 5550 1234`, `0491 570 113`: spaced local numbers start with 0.
        let local = chars[i] == '0' || (chars[i] == '(' && chars.get(i + 1) == Some(&'0'));
        let mut j = i;
        while j < chars.len() {
            let c = chars[j];
            let next_digit = chars.get(j + 1).is_some_and(char::is_ascii_digit);
            let ok = c.is_ascii_digit()
                || (c == '.' && next_digit && j > i)
                || c == '-'
                || c == '+'
                || c == '('
                || (c == ')' && chars[i..j].contains(&'('))
                || (c == ' ' && j > 0 && chars[j - 1] == ')')
                || (c == ' '
                    && (international || local)
                    && next_digit
                    && chars[j - 1].is_ascii_digit());
            if !ok {
                break;
            }
            j += 1;
        }
        let mut run: String = chars[i..j].iter().collect();
        if local && run.trim_end().contains(' ') && !SPACED_PHONE.is_match(run.trim_end()) {
            // Two numbers side by side (`0578-6207788 13857812345`): take the first.
            let first = run.find(' ').unwrap_or(run.len());
            run.truncate(first);
            j = i + run.chars().count();
        }
        let run = run.trim_end_matches(['-', '(', ' ', '+', '.']);
        // `2027-2037` is a span of years, not a number.
        if YEAR_SPAN.is_match(run) {
            i = j.max(i + 1);
            continue;
        }
        // Dots only in `360.555.0171`; anything else with a dot is a figure.
        if run.contains('.') && !DOTTED_PHONE.is_match(run) {
            i = j.max(i + 1);
            continue;
        }
        let digits = run.chars().filter(char::is_ascii_digit).count();
        let next = chars.get(j).copied();
        let decimal = next == Some('.') && chars.get(j + 1).is_some_and(char::is_ascii_digit);
        let is_quantity = decimal
            || next.is_some_and(|c| {
                matches!(
                    c,
                    '年' | '月' | '日' | '元' | '万' | '人' | '%' | '个' | '件' | '项'
                )
            });
        // Digits running into letters are a code (`92331127MA2E8K4L6P`), not a number.
        let is_code = next.is_some_and(|c| c.is_ascii_alphabetic());
        // Five- and six-digit service numbers (95598, 12345) only count right after a label.
        let labelled = i > 0 && matches!(chars[i - 1], ':' | '：' | '线' | '话');
        if ((7..=13).contains(&digits) || (labelled && (5..=6).contains(&digits)))
            && !is_quantity
            && !is_code
        {
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
        assert_eq!(
            extract_phones("Call 360.555.0171 today"),
            vec!["360.555.0171"]
        );
        assert!(extract_phones("up 1234.5678 percent, 3.8 million").is_empty());
        assert_eq!(
            extract_phones("Ph (02) 5550 1867 or 0491 570 159, or 01632 960123."),
            vec!["(02) 5550 1867", "0491 570 159", "01632 960123"]
        );
        assert!(extract_phones("the strategy 2027-2037 is on exhibition").is_empty());
        assert_eq!(
            extract_phones("call 1-800-555-0199 or +1 555 201 4400."),
            vec!["1-800-555-0199", "+1 555 201 4400"]
        );
        assert_eq!(
            extract_phones("联系电话:0578-6207788 13857812345(刘女士)"),
            vec!["0578-6207788", "13857812345"]
        );
    }

    #[test]
    fn codes_are_not_phones() {
        assert!(extract_phones("统一社会信用代码92331127MA2E8K4L6P,声明作废").is_empty());
        assert!(extract_phones("证号浙DA5720316,编号Q330712345,声明作废").is_empty());
    }

    #[test]
    fn issuers_end_like_organisations_or_are_title_case() {
        for t in [
            "青溪市燃气有限公司",
            "禾丰镇新桥村股份经济合作社",
            "Bayport Public Works Department",
            "Friends of the Millbrook Library",
            "Harbor Light Storage LLC",
        ] {
            assert!(is_issuer_line(t), "{t}");
        }
        for t in [
            "Water may look cloudy; run the tap.",
            "请相关用户提前做好储水准备。",
            "the library board said",
        ] {
            assert!(!is_issuer_line(t), "{t}");
        }
    }

    #[test]
    fn dates_and_amounts_are_not_phones() {
        assert!(extract_phones("2026年11月29日,投资38000000元,8:00至18:00").is_empty());
    }
}
