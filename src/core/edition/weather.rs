//! Reads a forecast block into conditions, wind and temperatures, each temperature with the
//! day it belongs to. Knows the Chinese style (`今天多云…最高气温14℃`) and the English one
//! (`Today: Sunny, high 58°F.`), converting °F to °C and keeping the printed figure.

use std::sync::LazyLock;

use regex::Regex;

use super::{ForecastDay, Temperature, TemperatureUnit, Weather};

static WIND_ZH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:偏)?[东南西北]{1,2}风(?:力)?\d+(?:[~～\-到至]\d+)?级|风力\d+(?:[~～\-到至]\d+)?级|微风)")
        .expect("static regex")
});
static EXTREME_ZH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([^\s,，。;；]*?)最(高|低)(?:气温|温度)(?:为|是|约)?\s*((?:零下)?-?\d+(?:\.\d+)?)\s*(℃|°C|度)")
        .expect("static regex")
});
static RANGE_ZH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:气温|温度)\s*|(?:^|[^\d.\-]))(-?\d+)\s*(?:℃|°C|度)?\s*[~～\-到至]\s*(-?\d+)\s*(℃|°C|度)")
        .expect("static regex")
});
static DAY_ZH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(今天白天|今天夜里|今天晚上|今天|今日|今晨|今晚|今夜|明天白天|明天夜里|明天|明日|后天)",
    )
    .expect("static regex")
});
static TEMP_CLAUSE_ZH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"气温|温度|℃|°C").expect("static regex"));
static DAY_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i)(today|tonight|tomorrow night|tomorrow|this afternoon|this evening|overnight)\s*[:：]\s*(.*)$")
        .expect("static regex")
});
static EXTREME_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(highs?|lows?)\b\s*(?:near|around|of|in the)?\s*(-?\d+)(?:\s*°?\s*([FC])\b|\s*°|\b)")
        .expect("static regex")
});
static WIND_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)((?:north|south|east|west|northeast|northwest|southeast|southwest|[NSEW]{1,3})?\s*winds?\s+[^.;]*?\d+(?:\s*(?:to|-)\s*\d+)?\s*(?:mph|km/h|kph|knots)|winds?\s+(?:north|south|east|west|northeast|northwest|southeast|southwest|[NSEW]{1,3})\s+\d+(?:\s*(?:to|-)\s*\d+)?\s*(?:mph|km/h|kph|knots))")
        .expect("static regex")
});

/// Reads the forecast in `text` (the block's lines joined by newlines).
pub fn parse_weather(printed: &str) -> Weather {
    let mut weather = Weather {
        text: printed.to_owned(),
        ..Weather::default()
    };
    // Full-width digits and signs (`７℃～１３℃`, `３级`) read as their ASCII twins.
    let folded: String = printed
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => crate::core::punctuation::fold_width(c),
            _ => c,
        })
        .collect();
    let text = folded.as_str();
    if DAY_EN.is_match(text.lines().find(|l| DAY_EN.is_match(l)).unwrap_or("")) {
        read_english(text, &mut weather);
    } else {
        read_chinese(text, &mut weather);
    }
    weather.high_c = weather.high.as_ref().map(|t| t.celsius);
    weather.high_day = weather.high.as_ref().map(|t| t.day);
    weather.low_c = weather.low.as_ref().map(|t| t.celsius);
    weather.low_day = weather.low.as_ref().map(|t| t.day);
    weather
}

fn day_of(phrase: &str) -> Option<ForecastDay> {
    if phrase.contains('明') || phrase.to_lowercase().starts_with("tomorrow") {
        Some(ForecastDay::Tomorrow)
    } else if phrase.contains("晚")
        || phrase.contains("夜")
        || phrase.to_lowercase().starts_with("tonight")
        || phrase.to_lowercase() == "overnight"
    {
        Some(ForecastDay::Tonight)
    } else if phrase.contains('今')
        || phrase.to_lowercase().starts_with("today")
        || phrase.to_lowercase().starts_with("this")
    {
        Some(ForecastDay::Today)
    } else {
        None
    }
}

fn read_chinese(text: &str, weather: &mut Weather) {
    if let Some(m) = WIND_ZH.find(text) {
        weather.wind = Some(m.as_str().to_owned());
    }
    // `今日天气` over `多云转小雨　5℃~13℃`: the heading names the day of the lines under it.
    let mut heading_day: Option<&str> = None;
    for sentence in text
        .split(['。', ';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let named_day = DAY_ZH.find(sentence).map(|m| m.as_str());
        if let Some(day) = named_day
            && matches!(&sentence[day.len()..], "天气" | "天气预报")
        {
            heading_day = Some(day);
            continue;
        }
        let sentence_day = named_day.or(heading_day);
        let mut conditions: Vec<String> = Vec::new();
        // Clauses, and the fields of a forecast line (`多云转小雨　5℃~13℃　东北风3级`).
        for clause in sentence
            .split([',', '，', '\u{3000}'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            if TEMP_CLAUSE_ZH.is_match(clause) {
                read_chinese_temperatures(clause, sentence_day, weather);
                continue;
            }
            let without_wind = WIND_ZH.replace_all(clause, "");
            let without_wind = without_wind.trim();
            if !without_wind.is_empty() {
                conditions.push(without_wind.to_owned());
            }
        }
        if conditions.is_empty() {
            continue;
        }
        let mut joined = conditions.join("，");
        let day = sentence_day.and_then(day_of);
        if let Some(prefix) = sentence_day {
            joined = joined
                .strip_prefix(prefix)
                .unwrap_or(&joined)
                .trim_start_matches([':', '：', ' ', '\u{3000}', '，'])
                .to_owned();
        }
        let slot = match day {
            Some(ForecastDay::Tomorrow) => &mut weather.tomorrow,
            Some(ForecastDay::Tonight) => &mut weather.tonight,
            Some(ForecastDay::Today) => &mut weather.today,
            None => continue,
        };
        if slot.is_none() && !joined.is_empty() {
            *slot = Some(joined);
        }
    }
}

fn read_chinese_temperatures(clause: &str, sentence_day: Option<&str>, weather: &mut Weather) {
    for c in EXTREME_ZH.captures_iter(clause) {
        let when = c.get(1).map_or("", |m| m.as_str());
        let when = if when.is_empty() {
            sentence_day.unwrap_or("")
        } else {
            when
        };
        let is_high = &c[2] == "高";
        let number = c[3].replace("零下", "-");
        let Ok(value) = number.parse::<f64>() else {
            continue;
        };
        let day = day_of(when).unwrap_or(if is_high {
            ForecastDay::Today
        } else {
            ForecastDay::Tonight
        });
        let figure = Temperature {
            celsius: value,
            day,
            when: when.to_owned(),
            printed: format!("{}{}", &c[3], &c[4]),
        };
        set_extreme(weather, is_high, figure);
    }
    if let Some(c) = RANGE_ZH.captures(clause) {
        let when = sentence_day.unwrap_or("");
        let day = day_of(when).unwrap_or(ForecastDay::Today);
        let (Ok(a), Ok(b)) = (c[1].parse::<f64>(), c[2].parse::<f64>()) else {
            return;
        };
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        let unit = &c[3];
        set_extreme(
            weather,
            false,
            Temperature {
                celsius: low,
                day,
                when: when.to_owned(),
                printed: format!("{low}{unit}"),
            },
        );
        set_extreme(
            weather,
            true,
            Temperature {
                celsius: high,
                day,
                when: when.to_owned(),
                printed: format!("{high}{unit}"),
            },
        );
    }
}

/// Keeps the first figure of each kind, except that today's (or tonight's) replaces
/// tomorrow's: a three-day forecast reports today's high and low, whatever order it prints.
fn set_extreme(weather: &mut Weather, is_high: bool, figure: Temperature) {
    let slot = if is_high {
        &mut weather.high
    } else {
        &mut weather.low
    };
    let replaces = slot.as_ref().is_none_or(|kept| {
        kept.day == ForecastDay::Tomorrow && figure.day != ForecastDay::Tomorrow
    });
    if replaces {
        *slot = Some(figure);
    }
}

fn read_english(text: &str, weather: &mut Weather) {
    for line in text.lines() {
        let Some(c) = DAY_EN.captures(line.trim()) else {
            continue;
        };
        let when = c[1].to_owned();
        let rest = c.get(2).map_or("", |m| m.as_str());
        let day = day_of(&when).unwrap_or(ForecastDay::Today);
        for t in EXTREME_EN.captures_iter(rest) {
            let is_high = t[1].to_lowercase().starts_with("high");
            let Ok(value) = t[2].parse::<f64>() else {
                continue;
            };
            // A box that prints bare figures (`High 58. Low 41.`) is in °F: English-language
            // papers that print Celsius say so.
            let scale = t.get(3).map_or("F", |m| m.as_str()).to_uppercase();
            let (celsius, unit) = if scale == "F" {
                (
                    ((value - 32.0) * 5.0 / 9.0 * 10.0).round() / 10.0,
                    TemperatureUnit::Fahrenheit,
                )
            } else {
                (value, TemperatureUnit::Celsius)
            };
            weather.unit = unit;
            let printed = format!("{}°{scale}", &t[2]);
            set_extreme(
                weather,
                is_high,
                Temperature {
                    celsius,
                    day,
                    when: when.clone(),
                    printed,
                },
            );
        }
        if weather.wind.is_none()
            && let Some(m) = WIND_EN.find(rest)
        {
            weather.wind = Some(m.as_str().trim().to_owned());
        }
        let conditions = rest
            .split(['.', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty() && !EXTREME_EN.is_match(s) && !WIND_EN.is_match(s))
            .collect::<Vec<_>>()
            .join(", ");
        let slot = match day {
            ForecastDay::Today => &mut weather.today,
            ForecastDay::Tonight => &mut weather.tonight,
            ForecastDay::Tomorrow => &mut weather.tomorrow,
        };
        if slot.is_none() && !conditions.is_empty() {
            *slot = Some(conditions);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_in_every_shape_and_today_before_tomorrow() {
        for (text, low, high) in [
            ("今天：晴，7-13℃，北风2级", 7.0, 13.0),
            ("今天 晴 5℃~13℃", 5.0, 13.0),
            ("今天：多云，气温-3～-1℃", -3.0, -1.0),
            ("明天：阴，气温3～9℃\n今天：多云，气温6～12℃", 6.0, 12.0),
        ] {
            let w = parse_weather(text);
            assert_eq!((w.low_c, w.high_c), (Some(low), Some(high)), "{text}");
        }
    }

    #[test]
    fn an_english_box_with_bare_figures_is_in_fahrenheit() {
        let w = parse_weather("Today: Sunny. High 58. Low 41.");
        assert_eq!(w.unit, TemperatureUnit::Fahrenheit);
        assert_eq!((w.high_c, w.low_c), (Some(14.4), Some(5.0)));
        let c = parse_weather("Today: Sunny. High 14C. Low 5C.");
        assert_eq!((c.unit, c.high_c), (TemperatureUnit::Celsius, Some(14.0)));
    }

    #[test]
    fn full_width_figures_read_as_figures() {
        let w = parse_weather("今天：多云，气温７℃～１３℃，东北风３级");
        assert_eq!((w.low_c, w.high_c), (Some(7.0), Some(13.0)));
        assert_eq!(w.wind.as_deref(), Some("东北风3级"));
        assert_eq!(
            w.text, "今天：多云，气温７℃～１３℃，东北风３级",
            "the text as printed"
        );
    }

    #[test]
    fn chinese_forecast_gives_each_temperature_its_day() {
        let w = parse_weather(
            "今天多云到晴,早晨有雾。明天阴到多云偶有小雨,偏东风3级。今天白天最高气温14℃,明天早晨最低气温6℃。",
        );
        assert_eq!(w.today.as_deref(), Some("多云到晴，早晨有雾"));
        assert_eq!(w.tomorrow.as_deref(), Some("阴到多云偶有小雨"));
        assert_eq!(w.wind.as_deref(), Some("偏东风3级"));
        assert_eq!(w.high_c, Some(14.0));
        assert_eq!(w.high_day, Some(ForecastDay::Today));
        assert_eq!(w.low_c, Some(6.0));
        assert_eq!(w.low_day, Some(ForecastDay::Tomorrow));
        assert_eq!(w.low.map(|t| t.when), Some("明天早晨".to_owned()));
    }

    #[test]
    fn fahrenheit_page_converts_and_keeps_the_original() {
        let w = parse_weather(
            "Today: Sunny and mild, high 58°F. Northeast wind 5 to 10 mph.\nTonight: Clear, low 41°F.\nTomorrow: Showers, high 55°F.",
        );
        assert_eq!(w.unit, TemperatureUnit::Fahrenheit);
        assert_eq!(w.high_c, Some(14.4));
        assert_eq!(w.low_c, Some(5.0));
        assert_eq!(w.low_day, Some(ForecastDay::Tonight));
        assert_eq!(w.high.as_ref().map(|t| t.printed.as_str()), Some("58°F"));
        assert_eq!(w.today.as_deref(), Some("Sunny and mild"));
        assert_eq!(w.tomorrow.as_deref(), Some("Showers"));
        assert_eq!(w.wind.as_deref(), Some("Northeast wind 5 to 10 mph"));
    }

    #[test]
    fn range_form_and_below_zero() {
        let w = parse_weather("明天晴,气温-3~5℃,西北风4-5级。");
        assert_eq!(w.low_c, Some(-3.0));
        assert_eq!(w.high_c, Some(5.0));
        assert_eq!(w.high_day, Some(ForecastDay::Tomorrow));
        assert_eq!(w.wind.as_deref(), Some("西北风4-5级"));
        let w = parse_weather("今晚最低气温零下2℃。");
        assert_eq!(w.low_c, Some(-2.0));
    }
}
