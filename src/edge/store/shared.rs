//! The store shared by several instances: opening it in PostgreSQL, the leader's lease (so
//! one instance talks to Telegram), and copying a whole database from one engine to another.

use super::backend::{self, Db};
use super::{Store, StoreError};

/// Connections in the PostgreSQL pool: enough that the delivery worker's jobs (each waiting
/// on the database in turn), the planner, the chat and the newsroom seldom wait for one
/// (measured: 4 → 8 took the uncapped pipeline from 699 to 1,099 messages a second, once
/// the waits had moved off the runtime threads).
pub const POSTGRES_CONNECTIONS: usize = 8;

/// The lease that names the instance talking to Telegram.
const LEADER_LEASE: &str = "leader";

impl Store {
    /// Connects to the PostgreSQL database at `url` (`postgres://…`), in `schema` when given
    /// (created if absent), with a pool of [`POSTGRES_CONNECTIONS`]; applies the schema
    /// migrations first. Several instances may share one database.
    ///
    /// # Errors
    /// [`StoreError::Db`] when it cannot connect or migrate.
    pub fn connect(url: &str, schema: Option<&str>) -> Result<Self, StoreError> {
        let db = backend::PgDb::connect(url, schema, POSTGRES_CONNECTIONS)?;
        Store::from_db(Db::Postgres(db))
    }

    /// Copies every record into `target` (another engine, most often) and verifies it by
    /// counts and a spot check; `on_tree` hears of each tree done. Resumes a copy cut short.
    ///
    /// # Errors
    /// [`backend::copy::CopyError`] when an engine fails or the copy does not match.
    pub fn copy_to(
        &self,
        target: &Store,
        on_tree: impl FnMut(&backend::copy::TreeCopy),
    ) -> Result<Vec<backend::copy::TreeCopy>, backend::copy::CopyError> {
        backend::copy::copy_all(&self.db, &target.db, on_tree)
    }

    /// Takes or renews the leader's lease for `instance` for `secs` seconds: `Some((fencing
    /// token, seconds held))` when `instance` leads, `None` while another instance's lease
    /// runs. With sled (one process) the caller always leads.
    ///
    /// # Errors
    /// [`StoreError::Db`] when the database cannot be asked.
    pub fn try_lead(&self, instance: &str, secs: u64) -> Result<Option<(u64, f64)>, StoreError> {
        match &self.db {
            Db::Sled(_) => Ok(Some((0, 0.0))),
            Db::Postgres(db) => Ok(db.try_lease(LEADER_LEASE, instance, secs)?),
        }
    }

    /// Gives the leader's lease up (at a clean stop), so a standby takes over at once.
    ///
    /// # Errors
    /// [`StoreError::Db`] when the database cannot be asked.
    pub fn step_down(&self, instance: &str) -> Result<(), StoreError> {
        match &self.db {
            Db::Sled(_) => Ok(()),
            Db::Postgres(db) => Ok(db.release_lease(LEADER_LEASE, instance)?),
        }
    }

    /// True when the store lives in PostgreSQL.
    #[must_use]
    pub fn is_shared(&self) -> bool {
        matches!(self.db, Db::Postgres(_))
    }
}
