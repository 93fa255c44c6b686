//! The fact a resident asked for, quoted from an item's own text and never made up: the
//! phone numbers a notice prints, its address or place, its dates and times, who to contact,
//! what it costs, who reported an article. `None` when the text does not hold it.

use std::sync::LazyLock;

use regex::Regex;

use super::edition::phones::extract_phones;
use super::intent::Fact;

/// `地址：青溪市桂园街道学士街88号`, `Address: 412 Main St.`, `地点：文化广场`: a labelled place.
static PLACE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)(?:地址|地点|位置|(?:address|location|venue|where))\s*[:：]\s*([^\n；;。]+)")
        .expect("static regex")
});

/// `在文化广场举行`, `位于金平湖大道上`, `设在政务服务中心二楼`: a place in prose.
static PLACE_IN_PROSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"在([^，。；、\s]{2,24}?)(?:举行|举办|开展|进行|召开|开放|集合)|(?:位于|坐落于|设在|落户)([^，,。；、\s]{2,24})")
        .expect("static regex")
});

/// `at the Town Hall`, `in Memorial Park`: an English place in prose (named in capitals).
static EN_PLACE_IN_PROSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:at|in) ((?:the )?[A-Z][\w'’-]*(?:\s+(?:of\s+)?[A-Z][\w'’-]*){0,4})")
        .expect("static regex")
});

/// `联系人：孙女士`, `Contact: Jane Doe`.
static CONTACT_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)(?:联系人|(?:contact(?: person)?))\s*[:：]\s*([^\n；;。，,]+)")
        .expect("static regex")
});

/// `时间：…`, `Time: …`: a labelled time.
static TIME_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)(?:时间|日期|(?:time|date|when|hours))\s*[:：]\s*([^\n；;。]+)")
        .expect("static regex")
});

/// A Chinese date or time, with the range it opens: `2026年12月2日(星期三)8:00至18:00`,
/// `5月10日至5月20日`, `每天17时至22时30分`, `2022年10月`, `昨天下午`.
static ZH_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:[(（][^)）]{1,4}[)）])?|\d{4}年\d{1,2}月|(?:昨天|今天|明天|前天|后天)(?:上午|下午|晚上|早上|中午)?|每天|每周[一二三四五六日])?\s*(?:(?:上午|下午|晚上|早上)?\d{1,2}[:：时]\d{0,2}分?)?(?:\s*(?:至|到|—|－|-|~|～)\s*(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:[(（][^)）]{1,4}[)）])?)?\s*(?:(?:上午|下午|晚上)?\d{1,2}[:：时]\d{0,2}分?)?)?")
        .expect("static regex")
});

/// An English date or time: `Monday, May 17, 2027`, `May 14, 7 p.m.`, `from 8 a.m. to 4 p.m.`.
static EN_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*(?:\s+\d{4})?)(?:,?\s*(?:at\s+|from\s+)?\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?(?:\s*(?:to|-|–|until)\s*\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?)?)?|\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?\s*(?:to|-|–|until)\s*\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?")
        .expect("static regex")
});

/// `12元`, `¥1688`, `$15`, `168.5元/年`: an amount of money.
static PRICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[¥￥$£€]\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s?(?:万元|元|块|美元|dollars?))(?:\s?/\s?[\p{Han}a-z]{1,3})?")
        .expect("static regex")
});

/// The `fact` as `text` prints it (`reporters` are an article's), or `None` when the text
/// does not hold it. Several numbers or times come back joined by `、`.
#[must_use]
pub fn quote_fact(fact: Fact, text: &str, reporters: &[String]) -> Option<String> {
    let quoted: Vec<String> = match fact {
        Fact::Phone => extract_phones(text),
        Fact::Place => first_of(&[&PLACE_FIELD], text)
            .or_else(|| first_of(&[&PLACE_IN_PROSE, &EN_PLACE_IN_PROSE], text))
            .into_iter()
            .collect(),
        Fact::Contact => first_of(&[&CONTACT_FIELD], text).into_iter().collect(),
        Fact::Time => first_of(&[&TIME_FIELD], text)
            .map(|t| vec![t])
            .unwrap_or_else(|| times(text)),
        Fact::Price => PRICE
            .find_iter(text)
            .map(|m| m.as_str().trim().to_owned())
            .collect(),
        Fact::Reporter => reporters.to_vec(),
    };
    let mut unique: Vec<String> = Vec::new();
    for q in quoted {
        let q = q.trim().to_owned();
        if !q.is_empty() && !unique.contains(&q) {
            unique.push(q);
        }
    }
    (!unique.is_empty()).then(|| unique.into_iter().take(3).collect::<Vec<_>>().join("、"))
}

/// The first capture group that took part in the first match of the first pattern that
/// matches `text`.
fn first_of(patterns: &[&LazyLock<Regex>], text: &str) -> Option<String> {
    patterns.iter().find_map(|p| {
        p.captures(text).and_then(|c| {
            c.iter()
                .skip(1)
                .flatten()
                .next()
                .map(|m| m.as_str().trim().to_owned())
        })
    })
}

/// The dates and times `text` prints, longest first within each place they stand.
fn times(text: &str) -> Vec<String> {
    let zh = ZH_TIME
        .find_iter(text)
        .map(|m| m.as_str().trim().to_owned())
        // A bare figure is no time; a time has a date, a clock or a weekly rhythm.
        .filter(|t| {
            t.chars().count() >= 4
                && (t.contains(['月', ':', '：', '时']) || t.starts_with('每') || t.contains('天'))
        });
    let en = EN_TIME
        .find_iter(text)
        .map(|m| m.as_str().trim().to_owned());
    zh.chain(en).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_quoted_from_the_text_or_not_at_all() {
        let notice = "青溪市第二职业学校\n地址:青溪市桂园街道学士街88号\n招生热线:86128800(微信同号) 86128801";
        assert_eq!(
            quote_fact(Fact::Phone, notice, &[]).as_deref(),
            Some("86128800、86128801")
        );
        assert_eq!(
            quote_fact(Fact::Place, notice, &[]).as_deref(),
            Some("青溪市桂园街道学士街88号")
        );
        assert_eq!(quote_fact(Fact::Price, notice, &[]), None);
        assert_eq!(quote_fact(Fact::Contact, notice, &[]), None);
        let water = "因滨河路供水管道改造施工,定于2026年12月2日(星期三)8:00至18:00,对滨河路沿线区域暂停供水。";
        assert_eq!(
            quote_fact(Fact::Time, water, &[]).as_deref(),
            Some("2026年12月2日(星期三)8:00至18:00")
        );
        let fair = "The hydrant flushing starts Monday, May 17, 2027, from 8 a.m. to 4 p.m. daily. Tickets are $15. Contact: Jane Doe";
        assert_eq!(
            quote_fact(Fact::Time, fair, &[]).as_deref(),
            Some("Monday, May 17, 2027, from 8 a.m. to 4 p.m.")
        );
        assert_eq!(quote_fact(Fact::Price, fair, &[]).as_deref(), Some("$15"));
        assert_eq!(
            quote_fact(Fact::Contact, fair, &[]).as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(
            quote_fact(Fact::Reporter, "", &["林朔".to_owned()]).as_deref(),
            Some("林朔")
        );
        assert_eq!(
            quote_fact(Fact::Place, "活动将在文化广场举行。", &[]).as_deref(),
            Some("文化广场")
        );
    }
}
