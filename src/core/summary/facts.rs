//! The facts a summary must copy, never rewrite: figures (`9.5万元`, `2026年`, `0573-86012345`)
//! and Chinese numerals (`三百亩`). A summary from anywhere but the extractive summariser is
//! accepted only if every fact in it appears in the source.

/// Figures and numerals in `text`: runs of digits (with `.`, `,`, `:`, `-` inside), and runs of
/// Chinese numerals that contain a unit (`十`, `百`, `千`, `万`, `亿`).
#[must_use]
pub fn facts_in(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut facts = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() || is_fullwidth_digit(c) {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_digit()
                    || is_fullwidth_digit(chars[j])
                    || (matches!(chars[j], '.' | ',' | ':' | '-')
                        && chars.get(j + 1).is_some_and(|n| n.is_ascii_digit())))
            {
                j += 1;
            }
            facts.push(normalise(&chars[i..j].iter().collect::<String>()));
            i = j;
        } else if is_chinese_numeral(c) {
            let mut j = i;
            while j < chars.len() && is_chinese_numeral(chars[j]) {
                j += 1;
            }
            let run: String = chars[i..j].iter().collect();
            if j - i >= 2 && run.contains(['十', '百', '千', '万', '亿']) {
                facts.push(run);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    facts
}

/// The facts in `candidate` that `source` does not contain.
#[must_use]
pub fn unsupported_facts(candidate: &str, source: &str) -> Vec<String> {
    let source_facts: std::collections::HashSet<String> = facts_in(source).into_iter().collect();
    facts_in(candidate)
        .into_iter()
        .filter(|f| !source_facts.contains(f))
        .collect()
}

fn is_fullwidth_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

/// True for a Chinese numeral character: digits (`〇` to `九`, `两`) and units (`十` to `亿`).
#[must_use]
pub fn is_chinese_numeral(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '亿'
            | '两'
    )
}

/// Full-width digits to ASCII and thousands separators dropped, so `1,000` matches `1000`.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|&c| c != ',')
        .map(|c| {
            if is_fullwidth_digit(c) {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_and_numerals_are_found() {
        assert_eq!(
            facts_in("投资3.8亿元,占71%,电话0573-86012345,三百亩,两辆"),
            vec!["3.8", "71", "0573-86012345", "三百"]
        );
    }

    #[test]
    fn a_changed_figure_is_unsupported() {
        let source = "大桥全长190米,总投资1,200万元,于2022年10月开工。";
        assert!(unsupported_facts("大桥全长190米,投资1200万元。", source).is_empty());
        assert_eq!(unsupported_facts("大桥全长200米。", source), vec!["200"]);
        assert_eq!(unsupported_facts("2023年开工。", source), vec!["2023"]);
    }
}
