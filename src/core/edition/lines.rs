//! Splits a page into numbered lines and blocks, and says what each line looks like on its
//! own (a byline, a dateline, a weather line, a notice field, plain text). Deciding what a
//! line *is* in context belongs to `layout`.

use std::sync::LazyLock;

use regex::Regex;

mod closing_credits;
mod credit_lines;
mod forecast;

use closing_credits::closing_credit;
pub use closing_credits::{inline_photo_credit, trailing_credit};
pub(super) use credit_lines::classify_credit;
use forecast::{
    ENGLISH_HIGH_LOW, TEMPERATURE, WEATHER_EXTRA, WEATHER_HEADING, WEATHER_SOURCE,
    WEATHER_ZH_WORDS, ZH_DATED_FORECAST, ZH_FORECAST_FIELD, is_english_forecast, is_weather_line,
};

use super::MAX_LINE_CHARS;
use super::phones::extract_phones;
use super::{Credit, Language};
use crate::core::punctuation::{char_len, ends_sentence, is_mostly_cjk, is_sentence_end, trim_all};

/// What a line looks like on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind {
    /// `■记者 …`, `实习生 …`, `By …`: the people an article credits, and any employer
    /// printed with them (`By Tom Hale, Associated Press`).
    Byline(Vec<Credit>, Vec<String>),
    /// `■摄影 …`, `Photo by …`: the people a photo credits.
    PhotoCredit(Vec<String>),
    /// `（记者 王强 通讯员 李红）`: the people credited at the end of an article, in brackets
    /// (when the bracket wraps onto the next line, its people are read from both lines).
    ClosingCredit(Vec<Credit>),
    /// `李红）`: the rest of a bracketed closing credit the narrow column wrapped onto this
    /// line; it belongs with the credit on the line before.
    ClosingCreditTail,
    /// A body paragraph opening with `本报讯` or `TOWN —`.
    Dateline,
    /// `（上接第1版）`, `Continued from Page A1`: the article goes on from another page.
    JumpFrom,
    /// `（下转第3版）`, `See BUDGET, Page A6`: the article goes on on another page.
    JumpTo,
    /// `WEATHER`, `天气预报`: a heading over weather lines.
    WeatherHeading,
    /// A forecast line.
    Weather,
    /// A notice's title (`停水通知`, `PUBLIC NOTICE`).
    NoticeTitle,
    /// A contact field (`地址:`, `招生热线:`, `Tel:`).
    NoticeField,
    /// `友情提醒:…`, `温馨提示:…`.
    Reminder,
    /// Longer than [`MAX_LINE_CHARS`]; never read as prose.
    Overlong,
    /// Anything else: headlines, body text, captions.
    Text,
}

/// One non-empty input line.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based number in the input.
    pub no: usize,
    /// Index of the blank-line-separated block it sits in.
    pub block: usize,
    /// The line, trimmed.
    pub text: String,
    /// What it looks like.
    pub kind: LineKind,
    /// Printed with a leading indent (`　　`, or two spaces or more), which some dump tools
    /// leave as the only mark of a new paragraph.
    pub indented: bool,
}

impl Line {
    /// Number of characters.
    pub fn chars(&self) -> usize {
        char_len(&self.text)
    }

    /// Short enough, and unpunctuated enough, to be a headline or title. A comma inside is
    /// fine (`凌晨四点，他们让城市醒来`, `Small hands, big parade`) in a line short enough for a
    /// headline; a line ending on a comma or colon leads into more text.
    pub fn is_title_like(&self) -> bool {
        let comma_limit = if is_mostly_cjk(&self.text) { 30 } else { 90 };
        self.kind == LineKind::Text
            && self.chars() <= 64
            && !ends_sentence(&self.text)
            && (!self.text.contains([',', '，']) || self.chars() <= comma_limit)
            && !self.text.ends_with([',', '，', ':', '：', ';', '；', '、'])
    }
}

/// Splits `text` into its non-empty lines, numbered from 1, each with its block index and kind.
pub fn split_lines(text: &str, language: Language) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut block = 0usize;
    let mut in_blank = true;
    let mut after_weather_heading = false;
    for (i, raw) in text.lines().enumerate() {
        let whole = trim_all(raw);
        if whole.is_empty() {
            if !in_blank {
                block += 1;
            }
            in_blank = true;
            continue;
        }
        in_blank = false;
        for trimmed in split_overlong(whole) {
            let mut kind = classify(trimmed, language);
            if after_weather_heading
                && kind == LineKind::Text
                && (is_english_forecast(trimmed)
                    || ((WEATHER_EXTRA.is_match(trimmed) || ZH_FORECAST_FIELD.is_match(trimmed))
                        && char_len(trimmed) <= 60)
                    || (WEATHER_SOURCE.is_match(trimmed) && char_len(trimmed) <= 20)
                    || (ENGLISH_HIGH_LOW.is_match(trimmed) && char_len(trimmed) <= 160)
                    || (ZH_DATED_FORECAST.is_match(trimmed)
                        && TEMPERATURE.is_match(trimmed)
                        && WEATHER_ZH_WORDS.is_match(trimmed)
                        && char_len(trimmed) <= 40))
            {
                kind = LineKind::Weather;
            }
            after_weather_heading = match kind {
                LineKind::WeatherHeading => true,
                LineKind::Weather => after_weather_heading,
                _ => false,
            };
            out.push(Line {
                no: i + 1,
                block,
                text: trimmed.to_owned(),
                kind,
                indented: is_indented(raw) && trimmed.as_ptr() == whole.as_ptr(),
            });
        }
    }
    closing_credits::join_wrapped_credits(&mut out);
    unlabel_wrapped_prose(&mut out);
    out
}

/// `…照片请注明拍摄时间和地点。投稿` / `邮箱：jt@jtrb.cn，截稿日期为…`: a line that opens with a
/// label only because a paragraph wrapped there continues that paragraph; it is not a
/// contact field.
fn unlabel_wrapped_prose(lines: &mut [Line]) {
    for i in 1..lines.len() {
        let (prev, line) = (&lines[i - 1], &lines[i]);
        let continues = prev.kind == LineKind::Text
            && prev.block == line.block
            && !ends_sentence(&prev.text)
            && prev.text.contains(['，', '。', '；']);
        if line.kind == LineKind::NoticeField && continues {
            lines[i].kind = LineKind::Text;
        }
    }
}

/// `　　本报讯…`, `  The council…`: a line opening with an ideographic space or two spaces.
fn is_indented(raw: &str) -> bool {
    let raw = raw.trim_start_matches('\u{FEFF}');
    raw.starts_with('\u{3000}') || raw.starts_with("  ") || raw.starts_with('\t')
}

/// Pieces of a line no longer than [`MAX_LINE_CHARS`] (a web page or dump with no line
/// breaks): cut after the last sentence end before [`OVERLONG_PIECE_CHARS`], else at the last
/// space, else there; nothing is dropped.
fn split_overlong(line: &str) -> Vec<&str> {
    if char_len(line) <= MAX_LINE_CHARS {
        return vec![line];
    }
    let mut pieces = Vec::new();
    let mut rest = line;
    while char_len(rest) > OVERLONG_PIECE_CHARS {
        let window_end = rest
            .char_indices()
            .nth(OVERLONG_PIECE_CHARS)
            .map_or(rest.len(), |(at, _)| at);
        let window = &rest[..window_end];
        let cut = window
            .char_indices()
            .rev()
            .find(|&(_, c)| is_sentence_end(c))
            .map(|(at, c)| at + c.len_utf8())
            .or_else(|| window.rfind(char::is_whitespace))
            .filter(|&at| at > 0)
            .unwrap_or(window_end);
        let piece = trim_all(&rest[..cut]);
        if !piece.is_empty() {
            pieces.push(piece);
        }
        rest = &rest[cut..];
    }
    let last = trim_all(rest);
    if !last.is_empty() {
        pieces.push(last);
    }
    pieces
}

/// The size over-long lines are cut to: a long paragraph, well under the prose limit.
const OVERLONG_PIECE_CHARS: usize = 4_000;

static DATELINE_ZH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(本报讯|【本报讯】|本报[^\s,，。:：【】]{1,8}电|新华社[^\s,，。:：【】]{1,16}电|[^\s,，。:：【】“”]{1,12}(?:报|网|日|社)讯)")
        .expect("static regex")
});
static DATELINE_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Z][A-Z.' ]{1,30}[A-Z.])(?:,\s*[A-Z][A-Za-z.]{1,12})?(?:\s*\((?:AP|Reuters|AFP|UPI|Bloomberg|Xinhua|CNS)\))?\s*(?:—|–|--)\s*\S")
        .expect("static regex")
});
static NOTICE_TITLE_ZH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(通知|公告|通告|启事|启示|声明|告示|公示|须知|告知书|告市民书|活动预告)$|^(?:更正|更正声明|致歉声明|讣告)$|^(?:诚聘|急聘|高薪诚聘)\p{Han}{0,4}$|^(?:招聘|招工|招租)(?:信息)?$")
        .expect("static regex")
});
static NOTICE_TITLE_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:((public|legal|official)\s+)?notice\b.*|.*\bnotices?|.*\b(announcements?|advisory)|invitation (to|for) bids?|request for (proposals|bids|qualifications)|notice to bidders|help wanted|lost (and|&) found|lost|found|for sale|for rent|wanted|classifieds?|public auction|auction|estate sale|garage sale|yard sale|obituar(y|ies)|in memoriam|legals?|corrections?|clarifications?)$")
        .expect("static regex")
});
/// A contact field: the label names a phone, an address or a way to write.
static NOTICE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:\p{Han}{0,4}(?:电话|热线|手机|地址|联系人|联系方式|邮箱|传真|网址|微信|门店|店址|营业时间)",
        r"|(?i:tel|telephone|phone|fax|e-?mail|address|contact|call|questions|information|info|hotline|website|web)(?:\s+\w+){0,2}",
        r")\s*[:：]",
    ))
    .expect("static regex")
});
static REMINDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(友情提醒|友情提示|温馨提示|温馨提醒|特别提醒|提醒|(?i:(?:friendly |gentle |a )?reminder|tip|please note))\s*[:：]",
    )
    .expect("static regex")
});
/// Where an article jumps from or to another page.
static JUMP_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[(（]\s*(?:上接|接)第?\s*[A-Z]?\d+\s*版\s*[)）]|(?i:\(?(?:continued|[\p{L} ]{1,30},?) from page [a-z]?\d+\)?)\.?)$")
        .expect("static regex")
});
static JUMP_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[(（]\s*(?:下转|转)第?\s*[A-Z]?\d+\s*版\s*[)）]|(?i:\(?(?:continued on|(?:please )?see [\p{L} ]{1,30},)\s+(?:page\s+)?[a-z]?\d+\)?)\.?)$")
        .expect("static regex")
});
/// A lone all-capitals line: in English pages, the title of a notice or an obituary when
/// prose follows it (`YOUTH BASKETBALL REGISTRATION`, `MARGARET L. HALVORSEN`).
pub static CAPS_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z][A-Z0-9 .,&'’-]{2,40}$").expect("static regex"));

/// Says what one trimmed, non-empty line looks like on its own.
pub fn classify(text: &str, language: Language) -> LineKind {
    let chars = char_len(text);
    if chars > MAX_LINE_CHARS {
        return LineKind::Overlong;
    }
    if let Some((_, names)) = inline_photo_credit(text) {
        return LineKind::PhotoCredit(names);
    }
    if let Some(kind) = classify_credit(text, chars) {
        return kind;
    }
    if let Some(credits) = closing_credit(text) {
        return LineKind::ClosingCredit(credits);
    }
    if chars <= 40 && JUMP_FROM.is_match(text) {
        return LineKind::JumpFrom;
    }
    if chars <= 40 && JUMP_TO.is_match(text) {
        return LineKind::JumpTo;
    }
    if DATELINE_ZH.is_match(text) && chars > 12 {
        return LineKind::Dateline;
    }
    // `PUBLIC EXHIBITION – DRAFT PLAN`: a heading in capitals, not a dateline over prose.
    let prose_after = text.chars().any(|c| c.is_lowercase());
    if language == Language::En && DATELINE_EN.is_match(text) && chars > 30 && prose_after {
        return LineKind::Dateline;
    }
    if chars <= 24 && WEATHER_HEADING.is_match(text) {
        return LineKind::WeatherHeading;
    }
    if is_weather_line(text, chars) {
        return LineKind::Weather;
    }
    if REMINDER.is_match(text) && chars <= 200 {
        return LineKind::Reminder;
    }
    if (NOTICE_FIELD.is_match(text) && chars <= 200) || is_contact_line(text, chars) {
        return LineKind::NoticeField;
    }
    if !ends_sentence(text) {
        let is_title = match language {
            Language::Zh => {
                // `讣　告`: a short title spaced out by the layout.
                let compact: String = text
                    .chars()
                    .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
                    .collect();
                // `鹤汀县2027年第一批新增城乡居民最低生活保障对象公示`: a long title ending in 公示.
                (chars <= 24
                    || (chars <= 40 && (text.starts_with("关于") || text.ends_with(['示', '告']))))
                    && (NOTICE_TITLE_ZH.is_match(text)
                        || (chars <= 8 && NOTICE_TITLE_ZH.is_match(&compact)))
            }
            // `NOTICE IS HEREBY GIVEN that the Planning Com-` opens a notice's text.
            Language::En => {
                chars <= 60
                    && NOTICE_TITLE_EN.is_match(text)
                    && !text.ends_with(['-', ',', ';'])
                    && !text.to_lowercase().starts_with("notice is hereby")
            }
        };
        if is_title {
            return LineKind::NoticeTitle;
        }
    }
    LineKind::Text
}

/// A short line that is mostly a phone number, with a few words of label or none:
/// `Call (555) 388-2100`, `(555) 388-4010`, `Enroll today: (555) 640-2288`.
fn is_contact_line(text: &str, chars: usize) -> bool {
    if chars > 60 || ends_sentence(text) {
        return false;
    }
    let phones = extract_phones(text);
    if phones.is_empty() {
        return false;
    }
    let label = phones
        .iter()
        .fold(text.to_owned(), |rest, p| rest.replacen(p.as_str(), "", 1));
    char_len(label.trim()) <= 24
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> LineKind {
        classify(text, Language::Zh)
    }

    #[test]
    fn an_overlong_line_is_cut_at_sentence_ends_and_nothing_is_lost() {
        let sentence = "嘉兴市今年新建的大桥昨天正式通车，市民纷纷前往参观。";
        let line = sentence.repeat(1_000); // 26,000 characters, no line break
        let lines = split_lines(&format!("大桥通车\n\n{line}\n"), Language::Zh);
        let body: Vec<&Line> = lines.iter().skip(1).collect();
        assert!(body.len() > 1, "cut into pieces");
        assert!(
            body.iter()
                .all(|l| l.kind != LineKind::Overlong && l.chars() <= 4_000)
        );
        assert!(
            body.iter().all(|l| l.text.ends_with('。')),
            "cut at sentence ends"
        );
        let joined: String = body.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined, line);
        let unbroken = "字".repeat(30_000);
        let pieces = split_overlong(&unbroken);
        assert_eq!(
            pieces.concat(),
            unbroken,
            "no sentence end: cut anyway, keep all"
        );
    }

    #[test]
    fn bylines_and_photo_credits_are_told_apart() {
        assert!(matches!(kind("■记者 荣怡婷"), LineKind::Byline(..)));
        assert!(matches!(kind("实习生 汤书睿"), LineKind::Byline(..)));
        assert_eq!(
            kind("■摄影 王强 纪亚千"),
            LineKind::PhotoCredit(vec!["王强".into(), "纪亚千".into()])
        );
        assert_eq!(
            kind("■摄影 记者 王 强"),
            LineKind::PhotoCredit(vec!["王强".into()])
        );
    }

    #[test]
    fn body_text_that_mentions_a_reporter_is_not_a_byline() {
        assert_eq!(
            kind("记者从市数据局获悉,平台上线一年来累计办件突破102万件。"),
            LineKind::Text
        );
    }

    #[test]
    fn a_bracketed_credit_closes_its_article() {
        assert!(matches!(
            kind("（记者 王强 通讯员 李红）"),
            LineKind::ClosingCredit(c) if c.len() == 2 && c[1].role == "通讯员"
        ));
        assert!(!matches!(kind("（上接第1版）"), LineKind::ClosingCredit(_)));
        assert!(!matches!(
            kind("（图片由受访者提供）"),
            LineKind::ClosingCredit(_)
        ));
        let page = "青溪日报\n\n城南大桥明日通车\n\n本报讯 经过两年建设，城南大桥将于明日上午正式通车。\n\n（记者 王强 通讯员 李红）\n\n老街改造完工\n\n■记者 张敏\n\n本报讯 历时半年的老街改造工程昨天完工。\n";
        let edition = crate::core::edition::parse_edition(page).expect("reads");
        assert_eq!(edition.articles[0].reporters, ["王强", "李红"]);
        assert_eq!(edition.articles[1].reporters, ["张敏"]);
        assert_eq!(edition.articles[1].kicker, None);
        // Wrapped across two lines: both owned by the article it closes, and the next
        // article's head is not taken for a kicker.
        let wrapped = page.replace("通讯员 李红）", "通讯员\n李红）");
        let edition = crate::core::edition::parse_edition(&wrapped).expect("reads");
        assert_eq!(edition.articles[0].reporters, ["王强", "李红"]);
        assert!(
            edition.articles[0].lines.contains(&8),
            "{:?}",
            edition.articles[0].lines
        );
        assert_eq!(edition.articles[1].title, "老街改造完工");
        assert_eq!(edition.articles[1].kicker, None);
        assert!(edition.unclassified.is_empty());
    }

    #[test]
    fn a_weather_box_keeps_its_extras_printed_without_a_colon() {
        let page = "THE LEDGER\n\nWEATHER\nToday: Sunny. High 58. Low 41.\nHumidity 40%. Sunrise 7:02 a.m.\n";
        let edition = crate::core::edition::parse_edition(page).expect("reads");
        assert!(edition.weather.is_some());
        assert!(
            edition.unclassified.is_empty(),
            "{:?}",
            edition.unclassified
        );
    }

    #[test]
    fn dateline_weather_and_notice_lines_are_recognised() {
        assert_eq!(
            kind("本报讯 昨天上午,全市人居环境全域秀美现场推进会召开。"),
            LineKind::Dateline
        );
        assert_eq!(
            kind(
                "今天多云到晴,早晨有雾。明天阴到多云偶有小雨,偏东风3级。今天白天最高气温14℃,明天早晨最低气温6℃。"
            ),
            LineKind::Weather
        );
        assert_eq!(
            kind("县气象台预报：今天多云，5℃~13℃，偏北风2～3级；明天晴，4℃~15℃。"),
            LineKind::Weather
        );
        assert_eq!(
            kind("招生热线:8508171(微信同号) 8508780(备用)"),
            LineKind::NoticeField
        );
        assert_eq!(kind("友情提醒:关注天气,注意交通安全"), LineKind::Reminder);
        assert_eq!(kind("停水通知"), LineKind::NoticeTitle);
        assert_eq!(kind("诚聘"), LineKind::NoticeTitle);
        assert_eq!(kind("招聘会吸引千人参加"), LineKind::Text);
        assert_eq!(kind("共富项目 丰收了"), LineKind::Text);
    }

    #[test]
    fn a_credit_ending_in_she_is_a_photo_credit() {
        assert_eq!(
            kind("本报记者 柏青 摄"),
            LineKind::PhotoCredit(vec!["柏青".into()])
        );
        assert_eq!(
            kind("（记者 王强 摄）"),
            LineKind::PhotoCredit(vec!["王强".into()])
        );
    }

    #[test]
    fn a_short_line_that_is_mostly_a_phone_is_a_contact_field() {
        let en = |t| classify(t, Language::En);
        assert_eq!(en("Call (555) 388-2100"), LineKind::NoticeField);
        assert_eq!(en("(555) 388-4010"), LineKind::NoticeField);
        assert_eq!(en("Enroll today: (555) 640-2288"), LineKind::NoticeField);
        assert_eq!(
            en("Residents can call 555-201-4400 to ask about the new routes."),
            LineKind::Text
        );
    }

    #[test]
    fn jump_lines_are_told_from_prose() {
        let en = |t| classify(t, Language::En);
        assert_eq!(kind("（下转第3版）"), LineKind::JumpTo);
        assert_eq!(kind("(转A4版)"), LineKind::JumpTo);
        assert_eq!(kind("（上接第1版）"), LineKind::JumpFrom);
        assert_eq!(en("See BUDGET, Page A6"), LineKind::JumpTo);
        assert_eq!(en("Please see BUDGET, A6"), LineKind::JumpTo);
        assert_eq!(en("Continued on Page 3"), LineKind::JumpTo);
        assert_eq!(en("Continued from Page A1"), LineKind::JumpFrom);
        assert_eq!(
            en("The story continued on page after page of testimony."),
            LineKind::Text
        );
    }

    #[test]
    fn bylines_without_a_person_still_anchor_an_article() {
        let en = |t| classify(t, Language::En);
        assert!(matches!(en("From staff reports"), LineKind::Byline(c, _) if c.is_empty()));
        assert!(matches!(
            kind("文/张敏 图/刘洋"),
            LineKind::Byline(c, _) if c.len() == 2 && c[0].name == "张敏" && c[1].role == "图"
        ));
        assert!(matches!(
            en("By Ann Lee | Staff Writer"),
            LineKind::Byline(c, a) if c.len() == 1 && c[0].name == "Ann Lee" && a == ["Staff Writer"]
        ));
        assert!(matches!(en("By The Associated Press"), LineKind::Byline(c, _) if c.is_empty()));
        assert!(
            matches!(en("BY JOSÉ RAMÍREZ AND KIM O'NEILL"), LineKind::Byline(c, _) if c.len() == 2)
        );
    }

    #[test]
    fn blocks_count_blank_line_runs_once() {
        let lines = split_lines("a\n\n\nb\nc\n\nd", Language::Zh);
        let blocks: Vec<usize> = lines.iter().map(|l| l.block).collect();
        assert_eq!(blocks, vec![0, 1, 1, 2]);
        assert_eq!(lines[3].no, 7);
    }

    #[test]
    fn a_dash_and_a_name_closing_a_brief_credits_it() {
        let kind = classify("— Marisol Ventura", Language::En);
        assert!(
            matches!(&kind, LineKind::ClosingCredit(credits) if credits[0].name == "Marisol Ventura"),
            "{kind:?}"
        );
    }

    #[test]
    fn a_closing_credit_wrapped_across_two_lines_is_read_from_both() {
        for text in [
            "正文。\n（记者 王强 通讯员\n李红）\n",
            "正文。\n（记者 王强 通讯员\n\n李红）\n",
            "Body.\n(By Ann Lee and\nTom Hale)\n",
        ] {
            let lines = split_lines(text, Language::Zh);
            let kinds: Vec<&LineKind> = lines.iter().map(|l| &l.kind).collect();
            match kinds[1] {
                LineKind::ClosingCredit(c) => assert_eq!(c.len(), 2, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
            assert_eq!(*kinds[2], LineKind::ClosingCreditTail, "{text}");
        }
        // A bracket that a line of prose closes is not a credit.
        let lines = split_lines("（据新华社\n电）\n", Language::Zh);
        assert!(lines.iter().all(|l| l.kind == LineKind::Text));
    }

    #[test]
    fn a_forecast_printed_one_line_per_day_is_weather_under_its_heading_only() {
        let page = "未来三天天气\n4月3日\u{3000}小雨\u{3000}7-13℃\n4月4日\u{3000}阴转多云\u{3000}8-16℃\n4月5日\u{3000}晴\u{3000}10-19℃\n";
        let kinds: Vec<LineKind> = split_lines(page, Language::Zh)
            .into_iter()
            .map(|l| l.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                LineKind::WeatherHeading,
                LineKind::Weather,
                LineKind::Weather,
                LineKind::Weather
            ]
        );
        let edition = crate::core::edition::parse_edition(page).expect("reads");
        let weather = edition.weather.expect("weather");
        assert_eq!(
            (weather.low_c, weather.high_c),
            (Some(7.0), Some(13.0)),
            "the first day's"
        );
        // Without a heading, a dated sentence is prose.
        assert_eq!(
            kind("4月3日，小雨中气温降至7℃，市民出行需注意保暖。"),
            LineKind::Text
        );
    }

    #[test]
    fn captions_closing_with_their_credit_in_every_form() {
        for (text, name) in [
            ("小旅客在“爱心驿站”画春联。（通讯员　伍思远　摄）", "伍思远"),
            ("学生在田间体验插秧。　　　通讯员 闵一舟 摄", "闵一舟"),
            ("执法人员对蔬菜进行农残快检。本报记者　喻　澄　摄", "喻澄"),
            ("社区代表在纪念碑前敬献花圈。（摄影：何伟光）", "何伟光"),
        ] {
            let (end, names) = inline_photo_credit(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(names, [name], "{text}");
            assert!(text[..end].ends_with('。'), "{text}");
        }
        assert!(inline_photo_credit("他说：“项目已完工。”（记者 王强）").is_none());
        assert_eq!(kind("讣　告"), LineKind::NoticeTitle);
        assert_eq!(
            kind("图/通讯员　严晓峰"),
            LineKind::PhotoCredit(vec!["严晓峰".to_owned()])
        );
    }
}
