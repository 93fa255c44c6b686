//! One edition's part of the database: its delivery ledger, its sealed ledger days and its
//! digests. The default edition keeps the trees and keys every earlier version wrote
//! (`deliveries`, `digests`, `sealed-DATE`, `sealed_days`), so nothing moves when a
//! deployment starts serving several editions; another edition `X` has its own
//! (`ledger:X`, `digests:X`, `sealed:X-DATE`, `sealed_days:X`). The outbox, notices and
//! subscribers are shared: one worker and one pacer serve every edition.
//!
//! A [`Store`] is a view of one edition's space ([`Store::for_edition`]); everything that is
//! not per edition reads the same through any view.

use super::backend::{Db, Tree};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use chrono::NaiveDate;

use super::{Store, StoreError, ledger_seal};
use crate::core::edition_id::EditionId;

/// Tree-name prefix of a non-default edition's ledger.
const LEDGER_TREE: &str = "ledger:";
/// Tree-name prefix of a non-default edition's digests.
const DIGESTS_TREE: &str = "digests:";

/// One edition's trees.
#[derive(Debug)]
pub(super) struct EditionSpace {
    /// `None`: the default edition.
    pub(super) edition: Option<EditionId>,
    /// Ledger records (`L`, date, chat). The default edition's share the `deliveries` tree
    /// with the outbox and the notice copies.
    pub(super) ledger: Tree,
    /// Digests by date.
    pub(super) digests: Tree,
    /// Days of this ledger with sealed chunks (kept in `meta`, read once at open), so a
    /// look-up of a day that was never sealed costs no range query.
    pub(super) sealed_days: RwLock<BTreeSet<NaiveDate>>,
}

impl EditionSpace {
    /// Opens (or creates) the space of `edition` (`None`: the default one).
    pub(super) fn open(
        db: &Db,
        meta: &Tree,
        edition: Option<EditionId>,
    ) -> Result<Self, StoreError> {
        let (ledger, digests) = match &edition {
            None => (db.open_tree("deliveries")?, db.open_tree("digests")?),
            Some(id) => (
                db.open_tree(format!("{LEDGER_TREE}{id}"))?,
                db.open_tree(format!("{DIGESTS_TREE}{id}"))?,
            ),
        };
        let sealed_days = RwLock::new(ledger_seal::read_sealed_days(
            meta,
            &sealed_days_key(edition.as_ref()),
        )?);
        Ok(Self {
            edition,
            ledger,
            digests,
            sealed_days,
        })
    }

    /// The name of the tree holding `date`'s sealed chunks of this ledger.
    pub(super) fn sealed_tree_name(&self, date: NaiveDate) -> String {
        let day = date.format("%Y%m%d");
        match &self.edition {
            None => format!("sealed-{day}"),
            Some(id) => format!("sealed:{id}-{day}"),
        }
    }

    /// The `meta` key of this ledger's sealed days.
    pub(super) fn sealed_days_key(&self) -> Vec<u8> {
        sealed_days_key(self.edition.as_ref())
    }
}

fn sealed_days_key(edition: Option<&EditionId>) -> Vec<u8> {
    match edition {
        None => b"sealed_days".to_vec(),
        Some(id) => format!("sealed_days:{id}").into_bytes(),
    }
}

/// The spaces opened so far, shared by every view of one database.
pub(super) type Spaces = Arc<Mutex<HashMap<EditionId, Arc<EditionSpace>>>>;

/// Key in `meta` of the id the default edition's trees belong to.
const DEFAULT_EDITION: &[u8] = b"default_edition";

impl Store {
    /// Records that the default edition's trees (those every earlier version wrote) belong
    /// to `id`, the editions file's default. Returns the id they belonged to before when it
    /// differs: the operator changed the default, and serving on would hand one edition's
    /// ledger and digests to another. Trees of the single-edition settings (`default`, or
    /// none recorded) are taken over by the first file's default.
    ///
    /// # Errors
    /// [`StoreError::Db`] if `meta` cannot be read or written.
    pub fn claim_default_edition(&self, id: &EditionId) -> Result<Option<String>, StoreError> {
        let before = self
            .meta
            .get(DEFAULT_EDITION)?
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        match before.as_deref() {
            Some(owner) if owner == id.as_str() => Ok(None),
            None | Some(EditionId::DEFAULT) => {
                self.meta.insert(DEFAULT_EDITION, id.as_str().as_bytes())?;
                Ok(None)
            }
            Some(_) => Ok(before),
        }
    }

    /// A view of this database for `edition`'s ledger and digests (`None`: the default
    /// edition, whose records are where every earlier version kept them). Everything else
    /// (subscribers, the outbox, notices) is shared.
    ///
    /// # Errors
    /// [`StoreError`] if its trees cannot be opened.
    pub fn for_edition(&self, edition: Option<&EditionId>) -> Result<Self, StoreError> {
        let Some(id) = edition else {
            return Ok(Self {
                space: Arc::clone(&self.default_space),
                ..self.clone()
            });
        };
        let space = {
            let mut spaces = self.spaces.lock().unwrap_or_else(PoisonError::into_inner);
            match spaces.get(id) {
                Some(space) => Arc::clone(space),
                None => {
                    let space =
                        Arc::new(EditionSpace::open(&self.db, &self.meta, Some(id.clone()))?);
                    spaces.insert(id.clone(), Arc::clone(&space));
                    space
                }
            }
        };
        Ok(Self {
            space,
            ..self.clone()
        })
    }

    /// The edition this view reads and writes (`None`: the default edition).
    #[must_use]
    pub fn edition(&self) -> Option<&EditionId> {
        self.space.edition.as_ref()
    }

    /// A view of every edition this database holds records of: the default edition first,
    /// then the others in id order. Pruning and sealing go through them all.
    ///
    /// # Errors
    /// [`StoreError`] if a space cannot be opened.
    pub fn edition_views(&self) -> Result<Vec<Self>, StoreError> {
        let mut ids: BTreeSet<EditionId> = BTreeSet::new();
        for name in self.db.tree_names()? {
            let id = name
                .strip_prefix(LEDGER_TREE)
                .or_else(|| name.strip_prefix(DIGESTS_TREE));
            if let Some(id) = id.and_then(|id| EditionId::parse(id).ok()) {
                ids.insert(id);
            }
        }
        let mut views = vec![self.for_edition(None)?];
        for id in &ids {
            views.push(self.for_edition(Some(id))?);
        }
        Ok(views)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_trees_stay_with_the_edition_that_first_claimed_them() {
        let store = Store::temporary().expect("store");
        let id = |t: &str| EditionId::parse(t).expect("id");
        // The single-edition settings' trees are taken over by a file's default…
        assert_eq!(
            store.claim_default_edition(&id("default")).expect("claim"),
            None
        );
        assert_eq!(
            store.claim_default_edition(&id("pinghu")).expect("claim"),
            None
        );
        assert_eq!(
            store.claim_default_edition(&id("pinghu")).expect("claim"),
            None
        );
        // …and another default afterwards is refused with the owner named.
        assert_eq!(
            store.claim_default_edition(&id("haining")).expect("claim"),
            Some("pinghu".to_owned())
        );
    }
}
