//! What a forecast's lines look like: weather headings, a day's forecast in Chinese or
//! English, the lines a forecast box carries besides it (air quality, tides, its source).

use std::sync::LazyLock;

use regex::Regex;

pub(super) static WEATHER_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:(?:[\p{L}'-]+ ){0,2}weather(?: forecast| outlook)?|(?:[\p{L}'-]+ )?(?:forecast|outlook)|【?\p{Han}{0,6}天气(?:预报)?】?(?:[（(]\p{Han}{1,8}[）)])?(?:\s+[A-Za-z][A-Za-z' -]{1,20})?|气象|气象信息)$")
        .expect("static regex")
});

/// Who issued the forecast, printed under it: `芷川市气象台发布`, `荇桥镇气象服务站`.
pub(super) static WEATHER_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{0,10}(?:气象台|气象局|气象站|气象服务站|气象中心)(?:发布|提供|供稿)?$|^(?i:source: )?(?:(?:the )?met office|national weather service|bureau of meteorology)$")
        .expect("static regex")
});

/// Lines a forecast block carries besides the forecast: air quality, UV, humidity.
pub(super) static WEATHER_EXTRA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:空气质量|空气质量指数|空气污染指数|紫外线(?:指数|强度)?|相对湿度|湿度|能见度|潮汐|高潮|低潮|(?i:air quality|uv index|humidity|high tides?|low tides?|tides?|fire danger(?: rating)?|pollen(?: count)?))\s*(?:[:：]|\d)|(?:日出|日落|(?i:sunrise|sunset))\b)")
        .expect("static regex")
});

/// A day's line of a forecast printed one line per day under a weather heading:
/// `4月3日　小雨　7-13℃`, `12月2日（周二） 晴 3～11℃`, `周六　多云　7-13℃`; or the day's
/// forecast opening with the sky (`多云转小雨　5℃~13℃　东北风3级`).
pub(super) static ZH_DATED_FORECAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:\d{1,2}月)?\d{1,2}日(?:\s*[（(]\s*(?:周|星期)[一二三四五六日天]\s*[）)])?|(?:周|星期)[一二三四五六日天]|今天|明天|后天|(?:多云|晴|阴|小雨|中雨|大雨|阵雨|雷阵雨|雨夹雪|小雪|中雪|大雪|雾|霾)\p{Han}{0,6})[\s\u{3000}]*\p{Han}?")
        .expect("static regex")
});

/// A forecast line under a weather heading that says only part of the forecast:
/// `今天白天：晴转多云`, `最高气温：13℃`, `风向风力：西北风3～4级`.
pub(super) static ZH_FORECAST_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:今天|今日|今晚|今夜|明天|明日|后天|白天|夜间|周[一二三四五六日])\p{Han}{0,3}|最高气温|最低气温|气温|风向风力|风向|风力|降水概率)\s*[:：]")
        .expect("static regex")
});

static WEATHER_ZH_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(今天|今日|今晨|今晚|今夜|明天|明日|白天|夜间|预计今|据市?气象|天气预报|\p{Han}{0,8}气象(?:台|局|站|中心)(?:预报|消息|发布)?[:：]|\p{Han}{0,6}天气(?:预报)?[:：])")
        .expect("static regex")
});

pub(super) static WEATHER_ZH_WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"晴|阴|雨|雪|多云|雾|霾|风\d|风力|气温").expect("static regex"));

pub(super) static TEMPERATURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"-?\d+(\.\d+)?\s*(℃|°C|°F|度)").expect("static regex"));

static ENGLISH_FORECAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:today|tonight|tomorrow|tomorrow night|this afternoon|this evening|overnight|(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:\s+night)?|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?(?:\s+(?:\d{1,2}\s+[a-z]{3,9}|[a-z]{3,9}\.?\s+\d{1,2}))?)\s*[:：]")
        .expect("static regex")
});

pub(super) fn is_english_forecast(text: &str) -> bool {
    ENGLISH_FORECAST.is_match(text)
}

pub(super) fn is_weather_line(text: &str, chars: usize) -> bool {
    if chars > 300 {
        return false;
    }
    let has_temperature = TEMPERATURE.is_match(text);
    // `Today: Sunny, high 74. Tonight: Clear, low 51.`: bare figures after high and low.
    let high_low = ENGLISH_HIGH_LOW.is_match(text);
    if ENGLISH_FORECAST.is_match(text)
        && (has_temperature || high_low || text.to_lowercase().contains("wind"))
    {
        return true;
    }
    if text.contains("最高气温") && text.contains("最低气温") {
        return true;
    }
    WEATHER_ZH_START.is_match(text) && WEATHER_ZH_WORDS.is_match(text) && has_temperature
}

/// `Mostly cloudy. High 61, low 44.`: a forecast in a sentence, under a weather heading.
pub(super) static ENGLISH_HIGH_LOW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bhighs?(?: of)?\s+-?\d+.*\blows?(?: of)?\s+-?\d+|\blows?(?: of)?\s+-?\d+.*\bhighs?(?: of)?\s+-?\d+")
        .expect("static regex")
});
