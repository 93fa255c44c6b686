//! The answer to a question for one fact (`交通学校的电话是多少`): the item of the day's
//! digests the question names, and the fact quoted from it, or why there is none. Only an
//! item that holds every word of the question's subject, in either language, is taken;
//! nothing is guessed.

use super::dictionary::Dictionary;
use super::digest::{Digest, Headline};
use super::edition::{Notice, Photo};
use super::fact_quote::quote_fact;
use super::intent::{Fact, FactQuestion};
use super::punctuation::{is_cjk, is_mostly_cjk};
use super::query_terms::{QueryTerm, query_terms};

/// What the digests answer to a fact question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactAnswer {
    /// The item and the fact as it prints it.
    Quoted {
        /// The item's title.
        title: String,
        /// True for a notice, false for an article.
        notice: bool,
        /// The fact, quoted.
        fact: String,
    },
    /// The item named does not print the fact.
    Missing {
        /// The item's title.
        title: String,
        /// True for a notice, false for an article.
        notice: bool,
    },
    /// The question names no item.
    Unnamed,
    /// No item of the digests holds the words of the question.
    NotFound,
}

/// Answers `question` from `digests` (today's, newest first).
#[must_use]
pub fn answer_fact(question: &FactQuestion, digests: &[Digest]) -> FactAnswer {
    if question.subject.is_empty() {
        return FactAnswer::Unnamed;
    }
    let terms = query_terms(&question.subject, Dictionary::embedded());
    let notices = digests.iter().flat_map(|d| &d.notices).map(Item::Notice);
    let articles = digests.iter().flat_map(|d| &d.headlines).map(Item::Article);
    let photos = digests.iter().flat_map(|d| &d.photos).map(Item::Photo);
    let items: Vec<Item<'_>> = if question.fact == Fact::Reporter {
        articles.chain(photos).chain(notices).collect()
    } else {
        notices.chain(articles).chain(photos).collect()
    };
    let counts: Vec<(usize, usize)> = items.iter().map(|i| i.terms_held(&terms)).collect();
    // The items holding every word of the subject; failing that, the one item (and only
    // one) holding all but one of three or more words (`When did construction of the new
    // bridge start?`: the bridge story says 开工, not "start").
    let mut named: Vec<&Item<'_>> = items
        .iter()
        .zip(&counts)
        .filter(|(_, (held, needed))| held == needed)
        .map(|(item, _)| item)
        .collect();
    if named.is_empty() {
        let nearly: Vec<&Item<'_>> = items
            .iter()
            .zip(&counts)
            .filter(|(_, (held, needed))| *needed >= 3 && held + 1 == *needed)
            .map(|(item, _)| item)
            .collect();
        if nearly.len() == 1 {
            named = nearly;
        }
    }
    // Items naming the subject in their titles come first (`共富项目那张照片`: the photo
    // titled 共富项目, not an article that mentions it), else in the fact's order of kinds.
    named.sort_by_key(|item| std::cmp::Reverse(item.terms_in_heads(&terms)));
    // The first item that prints the fact; else the first item named, which does not.
    let quoted = named.iter().find_map(|item| {
        quote_fact(question.fact, &item.text(), item.reporters()).map(|fact| FactAnswer::Quoted {
            title: item.title(),
            notice: item.is_notice(),
            fact,
        })
    });
    quoted
        .or_else(|| {
            named.first().map(|item| FactAnswer::Missing {
                title: item.title(),
                notice: item.is_notice(),
            })
        })
        .unwrap_or(FactAnswer::NotFound)
}

/// A notice, an article or a photo item of a digest.
enum Item<'a> {
    Notice(&'a Notice),
    Article(&'a Headline),
    Photo(&'a Photo),
}

impl Item<'_> {
    fn title(&self) -> String {
        match self {
            Item::Notice(n) => n.shown_title().to_owned(),
            Item::Article(h) => h.title.clone(),
            Item::Photo(p) => p
                .title
                .clone()
                .unwrap_or_else(|| crate::core::prose::title_from_text(&p.caption, 20)),
        }
    }

    /// Everything the item prints that can name it: titles, summaries, the whole text.
    fn names(&self) -> String {
        match self {
            Item::Notice(n) => format!("{}\n{}", n.title.as_deref().unwrap_or(""), n.text),
            Item::Article(h) => format!(
                "{}\n{}\n{}\n{}\n{}",
                h.kicker.as_deref().unwrap_or(""),
                h.title,
                h.subtitle.as_deref().unwrap_or(""),
                h.summary_short,
                h.paragraphs.join("\n")
            ),
            Item::Photo(p) => format!("{}\n{}", p.title.as_deref().unwrap_or(""), p.caption),
        }
    }

    /// (how many of `terms` the item holds, how many it must hold). A word the word list
    /// cannot put into Chinese (`enrollment`) is not asked of a Chinese item, unless it is
    /// all the question names.
    fn terms_held(&self, terms: &[QueryTerm]) -> (usize, usize) {
        let names = self.names().to_lowercase();
        let chinese = is_mostly_cjk(&names);
        let askable: Vec<&QueryTerm> = terms
            .iter()
            .filter(|t| !(chinese && untranslatable(t)))
            .collect();
        let askable = if askable.is_empty() {
            terms.iter().collect()
        } else {
            askable
        };
        let held = askable.iter().filter(|t| t.found_in(&names)).count();
        (held, askable.len())
    }

    /// How many of `terms` the item's titles (kicker, title, subtitle) hold.
    fn terms_in_heads(&self, terms: &[QueryTerm]) -> usize {
        let heads = match self {
            Item::Notice(n) => n.shown_title().to_owned(),
            Item::Article(h) => format!(
                "{}\n{}\n{}",
                h.kicker.as_deref().unwrap_or(""),
                h.title,
                h.subtitle.as_deref().unwrap_or("")
            ),
            Item::Photo(_) => self.title(),
        }
        .to_lowercase();
        terms.iter().filter(|t| t.found_in(&heads)).count()
    }

    fn text(&self) -> String {
        match self {
            Item::Notice(n) => n.text.clone(),
            // The article as printed when the digest kept it, else its summaries.
            Item::Article(h) if !h.paragraphs.is_empty() => h.paragraphs.join("\n"),
            Item::Article(h) => format!("{}\n{}", h.summary_short, h.summary),
            Item::Photo(p) => p.caption.clone(),
        }
    }

    fn reporters(&self) -> &[String] {
        match self {
            Item::Notice(_) => &[],
            Item::Article(h) => &h.reporters,
            Item::Photo(p) => &p.photographers,
        }
    }

    fn is_notice(&self) -> bool {
        matches!(self, Item::Notice(_))
    }
}

/// True for an English word the word list has no Chinese for.
fn untranslatable(term: &QueryTerm) -> bool {
    !term.word.chars().any(is_cjk) && term.forms.iter().all(|f| !f.chars().any(is_cjk))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::digest::build_digest;
    use crate::core::edition::{SAMPLE_EDITION, parse_edition};
    use crate::core::intent::fact_question;
    use crate::core::summary::{Segmenter, Summarizer};

    /// What a phrasing must get.
    enum Expect {
        /// The fact, holding this text.
        Quoted(&'static str),
        /// A fact quoted from an article.
        ArticleQuoted,
        Missing,
        Unnamed,
        NotFound,
    }

    /// At least forty phrasings, Chinese and English, short and long, asked of the embedded
    /// sample page and of a small English page: the fact quoted, or why not.
    #[test]
    fn a_table_of_fact_questions() {
        let summarizer = Summarizer::new();
        let segmenter = Segmenter::new();
        let digest_of = |page: &str| {
            let edition = parse_edition(page).expect("parses");
            let summaries: Vec<_> = edition
                .articles
                .iter()
                .map(|a| summarizer.summarize_article(a))
                .collect();
            let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date");
            build_digest(&edition, date, "test", &summaries)
        };
        let zh = digest_of(SAMPLE_EDITION);
        let en_page = "The Millbrook Weekly\nThursday, May 13, 2027\n\nHydrant flushing starts Monday\nBy Dana Lee\n\nMILLBROOK — The Public Works Department will flush hydrants from Monday, May 17, 2027, between 8 a.m. and 4 p.m. daily.\n\nPUBLIC NOTICE\nThe Millbrook Library book sale will be held on Saturday, May 22, 2027, from 9 a.m. to 1 p.m. at the Town Hall. Bags of books cost $5.\nContact: Ruth Alder\nPhone: (555) 201-4400\nFriends of the Millbrook Library\n";
        let en = digest_of(en_page);
        use Expect::{ArticleQuoted, Missing, NotFound, Quoted, Unnamed};
        let table: Vec<(&str, &Digest, Expect)> = vec![
            ("职业学校的电话是多少", &zh, Quoted("86128800")),
            ("职业学校电话", &zh, Quoted("86128801")),
            (
                "请问第二职业学校的招生热线是多少？",
                &zh,
                Quoted("86128800"),
            ),
            ("职业学校的联系方式", &zh, Quoted("86128800")),
            ("职业学校在哪", &zh, Quoted("学士街88号")),
            ("职业学校在哪里？", &zh, Quoted("学士街88号")),
            ("职业学校的地址是什么", &zh, Quoted("学士街88号")),
            ("职业学校收费多少钱", &zh, Missing),
            ("职业学校的联系人是谁", &zh, Missing),
            ("停水是什么时候", &zh, Quoted("12月2日")),
            ("停水通知的时间", &zh, Quoted("8:00至18:00")),
            ("停水几点恢复", &zh, Quoted("18:00")),
            ("停水哪天", &zh, Quoted("2026年12月2日")),
            ("停水咨询电话多少", &zh, Quoted("0573-86012345")),
            ("停水的电话", &zh, Quoted("0573-86012345")),
            ("自来水公司电话", &zh, Quoted("0573-86012345")),
            ("停水要多少钱", &zh, Missing),
            ("停水联系人", &zh, Missing),
            ("电话多少？", &zh, Unnamed),
            ("电话", &zh, Unnamed),
            ("几点？", &zh, Unnamed),
            ("在哪", &zh, Unnamed),
            ("体育馆的电话是多少", &zh, NotFound),
            ("游泳馆在哪里", &zh, NotFound),
            ("码头那篇是谁写的", &zh, ArticleQuoted),
            ("码头的记者是谁", &zh, ArticleQuoted),
            (
                "What's the phone number for the book sale?",
                &en,
                Quoted("(555) 201-4400"),
            ),
            ("book sale phone", &en, Quoted("(555) 201-4400")),
            ("library phone number", &en, Quoted("(555) 201-4400")),
            ("When is the book sale?", &en, Quoted("May 22, 2027")),
            (
                "what time is the library book sale",
                &en,
                Quoted("9 a.m. to 1 p.m."),
            ),
            ("Where is the book sale?", &en, Quoted("Town Hall")),
            ("How much are the books at the sale?", &en, Quoted("$5")),
            ("book sale price", &en, Quoted("$5")),
            (
                "Who do I contact about the book sale? who to contact",
                &en,
                Quoted("Ruth Alder"),
            ),
            ("book sale contact person", &en, Quoted("Ruth Alder")),
            ("who wrote the hydrant story", &en, Quoted("Dana Lee")),
            ("hydrant reporter", &en, Quoted("Dana Lee")),
            ("when is the hydrant flushing", &en, Quoted("May 17, 2027")),
            ("hydrant flushing phone", &en, Missing),
            ("phone number?", &en, Unnamed),
            ("where is the swimming pool", &en, NotFound),
        ];
        assert!(table.len() >= 40);
        let mut wrong = Vec::new();
        for (text, digest, check) in &table {
            let Some(question) = fact_question(text, &segmenter) else {
                wrong.push(format!("{text}: not read as a fact question"));
                continue;
            };
            let answer = answer_fact(&question, std::slice::from_ref(*digest));
            let ok = match (check, &answer) {
                (Expect::Quoted(want), FactAnswer::Quoted { fact, .. }) => fact.contains(want),
                (Expect::ArticleQuoted, FactAnswer::Quoted { notice, .. }) => !notice,
                (Expect::Missing, FactAnswer::Missing { .. }) => true,
                (Expect::Unnamed, FactAnswer::Unnamed)
                | (Expect::NotFound, FactAnswer::NotFound) => true,
                _ => false,
            };
            if !ok {
                wrong.push(format!("{text}: {question:?} → {answer:?}"));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} of {}:\n{}",
            wrong.len(),
            table.len(),
            wrong.join("\n")
        );
    }
}
