//! Character classes shared by the parsers: half- and full-width punctuation folded
//! together, sentence ends, CJK detection. Owns no text, only answers questions about it.

/// Folds a full-width ASCII variant (`，` `：` `（` …) to its half-width form, leaving
/// every other character as it is, so `,` and `，` compare equal.
#[must_use]
pub fn fold_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '。' => '.',
        '、' => ',',
        _ => c,
    }
}

/// True for characters that end a sentence in Chinese or English, in either width.
#[must_use]
pub fn is_sentence_end(c: char) -> bool {
    matches!(fold_width(c), '.' | '!' | '?' | ';' | '…')
}

/// True for closing quotes and brackets that may follow a sentence end (`。”`, `!)`).
#[must_use]
pub fn is_closing(c: char) -> bool {
    matches!(
        fold_width(c),
        '”' | '’' | '"' | '\'' | ')' | ']' | '」' | '』' | '》' | '】' | '〕'
    )
}

/// True for opening quotes and brackets.
#[must_use]
pub fn is_opening(c: char) -> bool {
    matches!(
        fold_width(c),
        '“' | '‘' | '"' | '(' | '[' | '「' | '『' | '《' | '【' | '〔'
    )
}

/// True for clause punctuation inside a sentence (commas, colons, enumeration marks).
#[must_use]
pub fn is_clause_mark(c: char) -> bool {
    matches!(fold_width(c), ',' | ':' | ';')
}

/// True when `text` ends a sentence: a sentence end, possibly followed by closing quotes
/// or brackets (`…了。”`, `done.)`).
#[must_use]
pub fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end();
    for c in trimmed.chars().rev() {
        if is_closing(c) {
            continue;
        }
        return is_sentence_end(c);
    }
    false
}

/// True for a CJK ideograph (the unified block and its first extension).
#[must_use]
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// True for a character of a script written without spaces between words, where one
/// character carries about a word's worth of text: CJK ideographs, kana and Hangul.
#[must_use]
pub fn is_wide_script(c: char) -> bool {
    is_cjk(c) || matches!(c, '\u{3040}'..='\u{30FF}' | '\u{AC00}'..='\u{D7AF}')
}

/// True for a wide-script character or a full-width mark (`，`, `。`, `Ａ`): text made of them
/// is written without spaces, so a line break between two of them is no space at all.
#[must_use]
pub fn is_wide_text(c: char) -> bool {
    is_wide_script(c)
        || ('\u{3000}'..='\u{303F}').contains(&c)
        || ('\u{FF00}'..='\u{FFEF}').contains(&c)
}

/// True when the text has more CJK ideographs than Latin letters.
#[must_use]
pub fn is_mostly_cjk(text: &str) -> bool {
    let (mut cjk, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        if is_cjk(c) {
            cjk += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    cjk >= latin && cjk > 0
}

/// Number of characters, the unit our length limits use.
#[must_use]
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Trims ASCII and Unicode white space, including the ideographic space `U+3000`.
#[must_use]
pub fn trim_all(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_and_half_width_commas_fold_together() {
        assert_eq!(fold_width('，'), ',');
        assert_eq!(fold_width('（'), '(');
        assert_eq!(fold_width('中'), '中');
    }

    #[test]
    fn sentence_end_sees_through_closing_quotes() {
        assert!(ends_sentence("精气神都不一样了!”"));
        assert!(ends_sentence("出席。"));
        assert!(ends_sentence("It opened. "));
        assert!(!ends_sentence("在突破突围中"));
        assert!(!ends_sentence(
            "创成全国义务教育优质均衡发展市和学前教育普及普惠市,"
        ));
        assert!(!ends_sentence("“平湖后生·善治网”"));
        assert!(!ends_sentence(""));
    }

    #[test]
    fn mostly_cjk_tells_chinese_from_english() {
        assert!(is_mostly_cjk("本报讯 昨天下午,JIAXING"));
        assert!(!is_mostly_cjk("The bridge reopened on Monday."));
    }
}
