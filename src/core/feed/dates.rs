//! Feed dates as publishers write them (RFC 822 with or without the weekday, ISO 8601 with
//! or without a zone or seconds, a bare date), read into RFC 3339. Unreadable dates are
//! `None`, never a guess.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// The RFC 3339 form of a feed date, when it can be read.
///
/// ```
/// use newsbot::core::feed::feed_date;
///
/// assert_eq!(feed_date("Sun, 29 Nov 2026 08:00:00 +0800").as_deref(), Some("2026-11-29T08:00:00+08:00"));
/// assert_eq!(feed_date("2026-11-29T08:00:00Z").as_deref(), Some("2026-11-29T08:00:00+00:00"));
/// assert_eq!(feed_date("2026-11-29").as_deref(), Some("2026-11-29T00:00:00+00:00"));
/// assert_eq!(feed_date("someday"), None);
/// ```
#[must_use]
pub fn feed_date(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.to_rfc3339());
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(text) {
        return Some(t.to_rfc3339());
    }
    // RFC 822 without the weekday, or with a zone name chrono does not know.
    let without_weekday = text.split_once(',').map_or(text, |(day, rest)| {
        if day.chars().all(char::is_alphabetic) {
            rest.trim()
        } else {
            text
        }
    });
    for fmt in [
        "%d %b %Y %H:%M:%S %z",
        "%d %b %Y %H:%M %z",
        "%d %B %Y %H:%M:%S %z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(without_weekday, fmt) {
            return Some(t.to_rfc3339());
        }
    }
    let naive_text = without_weekday
        .trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == ' ')
        .trim_end_matches('Z');
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d %b %Y %H:%M:%S",
        "%d %b %Y %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(naive_text, fmt) {
            return Some(t.and_utc().to_rfc3339());
        }
    }
    for fmt in ["%Y-%m-%d", "%Y%m%d", "%d %b %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(naive_text, fmt) {
            return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().to_rfc3339());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_dates_are_read() {
        assert_eq!(
            feed_date("29 Nov 2026 08:00:00 +0800").as_deref(),
            Some("2026-11-29T08:00:00+08:00")
        );
        assert_eq!(
            feed_date("Sun, 29 Nov 2026 08:00:00 GMT").as_deref(),
            Some("2026-11-29T08:00:00+00:00")
        );
        assert_eq!(
            feed_date("2026-11-29T08:00:00").as_deref(),
            Some("2026-11-29T08:00:00+00:00")
        );
        assert_eq!(feed_date("Tuesday"), None);
        assert_eq!(feed_date(""), None);
    }
}
