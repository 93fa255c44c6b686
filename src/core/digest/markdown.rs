//! Renders a digest as Markdown for the archive under `digests/`: every section, the short
//! summaries, links and credits, in a form that reads well in any Markdown viewer.

use std::fmt::Write as _;

use super::labels::{format_date, labels};
use super::telegram_html::weather_lines;
use super::{Digest, Lang};

/// Renders the whole digest as Markdown with `lang` labels.
#[must_use]
pub fn render_markdown(digest: &Digest, lang: Lang) -> String {
    let l = labels(lang);
    let mut out = String::new();
    let _ = writeln!(out, "# {} · {}\n", digest.edition, l.digest);
    let _ = writeln!(out, "{}\n", format_date(digest.date, lang));
    if !digest.headlines.is_empty() {
        let _ = writeln!(out, "## {}\n", l.headlines);
        for (i, h) in digest.headlines.iter().enumerate() {
            if let Some(page) = digest.page_heading(i, lang) {
                let _ = writeln!(out, "*{}*\n", escape_markdown(&page));
            }
            let _ = writeln!(out, "### {}. {}\n", i + 1, escape_markdown(&h.title));
            if let Some(sub) = &h.subtitle {
                let _ = writeln!(out, "*{}*\n", escape_markdown(sub));
            }
            if !h.summary.trim().is_empty() {
                let _ = writeln!(out, "**{}**\n", escape_markdown(&h.summary));
            }
            if !h.summary_short.trim().is_empty() && h.summary_short != h.summary {
                let _ = writeln!(out, "{}\n", escape_markdown(&h.summary_short));
            }
            if !h.reporters.is_empty() {
                let _ = writeln!(out, "{}{}{}\n", l.reporters, l.colon, h.reporters.join(" "));
            }
            if let Some(link) = h
                .link
                .as_deref()
                .filter(|l| crate::core::texts::is_web_link(l))
            {
                let _ = writeln!(out, "[{}]({link})\n", l.read_more);
            }
        }
    }
    if let Some(w) = &digest.weather {
        let _ = writeln!(out, "## {}\n", l.weather);
        for line in weather_lines(w, l) {
            let _ = writeln!(out, "- {}", escape_markdown(&line));
        }
        out.push('\n');
    }
    if !digest.notices.is_empty() {
        let _ = writeln!(out, "## {}\n", l.notices);
        for n in &digest.notices {
            if let Some(title) = &n.title {
                let _ = writeln!(out, "### {}\n", escape_markdown(title));
            }
            for line in n.body().lines().filter(|l| !l.trim().is_empty()) {
                let _ = writeln!(out, "{}  ", escape_markdown(line));
            }
            out.push('\n');
        }
    }
    if !digest.photos.is_empty() {
        let _ = writeln!(out, "## {}\n", l.photos);
        for p in &digest.photos {
            if let Some(title) = &p.title {
                let _ = writeln!(out, "### {}\n", escape_markdown(title));
            }
            let _ = writeln!(out, "{}\n", escape_markdown(&p.caption));
            if !p.photographers.is_empty() {
                let _ = writeln!(
                    out,
                    "{}{}{}\n",
                    l.photo_by,
                    l.colon,
                    p.photographers.join(" ")
                );
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Escapes the characters Markdown would read as formatting.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '#' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
