//! Phone numbers in printed text, copied exactly as printed: landlines with or without an
//! area code, mobiles, service numbers after a label, and the spaced, dotted and bracketed
//! forms of British, Australian and American papers.

use std::sync::LazyLock;

use regex::Regex;

/// A local number written with spaces, as UK and Australian papers print them, and Chinese
/// numbers grouped by four (`0578-6235 2122`, `139 5712 8840`).
static SPACED_PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\(0\d{1,4}\)\s?\d{3,4}\s?\d{3,4}|0\d{2,4}\s\d{3,4}\s?\d{3,4}|0\d{3,4}\s\d{5,6}|0\d\s\d{3,4}\s\d{4}|1[358]\d{2}\s\d{3}\s\d{3}|13\d\s\d{3}|0\d{2,3}-\d{4}\s\d{4}|1[3-9]\d\s\d{4}\s\d{4})$",
    )
    .expect("static regex")
});
/// `1800 555 014`, `1850 555 210`, `132 500`: freecall, lo-call and service numbers
/// grouped by spaces (Australian and Irish papers).
static SPACED_FREECALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:1[358]\d{2}\s\d{3}\s\d{3}|13\d\s\d{3})(?:\D|$)").expect("static regex")
});

/// `139 5712 8840`: a Chinese mobile grouped by spaces.
static SPACED_MOBILE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^1[3-9]\d\s\d{4}\s\d{4}(?:\D|$)").expect("static regex"));
/// `1990-2026`: two years joined by a dash.
static YEAR_SPAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:19|20)\d{2}-(?:19|20)\d{2}$").expect("static regex"));

/// A US number written with dots: `360.555.0171`, `1.800.555.0199`.
static DOTTED_PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:1\.)?\d{3}\.\d{3}\.\d{4}$").expect("static regex"));

/// Finds phone numbers in `text`, exactly as printed: landlines with or without an area
/// code (`0573-86012345`, `8508171`), mobiles, and `(555) 010-2477`.
pub fn extract_phones(text: &str) -> Vec<String> {
    // Matched with full-width digits and signs folded (`０５７３－８５１２３４５６`), copied
    // as printed.
    let printed: Vec<char> = text.chars().collect();
    let chars: Vec<char> = printed.iter().map(|&c| fold_full_width(c)).collect();
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
                || chars[i - 1].is_ascii_alphabetic()
                // `核准号：Ｊ３３１２…`: a full-width letter opens a code too.
                || matches!(chars[i - 1], 'Ａ'..='Ｚ' | 'ａ'..='ｚ'));
        if !starts || after_digit {
            i += 1;
            continue;
        }
        // Spaces separate digit groups only in international numbers (`+1 555 201 4400`)
        // and after an area code in brackets; elsewhere they separate two numbers.
        let international = chars[i] == '+';
        // `01632 960123`, `(02) 5550 1234`, `0491 570 113`: spaced local numbers start with 0.
        // `139 5712 8840`, `1800 555 014`: a spaced number opening with 1, read ahead.
        let ahead = |pattern: &Regex| {
            let next: String = chars[i..].iter().take(13).collect();
            pattern.is_match(&next)
        };
        let local = chars[i] == '0'
            || (chars[i] == '(' && chars.get(i + 1) == Some(&'0'))
            || (chars[i] == '1' && (ahead(&SPACED_MOBILE) || ahead(&SPACED_FREECALL)));
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
        let is_code =
            next.is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ'));
        // `132 500` is a service number of six digits grouped by a space.
        let spaced_service = SPACED_FREECALL.is_match(run) && digits == 6;
        // `14-027-003` (a parcel or
        // case number: a first group of two digits not opening with 0) is a reference.
        // `SAP 027-600-011`: three short groups, none of four digits, is a reference too.
        let groups: Vec<&str> = run.split('-').collect();
        let reference = run.contains('-')
            && ((groups[0].len() == 2 && !groups[0].starts_with('0'))
                || (groups.len() >= 3 && groups.iter().all(|g| g.len() <= 3)));
        // Five- and six-digit service numbers (95598, 12345) only count right after a label.
        let labelled = i > 0 && matches!(chars[i - 1], ':' | '：' | '线' | '话');
        if ((7..=13).contains(&digits)
            || ((labelled || spaced_service) && (5..=6).contains(&digits)))
            && !is_quantity
            && !is_code
            && !reference
        {
            phones.push(printed[i..i + run.chars().count()].iter().collect());
        }
        i = j.max(i + 1);
    }
    phones
}

/// A full-width digit or sign of a number (`０`, `－`, `＋`) as its ASCII twin; any other
/// character as it is (full-width brackets stay prose: `0573-82096111（24小时）`).
fn fold_full_width(c: char) -> char {
    match c {
        '０'..='９' | '－' | '＋' => crate::core::punctuation::fold_width(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_phones_are_found_and_copied_as_printed() {
        assert_eq!(
            extract_phones("咨询电话：０５７３－８５１２３４５６。"),
            vec!["０５７３－８５１２３４５６"]
        );
        assert!(extract_phones("１２月３日８:00至１８:00").is_empty());
    }

    #[test]
    fn australian_and_irish_numbers_grouped_by_spaces() {
        assert_eq!(
            extract_phones(
                "SES: 132 500; Hospital: 02 6955 0200; Counselling: 1800 555 014; lo-call 1850 555 210"
            ),
            vec!["132 500", "02 6955 0200", "1800 555 014", "1850 555 210"]
        );
    }

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
        assert!(extract_phones("Parcel No. 14-027-003, call (555) 207-3140").len() == 1);
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
        assert!(extract_phones("核准号：Ｊ３３１２００１２３４５６７，声明作废").is_empty());
        assert!(extract_phones("County Project SAP 027-600-011 bids").is_empty());
        assert!(
            extract_phones("统一社会信用代码：９１３３０１０２ＭＡ２Ｈ７Ｋ８Ｌ５Ｘ").is_empty()
        );
        assert!(extract_phones("统一社会信用代码92331127MA2E8K4L6P,声明作废").is_empty());
        assert!(extract_phones("证号浙DA5720316,编号Q330712345,声明作废").is_empty());
    }

    #[test]
    fn chinese_numbers_grouped_by_spaces_are_one_number() {
        assert_eq!(
            extract_phones("咨询电话：0578-6235 2122，手机139 5712 8840。"),
            ["0578-6235 2122", "139 5712 8840"]
        );
        // Two numbers side by side stay two.
        assert_eq!(
            extract_phones("0578-6207788 13857812345"),
            ["0578-6207788", "13857812345"]
        );
    }
}
