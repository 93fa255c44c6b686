//! The weather pass of the page reader: the forecast box and its notes.

use super::{Owner, Page};
use crate::core::edition::lines::LineKind;
use crate::core::edition::weather::parse_weather;
use crate::core::punctuation::{char_len, ends_sentence};
use regex::Regex;
use std::sync::LazyLock;

/// Words of a note printed with a forecast: cold, rain, frost, wind, heat.
static WEATHER_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"气温|降温|升温|保暖|防寒|防暑|雨|雪|霜|冰|雾|大风|(?i:\b(?:temperatures?|cold|heat|rain|snow|frost|ice|icy|wind|fog|storm|outlook|dry|drier|bright|brighter|mild|milder|sunny|cloudy|showers?|rainfall)\b)")
        .expect("static regex")
});

impl Page {
    pub(super) fn claim_weather(&mut self) {
        let idx: Vec<usize> = (0..self.lines.len())
            .filter(|&i| match self.lines[i].kind {
                LineKind::Weather => true,
                LineKind::WeatherHeading => self
                    .lines
                    .get(i + 1)
                    .is_some_and(|l| l.kind == LineKind::Weather),
                _ => false,
            })
            .filter(|&i| self.free(i))
            .collect();
        if idx.is_empty() {
            return;
        }
        let idx = self.with_box_headings(idx);
        if idx.windows(2).any(|w| w[1] != w[0] + 1) {
            let line = self.lines[idx[0]].no;
            self.warn(
                Some(line),
                "weather lines are scattered over the page; read them as one forecast".to_owned(),
            );
        }
        let text = idx
            .iter()
            .map(|&i| self.lines[i].text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let mut weather = parse_weather(&text);
        weather.lines = idx.iter().map(|&i| self.lines[i].no).collect();
        if weather.high_c.is_none() && weather.low_c.is_none() {
            self.warn(
                weather.lines.first().copied(),
                "weather block has no temperature".to_owned(),
            );
        }
        for &i in &idx {
            self.claim(i, Owner::Weather);
        }
        // A note printed in the forecast's block (`比赛时段气温较低，请注意保暖。`) is part of it.
        if let Some(&last) = idx.last() {
            let mut k = last + 1;
            while k < self.lines.len()
                && self.free(k)
                && self.lines[k].block == self.lines[last].block
                && self.lines[k].kind == LineKind::Text
                && char_len(&self.lines[k].text) <= 80
                && WEATHER_NOTE.is_match(&self.lines[k].text)
            {
                self.claim(k, Owner::Weather);
                weather.lines.push(self.lines[k].no);
                k += 1;
            }
        }
        self.edition.weather = Some(weather);
    }

    /// A box's own heading in words the forecast vocabulary does not know (`THE WEEK
    /// AHEAD`, `本周天气展望`): a short line opening the block, with no sentence, right above
    /// two or more forecast lines, is the forecast's heading.
    fn with_box_headings(&self, idx: Vec<usize>) -> Vec<usize> {
        let mut out = Vec::with_capacity(idx.len() + 1);
        for (at, &i) in idx.iter().enumerate() {
            let run_starts = at == 0 || idx[at - 1] + 1 != i;
            let run_len = idx[at..]
                .iter()
                .enumerate()
                .take_while(|&(n, &k)| k == i + n)
                .count();
            if run_starts && run_len >= 2 && i > 0 {
                let above = &self.lines[i - 1];
                let opens_block = i < 2 || self.lines[i - 2].block != above.block;
                if above.block == self.lines[i].block
                    && opens_block
                    && self.free(i - 1)
                    && above.kind == LineKind::Text
                    && char_len(&above.text) <= 30
                    && !ends_sentence(&above.text)
                    && !above.text.contains([':', '：'])
                {
                    out.push(i - 1);
                }
            }
            out.push(i);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::core::edition::parse_edition;

    #[test]
    fn a_box_heading_in_other_words_goes_with_the_forecast_lines_under_it() {
        let page = "The Weekly\n\nTHE WEEK AHEAD\nThu: Partly sunny, 52°F / 34°F\nFri: Rain likely, 48°F / 39°F\n";
        let edition = parse_edition(page).expect("parses");
        let weather = edition.weather.expect("weather");
        assert_eq!(weather.lines, [3, 4, 5]);
        assert!(edition.unclassified.is_empty());
    }
}
