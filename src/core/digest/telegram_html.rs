//! Renders a digest as Telegram HTML messages, each at most 4096 characters as Telegram counts
//! them (UTF-16 code units of the text after entity parsing). Messages split between items,
//! and an item too long for one message splits at sentence boundaries; nothing is dropped.

use super::labels::{Labels, format_date, labels};
use super::{Digest, Lang, Section};
use crate::core::edition::{ForecastDay, Temperature, Weather};
use crate::core::punctuation::is_mostly_cjk;
use crate::core::summary::sentences::split_sentences;

/// Telegram's limit on a message's text.
pub const MAX_MESSAGE_UNITS: usize = 4096;

/// Longest plain-text chunk put in one segment, in UTF-16 units; leaves room for markup.
const MAX_SEGMENT_UNITS: usize = 3500;

/// How to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Label language.
    pub lang: Lang,
    /// Sections to include, in digest order.
    pub sections: Vec<Section>,
    /// Use the short (two or three sentence) summaries instead of one sentence.
    pub short_summaries: bool,
}

/// Escapes text for Telegram HTML.
#[must_use]
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Length of `html` as Telegram counts it: UTF-16 code units of the text once tags are removed
/// and entities decoded.
#[must_use]
pub fn telegram_length(html: &str) -> usize {
    let mut units = 0;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            match rest.find('>') {
                Some(end) => {
                    rest = &rest[end + 1..];
                    continue;
                }
                None => {
                    units += 1;
                    rest = &rest[1..];
                    continue;
                }
            }
        }
        if c == '&'
            && let Some((end, _)) = rest.char_indices().take(12).find(|&(_, ch)| ch == ';')
        {
            units += 1;
            rest = &rest[end + 1..];
            continue;
        }
        units += c.len_utf16();
        rest = &rest[c.len_utf8()..];
    }
    units
}

/// The text Telegram would show for `html`: tags removed, the entities we write decoded.
/// Used to resend a piece as plain text when Telegram refuses its markup.
#[must_use]
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            rest = &rest[end + 1..];
            continue;
        }
        if c == '&'
            && let Some((end, _)) = rest.char_indices().take(12).find(|&(_, ch)| ch == ';')
        {
            let decoded = match &rest[1..end] {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "#39" | "apos" => Some('\''),
                _ => None,
            };
            if let Some(d) = decoded {
                out.push(d);
                rest = &rest[end + 1..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// One item of the digest: self-contained HTML segments (balanced tags) that should stay in
/// one message when they can.
pub(super) type Item = Vec<String>;

/// Renders the chosen sections of `digest` as Telegram HTML messages.
#[must_use]
pub fn render_telegram_html(digest: &Digest, options: &RenderOptions) -> Vec<String> {
    let l = labels(options.lang);
    let mut items: Vec<Item> = vec![vec![format!(
        "<b>{}</b>\n{} · {}",
        escape_html(&digest.edition),
        escape_html(&format_date(digest.date, options.lang)),
        l.digest
    )]];
    let alone = options.sections.len() == 1;
    for &section in &options.sections {
        let heading = format!("<b>{}</b>", section_heading(section, l));
        let mut section_items = section_items(digest, section, options, l);
        if section_items.is_empty() {
            if !alone {
                continue;
            }
            section_items.push(vec![escape_html(l.empty_section)]);
        }
        // The heading travels with the section's first item.
        section_items[0].insert(0, heading);
        items.extend(section_items);
    }
    pack(items, MAX_MESSAGE_UNITS)
}

/// A section's heading with its emoji.
#[must_use]
pub fn section_heading(section: Section, l: &Labels) -> String {
    match section {
        Section::Headlines => format!("📰 {}", l.headlines),
        Section::Weather => format!("🌤 {}", l.weather),
        Section::Notices => format!("📢 {}", l.notices),
        Section::Photos => format!("📷 {}", l.photos),
    }
}

fn section_items(
    digest: &Digest,
    section: Section,
    options: &RenderOptions,
    l: &Labels,
) -> Vec<Item> {
    match section {
        Section::Headlines => {
            let mut items: Vec<Item> = digest
                .headlines
                .iter()
                .enumerate()
                .map(|(i, h)| headline_item(digest, i, h, options, l))
                .collect();
            // An English reader of Chinese news is told why some of it is in Chinese.
            let untranslated = digest.headlines.iter().any(|h| {
                h.english.is_none() && is_mostly_cjk(&h.title) && options.lang == Lang::En
            });
            if let (true, Some(note), Some(first)) =
                (untranslated, l.printed_in_other_language, items.first_mut())
            {
                first.insert(0, format!("<i>{}</i>", escape_html(note)));
            }
            items
        }
        Section::Weather => digest
            .weather
            .iter()
            .map(|w| weather_lines(w, l).iter().map(|s| escape_html(s)).collect())
            .collect(),
        Section::Notices => digest
            .notices
            .iter()
            .map(|n| {
                let mut item = Vec::new();
                if let Some(title) = &n.title {
                    item.push(format!("<b>{}</b>", escape_html(title)));
                }
                for line in n.body().lines().filter(|l| !l.trim().is_empty()) {
                    item.extend(text_segments(line));
                }
                item
            })
            .collect(),
        Section::Photos => digest
            .photos
            .iter()
            .map(|p| {
                let mut item = Vec::new();
                if let Some(title) = &p.title {
                    item.push(format!("<b>{}</b>", escape_html(title)));
                }
                item.extend(text_segments(&p.caption));
                if !p.photographers.is_empty() {
                    item.push(escape_html(&format!(
                        "{}{}{}",
                        l.photo_by,
                        l.colon,
                        p.photographers.join(" ")
                    )));
                }
                item
            })
            .collect(),
    }
}

/// One headline: its page heading, title and summary, and its link. For an English reader
/// with a checked translation: the translated title, the title as printed beneath it (names
/// in the source script), then the translated summary.
fn headline_item(
    digest: &Digest,
    i: usize,
    h: &super::Headline,
    options: &RenderOptions,
    l: &Labels,
) -> Item {
    let mut item = Vec::new();
    if let Some(page) = digest.page_heading(i, options.lang) {
        item.push(format!("<i>{}</i>", escape_html(&page)));
    }
    let translated = h.english.as_ref().filter(|_| options.lang == Lang::En);
    if let Some(english) = translated {
        item.push(format!("<b>{}. {}</b>", i + 1, escape_html(&english.title)));
        item.push(format!("<i>{}</i>", escape_html(&h.title)));
        item.extend(text_segments(&english.summary));
    } else {
        item.push(format!("<b>{}. {}</b>", i + 1, escape_html(&h.title)));
        let summary = if options.short_summaries {
            &h.summary_short
        } else {
            &h.summary
        };
        item.extend(text_segments(summary));
    }
    if let Some(link) = h
        .link
        .as_deref()
        .filter(|l| crate::core::texts::is_web_link(l))
    {
        item.push(format!(
            "<a href=\"{}\">{}</a>",
            escape_html(link),
            l.read_more
        ));
    }
    item
}

/// The weather as label-value lines.
#[must_use]
pub fn weather_lines(w: &Weather, l: &Labels) -> Vec<String> {
    let mut lines = Vec::new();
    for (label, value) in [
        (l.today, &w.today),
        (l.tonight, &w.tonight),
        (l.tomorrow, &w.tomorrow),
        (l.wind, &w.wind),
    ] {
        if let Some(v) = value {
            lines.push(format!("{label}{}{v}", l.colon));
        }
    }
    for (label, t) in [(l.high, &w.high), (l.low, &w.low)] {
        if let Some(t) = t {
            lines.push(format!("{label}{}{}", l.colon, describe_temperature(t, l)));
        }
    }
    lines
}

fn describe_temperature(t: &Temperature, l: &Labels) -> String {
    let day = match t.day {
        ForecastDay::Today => l.today,
        ForecastDay::Tonight => l.tonight,
        ForecastDay::Tomorrow => l.tomorrow,
    };
    let celsius = if t.celsius.fract() == 0.0 {
        format!("{:.0}", t.celsius)
    } else {
        format!("{:.1}", t.celsius)
    };
    if t.printed.contains('F') {
        format!("{celsius}°C ({}, {day})", t.printed)
    } else {
        format!("{celsius}℃ ({day})")
    }
}

/// Plain text as escaped segments: whole when short, else sentence by sentence, and a
/// sentence longer than a segment in pieces.
pub(super) fn text_segments(text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    if text.encode_utf16().count() <= MAX_SEGMENT_UNITS {
        return vec![escape_html(text)];
    }
    let mut segments = Vec::new();
    for sentence in split_sentences(text) {
        let mut chunk = String::new();
        let mut units = 0;
        for c in sentence.chars() {
            if units + c.len_utf16() > MAX_SEGMENT_UNITS {
                segments.push(escape_html(&chunk));
                chunk.clear();
                units = 0;
            }
            chunk.push(c);
            units += c.len_utf16();
        }
        if !chunk.is_empty() {
            segments.push(escape_html(&chunk));
        }
    }
    segments
}

/// Packs items into messages of at most `limit` units: items whole where they fit, split
/// between segments where they do not.
pub(super) fn pack(items: Vec<Item>, limit: usize) -> Vec<String> {
    let mut messages: Vec<String> = Vec::new();
    let mut current = String::new();
    let push = |current: &mut String, messages: &mut Vec<String>| {
        if !current.is_empty() {
            messages.push(std::mem::take(current));
        }
    };
    for item in items {
        let whole = item.join("\n");
        let joined = if current.is_empty() {
            whole.clone()
        } else {
            format!("{current}\n\n{whole}")
        };
        if telegram_length(&joined) <= limit {
            current = joined;
            continue;
        }
        push(&mut current, &mut messages);
        if telegram_length(&whole) <= limit {
            current = whole;
            continue;
        }
        for segment in item {
            let joined = if current.is_empty() {
                segment.clone()
            } else {
                format!("{current}\n{segment}")
            };
            if telegram_length(&joined) <= limit {
                current = joined;
            } else {
                push(&mut current, &mut messages);
                current = segment;
            }
        }
    }
    push(&mut current, &mut messages);
    messages
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_text_drops_tags_and_decodes_entities() {
        assert_eq!(
            super::plain_text("<b>标题</b> &lt;x&gt; &amp; <a href=\"u\">link</a> & more"),
            "标题 <x> & link & more"
        );
    }

    use super::*;

    #[test]
    fn escaping_and_length_follow_telegram() {
        assert_eq!(escape_html("a<b>&\"c\""), "a&lt;b&gt;&amp;&quot;c&quot;");
        assert_eq!(
            telegram_length("<b>标题</b>\n&lt;x&gt; 😀"),
            2 + 1 + 3 + 1 + 2
        );
    }

    #[test]
    fn packing_splits_between_items_then_inside_an_item() {
        let small: Item = vec!["<b>t</b>".to_owned(), "x".repeat(30)];
        let big: Item = vec!["<b>big</b>".to_owned(), "y".repeat(60), "z".repeat(60)];
        let messages = pack(vec![small.clone(), small, big], 80);
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages.iter().all(|m| telegram_length(m) <= 80));
        assert!(messages[2].ends_with(&"z".repeat(60)));
    }
}
