//! The editions one deployment serves: each with an id, a name, a language, a time zone, its
//! sources (pages, a digital-edition site, feeds), its build time and its editors; one of them
//! the default (where existing subscribers belong). Checked as a whole: ids unique and
//! well-formed, a default that exists, every edition with a source. Pure: reading the file is
//! `crate::program::editions_file`.

use url::Url;

use super::digest::Lang;
pub use super::edition_id::{EditionId, MAX_EDITION_ID};
use super::subscriber::DeliveryTime;

/// One edition the bot serves.
#[derive(Debug, Clone, PartialEq)]
pub struct EditionPlan {
    /// Its id.
    pub id: EditionId,
    /// Its name as residents see it (`嘉兴日报·平湖版`).
    pub name: String,
    /// The language it is printed in.
    pub language: Lang,
    /// Its time zone, which decides what "today" is.
    pub timezone: chrono_tz::Tz,
    /// The day's pages, in order: paths or URLs, templates with date fields and `{page}`, or a
    /// digital edition's day index.
    pub pages: Vec<String>,
    /// Feeds whose items join the edition.
    pub feeds: Vec<Url>,
    /// When the day's digest is built, in `timezone`.
    pub build_at: DeliveryTime,
    /// Telegram user ids of its editors.
    pub editors: Vec<i64>,
}

/// Why a set of editions cannot be served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditionsError {
    /// No edition at all.
    #[error("no edition is listed")]
    Empty,
    /// Two editions with one id.
    #[error("edition id '{0}' is listed twice")]
    DuplicateId(String),
    /// The default names no listed edition.
    #[error("the default edition '{0}' is not listed")]
    UnknownDefault(String),
    /// An edition with neither pages nor feeds.
    #[error("edition '{0}' has no source: give it pages (or a site) or feeds")]
    NoSource(String),
    /// An editor id that is not a Telegram user id.
    #[error("edition '{id}': editor {editor} is not a Telegram user id (a positive number)")]
    BadEditor { id: String, editor: i64 },
    /// An empty name.
    #[error("edition '{0}' has no name")]
    NoName(String),
}

/// The editions a deployment serves, one of them the default.
#[derive(Debug, Clone, PartialEq)]
pub struct Editions {
    plans: Vec<EditionPlan>,
    default: usize,
}

impl Editions {
    /// Checks `plans` as a whole; `default` names the default edition (the first when `None`).
    ///
    /// # Errors
    /// [`EditionsError`] for the first problem found.
    pub fn new(
        plans: Vec<EditionPlan>,
        default: Option<&EditionId>,
    ) -> Result<Self, EditionsError> {
        if plans.is_empty() {
            return Err(EditionsError::Empty);
        }
        for (i, plan) in plans.iter().enumerate() {
            if plans[..i].iter().any(|p| p.id == plan.id) {
                return Err(EditionsError::DuplicateId(plan.id.to_string()));
            }
            if plan.name.trim().is_empty() {
                return Err(EditionsError::NoName(plan.id.to_string()));
            }
            if plan.pages.is_empty() && plan.feeds.is_empty() {
                return Err(EditionsError::NoSource(plan.id.to_string()));
            }
            if let Some(&editor) = plan.editors.iter().find(|&&e| e <= 0) {
                return Err(EditionsError::BadEditor {
                    id: plan.id.to_string(),
                    editor,
                });
            }
        }
        let default = match default {
            None => 0,
            Some(id) => plans
                .iter()
                .position(|p| p.id == *id)
                .ok_or_else(|| EditionsError::UnknownDefault(id.to_string()))?,
        };
        Ok(Self { plans, default })
    }

    /// The default edition.
    #[must_use]
    pub fn default_edition(&self) -> &EditionPlan {
        &self.plans[self.default]
    }

    /// The edition with `id`.
    #[must_use]
    pub fn get(&self, id: &EditionId) -> Option<&EditionPlan> {
        self.plans.iter().find(|p| p.id == *id)
    }

    /// Every edition, in the order listed.
    pub fn iter(&self) -> impl Iterator<Item = &EditionPlan> {
        self.plans.iter()
    }

    /// How many editions.
    #[must_use]
    pub fn len(&self) -> usize {
        self.plans.len()
    }

    /// Never true: a set of editions holds at least one.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }

    /// The editions `user` is an editor of.
    #[must_use]
    pub fn edited_by(&self, user: i64) -> Vec<&EditionPlan> {
        self.plans
            .iter()
            .filter(|p| p.editors.contains(&user))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(id: &str) -> EditionPlan {
        EditionPlan {
            id: EditionId::parse(id).expect("id"),
            name: format!("{id} edition"),
            language: Lang::Zh,
            timezone: chrono_tz::Asia::Shanghai,
            pages: vec![format!("https://paper.example/{id}/node_1.htm")],
            feeds: Vec::new(),
            build_at: DeliveryTime::new(5, 30).expect("time"),
            editors: vec![111],
        }
    }

    #[test]
    fn ids_are_short_lower_case_words() {
        for good in ["pinghu", "haining-2", "a"] {
            assert!(EditionId::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "Pinghu", "2pinghu", "ping hu", "平湖", &"x".repeat(33)] {
            assert!(EditionId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn editions_are_checked_as_a_whole() {
        let editions = Editions::new(vec![plan("pinghu"), plan("haining")], None).expect("ok");
        assert_eq!(editions.default_edition().id.as_str(), "pinghu");
        assert_eq!(editions.len(), 2);
        let haining = EditionId::parse("haining").expect("id");
        let chosen =
            Editions::new(vec![plan("pinghu"), plan("haining")], Some(&haining)).expect("ok");
        assert_eq!(chosen.default_edition().id, haining);
        assert_eq!(chosen.edited_by(111).len(), 2);
        assert_eq!(
            Editions::new(vec![plan("a"), plan("a")], None),
            Err(EditionsError::DuplicateId("a".into()))
        );
        assert_eq!(Editions::new(vec![], None), Err(EditionsError::Empty));
        let missing = EditionId::parse("zz").expect("id");
        assert_eq!(
            Editions::new(vec![plan("a")], Some(&missing)),
            Err(EditionsError::UnknownDefault("zz".into()))
        );
        let mut sourceless = plan("a");
        sourceless.pages.clear();
        assert_eq!(
            Editions::new(vec![sourceless], None),
            Err(EditionsError::NoSource("a".into()))
        );
        let mut bad_editor = plan("a");
        bad_editor.editors = vec![-5];
        assert!(matches!(
            Editions::new(vec![bad_editor], None),
            Err(EditionsError::BadEditor { .. })
        ));
    }
}
