//! Reads the people out of a byline or photo credit: roles (`记者`, `通讯员`, `实习生`,
//! `摄影`, `By`) and names, re-joining names the layout spaced out (`王 强`).

use std::sync::LazyLock;

use regex::Regex;

use super::Credit;

/// Role words, longest first so `摄影记者` wins over `摄影`.
const ROLES: &[&str] = &[
    "本报通讯员",
    "特约通讯员",
    "本报实习生",
    "本报见习记者",
    "本报记者",
    "见习记者",
    "特约记者",
    "首席记者",
    "摄影记者",
    "记者",
    "通讯员",
    "实习生",
    "摄影",
    "摄",
    "文/图",
    "文图",
    "图/文",
    "图文",
    "文",
    "图",
];

/// An agency or paper in front of a role: `新华社记者`, `人民日报记者`, `央视记者`.
static AGENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{1,6}?(?:社|台|报|网|视)(?:特约|首席|驻\p{Han}{1,4})?记者")
        .expect("static regex")
});

/// Words that say where a writer works rather than who they are: `Associated Press`,
/// `Staff Writer`, `Special to the Courier`, `The Riverton Courier`.
static AFFILIATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:the\s.+|(?:special\s+)?(?:to|for)\s+the\s.+|special\s+to\s.+|.*\b(?:press|reuters|bloomberg|afp|xinhua|staff|writers?|reporters?|journalists?|photographers?|correspondents?|editors?|columnists?|contributors?|contributing|bureau|service|wire|newspapers?|times|post|news|courier|gazette|herald|tribune|journal|daily|weekly|chronicle|observer|sentinel|examiner|dispatch|review|register|inquirer|bulletin))$")
        .expect("static regex")
});

/// True for a byline part or line that names an employer or a job, not a person.
pub fn is_affiliation(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text.chars().count() <= 48
        && text.split_whitespace().count() <= 7
        && AFFILIATION.is_match(text)
}

/// Splits a role word off the front of `text`, returning it and the rest. An agency in front
/// of the role (`新华社记者`) is part of the role.
pub fn split_role_prefix(text: &str) -> (Option<&str>, &str) {
    let text = text.trim_start();
    if let Some(m) = AGENCY.find(text) {
        let rest = &text[m.end()..];
        return (
            Some(m.as_str()),
            rest.trim_start_matches([' ', '\u{3000}', ':', '：', '/']),
        );
    }
    for role in ROLES {
        if let Some(rest) = text.strip_prefix(role) {
            // Single-character roles only count when something separates them from a name.
            if role.chars().count() == 1 && !rest.starts_with([' ', '\u{3000}', ':', '：', '/']) {
                continue;
            }
            return (
                Some(role),
                rest.trim_start_matches([' ', '\u{3000}', ':', '：', '/']),
            );
        }
    }
    (None, text)
}

/// Parses `记者 荣怡婷 通讯员 张三、李四` into credits. Names spaced out by the layout are
/// re-joined: a lone character is a surname waiting for its given name.
/// Words printed in a credit where a name would be, naming nobody.
const NAMES_NOBODY: &[&str] = &[
    "报道",
    "报导",
    "摄",
    "受访者提供",
    "资料图片",
    "资料图",
    "网络图片",
    "本报资料图",
    "供图",
];

pub fn parse_credits(text: &str) -> Vec<Credit> {
    // `文／陈斯琪`: a full-width slash reads as the ASCII one.
    let text = &text.replace('／', "/");
    let mut credits = Vec::new();
    let mut role: Option<String> = None;
    let mut fragments: Vec<String> = Vec::new();
    let flush = |role: &Option<String>, fragments: &mut Vec<String>, credits: &mut Vec<Credit>| {
        // `本报记者 司徒嘉 报道`, `图/受访者提供`: words that name nobody.
        fragments.retain(|f| !NAMES_NOBODY.contains(&f.as_str()));
        for name in join_name_fragments(fragments) {
            credits.push(Credit {
                role: role.clone().unwrap_or_else(|| "记者".to_owned()),
                name,
            });
        }
        fragments.clear();
    };
    let mut last_was_role = false;
    for token in text
        .split(|c: char| {
            c.is_whitespace()
                || matches!(c, '、' | ',' | '，' | '\u{3000}' | '(' | ')' | '（' | '）')
        })
        .filter(|t| !t.is_empty())
    {
        let mut rest = token;
        while !rest.is_empty() {
            let (found, after) = split_role_prefix(rest);
            let Some(found) = found else {
                fragments.push(rest.to_owned());
                last_was_role = false;
                break;
            };
            // `摄影 记者 王强` names one role twice: the first word says what the credit is.
            if !last_was_role {
                flush(&role, &mut fragments, &mut credits);
                role = Some(found.to_owned());
            }
            last_was_role = true;
            rest = after;
        }
    }
    flush(&role, &mut fragments, &mut credits);
    credits
}

/// Joins layout-spaced name fragments: a one-character fragment takes the next one with it.
fn join_name_fragments(fragments: &[String]) -> Vec<String> {
    let mut names = Vec::new();
    let mut i = 0;
    while i < fragments.len() {
        let f = &fragments[i];
        if f.chars().count() == 1 && i + 1 < fragments.len() {
            names.push(format!("{f}{}", fragments[i + 1]));
            i += 2;
        } else if f.chars().count() == 1 && !names.is_empty() {
            if let Some(last) = names.last_mut() {
                last.push_str(f);
            }
            i += 1;
        } else {
            names.push(f.clone());
            i += 1;
        }
    }
    names
}

/// Splits `Jane Doe, Li Wei and Sam Roe` into names; parts that name an employer or a job
/// (`By Tom Hale, Associated Press`) come back separately as affiliations.
pub fn split_english_names(text: &str) -> (Vec<String>, Vec<String>) {
    let mut names = Vec::new();
    let mut affiliations = Vec::new();
    // `Erik Dahl / Pilot`: what follows a slash is the paper.
    let (people, paper) = text.split_once('/').unwrap_or((text, ""));
    if !paper.trim().is_empty() {
        affiliations.push(paper.trim().to_owned());
    }
    for part in people.split(',') {
        if is_affiliation(part) {
            affiliations.push(part.trim().to_owned());
            continue;
        }
        for name in part
            .split(" and ")
            .flat_map(|p| p.split(" AND "))
            .flat_map(|p| p.split(" & "))
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            names.push(name.to_owned());
        }
    }
    (names, affiliations)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, String)> {
        parse_credits(text)
            .into_iter()
            .map(|c| (c.role, c.name))
            .collect()
    }

    fn pair(role: &str, name: &str) -> (String, String) {
        (role.to_owned(), name.to_owned())
    }

    #[test]
    fn one_reporter() {
        assert_eq!(names("记者 荣怡婷"), vec![pair("记者", "荣怡婷")]);
    }

    #[test]
    fn several_reporters_and_a_correspondent() {
        assert_eq!(
            names("记者 林晓雯 周启航 通讯员 陈静、王小明"),
            vec![
                pair("记者", "林晓雯"),
                pair("记者", "周启航"),
                pair("通讯员", "陈静"),
                pair("通讯员", "王小明")
            ]
        );
    }

    #[test]
    fn photo_credit_with_a_spaced_name_keeps_one_person() {
        assert_eq!(names("摄影 记者 王 强"), vec![pair("摄影", "王强")]);
        assert_eq!(
            names("摄影 王强 纪亚千"),
            vec![pair("摄影", "王强"), pair("摄影", "纪亚千")]
        );
    }

    #[test]
    fn role_glued_to_the_name_is_split() {
        assert_eq!(names("记者张三"), vec![pair("记者", "张三")]);
    }

    #[test]
    fn english_names_split_on_commas_and_and() {
        assert_eq!(
            split_english_names("Jane Doe, Li Wei and Sam Roe").0,
            vec!["Jane Doe", "Li Wei", "Sam Roe"]
        );
        assert_eq!(
            split_english_names("Tom Hale, Associated Press"),
            (
                vec!["Tom Hale".to_owned()],
                vec!["Associated Press".to_owned()]
            )
        );
    }

    #[test]
    fn an_agency_in_front_of_the_role_belongs_to_it() {
        assert_eq!(
            names("新华社记者 严可 顾川"),
            vec![pair("新华社记者", "严可"), pair("新华社记者", "顾川")]
        );
        assert_eq!(names("文/记者 王芳"), vec![pair("文", "王芳")]);
    }

    #[test]
    fn affiliations_are_told_from_names() {
        for a in [
            "Staff Writer",
            "Associated Press",
            "Special to the Weekly",
            "The Riverton Courier",
            "Senior Correspondent",
            "Staff Writers",
        ] {
            assert!(is_affiliation(a), "{a}");
        }
        for n in ["Maria Keane", "Tom Hale", "Ana Perez"] {
            assert!(!is_affiliation(n), "{n}");
        }
    }
}
