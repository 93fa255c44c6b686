//! Describes a parsed edition in plain text for a person at a terminal (`newsbot edition`).

use std::fmt::Write as _;

use super::{Edition, ForecastDay, NoticeKind, Temperature};

/// Renders `edition` as readable plain text: a summary line, then each item.
#[must_use]
pub fn describe_edition(edition: &Edition) -> String {
    let mut out = String::new();
    if let Some(m) = &edition.masthead {
        let _ = writeln!(
            out,
            "{}{}",
            m.name,
            m.date
                .as_ref()
                .map(|d| format!("  ({d})"))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(
        out,
        "articles: {} · photo items: {} · weather: {} · notices: {} · unclassified lines: {} · layout breaks re-joined: {} · warnings: {}",
        edition.articles.len(),
        edition.photos.len(),
        if edition.weather.is_some() {
            "yes"
        } else {
            "no"
        },
        edition.notices.len(),
        edition.unclassified.len(),
        edition.stats.rejoined_breaks,
        edition.warnings.len(),
    );
    for (i, a) in edition.articles.iter().enumerate() {
        let _ = writeln!(out, "\n[{}] {}", i + 1, a.title);
        if let Some(page) = &a.page {
            let _ = writeln!(out, "    page: {}", page.label(edition.language));
        }
        if let Some(k) = &a.kicker {
            let _ = writeln!(out, "    kicker: {k}");
        }
        if let Some(s) = a
            .subtitle
            .as_ref()
            .filter(|s| Some(*s) != a.kicker.as_ref())
        {
            let _ = writeln!(out, "    subtitle: {s}");
        }
        if !a.credits.is_empty() {
            let people: Vec<String> = a
                .credits
                .iter()
                .map(|c| format!("{} ({})", c.name, c.role))
                .collect();
            let _ = writeln!(out, "    by: {}", people.join(", "));
        }
        if let Some(link) = &a.link {
            let _ = writeln!(out, "    link: {link}");
        }
        if let Some(d) = &a.dateline {
            let _ = writeln!(out, "    dateline: {d}");
        }
        for p in &a.paragraphs {
            let _ = writeln!(out, "    ¶ {p}");
        }
    }
    for p in &edition.photos {
        let _ = writeln!(
            out,
            "\n[photo] {}",
            p.title.as_deref().unwrap_or("(untitled)")
        );
        let _ = writeln!(out, "    {}", p.caption);
        let _ = writeln!(out, "    photo: {}", p.photographers.join(", "));
    }
    if let Some(w) = &edition.weather {
        let _ = writeln!(out, "\n[weather]");
        for (label, value) in [
            ("today", &w.today),
            ("tonight", &w.tonight),
            ("tomorrow", &w.tomorrow),
            ("wind", &w.wind),
        ] {
            if let Some(v) = value {
                let _ = writeln!(out, "    {label}: {v}");
            }
        }
        for (label, t) in [("high", &w.high), ("low", &w.low)] {
            if let Some(t) = t {
                let _ = writeln!(out, "    {label}: {}", describe_temperature(t));
            }
        }
    }
    for n in &edition.notices {
        let kind = match n.kind {
            NoticeKind::Announcement => "announcement",
            NoticeKind::Advert => "advert",
            NoticeKind::Reminder => "reminder",
            NoticeKind::Slogan => "slogan",
        };
        let _ = writeln!(out, "\n[{kind}] {}", n.title.as_deref().unwrap_or(""));
        for line in n.text.lines() {
            let _ = writeln!(out, "    {line}");
        }
        if !n.phones.is_empty() {
            let _ = writeln!(out, "    phones: {}", n.phones.join(", "));
        }
    }
    if !edition.furniture.is_empty() {
        // Running heads, the desk's credits and contacts: about the page, not news.
        let _ = writeln!(out, "\n[page furniture]");
        for f in &edition.furniture {
            let _ = writeln!(out, "    line {}: {}", f.line, f.text);
        }
    }
    for u in &edition.unclassified {
        let _ = writeln!(out, "\n[unclassified] line {}: {}", u.line, u.text);
    }
    if !edition.warnings.is_empty() {
        let _ = writeln!(out, "\nwarnings:");
        for w in &edition.warnings {
            match w.line {
                Some(l) => {
                    let _ = writeln!(out, "    line {l}: {}", w.message);
                }
                None => {
                    let _ = writeln!(out, "    {}", w.message);
                }
            }
        }
    }
    out
}

fn describe_temperature(t: &Temperature) -> String {
    let day = match t.day {
        ForecastDay::Today => "today",
        ForecastDay::Tonight => "tonight",
        ForecastDay::Tomorrow => "tomorrow",
    };
    format!("{}°C {day} ({} {})", t.celsius, t.when, t.printed)
}
