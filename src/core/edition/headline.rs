//! Splits a printed headline (one or more lines, parts separated by spaces) into the main
//! title, a kicker above it and a subtitle below it.
//!
//! The main title is the part that tells the news the lead paragraph tells, so each part is
//! scored by how many of its character pairs the lead repeats. Couplets of two short parallel
//! phrases (`走进一扇门 诉求一站清`) are slogan-like and only win when nothing else is left.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::Language;
use crate::core::punctuation::{char_len, is_cjk};

/// A headline split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadlineParts {
    /// The main headline.
    pub title: String,
    /// Parts printed before the main headline.
    pub kicker: Option<String>,
    /// Parts printed after the main headline.
    pub subtitle: Option<String>,
}

impl HeadlineParts {
    /// Every part other than the title, in print order.
    pub fn secondary(&self) -> Option<String> {
        match (&self.kicker, &self.subtitle) {
            (Some(k), Some(s)) => Some(format!("{k} {s}")),
            (Some(k), None) => Some(k.clone()),
            (None, Some(s)) => Some(s.clone()),
            (None, None) => None,
        }
    }
}

/// One unit of a headline: a single part, or a couplet of two parallel parts.
struct Unit {
    text: String,
    couplet: bool,
}

/// Splits `lines` (the headline as printed) into title, kicker and subtitle, using `lead`
/// (the article's first paragraph) to decide which part is the main title.
pub fn split_headline(lines: &[&str], lead: &str, language: Language) -> HeadlineParts {
    let joined = join_wrapped_lines(lines, language);
    let lines: Vec<&str> = joined.iter().map(String::as_str).collect();
    let units = units_of(&lines, language);
    if units.len() <= 1 {
        return HeadlineParts {
            title: units.into_iter().next().map(|u| u.text).unwrap_or_default(),
            kicker: None,
            subtitle: None,
        };
    }
    // `Seniors' flu clinic moves to community centre` over `长者流感疫苗接种点迁至华人社区中心`
    // on a Chinese page: the English headline is printed first, its translation is the deck.
    if language == Language::Zh
        && units[0].text.is_ascii()
        && units[0].text.split_whitespace().count() >= 3
        && units[1..].iter().any(|u| u.text.chars().any(is_cjk))
    {
        let rest: Vec<&str> = units[1..].iter().map(|u| u.text.as_str()).collect();
        return HeadlineParts {
            title: units[0].text.clone(),
            kicker: None,
            subtitle: Some(rest.join(" ")),
        };
    }
    let lead_pairs = char_pairs(lead);
    let any_plain = units.iter().any(|u| !u.couplet);
    let mut best = 0usize;
    let mut best_score = f64::MIN;
    // English papers print the headline first and its deck below; a line above it in capitals
    // is a kicker. So the first line not in capitals is the title.
    if language == Language::En
        && let Some(first) = units.iter().position(|u| !is_all_capitals(&u.text))
    {
        let join = |us: &[Unit]| {
            let texts: Vec<&str> = us.iter().map(|u| u.text.as_str()).collect();
            (!texts.is_empty()).then(|| texts.join(" "))
        };
        return HeadlineParts {
            title: units[first].text.clone(),
            kicker: join(&units[..first]),
            subtitle: join(&units[first + 1..]),
        };
    }
    for (i, unit) in units.iter().enumerate() {
        let mut score = overlap(&unit.text, &lead_pairs);
        if unit.couplet && any_plain {
            score -= 1.0;
        }
        // `——全程票价4元` is printed as a subtitle (副题): never the main title.
        if is_dash_subtitle(&unit.text) && units.iter().any(|u| !is_dash_subtitle(&u.text)) {
            score -= 2.0;
        }
        // `县政务服务中心上线综合受理窗口，平均办件时间缩短四成`: a long part made of clauses
        // is a deck, when a plain part stands beside it.
        let clause = |t: &str| t.contains(['，', ',']) && char_len(t) > 20;
        if clause(&unit.text) && units.iter().any(|u| !clause(&u.text)) {
            score -= 0.5;
        }
        // `春耕备耕`, `市运会` over the headline: a label of a few characters is a kicker,
        // however much of the lead repeats it.
        if char_len(&unit.text) <= 4 && units.iter().any(|u| char_len(&u.text) >= 8) {
            score -= 0.5;
        }
        // Ties go to the longer part: a main headline carries more than its kicker.
        score += char_len(&unit.text) as f64 / 10_000.0;
        if score > best_score {
            best_score = score;
            best = i;
        }
    }
    let join = |us: &[Unit]| {
        let texts: Vec<&str> = us.iter().map(|u| u.text.as_str()).collect();
        (!texts.is_empty()).then(|| texts.join(" "))
    };
    HeadlineParts {
        title: units[best].text.clone(),
        kicker: join(&units[..best]),
        subtitle: join(&units[best + 1..]),
    }
}

/// A headline the column was too narrow for goes on onto the next line: `我县启动春季植树` /
/// `造林行动`, `Commissioners approve budget with` / `new money for rural roads`. Such lines
/// are one headline, joined (Chinese without a space); a deck is a line of its own.
fn join_wrapped_lines(lines: &[&str], language: Language) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        match out.last_mut() {
            Some(above) if wraps_onto(above, line, language) => {
                if language != Language::Zh {
                    above.push(' ');
                }
                above.push_str(line.trim());
            }
            _ => out.push(line.trim().to_owned()),
        }
    }
    out
}

/// A Chinese headline line ending on a verb that takes an object (`…开展`, `…推进`).
static OPEN_VERB_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:开展|推进|实施|举行|举办|召开|发布|出台|部署|打造|推出|组织|启动|签署|印发)$")
        .expect("static regex")
});

/// A Chinese headline line opening with a predicate: a time word or a verb of arrival,
/// opening or staging (`下月起…`, `周末在大剧院上演`, `亮相省农博会`).
static PREDICATE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:下月|本月|下周|本周|今年|明年|年内|年底|周末|今起|即日起|日前|近日|昨天|昨日|今天|今日|明天|明日|亮相|迎来|获评|荣获|入选|登上|走进|落户|上演|开幕|启动|开工|完工|投用|通车|开通|上线|正式|首次|再次|将)")
        .expect("static regex")
});

/// True when headline line `below` finishes the phrase `above` started.
fn wraps_onto(above: &str, below: &str, language: Language) -> bool {
    if language == Language::Zh {
        let plain =
            |t: &str| !t.contains([' ', '\u{3000}']) && !t.contains(['，', '：', '！', '？']);
        let (a, b) = (char_len(above), char_len(below));
        let short_tail = b <= 6 && a >= b + 2;
        // `县人大常委会开展` / `农村饮用水安全专题视察`, `青潭港至舟屿航线` / `下月起加密至每天六班`:
        // the first line stops on a verb awaiting its object, or the second opens with the
        // predicate (a time word or a verb) of the first line's subject.
        let split_phrase =
            // (A kicker, `关注中考`, is shorter than a subject cut off.)
            (OPEN_VERB_END.is_match(above) || PREDICATE_START.is_match(below))
                && a >= 6
                && a + b <= 24;
        return plain(above)
            && plain(below)
            && !is_dash_subtitle(below)
            && (short_tail || split_phrase);
    }
    // A deck starts a sentence of its own; the rest of a headline does not.
    below.starts_with(|c: char| c.is_lowercase())
}

fn units_of(lines: &[&str], language: Language) -> Vec<Unit> {
    let mut units = Vec::new();
    for line in lines {
        // A dashed subtitle stays whole: `——600余家商户参展　发放消费券500万元`.
        if language == Language::En || !line.chars().any(is_cjk) || is_dash_subtitle(line) {
            units.push(Unit {
                text: (*line).to_owned(),
                couplet: false,
            });
            continue;
        }
        let parts: Vec<&str> = line
            .split([' ', '\u{3000}'])
            .filter(|p| !p.is_empty())
            .collect();
        // `寒潮来袭　菜价“稳”字当头`: a four-character lead-in set off by a wide space on the
        // headline's own line is read with it, as one headline (`夜市重开 老街烟火气回来了`,
        // with a plain space, stays a title and its subtitle).
        if let [lead_in, rest] = parts.as_slice()
            && line.contains('\u{3000}')
            && char_len(lead_in) <= 4
            && char_len(rest) >= 2 * char_len(lead_in)
            && !is_couplet(lead_in, rest)
        {
            units.push(Unit {
                text: (*line).to_owned(),
                couplet: false,
            });
            continue;
        }
        let mut i = 0;
        while i < parts.len() {
            if i + 1 < parts.len() && is_couplet(parts[i], parts[i + 1]) {
                units.push(Unit {
                    text: format!("{} {}", parts[i], parts[i + 1]),
                    couplet: true,
                });
                i += 2;
            } else {
                units.push(Unit {
                    text: parts[i].to_owned(),
                    couplet: false,
                });
                i += 1;
            }
        }
    }
    if units.len() > 1 && units.iter().all(|u| u.couplet) {
        // A headline made only of couplets: the whole thing is the title.
        let text = units
            .iter()
            .map(|u| u.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        return vec![Unit {
            text,
            couplet: false,
        }];
    }
    units
}

/// `HOLIDAY TRADITIONS`: letters, all of them capitals.
fn is_all_capitals(text: &str) -> bool {
    // Chinese has no case: `长者中心新春送暖` over an English deck is a headline, not a kicker.
    text.chars().any(char::is_uppercase) && !text.chars().any(char::is_lowercase)
}

/// A part that opens with a dash, as subtitles under a headline are printed.
pub(crate) fn is_dash_subtitle(text: &str) -> bool {
    text.starts_with(['—', '─', '－']) || text.starts_with("--")
}

/// Two short phrases of equal length with no figures: a parallel couplet.
fn is_couplet(a: &str, b: &str) -> bool {
    let (la, lb) = (char_len(a), char_len(b));
    la == lb && (3..=8).contains(&la) && !a.chars().chain(b.chars()).any(|c| c.is_ascii_digit())
}

fn char_pairs(text: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Share of `part`'s character pairs that the lead also has.
fn overlap(part: &str, lead: &HashSet<(char, char)>) -> f64 {
    let pairs = char_pairs(part);
    if pairs.is_empty() {
        return 0.0;
    }
    pairs.iter().filter(|p| lead.contains(p)).count() as f64 / pairs.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(lines: &[&str], lead: &str) -> (String, Option<String>, Option<String>) {
        let h = split_headline(lines, lead, Language::Zh);
        (h.title, h.kicker, h.subtitle)
    }

    #[test]
    fn a_headline_wrapped_over_two_lines_is_one_title() {
        for (lines, title) in [
            (
                &["我县启动春季植树", "造林行动"][..],
                "我县启动春季植树造林行动",
            ),
            (
                &["县人大常委会开展", "农村饮用水安全专题视察"][..],
                "县人大常委会开展农村饮用水安全专题视察",
            ),
            (
                &["青潭港至舟屿航线", "下月起加密至每天六班"][..],
                "青潭港至舟屿航线下月起加密至每天六班",
            ),
        ] {
            let parts = split_headline(lines, "", Language::Zh);
            assert_eq!(parts.title, title);
        }
        let parts = split_headline(
            &[
                "Commissioners approve budget with",
                "new money for rural roads",
            ],
            "",
            Language::En,
        );
        assert_eq!(
            parts.title,
            "Commissioners approve budget with new money for rural roads"
        );
        // A kicker and a deck stay apart.
        let (title, kicker, _) = split(
            &["关注中考", "今年中考体育新增游泳选考项目"],
            "今年中考体育新增游泳选考项目。",
        );
        assert_eq!(
            (title.as_str(), kicker.as_deref()),
            ("今年中考体育新增游泳选考项目", Some("关注中考"))
        );
        let (title, _, subtitle) = split(
            &["盐平塘大桥昨日通车", "比原计划提前10个月"],
            "盐平塘大桥昨日通车。",
        );
        assert_eq!(
            (title.as_str(), subtitle.as_deref()),
            ("盐平塘大桥昨日通车", Some("比原计划提前10个月"))
        );
    }

    #[test]
    fn kicker_before_the_news() {
        let (title, kicker, subtitle) = split(
            &["奋力打造中国式现代化的金平湖璀璨明珠 各界人士新年茶话会举行"],
            "昨天下午,全市各界人士新年茶话会举行。",
        );
        assert_eq!(title, "各界人士新年茶话会举行");
        assert_eq!(
            kicker.as_deref(),
            Some("奋力打造中国式现代化的金平湖璀璨明珠")
        );
        assert_eq!(subtitle, None);
    }

    #[test]
    fn subtitle_after_the_news() {
        let (title, kicker, subtitle) = split(
            &["盐平塘大桥昨日通车 比原计划提前10个月"],
            "昨天上午,浙北集装箱通道平湖段盐平塘大桥通车仪式举行",
        );
        assert_eq!(title, "盐平塘大桥昨日通车");
        assert_eq!(kicker, None);
        assert_eq!(subtitle.as_deref(), Some("比原计划提前10个月"));
    }

    #[test]
    fn couplet_is_never_the_main_title_when_a_plain_part_exists() {
        let (title, kicker, _) = split(
            &["精准发现问题 靶向落实整改 平湖“六维指标”巡察新模式提升基层治理新效能"],
            "“以前塘南侧水坑垃圾遍地,大家都要绕道走。”",
        );
        assert_eq!(title, "平湖“六维指标”巡察新模式提升基层治理新效能");
        assert_eq!(kicker.as_deref(), Some("精准发现问题 靶向落实整改"));
    }

    #[test]
    fn two_line_headline_with_kicker_line() {
        let (title, kicker, _) = split(
            &[
                "走进一扇门 诉求一站清",
                "平湖升级企业综合服务中心为政务服务“增值”",
            ],
            "“企业需要什么,我们就给什么。”日前,平湖市企业综合服务中心正式挂牌成立",
        );
        assert_eq!(title, "平湖升级企业综合服务中心为政务服务“增值”");
        assert_eq!(kicker.as_deref(), Some("走进一扇门 诉求一站清"));
    }

    #[test]
    fn english_headline_lines_are_not_split_on_spaces() {
        let h = split_headline(
            &["Bridge reopens ahead of schedule"],
            "The bridge reopened.",
            Language::En,
        );
        assert_eq!(h.title, "Bridge reopens ahead of schedule");
    }
}
