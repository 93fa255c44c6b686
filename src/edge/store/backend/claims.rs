//! Claiming entries for a worker (the outbox's jobs). On PostgreSQL, shared by several
//! instances, a claim marks a row as taken by this pool until a deadline
//! (see `postgres_claims`); sled belongs to one process, so there claiming is reading and
//! the other operations do nothing.

use super::{BackendError, IVec, Tree, prefix_successor};

impl Tree {
    /// Up to `limit` entries with keys starting with `prefix`, in key order, that no other
    /// worker holds, now held by this one for `secs` seconds (sled: the first `limit` for
    /// which `skip` is false). `skip` is applied on either engine (the caller's own running
    /// jobs).
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn claim_prefix(
        &self,
        prefix: &[u8],
        limit: usize,
        skip: impl Fn(&[u8]) -> bool,
        secs: u32,
    ) -> Result<Vec<(IVec, IVec)>, BackendError> {
        match self {
            Tree::Sled(_) => {
                let mut taken = Vec::new();
                for entry in self.scan_prefix(prefix) {
                    let (key, value) = entry?;
                    if skip(&key) {
                        continue;
                    }
                    taken.push((key, value));
                    if taken.len() >= limit {
                        break;
                    }
                }
                Ok(taken)
            }
            Tree::Postgres(t) => {
                let end = prefix_successor(prefix);
                let mut taken = t.claim_range(prefix, end.as_deref(), limit, secs)?;
                taken.retain(|(key, _)| !skip(key));
                Ok(taken)
            }
        }
    }

    /// Gives up this worker's claim on `key`, so it can be taken again at once.
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn release_claim(&self, key: &[u8]) -> Result<(), BackendError> {
        match self {
            Tree::Sled(_) => Ok(()),
            Tree::Postgres(t) => t.release_claim(key),
        }
    }

    /// Moves this worker's claims `secs` seconds on; returns how many.
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn renew_claims(&self, secs: u32) -> Result<u64, BackendError> {
        match self {
            Tree::Sled(_) => Ok(0),
            Tree::Postgres(t) => t.renew_claims(secs),
        }
    }

    /// Frees every other worker's claims (a new leader takes over from a dead one); returns
    /// how many.
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn void_other_claims(&self) -> Result<u64, BackendError> {
        match self {
            Tree::Sled(_) => Ok(0),
            Tree::Postgres(t) => t.void_other_claims(),
        }
    }
}
