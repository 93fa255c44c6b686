//! The edition parser on whole pages: the embedded sample, the real Pinghu page (when
//! `../shared` is present) and one fixture per layout family.

use newsbot::core::edition::{
    Edition, ForecastDay, NoticeKind, SAMPLE_EDITION, TemperatureUnit, parse_edition,
};

use crate::support::{FIXTURES, assert_every_line_owned_once, fixture, shared_pinghu_sample};

fn parse(text: &str) -> Edition {
    parse_edition(text).expect("fixture parses")
}

fn titles(e: &Edition) -> Vec<&str> {
    e.articles.iter().map(|a| a.title.as_str()).collect()
}

#[test]
fn every_fixture_places_each_line_exactly_once() {
    let mut pages: Vec<(&str, String)> = FIXTURES
        .iter()
        .map(|(n, t)| (*n, (*t).to_owned()))
        .collect();
    pages.push(("embedded sample", SAMPLE_EDITION.to_owned()));
    if let Some(p) = shared_pinghu_sample() {
        pages.push(("pinghu", p));
    }
    for (name, text) in pages {
        let e = parse(&text);
        assert_every_line_owned_once(&text, &e);
        assert!(
            e.unclassified.is_empty(),
            "{name}: unclassified {:?}",
            e.unclassified
        );
    }
}

#[test]
fn real_pinghu_page_is_read_like_a_careful_reader() {
    let Some(text) = shared_pinghu_sample() else {
        eprintln!("../shared/editions/pinghu-sample.txt not present; skipped");
        return;
    };
    let e = parse(&text);
    assert_eq!(e.articles.len(), 6);
    assert_eq!(e.photos.len(), 1);
    assert_eq!(e.stats.rejoined_breaks, 12);
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    assert_eq!(
        titles(&e),
        vec![
            "各界人士新年茶话会举行",
            "盐平塘大桥昨日通车",
            "我市召开现场推进会",
            "平湖后生网络文化传播联盟座谈会举行",
            "平湖升级企业综合服务中心为政务服务“增值”",
            "平湖“六维指标”巡察新模式提升基层治理新效能",
        ]
    );
    assert_eq!(
        e.articles[0].kicker.as_deref(),
        Some("奋力打造中国式现代化的金平湖璀璨明珠")
    );
    assert_eq!(
        e.articles[1].subtitle.as_deref(),
        Some("比原计划提前10个月")
    );
    assert_eq!(
        e.articles[4].subtitle.as_deref(),
        Some("走进一扇门 诉求一站清")
    );
    assert_eq!(e.articles[5].reporters, vec!["荣怡婷", "汤书睿"]);
    let body = e.articles[0].paragraphs.join("");
    assert!(body.contains("在突破突围中体现“平湖质效”"));
    assert!(
        e.articles[4]
            .paragraphs
            .iter()
            .any(|p| p.contains("实行“前台综合受理"))
    );
    assert!(
        e.articles[5]
            .paragraphs
            .iter()
            .any(|p| p.starts_with("而这些改变的背后,都与我市创新对村(社区)"))
    );
    let photo = &e.photos[0];
    assert_eq!(photo.title.as_deref(), Some("共富项目 丰收了"));
    assert_eq!(photo.photographers, vec!["王强", "纪亚千"]);
    let w = e.weather.as_ref().expect("weather");
    assert_eq!(
        (w.high_c, w.high_day),
        (Some(14.0), Some(ForecastDay::Today))
    );
    assert_eq!(
        (w.low_c, w.low_day),
        (Some(6.0), Some(ForecastDay::Tomorrow))
    );
    assert_eq!(w.wind.as_deref(), Some("偏东风3级"));
    let school = e
        .notices
        .iter()
        .find(|n| n.title.as_deref() == Some("嘉兴市交通学校"))
        .expect("school notice");
    assert_eq!(school.phones, vec!["8508171", "8508780"]);
    assert_eq!(
        school.addresses,
        vec!["平湖市当湖街道南王路(嘉兴学院平湖分校)内"]
    );
    assert!(
        e.notices
            .iter()
            .any(|n| n.kind == NoticeKind::Reminder && n.text == "友情提醒:关注天气,注意交通安全")
    );
    assert!(
        e.notices
            .iter()
            .any(|n| n.kind == NoticeKind::Slogan && n.text == "党建强基 打造新时代党建高地")
    );
    assert!(
        !e.articles
            .iter()
            .flat_map(|a| &a.paragraphs)
            .any(|p| p.contains("打造新时代党建高地") || p.contains("友情提醒"))
    );
}

#[test]
fn embedded_sample_has_the_same_kinds_of_damage_repaired() {
    let e = parse(SAMPLE_EDITION);
    assert_eq!(e.articles.len(), 5);
    assert_eq!(e.photos.len(), 1);
    assert_eq!(e.stats.rejoined_breaks, 9);
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    assert_eq!(
        e.masthead.as_ref().and_then(|m| m.iso_date.as_deref()),
        Some("2026-11-29")
    );
    let all: String = e
        .articles
        .iter()
        .flat_map(|a| a.paragraphs.iter().map(String::as_str))
        .collect();
    for joined in [
        "相融合。",
        "一季度(2027年3月底前)",
        "服务模式,让",
        "他说:“比赛",
        "离不开背后的数据共享",
    ] {
        assert!(all.contains(joined), "not re-joined: {joined}");
    }
    assert_eq!(e.articles[4].kicker.as_deref(), Some("数字赋能 便民利企"));
    assert_eq!(e.photos[0].photographers, vec!["王强"]);
}

#[test]
fn bylines_with_several_names_and_correspondents() {
    let e = parse(fixture("bylines.txt"));
    assert_eq!(
        titles(&e),
        vec!["三镇联手治水", "夜市重开", "乡村医生培训班开班"]
    );
    assert_eq!(e.articles[0].reporters, vec!["钱文斌", "何思远", "郑小红"]);
    assert_eq!(e.articles[0].credits[2].role, "通讯员");
    assert_eq!(
        e.articles[1].reporters,
        vec!["蔡静", "吴晓东", "林芳"],
        "credits inside 本报讯(…)"
    );
    assert_eq!(e.articles[1].dateline.as_deref(), Some("本报讯"));
    assert!(e.articles[1].paragraphs[0].starts_with("3月1日晚"));
    assert!(e.articles[1].paragraphs[1].ends_with("要亮证经营,明码标价。"));
    assert_eq!(e.articles[2].reporters, vec!["孟凡", "赵一鸣", "许丽丽"]);
    assert_eq!(e.articles[2].credits[1].role, "实习生");
    assert!(e.weather.is_none());
    assert_eq!(
        e.masthead.as_ref().and_then(|m| m.iso_date.as_deref()),
        Some("2026-03-02")
    );
}

#[test]
fn photo_credit_with_spaces_inside_a_name() {
    let e = parse(fixture("photo-spaced-name.txt"));
    assert_eq!(e.photos.len(), 2);
    assert_eq!(e.photos[0].title.as_deref(), Some("梨花开了"));
    assert_eq!(e.photos[0].photographers, vec!["王强"]);
    assert_eq!(e.photos[1].photographers, vec!["李晓明"]);
    assert!(e.articles.is_empty());
}

#[test]
fn public_notices_keep_dates_issuer_and_phone() {
    let e = parse(fixture("public-notices.txt"));
    assert_eq!(e.articles.len(), 1);
    assert_eq!(
        e.articles[0].paragraphs.len(),
        1,
        "the article must not swallow the notices"
    );
    assert_eq!(e.notices.len(), 2);
    let water = &e.notices[0];
    assert_eq!(water.kind, NoticeKind::Announcement);
    assert_eq!(water.title.as_deref(), Some("停水通知"));
    assert_eq!(water.issuer.as_deref(), Some("嘉禾市水务集团有限公司"));
    assert_eq!(water.phones, vec!["0573-82081234"]);
    assert!(water.dates.iter().any(|d| d == "2026年4月8日(星期三)"));
    assert!(water.dates.iter().any(|d| d == "22:00"));
    let power = &e.notices[1];
    assert_eq!(power.title.as_deref(), Some("停电通知"));
    assert_eq!(power.issuer.as_deref(), Some("国网嘉禾供电公司"));
    assert_eq!(power.phones, vec!["95598"]);
    assert!(power.dates.iter().any(|d| d == "8:30至16:30"));
}

#[test]
fn page_without_weather_has_null_weather_and_no_warnings() {
    let e = parse(fixture("no-weather.txt"));
    assert!(e.weather.is_none());
    assert_eq!(e.articles.len(), 2);
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    let json = serde_json::to_value(&e).expect("json");
    assert!(json["weather"].is_null());
}

#[test]
fn english_page_reads_bylines_datelines_and_fahrenheit() {
    let e = parse(fixture("english-page.txt"));
    assert_eq!(
        titles(&e),
        vec![
            "Old mill bridge reopens two months early",
            "Library extends evening hours"
        ]
    );
    assert_eq!(e.articles[0].reporters, vec!["Jane Doe", "Li Wei"]);
    assert_eq!(e.articles[0].dateline.as_deref(), Some("RIVERTON"));
    assert!(e.articles[0].paragraphs[0].contains("widened the deck to four lanes and added"));
    assert_eq!(e.photos[0].photographers, vec!["Maria Gomez"]);
    let w = e.weather.as_ref().expect("weather");
    assert_eq!(w.unit, TemperatureUnit::Fahrenheit);
    assert_eq!(
        (w.high_c, w.high_day),
        (Some(14.4), Some(ForecastDay::Today))
    );
    assert_eq!(
        (w.low_c, w.low_day),
        (Some(1.1), Some(ForecastDay::Tonight))
    );
    assert_eq!(w.low.as_ref().map(|t| t.printed.as_str()), Some("34°F"));
    assert_eq!(e.notices[0].phones, vec!["(555) 010-2477"]);
    assert_eq!(
        e.notices[0].issuer.as_deref(),
        Some("Riverton Water Department")
    );
}

#[test]
fn json_contract_has_the_documented_fields() {
    let json = serde_json::to_value(parse(SAMPLE_EDITION)).expect("json");
    for key in [
        "articles",
        "photos",
        "weather",
        "notices",
        "unclassified",
        "warnings",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    let article = &json["articles"][0];
    for key in ["title", "subtitle", "reporters", "paragraphs", "link"] {
        assert!(article.get(key).is_some(), "article lacks {key}");
    }
    assert!(
        article["reporters"].is_array()
            && article["paragraphs"].is_array()
            && article["link"].is_null()
    );
    for key in ["title", "caption", "photographers"] {
        assert!(json["photos"][0].get(key).is_some(), "photo lacks {key}");
    }
    let weather = &json["weather"];
    assert_eq!(weather["high_c"], 12.0);
    assert_eq!(weather["high_day"], "today");
    assert_eq!(weather["low_c"], 3.0);
    assert_eq!(weather["low_day"], "tomorrow");
    for key in ["today", "tomorrow", "wind"] {
        assert!(weather[key].is_string(), "weather lacks {key}");
    }
    for key in ["title", "text", "phones"] {
        assert!(json["notices"][0].get(key).is_some(), "notice lacks {key}");
    }
}

/// The same page with every ASCII `, ( ) ; : !` turned full-width, and CRLF line ends.
fn full_width_crlf(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ',' => '，',
            '(' => '（',
            ')' => '）',
            ';' => '；',
            ':' => '：',
            '!' => '！',
            other => other,
        })
        .collect::<String>()
        .replace('\n', "\r\n")
}

#[test]
fn half_and_full_width_punctuation_read_alike() {
    let mut pages = vec![SAMPLE_EDITION.to_owned()];
    pages.extend(shared_pinghu_sample());
    for page in pages {
        let plain = parse(&page);
        let wide_text = full_width_crlf(&page);
        let wide = parse(&wide_text);
        assert_every_line_owned_once(&wide_text, &wide);
        assert_eq!(titles(&wide), titles(&plain));
        assert_eq!(wide.stats.rejoined_breaks, plain.stats.rejoined_breaks);
        assert_eq!(wide.photos.len(), plain.photos.len());
        assert_eq!(wide.notices.len(), plain.notices.len());
        assert_eq!(
            wide.weather.as_ref().and_then(|w| w.high_c),
            plain.weather.as_ref().and_then(|w| w.high_c)
        );
        assert_eq!(
            wide.notices.iter().map(|n| n.phones.len()).sum::<usize>(),
            plain.notices.iter().map(|n| n.phones.len()).sum::<usize>()
        );
    }
}

#[test]
fn pages_without_blank_lines_read_the_same() {
    let mut pages: Vec<(&str, String)> = FIXTURES
        .iter()
        .map(|(n, t)| (*n, (*t).to_owned()))
        .collect();
    pages.push(("embedded sample", SAMPLE_EDITION.to_owned()));
    pages.extend(shared_pinghu_sample().map(|p| ("pinghu", p)));
    for (name, page) in pages {
        let plain = parse(&page);
        let dense_text: String = page
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        let dense = parse(&dense_text);
        assert_every_line_owned_once(&dense_text, &dense);
        assert_eq!(titles(&dense), titles(&plain), "{name}");
        assert_eq!(dense.photos.len(), plain.photos.len(), "{name}");
        let kinds = |e: &Edition| {
            e.notices
                .iter()
                .map(|n| (n.kind, n.title.clone(), n.phones.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(kinds(&dense), kinds(&plain), "{name}");
        let bodies = |e: &Edition| {
            e.articles
                .iter()
                .map(|a| a.paragraphs.len())
                .collect::<Vec<_>>()
        };
        assert_eq!(bodies(&dense), bodies(&plain), "{name}");
    }
}
