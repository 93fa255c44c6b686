//! A whole edition from its pages: each page's items labelled with the page (its number and
//! name, from the page's header line or its place in the list), articles continued across
//! pages joined into one (`（下转第3版）` / `（上接第1版）`, `Continued on Page A6` /
//! `See BUDGET, Page A6`) with their text in order, and the same article printed twice listed
//! once. Pure: parsed pages in, one `Edition` out.

use serde::{Deserialize, Serialize};

use super::{Edition, Language};

mod headers;
mod joins;
mod jumps;
mod repeats;
mod reread;

pub use headers::{find_page_header, page_number, read_page_header};
pub use jumps::{read_jump, take_jump_marks};
pub use repeats::list_repeats_once;
pub use reread::reread_as_print;

use joins::join_continued;

/// Most pages one edition may have; a `{page}` template stops there.
pub const MAX_PAGES: usize = 64;

/// A page source list: specs separated by commas or new lines (a path may hold spaces).
#[must_use]
pub fn page_specs(list: &str) -> Vec<String> {
    list.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// True when `spec` names its pages by number (`{page}`, `{pp}` for two digits).
#[must_use]
pub fn is_page_template(spec: &str) -> bool {
    spec.contains("{page}") || spec.contains("{pp}")
}

/// `spec` for page `number`: `{page}` → `3`, `{pp}` → `03`.
#[must_use]
pub fn page_spec(spec: &str, number: usize) -> String {
    spec.replace("{page}", &number.to_string())
        .replace("{pp}", &format!("{number:02}"))
}

/// A page of the paper: its number as printed (`1`, `A6`) and its name (`要闻`, `Local News`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRef {
    /// The page's number, normalised: letter first, no leading zeros (`A06` → `A6`,
    /// `1B` → `B1`).
    pub number: String,
    /// The page's name, when printed or listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Where an article goes on to, or comes from: the other page's number, and the key word
/// English papers print with the jump (`See BUDGET, Page A6` → `BUDGET`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageJump {
    /// The other page's number, normalised like [`PageRef::number`].
    pub page: String,
    /// The jump's key word, when printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// One page as read, before it joins the edition.
#[derive(Debug, Clone)]
pub struct PageInput {
    /// The page read on its own.
    pub edition: Edition,
    /// Which page it is; `None` when neither its text nor its source said.
    pub page: Option<PageRef>,
    /// Where it came from, for warnings.
    pub origin: String,
}

impl PageRef {
    /// How the page is named in a digest: `第2版 综合`, `Page A6 · Local News`.
    #[must_use]
    pub fn label(&self, language: Language) -> String {
        match (language, &self.name) {
            (Language::Zh, Some(name)) => format!("第{}版 {name}", self.number),
            (Language::Zh, None) => format!("第{}版", self.number),
            (Language::En, Some(name)) => format!("Page {} · {name}", self.number),
            (Language::En, None) => format!("Page {}", self.number),
        }
    }
}

/// One edition from its pages, in the order given: items labelled with their page, continued
/// articles joined, articles printed twice listed once. A page with no header is numbered by
/// its place in the list.
#[must_use]
pub fn assemble_pages(pages: Vec<PageInput>) -> Edition {
    let mut edition = Edition::default();
    let mut languages = (0usize, 0usize);
    for (index, input) in pages.into_iter().enumerate() {
        let page = input.page.unwrap_or_else(|| PageRef {
            number: (index + 1).to_string(),
            name: None,
        });
        let PageInput {
            edition: mut one, ..
        } = input;
        match one.language {
            Language::Zh => languages.0 += one.articles.len().max(1),
            Language::En => languages.1 += one.articles.len().max(1),
        }
        for article in &mut one.articles {
            article.page.get_or_insert_with(|| page.clone());
        }
        for photo in &mut one.photos {
            photo.page.get_or_insert_with(|| page.clone());
        }
        for notice in &mut one.notices {
            notice.page.get_or_insert_with(|| page.clone());
        }
        if edition.masthead.is_none() {
            edition.masthead = one.masthead.take();
        }
        edition.stats.lines += one.stats.lines;
        edition.stats.rejoined_breaks += one.stats.rejoined_breaks;
        let origin = format!("page {} ({})", page.number, input.origin);
        edition.absorb(one, &origin);
    }
    edition.language = if languages.1 > languages.0 {
        Language::En
    } else {
        Language::Zh
    };
    join_continued(&mut edition);
    list_repeats_once(&mut edition);
    edition
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::edition::parse_edition;

    fn page(text: &str, origin: &str) -> PageInput {
        PageInput {
            edition: parse_edition(text).expect("page reads"),
            page: find_page_header(text),
            origin: origin.to_owned(),
        }
    }

    const FRONT: &str = "平湖日报\n第1版　要闻\n\n城南大桥明日通车\n\n■记者 王强\n\n本报讯 经过两年建设，城南大桥将于明日上午正式通车。大桥全长1.2公里，连接城南新区与老城区，\n\n（下转第3版）\n\n老街改造完工\n\n■记者 李红\n\n本报讯 历时半年的老街改造工程昨天完工，沿街店铺陆续恢复营业。\n";
    const THIRD: &str = "第3版　综合\n\n城南大桥明日通车\n\n（上接第1版）\n\n通车后市民往返两地的时间将缩短二十分钟。交通部门提醒市民注意绕行。\n\n社区义诊进村\n\n■记者 张敏\n\n本报讯 昨天，市人民医院的医生来到村里为老人义诊，测血压、讲健康知识。\n";

    #[test]
    fn an_article_continued_on_another_page_is_one_article_in_order() {
        let edition = assemble_pages(vec![page(FRONT, "p1.txt"), page(THIRD, "p3.txt")]);
        let titles: Vec<&str> = edition.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["城南大桥明日通车", "老街改造完工", "社区义诊进村"]);
        let bridge = &edition.articles[0];
        let text = bridge.paragraphs.join("\n");
        assert!(
            text.contains("连接城南新区与老城区，通车后市民往返两地的时间将缩短二十分钟。"),
            "the sentence cut by the jump is whole: {text}"
        );
        assert!(!text.contains("下转") && !text.contains("上接"), "{text}");
        assert_eq!(bridge.page.as_ref().map(|p| p.number.as_str()), Some("1"));
        assert_eq!(bridge.jump_to, None);
        let clinic = &edition.articles[2];
        assert_eq!(
            clinic.page.as_ref().map(|p| p.label(Language::Zh)),
            Some("第3版 综合".to_owned())
        );
        assert!(
            edition
                .warnings
                .iter()
                .all(|w| !w.message.contains("continues on"))
        );
    }

    #[test]
    fn pages_given_in_any_order_join_and_a_missing_page_is_a_warning() {
        let edition = assemble_pages(vec![page(THIRD, "p3.txt"), page(FRONT, "p1.txt")]);
        let bridge = edition
            .articles
            .iter()
            .filter(|a| a.title == "城南大桥明日通车")
            .count();
        assert_eq!(bridge, 1, "joined whatever the order");
        let alone = assemble_pages(vec![page(FRONT, "p1.txt")]);
        assert!(
            alone
                .warnings
                .iter()
                .any(|w| w.message.contains("continues on page 3")),
            "{:?}",
            alone.warnings
        );
        assert_eq!(alone.articles.len(), 2, "the front page alone still reads");
    }

    #[test]
    fn an_english_jump_with_a_key_word_finds_its_page_and_mends_a_hyphen() {
        let front = "Page A1 | Local News\n\nCouncil passes budget\n\nBy Ann Lee\nStaff Writer\n\nThe city council passed next year's budget on Tuesday after a long debate over road re-\n\nSee BUDGET, Page A6\n\nLibrary reopens\n\nBy Tom Hart\n\nThe library reopened on Monday with longer hours and a new reading room for children.\n";
        let sixth = "Page A6 | Local News\n\nBUDGET, from Page A1\n\npairs and the price of new buses. The vote was five to two.\n\nSchools plan new term\n\nBy Jo Park\n\nSchools set out their plans for the new term on Monday evening at a public meeting.\n";
        let edition = assemble_pages(vec![page(front, "a1"), page(sixth, "a6")]);
        let budget = edition
            .articles
            .iter()
            .find(|a| a.title.starts_with("Council passes budget"))
            .expect("budget article");
        let text = budget.paragraphs.join("\n");
        assert!(
            text.contains("over road repairs and the price of new buses."),
            "{text}"
        );
        assert_eq!(edition.language, Language::En);
        assert_eq!(
            edition
                .articles
                .iter()
                .filter(|a| a.title.contains("BUDGET"))
                .count(),
            0,
            "the continuation is not an article of its own"
        );
    }

    #[test]
    fn the_same_article_on_two_pages_is_listed_once_with_the_fuller_text() {
        let short = "第1版　要闻\n\n老街改造完工\n\n■记者 李红\n\n本报讯 历时半年的老街改造工程昨天完工。\n";
        let long = "第4版　城事\n\n老街改造完工\n\n■记者 李红\n\n本报讯 历时半年的老街改造工程昨天完工，沿街店铺陆续恢复营业，市民纷纷前来逛街。\n";
        let edition = assemble_pages(vec![page(short, "p1"), page(long, "p4")]);
        assert_eq!(edition.articles.len(), 1);
        let article = &edition.articles[0];
        assert!(article.paragraphs[0].contains("沿街店铺"));
        assert_eq!(article.page.as_ref().map(|p| p.number.as_str()), Some("1"));
    }

    #[test]
    fn page_lists_and_templates() {
        assert_eq!(
            page_specs("p1.txt, p2.txt\np3.txt"),
            ["p1.txt", "p2.txt", "p3.txt"]
        );
        assert!(is_page_template("https://x.example/{yyyy}/page{pp}.txt"));
        assert!(!is_page_template("p1.txt"));
        assert_eq!(page_spec("a/{page}/b{pp}.txt", 7), "a/7/b07.txt");
    }
}
