//! Answers to residents' questions, quoting the digest's own facts and nothing else: the
//! weather of the day asked about (conditions, the temperatures that belong to that day, the
//! wind). `None` when the digest does not hold the answer; the chat then says so.

use super::digest::Lang;
use super::edition::{ForecastDay, Temperature, Weather};
use super::intent::{Aspect, Day};

fn forecast_day(day: Day) -> ForecastDay {
    match day {
        Day::Today => ForecastDay::Today,
        Day::Tonight => ForecastDay::Tonight,
        Day::Tomorrow => ForecastDay::Tomorrow,
    }
}

/// The name of `day` in `lang`.
#[must_use]
pub fn day_name(day: Day, lang: Lang) -> &'static str {
    match (day, lang) {
        (Day::Today, Lang::Zh) => "今天",
        (Day::Tonight, Lang::Zh) => "今晚",
        (Day::Tomorrow, Lang::Zh) => "明天",
        (Day::Today, Lang::En) => "today",
        (Day::Tonight, Lang::En) => "tonight",
        (Day::Tomorrow, Lang::En) => "tomorrow",
    }
}

fn temperature_line(t: &Temperature, high: bool, lang: Lang) -> String {
    match (lang, high) {
        (Lang::Zh, true) => format!("{}最高 {}", t.when, t.printed),
        (Lang::Zh, false) => format!("{}最低 {}", t.when, t.printed),
        (Lang::En, true) => format!("high {} ({})", t.printed, t.when),
        (Lang::En, false) => format!("low {} ({})", t.printed, t.when),
    }
}

/// One or two lines answering a weather question about `day` (today when `None`), from
/// `weather` only.
#[must_use]
pub fn weather_answer(
    weather: &Weather,
    day: Option<Day>,
    aspect: Aspect,
    lang: Lang,
) -> Option<String> {
    let day = day.unwrap_or(Day::Today);
    let conditions = match day {
        Day::Today => weather.today.as_deref(),
        Day::Tonight => weather.tonight.as_deref().or(weather.today.as_deref()),
        Day::Tomorrow => weather.tomorrow.as_deref(),
    };
    let wanted = forecast_day(day);
    let mut temperatures: Vec<String> = Vec::new();
    for (t, high) in [(&weather.high, true), (&weather.low, false)] {
        if let Some(t) = t.as_ref().filter(|t| t.day == wanted) {
            temperatures.push(temperature_line(t, high, lang));
        }
    }
    let wind = (aspect == Aspect::Wind || day == Day::Today)
        .then_some(weather.wind.as_deref())
        .flatten();
    if conditions.is_none() && temperatures.is_empty() && (aspect != Aspect::Wind || wind.is_none())
    {
        return None;
    }
    let name = day_name(day, lang);
    let mut parts: Vec<String> = Vec::new();
    if let Some(c) = conditions {
        parts.push(match lang {
            Lang::Zh => format!("{name}{c}"),
            Lang::En => format!("{}{}: {c}", name[..1].to_uppercase(), &name[1..]),
        });
    }
    if aspect != Aspect::Rain || conditions.is_none() {
        parts.extend(temperatures);
    }
    if let Some(w) = wind.filter(|_| aspect == Aspect::Wind || aspect == Aspect::General) {
        parts.push(match lang {
            Lang::Zh => format!("风力{w}"),
            Lang::En => format!("wind {w}"),
        });
    }
    let joined = match lang {
        Lang::Zh => format!("{}。", parts.join("，")),
        Lang::En => format!("{}.", parts.join("; ")),
    };
    Some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::edition::SAMPLE_EDITION;
    use crate::core::edition::parse_edition;

    fn sample_weather() -> Weather {
        parse_edition(SAMPLE_EDITION)
            .expect("sample")
            .weather
            .expect("weather")
    }

    #[test]
    fn answers_quote_the_right_day_and_nothing_else() {
        let w = sample_weather();
        let tomorrow =
            weather_answer(&w, Some(Day::Tomorrow), Aspect::Rain, Lang::Zh).expect("tomorrow");
        assert!(tomorrow.starts_with("明天"), "{tomorrow}");
        if let Some(c) = &w.tomorrow {
            assert!(tomorrow.contains(c.as_str()), "{tomorrow}");
        }
        let today = weather_answer(&w, None, Aspect::General, Lang::Zh).expect("today");
        assert!(today.starts_with("今天"), "{today}");
        // Every figure in an answer is printed in the block.
        for answer in [&tomorrow, &today] {
            for figure in answer
                .split(|c: char| !c.is_ascii_digit())
                .filter(|f| !f.is_empty())
            {
                assert!(
                    w.text.contains(figure),
                    "{figure} in {answer} is not in the block"
                );
            }
        }
        let empty = Weather::default();
        assert_eq!(
            weather_answer(&empty, Some(Day::Tomorrow), Aspect::Rain, Lang::Zh),
            None
        );
    }
}
