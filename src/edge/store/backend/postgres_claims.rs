//! Claims on rows in PostgreSQL (the outbox's jobs): a worker takes rows with
//! `SELECT … FOR UPDATE SKIP LOCKED` and marks them with its claimant id and a deadline, so
//! two workers never take one job, and a dead worker's jobs are free again at the deadline
//! (or at once, when the next leader takes over).

use super::postgres_kv::PgTree;
use super::{BackendError, IVec};

impl PgTree {
    /// Claims up to `limit` unclaimed rows (or rows whose claim ran out) with keys from
    /// `start` up to, not including, `end` (`None`: no end), in key order, for `secs`
    /// seconds; returns them in key order.
    pub(super) fn claim_range(
        &self,
        start: &[u8],
        end: Option<&[u8]>,
        limit: usize,
        secs: u32,
    ) -> Result<Vec<(IVec, IVec)>, BackendError> {
        let name = self.name().to_owned();
        let claimant = self.db.claimant().to_owned();
        let (start, end) = (start.to_vec(), end.map(<[u8]>::to_vec));
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let secs = f64::from(secs);
        let mut rows = self.db.run(move |c| {
            let rows = c.query(
                "WITH picked AS (
                     SELECT key FROM newsbot_kv
                     WHERE tree = $1 AND key >= $2 AND ($3::bytea IS NULL OR key < $3)
                       AND (claimed_until IS NULL OR claimed_until < now())
                     ORDER BY key LIMIT $4
                     FOR UPDATE SKIP LOCKED)
                 UPDATE newsbot_kv AS k
                 SET claimed_by = $5, claimed_until = now() + make_interval(secs => $6)
                 FROM picked WHERE k.tree = $1 AND k.key = picked.key
                 RETURNING k.key, k.value",
                &[&name, &start, &end, &limit, &claimant, &secs],
            )?;
            Ok(rows
                .iter()
                .map(|row| {
                    (
                        IVec::from(row.get::<_, Vec<u8>>(0)),
                        IVec::from(row.get::<_, Vec<u8>>(1)),
                    )
                })
                .collect::<Vec<_>>())
        })?;
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(rows)
    }

    /// Gives up this pool's claim on `key` (its job stopped before it finished).
    pub(super) fn release_claim(&self, key: &[u8]) -> Result<(), BackendError> {
        let (name, key) = (self.name().to_owned(), key.to_vec());
        let claimant = self.db.claimant().to_owned();
        self.db.run(move |c| {
            c.execute(
                "UPDATE newsbot_kv SET claimed_by = NULL, claimed_until = NULL
                 WHERE tree = $1 AND key = $2 AND claimed_by = $3",
                &[&name, &key, &claimant],
            )?;
            Ok(())
        })
    }

    /// Moves every claim of this pool in the tree `secs` seconds on; returns how many.
    pub(super) fn renew_claims(&self, secs: u32) -> Result<u64, BackendError> {
        let name = self.name().to_owned();
        let claimant = self.db.claimant().to_owned();
        let secs = f64::from(secs);
        self.db.run(move |c| {
            Ok(c.execute(
                "UPDATE newsbot_kv SET claimed_until = now() + make_interval(secs => $3)
                 WHERE tree = $1 AND claimed_by = $2",
                &[&name, &claimant, &secs],
            )?)
        })
    }

    /// Frees every claim in the tree that is not this pool's; returns how many.
    pub(super) fn void_other_claims(&self) -> Result<u64, BackendError> {
        let name = self.name().to_owned();
        let claimant = self.db.claimant().to_owned();
        self.db.run(move |c| {
            Ok(c.execute(
                "UPDATE newsbot_kv SET claimed_by = NULL, claimed_until = NULL
                 WHERE tree = $1 AND claimed_by IS NOT NULL AND claimed_by <> $2",
                &[&name, &claimant],
            )?)
        })
    }
}
