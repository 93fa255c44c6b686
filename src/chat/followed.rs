//! The editions a chat reads: every edition the deployment serves as the chat sees it (id,
//! name, its view of the store, its zone), and which of them a chat follows (the default
//! when it follows none or has not subscribed). Sections, answers and searches read the
//! digests of these.

use crate::core::digest::Digest;
use crate::core::edition_id::EditionId;
use crate::core::edition_routes::EditionRoutes;
use crate::core::subscriber::Subscriber;
use crate::edge::clock::Clock;
use crate::edge::store::{Store, StoreError};

/// One edition as the chat sees it.
#[derive(Debug, Clone)]
pub struct ChatEdition {
    /// Its id.
    pub id: EditionId,
    /// Its name as residents see it (the latest digest's name when the settings give none).
    pub name: String,
    /// The store viewed for its digests.
    pub store: Store,
    /// Its zone, which decides which day's digest is "today's".
    pub timezone: chrono_tz::Tz,
}

/// Every edition served, the default first.
#[derive(Debug, Clone)]
pub struct ChatEditions {
    /// The editions.
    pub list: Vec<ChatEdition>,
    /// Their ids and ledgers.
    pub routes: EditionRoutes,
}

impl ChatEditions {
    /// One edition (single-edition settings): the default, named `name`.
    #[must_use]
    pub fn single(store: Store, timezone: chrono_tz::Tz, name: String) -> Self {
        Self {
            list: vec![ChatEdition {
                id: EditionId::default_id(),
                name,
                store,
                timezone,
            }],
            routes: EditionRoutes::single(),
        }
    }

    /// True when more than one edition is served.
    #[must_use]
    pub fn several(&self) -> bool {
        self.list.len() > 1
    }

    /// The edition `id`, if served.
    #[must_use]
    pub fn get(&self, id: &EditionId) -> Option<&ChatEdition> {
        self.list.iter().find(|e| e.id == *id)
    }

    /// The editions `s` follows that are served, in its order; the default when it follows
    /// none (or none served any more) or `s` is `None`.
    #[must_use]
    pub fn followed(&self, s: Option<&Subscriber>) -> Vec<&ChatEdition> {
        let followed: Vec<&ChatEdition> = s
            .map(|s| self.routes.followed(s))
            .unwrap_or_default()
            .iter()
            .filter_map(|f| self.get(&f.edition))
            .collect();
        if followed.is_empty() {
            self.list.iter().take(1).collect()
        } else {
            followed
        }
    }

    /// (id, name) of every edition, for naming one in `/edition`.
    #[must_use]
    pub fn names(&self) -> Vec<(EditionId, String)> {
        self.list
            .iter()
            .map(|e| (e.id.clone(), e.name.clone()))
            .collect()
    }

    /// The names of `ids`, joined for a sentence.
    #[must_use]
    pub fn joined_names<'a>(&self, ids: impl IntoIterator<Item = &'a EditionId>) -> String {
        ids.into_iter()
            .map(|id| {
                self.get(id)
                    .map_or_else(|| id.to_string(), |e| e.name.clone())
            })
            .collect::<Vec<_>>()
            .join("、")
    }
}

impl ChatEdition {
    /// Today's digest (in the edition's zone), or before today's is built the latest one;
    /// the flag says whether it is today's.
    ///
    /// # Errors
    /// [`StoreError`] when the digest cannot be read.
    pub fn current_digest(&self, clock: &dyn Clock) -> Result<Option<(Digest, bool)>, StoreError> {
        match self.store.digest(clock.today_in(self.timezone))? {
            Some(d) => Ok(Some((d, true))),
            None => Ok(self.store.latest_digest()?.map(|d| (d, false))),
        }
    }
}
