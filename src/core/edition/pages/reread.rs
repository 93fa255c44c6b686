//! Web articles that the print reader knows better: a weather report or a notice published as
//! an article page, read again as a printed page would be.

use crate::core::edition::{Article, Edition};

/// An article read from a web page that the print reader knows better: a weather report or a
/// notice (`停水通知`, `PUBLIC NOTICE`) published as an article page. Its title and text are read
/// as a printed page would be; when that gives weather or notices and no article, those are
/// returned to stand in its place.
#[must_use]
pub fn reread_as_print(article: &Article) -> Option<Edition> {
    let mut text = article.title.clone();
    for paragraph in &article.paragraphs {
        text.push_str("\n\n");
        text.push_str(paragraph);
    }
    let edition = crate::core::edition::parse_edition(&text).ok()?;
    // Read as print, the page holds an article: it is one, whatever its title says.
    if !edition.articles.is_empty() {
        return None;
    }
    let title = article.title.to_lowercase();
    let weather_titled = ["天气", "气象", "weather", "forecast"]
        .iter()
        .any(|w| title.contains(w));
    // A forecast written as prose: its first paragraph with temperatures in it.
    if weather_titled
        && let Some(weather) = article
            .paragraphs
            .iter()
            .map(|p| crate::core::edition::weather::parse_weather(p))
            .find(|w| w.high_c.is_some() || w.low_c.is_some())
    {
        return Some(Edition {
            weather: Some(weather),
            ..Edition::default()
        });
    }
    let weather = edition.weather.is_some() && weather_titled;
    let notice = edition.notices.iter().any(|n| {
        n.title
            .as_deref()
            .is_some_and(|t| t.trim() == article.title.trim())
    });
    (edition.articles.is_empty() && (weather || notice)).then_some(edition)
}
