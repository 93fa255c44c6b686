//! Shortens text without rewriting it: strips a wire preamble (`北京晨报讯(记者 …)`), drops
//! leading clauses that only give the time or the source (`昨天上午,`, `记者从…获悉,`), and
//! fits what is left into a character budget at clause boundaries, or failing that at a word
//! boundary. Every character kept is copied from the source.

use std::sync::LazyLock;

use regex::Regex;

use super::sentences::split_clauses;
use super::words::Segmenter;
use crate::core::punctuation::{char_len, ends_sentence, is_clause_mark, is_mostly_cjk};

/// Marks that end a wire preamble: `…讯`, `…日电`, `记者 … 报道`, or a bracketed credit
/// `(记者 … 通讯员 …)`. Ordinary words ending in 讯 (`通讯员`, `资讯`, `喜讯`) are excluded
/// when the match is checked.
static PREAMBLE_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"[(（][^)）]{0,40}(?:记者|通讯员|实习生|特约|供图|摄)[^)）]{0,40}[)）]",
        r"|(?:本报|首席)?记者[^。！？!?，,]{1,24}?报道",
        r"|日电\s*(?:[(（][^)）]{0,40}[)）])?",
        r"|讯\s*(?:[(（][^)）]{0,40}[)）])?",
        r"|摘要[:：]",
    ))
    .expect("static regex")
});

/// How far into an article a preamble may reach, in bytes.
const PREAMBLE_REACH: usize = 200;

static FILLER_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:",
        r"(?:\d{4}\s*年\s*)?(?:\d{1,2}\s*月\s*)?(?:\d{1,2}\s*日\s*)?(?:[至到-]\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日\s*)?(?:\d{1,2}\s*时(?:\d{1,2}\s*分)?\s*)?(?:上午|下午|中午|晚上|晚|凌晨|早上|早晨|傍晚|夜间|许)*",
        r"|近日|日前|昨天|昨日|今天|今日|前天|当天|当日|目前|近期|此前|近年来|今年以来|去年以来|日前获悉",
        r"|(?:昨天|今天|昨日|前天)(?:上午|下午|中午|晚上|晚|凌晨|早上)",
        r"|记者[^，,。]{0,24}?(?:获悉|了解到|得知|看到)",
        r"|据[^，,。]{0,24}?(?:报道|消息|介绍|了解|悉|透露|统计)",
        r"|[^，,。]{0,20}?(?:透露|表示|指出|介绍|获悉|了解到|报道称|消息称|据悉)",
        r"|(?:\d{1,2}\s*月\s*)?(?:\d{1,2}\s*日\s*)?(?:上午|下午|中午|晚上|晚|凌晨|早上)?\s*\d{1,2}\s*[:：]\s*\d{2}\s*许?",
        r"|(?:on|last|this|early|late)\s+\w+(?:\s+\w+)?",
        r")[\s,，:：]*$"
    ))
    .expect("static regex")
});

static PURPOSE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:为了|为)[^，,。]{4,}").expect("static regex"));

static LEADING_SOURCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^据[^，,。]{2,16}?(?:报道|消息)(?:称)?").expect("static regex"));

/// Strips a wire-service or byline preamble (and any photo caption before it) from the start
/// of an article's text: everything up to the last preamble mark near the start.
#[must_use]
pub fn strip_preamble(text: &str) -> &str {
    let mut reach = text.len().min(PREAMBLE_REACH);
    while !text.is_char_boundary(reach) {
        reach -= 1;
    }
    let mut cut = None;
    for m in PREAMBLE_MARK.find_iter(&text[..reach]) {
        let before = text[..m.start()].chars().last();
        let after = text[m.end()..].chars().next();
        let is_word = m.as_str().starts_with('讯')
            && (before.is_some_and(|c| matches!(c, '通' | '资' | '喜' | '音' | '短' | '视'))
                || after.is_some_and(|c| matches!(c, '员' | '息' | '录' | '号')));
        if !is_word && m.end() < text.len() {
            cut = Some(m.end());
        }
    }
    match cut {
        Some(at) => text[at..].trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '，' | ',' | '：' | ':')
        }),
        None => text,
    }
}

/// True for a clause that only says when, or who told the reporter.
fn is_filler(clause: &str) -> bool {
    let trimmed = clause.trim();
    !trimmed.is_empty() && FILLER_CLAUSE.is_match(trimmed)
}

/// Removes leading filler clauses and a leading time phrase glued to the first real clause.
#[must_use]
pub fn drop_leading_fillers(sentence: &str) -> String {
    let sentence = LEADING_SOURCE.replace(sentence, "");
    let clauses = split_clauses(&sentence);
    let mut start = 0;
    // `为进一步加强…,消除…,12月6日,桓台交警…`: a leading purpose runs up to the time clause
    // that opens the main clause; without one, only its first clause goes.
    if clauses.len() > 1 && PURPOSE.is_match(&clauses[0]) {
        start = clauses
            .iter()
            .skip(1)
            .position(|c| is_filler(c))
            .map_or(1, |p| p + 1);
    }
    let kept: Vec<&String> = clauses
        .iter()
        .skip(start)
        .skip_while(|c| is_filler(c))
        .collect();
    if kept.is_empty() {
        return sentence.into_owned();
    }
    kept.iter().map(|c| c.as_str()).collect::<Vec<_>>().concat()
}

/// Fits `sentence` into `budget` characters: whole clauses from the start while they fit
/// (preferring to stop once `soft` is reached), else the first clause cut at a word boundary
/// with an ellipsis. The result ends with a full stop when whole clauses were kept.
#[must_use]
pub fn fit_clauses(sentence: &str, soft: usize, budget: usize, segmenter: &Segmenter) -> String {
    let chinese = is_mostly_cjk(sentence);
    let clauses = split_clauses(sentence);
    let mut kept: Vec<&str> = Vec::new();
    let mut used = 0usize;
    for clause in &clauses {
        let length = char_len(clause);
        if kept.is_empty() {
            if length > budget {
                return cut_at_word(clause.trim(), budget, segmenter);
            }
        } else if used + length > budget || used >= soft || used + length > soft + soft / 3 {
            break;
        }
        kept.push(clause);
        used += length;
    }
    // Never stop on a clause that leans on the next one (`…在拐弯时,`, `而在饭局上,`): take
    // the clause it leads into when that still fits, or else leave it out.
    if kept.len() < clauses.len() && kept.last().is_some_and(|c| is_dependent(c)) {
        let next = clauses[kept.len()].as_str();
        if used + char_len(next) <= budget {
            kept.push(next);
        } else if kept.len() > 1 {
            kept.pop();
        }
    }
    close_sentence(kept.concat().trim_end(), chinese)
}

static DEPENDENT_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:而|但|但是|可是|然而|如果|若|假如|由于|因为|因|虽然|尽管|即使|只要|只有|为了|随着|当|在)").expect("static regex")
});
static DEPENDENT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:时|之时|时候|之际|上|后|之后|前|之前|中|期间|下|里)[,，;；:：]?$")
        .expect("static regex")
});

/// True for a clause that cannot end a summary: a connective opens it, or it is only a
/// time or place adverbial.
fn is_dependent(clause: &str) -> bool {
    let c = clause.trim();
    DEPENDENT_START.is_match(c) || DEPENDENT_END.is_match(c)
}

/// Ends a clause run as a sentence: a trailing comma or colon becomes a full stop.
fn close_sentence(text: &str, chinese: bool) -> String {
    if ends_sentence(text) {
        return text.to_owned();
    }
    let mut out: String = text
        .trim_end_matches(|c: char| is_clause_mark(c) || c == '、')
        .to_owned();
    out.push(if chinese { '。' } else { '.' });
    out
}

/// Cuts `text` at the last word boundary that leaves room for an ellipsis within `budget`.
fn cut_at_word(text: &str, budget: usize, segmenter: &Segmenter) -> String {
    let limit = budget.saturating_sub(1);
    let mut best = 0;
    for end in segmenter.word_ends(text) {
        if char_len(&text[..end]) <= limit {
            best = end;
        } else {
            break;
        }
    }
    let cut = text[..best]
        .trim_end_matches(|c: char| is_clause_mark(c) || c.is_whitespace() || c == '、');
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_preambles_are_stripped() {
        assert_eq!(
            strip_preamble("北京晨报讯（记者颜斐）年逾六旬的胡大爷遛弯时"),
            "年逾六旬的胡大爷遛弯时"
        );
        assert_eq!(
            strip_preamble("东北网5月23日讯(王作中 李会义 记者 刘嘉) 23日，记者从"),
            "23日，记者从"
        );
        assert_eq!(
            strip_preamble("本报记者刘涛 通讯员马媛报道 为使基层"),
            "为使基层"
        );
        assert_eq!(strip_preamble("贵阳网讯 1月29日来自"), "1月29日来自");
        assert_eq!(
            strip_preamble("年逾六旬的胡大爷遛弯时"),
            "年逾六旬的胡大爷遛弯时"
        );
        assert_eq!(
            strip_preamble("南宁晚报 记者 梁静 通讯员 孙晓梅 12月17日上午"),
            "南宁晚报 记者 梁静 通讯员 孙晓梅 12月17日上午"
        );
    }

    #[test]
    fn time_and_source_clauses_are_dropped() {
        assert_eq!(
            drop_leading_fillers("昨天上午,盐平塘大桥通车仪式举行。"),
            "盐平塘大桥通车仪式举行。"
        );
        assert_eq!(
            drop_leading_fillers("23日，记者从黑龙江省住建厅获悉，近日，启动会召开。"),
            "启动会召开。"
        );
        assert_eq!(
            drop_leading_fillers("11月28日,青溪港三期码头投入试运行。"),
            "青溪港三期码头投入试运行。"
        );
        assert_eq!(drop_leading_fillers("昨天上午,"), "昨天上午,");
    }

    #[test]
    fn clauses_fit_the_budget_and_close_as_a_sentence() {
        let s = Segmenter::new();
        let text = "盐平塘大桥位于金平湖大道上,于2022年10月开工建设,是林埭镇、乍浦镇等乡镇进入平湖市区的主要通道。";
        let fitted = fit_clauses(text, 30, 60, &s);
        assert_eq!(fitted, "盐平塘大桥位于金平湖大道上,于2022年10月开工建设。");
        let long = "全市上下一盘棋一条心一股劲创新奋进勇立潮头共同见证了平湖的发展蝶变这一年我们承压奋进勇争先在突破突围中体现平湖质效在经济下行预期转弱的大环境下迎难而上";
        let cut = fit_clauses(long, 40, 60, &s);
        assert!(char_len(&cut) <= 60 && cut.ends_with('…'), "{cut}");
        assert!(long.starts_with(cut.trim_end_matches('…')));
    }
}
