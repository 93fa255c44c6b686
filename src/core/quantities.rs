//! Figures read from Chinese or English text as quantities with their units: digits
//! (`1,280`, `60万`, `0.6 million`), Chinese numerals (`三百`, `二〇二六`, `百分之三十`),
//! English number words (`three hundred`), and the unit printed beside (`亩`, `mu`, `米`,
//! `metres`), so a figure can be compared across the two languages.

use super::summary::facts::is_chinese_numeral;

/// A unit a figure is counted in, as far as the guard tells units apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// 亩, mu.
    Mu,
    /// 公顷, hectares.
    Hectare,
    /// 平方米, square metres.
    SquareMetre,
    /// 平方公里, square kilometres.
    SquareKilometre,
    /// 公里, 千米, kilometres.
    Kilometre,
    /// 米, metres.
    Metre,
    /// 元, yuan.
    Yuan,
    /// 吨, tonnes.
    Tonne,
    /// 公斤, 千克, kilograms.
    Kilogram,
    /// %, 百分之, per cent.
    Percent,
    /// ℃, degrees.
    Degree,
}

/// A figure read from text, with the unit printed beside it, if one the guard knows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    /// Its value.
    pub value: f64,
    /// Its unit.
    pub unit: Option<Unit>,
}

/// Chinese units, longest first (`平方公里` before `公里` before `米`).
const ZH_UNITS: &[(&str, Unit)] = &[
    ("平方公里", Unit::SquareKilometre),
    ("平方千米", Unit::SquareKilometre),
    ("平方米", Unit::SquareMetre),
    ("公顷", Unit::Hectare),
    ("公里", Unit::Kilometre),
    ("千米", Unit::Kilometre),
    ("公斤", Unit::Kilogram),
    ("千克", Unit::Kilogram),
    ("亩", Unit::Mu),
    ("米", Unit::Metre),
    ("元", Unit::Yuan),
    ("吨", Unit::Tonne),
    ("%", Unit::Percent),
    ("％", Unit::Percent),
    ("℃", Unit::Degree),
    ("摄氏度", Unit::Degree),
    ("度", Unit::Degree),
];

/// English units (lower case), longest first.
const EN_UNITS: &[(&str, Unit)] = &[
    ("square kilometres", Unit::SquareKilometre),
    ("square kilometers", Unit::SquareKilometre),
    ("square km", Unit::SquareKilometre),
    ("sq km", Unit::SquareKilometre),
    ("km2", Unit::SquareKilometre),
    ("square metres", Unit::SquareMetre),
    ("square meters", Unit::SquareMetre),
    ("sq m", Unit::SquareMetre),
    ("m2", Unit::SquareMetre),
    ("hectares", Unit::Hectare),
    ("hectare", Unit::Hectare),
    ("kilometres", Unit::Kilometre),
    ("kilometers", Unit::Kilometre),
    ("kilometre", Unit::Kilometre),
    ("kilometer", Unit::Kilometre),
    ("km", Unit::Kilometre),
    ("kilograms", Unit::Kilogram),
    ("kilogram", Unit::Kilogram),
    ("kg", Unit::Kilogram),
    ("metres", Unit::Metre),
    ("meters", Unit::Metre),
    ("metre", Unit::Metre),
    ("meter", Unit::Metre),
    ("m", Unit::Metre),
    ("mu", Unit::Mu),
    ("yuan", Unit::Yuan),
    ("rmb", Unit::Yuan),
    ("tonnes", Unit::Tonne),
    ("tonne", Unit::Tonne),
    ("tons", Unit::Tonne),
    ("ton", Unit::Tonne),
    ("percent", Unit::Percent),
    ("per cent", Unit::Percent),
    ("%", Unit::Percent),
    ("°c", Unit::Degree),
    ("degrees", Unit::Degree),
    ("degree", Unit::Degree),
];

/// English number words and their values.
const EN_NUMBERS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
];

/// English scale words.
const EN_SCALES: &[(&str, f64)] = &[
    ("hundred", 1e2),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
];

/// Every figure of `text`, Chinese or English, with its unit: digits (`1,280`, `0.6`, `60万`),
/// Chinese numerals (`三百`, `两千五百`, `二〇二六`, `百分之三十`), English number words
/// (`three hundred`) and scales (`0.6 million`). A time after noon (`6 p.m.`) also counts
/// as its 24-hour figure.
#[must_use]
pub fn quantities_in(text: &str) -> Vec<Quantity> {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = text.to_lowercase().chars().collect();
    // Lower-casing can change the length (rare letters): read words from the original then.
    let lower = if lower.len() == chars.len() {
        lower
    } else {
        chars.clone()
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let percent_prefix = starts_with(&chars, i, "百分之");
        let (value, next) = if percent_prefix {
            match chinese_numeral(&chars, i + 3) {
                Some((v, end)) => {
                    out.push(Quantity {
                        value: v,
                        unit: Some(Unit::Percent),
                    });
                    i = end;
                    continue;
                }
                None => (None, i + 3),
            }
        } else if c.is_ascii_digit() || is_fullwidth_digit(c) {
            let (v, end) = digits(&chars, i);
            (Some(v), end)
        } else if is_chinese_numeral(c) {
            match chinese_numeral(&chars, i) {
                Some((v, end)) => (Some(v), end),
                None => (None, i + 1),
            }
        } else if c.is_ascii_alphabetic() && (i == 0 || !lower[i - 1].is_ascii_alphabetic()) {
            match english_number(&lower, i) {
                Some((v, end)) => (Some(v), end),
                None => (None, skip_word(&lower, i)),
            }
        } else {
            (None, i + 1)
        };
        let Some(mut value) = value else {
            i = next.max(i + 1);
            continue;
        };
        let mut at = next;
        // A multiplier after digits: 60万, 1.2亿, 0.6 million.
        match chars.get(at) {
            Some('万') => {
                value *= 1e4;
                at += 1;
            }
            Some('亿') => {
                value *= 1e8;
                at += 1;
            }
            Some('千') if chars[next - 1].is_ascii_digit() => {
                value *= 1e3;
                at += 1;
            }
            _ => {
                let gap = skip_spaces(&lower, at);
                if let Some((scale, end)) = scale_word(&lower, gap) {
                    value *= scale;
                    at = end;
                }
            }
        }
        let gap = skip_spaces(&lower, at);
        let unit = unit_at(&chars, at).or_else(|| english_unit(&lower, gap));
        out.push(Quantity { value, unit });
        if value < 12.0 && after_noon(&lower, gap) {
            out.push(Quantity {
                value: value + 12.0,
                unit: None,
            });
        }
        i = at.max(i + 1);
    }
    out
}

fn starts_with(chars: &[char], at: usize, word: &str) -> bool {
    word.chars()
        .enumerate()
        .all(|(k, w)| chars.get(at + k) == Some(&w))
}

fn is_fullwidth_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

fn digit_value(c: char) -> Option<u32> {
    if is_fullwidth_digit(c) {
        Some(c as u32 - '０' as u32)
    } else {
        c.to_digit(10)
    }
}

/// Digits from `at`, with thousands commas and one decimal point: (value, end).
fn digits(chars: &[char], at: usize) -> (f64, usize) {
    let mut text = String::new();
    let mut i = at;
    let mut point = false;
    while i < chars.len() {
        let c = chars[i];
        if let Some(d) = digit_value(c) {
            text.push(char::from_digit(d, 10).unwrap_or('0'));
        } else if c == ','
            && !point
            && (1..=3).all(|k| chars.get(i + k).and_then(|&n| digit_value(n)).is_some())
            && chars.get(i + 4).is_none_or(|&n| digit_value(n).is_none())
        {
            // 1,280: a thousands comma (exactly three digits follow).
        } else if c == '.' && !point && chars.get(i + 1).and_then(|&n| digit_value(n)).is_some() {
            point = true;
            text.push('.');
        } else {
            break;
        }
        i += 1;
    }
    (text.parse().unwrap_or(0.0), i)
}

/// A Chinese numeral from `at`: (value, end). Digits without units read positionally
/// (`二〇二六` is 2026).
fn chinese_numeral(chars: &[char], at: usize) -> Option<(f64, usize)> {
    let mut end = at;
    while end < chars.len() && is_chinese_numeral(chars[end]) {
        end += 1;
    }
    let run = &chars[at..end];
    // A lone 万 or 亿 (万一, 亿万) is a word, not a figure.
    if run.is_empty() || matches!(run[0], '万' | '亿' | '百' | '千') {
        return None;
    }
    let digit = |c: char| match c {
        '零' | '〇' => Some(0.0),
        '一' => Some(1.0),
        '二' | '两' => Some(2.0),
        '三' => Some(3.0),
        '四' => Some(4.0),
        '五' => Some(5.0),
        '六' => Some(6.0),
        '七' => Some(7.0),
        '八' => Some(8.0),
        '九' => Some(9.0),
        _ => None,
    };
    if run.len() > 1 && run.iter().all(|&c| digit(c).is_some()) {
        let value = run
            .iter()
            .fold(0.0, |acc, &c| acc * 10.0 + digit(c).unwrap_or(0.0));
        return Some((value, end));
    }
    let (mut total, mut section, mut number) = (0.0f64, 0.0f64, 0.0f64);
    for &c in run {
        if let Some(d) = digit(c) {
            number = d;
            continue;
        }
        match c {
            '十' => {
                section += if number == 0.0 { 1.0 } else { number } * 10.0;
                number = 0.0;
            }
            '百' => {
                section += number * 100.0;
                number = 0.0;
            }
            '千' => {
                section += number * 1000.0;
                number = 0.0;
            }
            '万' => {
                total += (section + number) * 1e4;
                section = 0.0;
                number = 0.0;
            }
            '亿' => {
                total = (total + section + number) * 1e8;
                section = 0.0;
                number = 0.0;
            }
            _ => {}
        }
    }
    Some((total + section + number, end))
}

/// The Chinese unit at `at`, if any.
fn unit_at(chars: &[char], at: usize) -> Option<Unit> {
    ZH_UNITS
        .iter()
        .find(|(word, _)| starts_with(chars, at, word))
        .map(|&(_, unit)| unit)
}

fn skip_spaces(lower: &[char], mut at: usize) -> usize {
    while lower.get(at).is_some_and(|c| *c == ' ' || *c == '-') {
        at += 1;
    }
    at
}

fn skip_word(lower: &[char], mut at: usize) -> usize {
    while lower.get(at).is_some_and(char::is_ascii_alphabetic) {
        at += 1;
    }
    at
}

/// The English word at `at` (whole, lower case) and its end.
fn word_at(lower: &[char], at: usize) -> (String, usize) {
    let end = skip_word(lower, at);
    (lower[at.min(end)..end].iter().collect(), end)
}

/// An English unit at `at`, as a whole word.
fn english_unit(lower: &[char], at: usize) -> Option<Unit> {
    EN_UNITS
        .iter()
        .find(|(word, _)| {
            starts_with(lower, at, word)
                && lower
                    .get(at + word.chars().count())
                    .is_none_or(|c| !c.is_ascii_alphanumeric())
        })
        .map(|&(_, unit)| unit)
}

fn scale_word(lower: &[char], at: usize) -> Option<(f64, usize)> {
    let (word, end) = word_at(lower, at);
    EN_SCALES
        .iter()
        .find(|(w, _)| *w == word)
        .map(|&(_, scale)| (scale, end))
}

/// English number words from `at` (`three hundred and twenty`): (value, end).
fn english_number(lower: &[char], at: usize) -> Option<(f64, usize)> {
    let (word, mut end) = word_at(lower, at);
    let mut value = EN_NUMBERS.iter().find(|(w, _)| *w == word)?.1;
    loop {
        let next = skip_spaces(lower, end);
        let (word, word_end) = word_at(lower, next);
        if let Some(&(_, n)) = EN_NUMBERS.iter().find(|(w, _)| *w == word)
            && value >= 20.0
            && value % 10.0 == 0.0
            && n < 10.0
        {
            value += n;
            end = word_end;
        } else if word == "hundred" {
            value *= 100.0;
            end = word_end;
        } else {
            return Some((value, end));
        }
    }
}

/// True when `p.m.` or `pm` follows.
fn after_noon(lower: &[char], at: usize) -> bool {
    starts_with(lower, at, "p.m")
        || (starts_with(lower, at, "pm")
            && lower.get(at + 2).is_none_or(|c| !c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<f64> {
        quantities_in(text).iter().map(|q| q.value).collect()
    }

    #[test]
    fn figures_read_the_same_in_both_languages() {
        assert_eq!(values("三百亩"), vec![300.0]);
        assert_eq!(quantities_in("三百亩")[0].unit, Some(Unit::Mu));
        assert_eq!(values("两千五百"), vec![2500.0]);
        assert_eq!(values("十二"), vec![12.0]);
        assert_eq!(values("一万二千"), vec![12000.0]);
        assert_eq!(values("二〇二六年"), vec![2026.0]);
        assert_eq!(values("3千人"), vec![3000.0]);
        assert_eq!(values("60万标箱"), vec![600_000.0]);
        assert_eq!(values("1.2亿元"), vec![120_000_000.0]);
        assert_eq!(quantities_in("1.2亿元")[0].unit, Some(Unit::Yuan));
        assert_eq!(values("600,000 TEU"), vec![600_000.0]);
        assert_eq!(values("0.6 million TEU"), vec![600_000.0]);
        assert_eq!(values("three hundred mu"), vec![300.0]);
        assert_eq!(quantities_in("300 mu")[0].unit, Some(Unit::Mu));
        assert_eq!(quantities_in("1,280 metres")[0].unit, Some(Unit::Metre));
        assert_eq!(values("twenty-five minutes"), vec![25.0]);
        assert_eq!(values("百分之三十"), vec![30.0]);
        assert_eq!(values("from 8 a.m. to 6 p.m."), vec![8.0, 6.0, 18.0]);
        assert!(values("someone alone").is_empty());
    }
}
