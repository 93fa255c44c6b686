//! The dateline opening an article's first paragraph (`本报讯`, `本报12月6日讯`, `新华社北京
//! 12月5日电`, `TOWN —`) and the credits printed inside or after it.

use std::sync::LazyLock;

use regex::Regex;

use crate::core::edition::byline::parse_credits;
use crate::core::edition::{Credit, Language};

static DATELINE_PREFIX_ZH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(本报讯|【本报讯】|本报[^\s,，。:：(（]{1,8}电|新华社[^\s,，。:：(（]{1,16}电|[^\s,，。:：(（【】“”]{1,12}(?:报|网|日|社)讯)\s*(?:[(（]([^)）]{1,40})[)）])?[\s:：]*")
        .expect("static regex")
});

/// Credits printed after a dateline without brackets: role words, each followed by names
/// of two to four characters, each name followed by a space.
static INLINE_CREDITS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:本报记者|见习记者|记者|通讯员|实习生)\s+(?:\p{Han}{2,4}\s+)+)+")
        .expect("static regex")
});

static DATELINE_PREFIX_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Z][A-Z.' ]{1,30}[A-Z.](?:,\s*[A-Z][A-Za-z.]{1,12})?)(?:\s*\((?:AP|Reuters|AFP|UPI|Bloomberg|Xinhua|CNS)\))?(?:\s*(?:—|–|--)\s*|\s+-\s+)")
        .expect("static regex")
});

/// Splits the dateline off a body's first paragraph: its name, any credits printed inside it
/// (`本报讯(记者 张三)`) or after it (`本报讯 记者 林朔 通讯员 蔡文静 12月6日，…`), and the
/// paragraph without them.
pub(super) fn strip_dateline(
    text: &str,
    language: Language,
) -> (Option<String>, Vec<Credit>, String) {
    if let Some(c) = DATELINE_PREFIX_ZH.captures(text) {
        let mut credits = c
            .get(2)
            .map(|m| parse_credits(m.as_str()))
            .unwrap_or_default();
        let mut rest = &text[c.get(0).map_or(0, |m| m.end())..];
        if credits.is_empty()
            && let Some(m) = INLINE_CREDITS.find(rest)
        {
            credits = parse_credits(m.as_str());
            rest = rest[m.end()..].trim_start();
        }
        return (Some(c[1].to_owned()), credits, rest.to_owned());
    }
    if language == Language::En
        && let Some(c) = DATELINE_PREFIX_EN.captures(text)
    {
        let rest = text[c.get(0).map_or(0, |m| m.end())..].to_owned();
        return (Some(c[1].trim().to_owned()), Vec::new(), rest);
    }
    (None, Vec::new(), text.to_owned())
}
