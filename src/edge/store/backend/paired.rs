//! Operations on several keys that PostgreSQL does in one round trip (and one commit) and
//! sled does key by key, in a crash-safe order: the delivery worker's read of a job's record
//! with its subscriber and its write of the final record with the removal of the job; the
//! planner's insert, where absent, of many records each with its job.

use super::{BackendError, IVec, Tree};

/// A value to insert where its key is absent, with a companion (in another tree) to insert
/// with it when it was. The entries of one call have distinct keys.
pub struct Absent {
    /// The key.
    pub key: Vec<u8>,
    /// The value written when the key is absent.
    pub value: Vec<u8>,
    /// The companion's key and value, written (where absent) only with this one.
    pub companion: Option<(Vec<u8>, Vec<u8>)>,
}

/// What [`Tree::insert_absent_with`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Inserted {
    /// For each entry, in order: whether it was absent and is now written.
    pub added: Vec<bool>,
    /// Companions written that were not there before.
    pub new_companions: usize,
}

impl Tree {
    /// The values at `key` here and at `other_key` in `other`.
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn get_both(
        &self,
        key: &[u8],
        other: &Tree,
        other_key: &[u8],
    ) -> Result<(Option<IVec>, Option<IVec>), BackendError> {
        match (self, other) {
            (Tree::Postgres(a), Tree::Postgres(b)) => a.get_both(key, b, other_key),
            _ => Ok((self.get(key)?, other.get(other_key)?)),
        }
    }

    /// Writes `value` at `key`, then removes `other_key` from `other`; true when that was
    /// there. On PostgreSQL both happen in one statement (all or nothing); on sled in that
    /// order, so a crash between them leaves the removal undone, never the write.
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn insert_then_remove(
        &self,
        key: &[u8],
        value: &[u8],
        other: &Tree,
        other_key: &[u8],
    ) -> Result<bool, BackendError> {
        match (self, other) {
            (Tree::Postgres(a), Tree::Postgres(b)) if (a.name(), key) != (b.name(), other_key) => {
                a.insert_then_remove(key, value, b, other_key)
            }
            _ => {
                self.insert(key, value)?;
                Ok(other.remove(other_key)?.is_some())
            }
        }
    }

    /// Writes each entry whose key is absent here, and its companion (where absent) in
    /// `companions` with it. On PostgreSQL in one statement; on sled entry by entry, the
    /// companion first, taken back when the entry turned out to be there (so a crash never
    /// leaves an entry written without its companion).
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn insert_absent_with(
        &self,
        entries: &[Absent],
        companions: &Tree,
    ) -> Result<Inserted, BackendError> {
        if entries.is_empty() {
            return Ok(Inserted::default());
        }
        if let (Tree::Postgres(a), Tree::Postgres(b)) = (self, companions) {
            return a.insert_absent_with(entries, b);
        }
        let mut inserted = Inserted::default();
        for entry in entries {
            let new_companion = match &entry.companion {
                Some((key, value)) => companions
                    .compare_and_swap(key, None::<&[u8]>, Some(value.as_slice()))?
                    .is_ok()
                    .then_some(key),
                None => None,
            };
            let added = self
                .compare_and_swap(&entry.key, None::<&[u8]>, Some(entry.value.as_slice()))?
                .is_ok();
            if let Some(key) = new_companion {
                if added {
                    inserted.new_companions += 1;
                } else {
                    companions.remove(key)?;
                }
            }
            inserted.added.push(added);
        }
        Ok(inserted)
    }
}
