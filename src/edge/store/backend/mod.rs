//! The key-value engine under the store: sled (embedded, the default, nothing to install) or
//! PostgreSQL (shared by several instances), behind one small interface of named trees of
//! byte keys in byte order. Every record of the store is a value in a tree, so the store's
//! whole contract holds on either engine.

use std::ops::{Bound, RangeBounds};

pub use sled::IVec;

mod claims;
pub mod copy;
mod paired;
mod postgres_claims;
mod postgres_kv;
mod postgres_lease;
mod postgres_paired;
mod postgres_scan;
mod postgres_schema;

pub use paired::{Absent, Inserted};
pub use postgres_kv::{PgDb, PgTree};

/// Why the engine failed.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// sled failed (I/O, corruption).
    #[error("database error")]
    Sled(#[from] sled::Error),
    /// PostgreSQL failed (connection, query).
    #[error("PostgreSQL error")]
    Postgres(#[from] postgres::Error),
    /// The PostgreSQL connection pool is gone (its threads stopped).
    #[error("the PostgreSQL connection pool stopped")]
    PoolStopped,
    /// A transaction gave up (its own decision, or a record it could not encode).
    #[error("transaction aborted")]
    Aborted,
    /// A schema name that is not plain lower-case letters, digits and `_`.
    #[error("invalid PostgreSQL schema name {0:?}: use lower-case letters, digits and _")]
    InvalidSchema(String),
}

/// The database: sled's, or a PostgreSQL pool.
#[derive(Debug, Clone)]
pub enum Db {
    /// An embedded sled database.
    Sled(sled::Db),
    /// A PostgreSQL database shared with other instances.
    Postgres(PgDb),
}

/// A named tree of ordered byte keys.
#[derive(Debug, Clone)]
pub enum Tree {
    /// A sled tree.
    Sled(sled::Tree),
    /// The rows of one tree in PostgreSQL.
    Postgres(PgTree),
}

/// A compare-and-swap found another value than expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CasFailed;

/// Entries of a tree in key order, front to back or back to front.
pub enum Iter {
    /// sled's own iterator.
    Sled(Box<sled::Iter>),
    /// Rows read from PostgreSQL, a page at a time.
    Paged(Box<postgres_scan::PagedRows>),
}

impl Iterator for Iter {
    type Item = Result<(IVec, IVec), BackendError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Sled(it) => it.next().map(|r| r.map_err(BackendError::from)),
            Iter::Paged(it) => it.next(),
        }
    }
}

impl DoubleEndedIterator for Iter {
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Sled(it) => it.next_back().map(|r| r.map_err(BackendError::from)),
            Iter::Paged(it) => it.next_back(),
        }
    }
}

impl Iter {
    /// The keys only.
    pub fn keys(self) -> impl DoubleEndedIterator<Item = Result<IVec, BackendError>> {
        self.map(|r| r.map(|(k, _)| k))
    }

    /// The values only.
    pub fn values(self) -> impl DoubleEndedIterator<Item = Result<IVec, BackendError>> {
        self.map(|r| r.map(|(_, v)| v))
    }
}

/// A tree inside a transaction.
pub enum TxTree<'a> {
    /// A sled transactional tree.
    Sled(&'a sled::transaction::TransactionalTree),
    /// A tree in a PostgreSQL transaction.
    Postgres(postgres_kv::PgTxTree<'a>),
}

/// Why a step of a transaction failed.
#[derive(Debug)]
pub enum TxError {
    /// The engine failed, or sled asks for a retry.
    Engine(sled::transaction::UnabortableTransactionError),
    /// PostgreSQL failed.
    Postgres(postgres::Error),
    /// The transaction's own decision to give up.
    Abort,
}

impl From<sled::transaction::UnabortableTransactionError> for TxError {
    fn from(e: sled::transaction::UnabortableTransactionError) -> Self {
        TxError::Engine(e)
    }
}

impl From<postgres::Error> for TxError {
    fn from(e: postgres::Error) -> Self {
        TxError::Postgres(e)
    }
}

impl TxTree<'_> {
    /// The value at `key`.
    ///
    /// # Errors
    /// [`TxError`] when the engine fails.
    pub fn get(&self, key: &[u8]) -> Result<Option<IVec>, TxError> {
        match self {
            TxTree::Sled(t) => Ok(t.get(key)?),
            TxTree::Postgres(t) => Ok(t.get(key)?),
        }
    }

    /// Writes `value` at `key`.
    ///
    /// # Errors
    /// [`TxError`] when the engine fails.
    pub fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), TxError> {
        match self {
            TxTree::Sled(t) => {
                t.insert(key, value)?;
            }
            TxTree::Postgres(t) => t.insert(key, value)?,
        }
        Ok(())
    }

    /// Removes `key`.
    ///
    /// # Errors
    /// [`TxError`] when the engine fails.
    pub fn remove(&self, key: &[u8]) -> Result<(), TxError> {
        match self {
            TxTree::Sled(t) => {
                t.remove(key)?;
            }
            TxTree::Postgres(t) => t.remove(key)?,
        }
        Ok(())
    }
}

/// A transaction's body: reads and writes the trees given, in their order; may run more
/// than once (sled retries on conflict), so it only touches the trees.
pub type TxBody<T> = dyn Fn(&[TxTree<'_>]) -> Result<T, TxError> + Send + Sync;

impl Db {
    /// Opens (or creates) the tree `name`.
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn open_tree(&self, name: impl AsRef<str>) -> Result<Tree, BackendError> {
        let name = name.as_ref();
        match self {
            Db::Sled(db) => Ok(Tree::Sled(db.open_tree(name)?)),
            Db::Postgres(db) => Ok(Tree::Postgres(db.tree(name))),
        }
    }

    /// Removes the tree `name` and everything in it; true if it existed.
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn drop_tree(&self, name: impl AsRef<str>) -> Result<bool, BackendError> {
        let name = name.as_ref();
        match self {
            Db::Sled(db) => Ok(db.drop_tree(name)?),
            Db::Postgres(db) => db.drop_tree(name),
        }
    }

    /// The names of every tree that holds something (sled: every tree opened).
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn tree_names(&self) -> Result<Vec<String>, BackendError> {
        match self {
            Db::Sled(db) => Ok(db
                .tree_names()
                .into_iter()
                .map(|n| String::from_utf8_lossy(&n).into_owned())
                .filter(|n| n != "__sled__default")
                .collect()),
            Db::Postgres(db) => db.tree_names(),
        }
    }

    /// A new unique id (increasing).
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn generate_id(&self) -> Result<u64, BackendError> {
        match self {
            Db::Sled(db) => Ok(db.generate_id()?),
            Db::Postgres(db) => db.generate_id(),
        }
    }

    /// Makes the next [`Db::generate_id`] greater than `id`.
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn advance_ids_past(&self, id: u64) -> Result<(), BackendError> {
        match self {
            Db::Sled(db) => {
                while db.generate_id()? <= id {}
                Ok(())
            }
            Db::Postgres(db) => db.advance_ids_past(id),
        }
    }

    /// Waits until every change so far is durable (PostgreSQL: at once, each write commits).
    ///
    /// # Errors
    /// [`BackendError`] on an I/O failure.
    pub async fn flush_async(&self) -> Result<(), BackendError> {
        match self {
            Db::Sled(db) => {
                db.flush_async().await?;
                Ok(())
            }
            Db::Postgres(_) => Ok(()),
        }
    }

    /// Runs `body` over `trees` as one transaction: all its writes or none.
    ///
    /// # Errors
    /// [`BackendError::Aborted`] when the body gives up; [`BackendError`] when the engine
    /// fails.
    pub fn transaction<T: Send + 'static>(
        &self,
        trees: &[&Tree],
        body: Box<TxBody<T>>,
    ) -> Result<T, BackendError> {
        match self {
            Db::Sled(_) => {
                let sled_trees: Vec<sled::Tree> = trees
                    .iter()
                    .filter_map(|t| match t {
                        Tree::Sled(t) => Some(t.clone()),
                        Tree::Postgres(_) => None,
                    })
                    .collect();
                use sled::Transactional;
                sled_trees
                    .as_slice()
                    .transaction(|views| {
                        let views: Vec<TxTree<'_>> = views.iter().map(TxTree::Sled).collect();
                        match body(&views) {
                            Ok(value) => Ok(value),
                            Err(TxError::Engine(e)) => Err(e.into()),
                            Err(TxError::Postgres(_) | TxError::Abort) => {
                                Err(sled::transaction::ConflictableTransactionError::Abort(()))
                            }
                        }
                    })
                    .map_err(|e| match e {
                        sled::transaction::TransactionError::Storage(e) => BackendError::Sled(e),
                        sled::transaction::TransactionError::Abort(()) => BackendError::Aborted,
                    })
            }
            Db::Postgres(db) => {
                let names: Vec<String> = trees
                    .iter()
                    .filter_map(|t| match t {
                        Tree::Postgres(t) => Some(t.name().to_owned()),
                        Tree::Sled(_) => None,
                    })
                    .collect();
                db.transaction(names, body)
            }
        }
    }
}

impl Tree {
    /// The value at `key`.
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn get(&self, key: impl AsRef<[u8]>) -> Result<Option<IVec>, BackendError> {
        match self {
            Tree::Sled(t) => Ok(t.get(key)?),
            Tree::Postgres(t) => t.get(key.as_ref()),
        }
    }

    /// True when `key` holds a value.
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn contains_key(&self, key: impl AsRef<[u8]>) -> Result<bool, BackendError> {
        Ok(self.get(key)?.is_some())
    }

    /// Writes `value` at `key`; returns the value it replaced.
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn insert(
        &self,
        key: impl AsRef<[u8]>,
        value: impl Into<IVec>,
    ) -> Result<Option<IVec>, BackendError> {
        match self {
            Tree::Sled(t) => Ok(t.insert(key, value)?),
            Tree::Postgres(t) => t.insert(key.as_ref(), &value.into()),
        }
    }

    /// Writes every `(key, value)` of `entries` (in one statement on PostgreSQL).
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn insert_batch(&self, entries: Vec<(IVec, IVec)>) -> Result<(), BackendError> {
        match self {
            Tree::Sled(t) => {
                for (key, value) in entries {
                    t.insert(key, value)?;
                }
                Ok(())
            }
            Tree::Postgres(t) => t.insert_batch(entries),
        }
    }

    /// Removes `key`; returns the value it held.
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn remove(&self, key: impl AsRef<[u8]>) -> Result<Option<IVec>, BackendError> {
        match self {
            Tree::Sled(t) => Ok(t.remove(key)?),
            Tree::Postgres(t) => t.remove(key.as_ref()),
        }
    }

    /// Sets `key` to `new` only if it holds `old` now (`None`: absent).
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails; `Ok(Err(CasFailed))` when it held another.
    pub fn compare_and_swap(
        &self,
        key: impl AsRef<[u8]>,
        old: Option<impl AsRef<[u8]>>,
        new: Option<impl Into<IVec>>,
    ) -> Result<Result<(), CasFailed>, BackendError> {
        let new: Option<IVec> = new.map(Into::into);
        let old = old.as_ref().map(AsRef::as_ref);
        match self {
            Tree::Sled(t) => Ok(t.compare_and_swap(key, old, new)?.map_err(|_| CasFailed)),
            Tree::Postgres(t) => t.compare_and_swap(key.as_ref(), old, new.as_deref()),
        }
    }

    /// How many entries the tree holds (PostgreSQL: 0 when it cannot be asked; the
    /// failure shows on the next read or write).
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Tree::Sled(t) => t.len(),
            Tree::Postgres(t) => t.len().unwrap_or(0),
        }
    }

    /// True when the tree holds nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every entry in key order.
    #[must_use]
    pub fn iter(&self) -> Iter {
        match self {
            Tree::Sled(t) => Iter::Sled(Box::new(t.iter())),
            Tree::Postgres(t) => t.range_rows(Bound::Unbounded, Bound::Unbounded),
        }
    }

    /// Entries whose key starts with `prefix`, in key order.
    #[must_use]
    pub fn scan_prefix(&self, prefix: impl AsRef<[u8]>) -> Iter {
        match self {
            Tree::Sled(t) => Iter::Sled(Box::new(t.scan_prefix(prefix))),
            Tree::Postgres(t) => {
                let start = prefix.as_ref().to_vec();
                let end = prefix_successor(&start).map_or(Bound::Unbounded, Bound::Excluded);
                t.range_rows(Bound::Included(start), end)
            }
        }
    }

    /// Entries with keys in `range`, in key order.
    pub fn range<K: AsRef<[u8]>, R: RangeBounds<K>>(&self, range: R) -> Iter {
        match self {
            Tree::Sled(t) => Iter::Sled(Box::new(t.range(range))),
            Tree::Postgres(t) => {
                let own = |b: Bound<&K>| match b {
                    Bound::Included(k) => Bound::Included(k.as_ref().to_vec()),
                    Bound::Excluded(k) => Bound::Excluded(k.as_ref().to_vec()),
                    Bound::Unbounded => Bound::Unbounded,
                };
                t.range_rows(own(range.start_bound()), own(range.end_bound()))
            }
        }
    }

    /// The first entry.
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn first(&self) -> Result<Option<(IVec, IVec)>, BackendError> {
        match self {
            Tree::Sled(t) => Ok(t.first()?),
            Tree::Postgres(t) => t.end(false),
        }
    }

    /// The last entry.
    ///
    /// # Errors
    /// [`BackendError`] when the engine fails.
    pub fn last(&self) -> Result<Option<(IVec, IVec)>, BackendError> {
        match self {
            Tree::Sled(t) => Ok(t.last()?),
            Tree::Postgres(t) => t.end(true),
        }
    }
}

impl IntoIterator for &Tree {
    type Item = Result<(IVec, IVec), BackendError>;
    type IntoIter = Iter;

    fn into_iter(self) -> Iter {
        self.iter()
    }
}

/// The smallest key greater than every key starting with `prefix`, if any.
fn prefix_successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_ends_before_its_successor() {
        assert_eq!(prefix_successor(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_successor(&[1, 255]), Some(vec![2]));
        assert_eq!(prefix_successor(&[255, 255]), None);
        assert_eq!(prefix_successor(b""), None);
    }
}
