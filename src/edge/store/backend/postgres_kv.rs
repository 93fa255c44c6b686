//! The PostgreSQL engine: every tree is the rows of one table (`newsbot_kv`: tree, key,
//! value; keys compare byte by byte as in sled), read and written through a pool of
//! connections that live on their own threads (the synchronous client must not block inside
//! the async runtime). Schema migrations are applied at start, under an advisory lock so
//! that two instances starting together apply each once.

use std::cell::RefCell;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};

use postgres::Client;

use super::postgres_schema::{open, valid_schema};

use super::{BackendError, CasFailed, IVec, TxBody, TxError, TxTree};

/// Attempts of a transaction that PostgreSQL cannot serialise with another.
const TRANSACTION_ATTEMPTS: usize = 20;

type Job = Box<dyn FnOnce(&mut Conn) + Send>;

/// A pooled connection with its prepared statements: each statement's text is prepared once
/// per connection, so a query costs one round trip, not two.
pub struct Conn {
    /// The connection.
    pub(super) client: Client,
    statements: std::collections::HashMap<String, postgres::Statement>,
}

type Params<'a> = &'a [&'a (dyn postgres::types::ToSql + Sync)];

impl Conn {
    fn new(client: Client) -> Self {
        Self {
            client,
            statements: std::collections::HashMap::new(),
        }
    }

    /// The prepared statement for `sql`, prepared now if this connection has not yet.
    fn statement(&mut self, sql: &str) -> Result<postgres::Statement, postgres::Error> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql)?;
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    pub(super) fn query(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Vec<postgres::Row>, postgres::Error> {
        let statement = self.statement(sql)?;
        self.client.query(&statement, params)
    }

    pub(super) fn query_opt(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Option<postgres::Row>, postgres::Error> {
        let statement = self.statement(sql)?;
        self.client.query_opt(&statement, params)
    }

    pub(super) fn query_one(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<postgres::Row, postgres::Error> {
        let statement = self.statement(sql)?;
        self.client.query_one(&statement, params)
    }

    pub(super) fn execute(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<u64, postgres::Error> {
        let statement = self.statement(sql)?;
        self.client.execute(&statement, params)
    }
}

/// A pool of connections to one database (and schema).
#[derive(Clone)]
pub struct PgDb {
    jobs: Arc<Mutex<mpsc::Sender<Job>>>,
    connections: usize,
    /// Who this pool's claims on rows are by: unique to the pool (process and start).
    claimant: Arc<str>,
}

impl std::fmt::Debug for PgDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PgDb({} connections)", self.connections)
    }
}

/// One tree of a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgTree {
    pub(super) db: PgDb,
    pub(super) name: Arc<str>,
}

/// One tree inside a PostgreSQL transaction.
pub struct PgTxTree<'a> {
    tx: &'a dyn TxAccess,
    name: &'a str,
}

/// Statements inside an open transaction (shared by the transaction's trees).
trait TxAccess {
    fn query_opt(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Option<postgres::Row>, postgres::Error>;
    fn execute(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<u64, postgres::Error>;
}

impl TxAccess for RefCell<postgres::Transaction<'_>> {
    fn query_opt(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Option<postgres::Row>, postgres::Error> {
        self.borrow_mut().query_opt(sql, params)
    }

    fn execute(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<u64, postgres::Error> {
        self.borrow_mut().execute(sql, params)
    }
}

impl PgDb {
    /// Connects `connections` clients to `url` (in `schema` when given, created if absent),
    /// applies the migrations, and starts the pool's threads.
    ///
    /// # Errors
    /// [`BackendError::Postgres`] when a connection or a migration fails.
    pub fn connect(
        url: &str,
        schema: Option<&str>,
        connections: usize,
    ) -> Result<Self, BackendError> {
        if let Some(schema) = schema
            && !valid_schema(schema)
        {
            return Err(BackendError::InvalidSchema(schema.to_owned()));
        }
        let connections = connections.max(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let (ready_tx, ready_rx) = mpsc::channel::<Result<(), postgres::Error>>();
        for n in 0..connections {
            let queue = Arc::clone(&queue);
            let ready = ready_tx.clone();
            let url = url.to_owned();
            let schema = schema.map(str::to_owned);
            std::thread::Builder::new()
                .name(format!("newsbot-pg-{n}"))
                .spawn(move || {
                    let mut conn = match open(&url, schema.as_deref(), n == 0) {
                        Ok(client) => {
                            let _ = ready.send(Ok(()));
                            Conn::new(client)
                        }
                        Err(e) => {
                            let _ = ready.send(Err(e));
                            return;
                        }
                    };
                    drop(ready);
                    loop {
                        let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
                        let Ok(job) = job else { break };
                        if conn.client.is_closed()
                            && let Ok(fresh) = open(&url, schema.as_deref(), false)
                        {
                            conn = Conn::new(fresh);
                        }
                        job(&mut conn);
                    }
                })
                .map_err(|_| BackendError::PoolStopped)?;
            // The first connection migrates before the others connect.
            if n == 0 {
                ready_rx.recv().map_err(|_| BackendError::PoolStopped)??;
            }
        }
        drop(ready_tx);
        for _ in 1..connections {
            ready_rx.recv().map_err(|_| BackendError::PoolStopped)??;
        }
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Ok(Self {
            jobs: Arc::new(Mutex::new(jobs)),
            connections,
            claimant: format!("pool-{}-{started:x}", std::process::id()).into(),
        })
    }

    /// Who this pool's claims on rows are by.
    pub(super) fn claimant(&self) -> &str {
        &self.claimant
    }

    /// Runs `work` on a pooled connection and waits for its result.
    pub(super) fn run<R: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Conn) -> Result<R, BackendError> + Send + 'static,
    ) -> Result<R, BackendError> {
        let (done, result) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |client| {
            let _ = done.send(work(client));
        });
        self.jobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .send(job)
            .map_err(|_| BackendError::PoolStopped)?;
        waiting(|| result.recv()).map_err(|_| BackendError::PoolStopped)?
    }

    /// The tree `name`.
    #[must_use]
    pub fn tree(&self, name: &str) -> PgTree {
        PgTree {
            db: self.clone(),
            name: name.into(),
        }
    }

    pub(super) fn drop_tree(&self, name: &str) -> Result<bool, BackendError> {
        let name = name.to_owned();
        self.run(move |c| Ok(c.execute("DELETE FROM newsbot_kv WHERE tree = $1", &[&name])? > 0))
    }

    pub(super) fn tree_names(&self) -> Result<Vec<String>, BackendError> {
        self.run(|c| {
            Ok(
                c.query("SELECT DISTINCT tree FROM newsbot_kv ORDER BY tree", &[])?
                    .iter()
                    .map(|row| row.get(0))
                    .collect(),
            )
        })
    }

    pub(super) fn generate_id(&self) -> Result<u64, BackendError> {
        self.run(|c| {
            let id: i64 = c.query_one("SELECT nextval('newsbot_ids')", &[])?.get(0);
            Ok(id.unsigned_abs())
        })
    }

    pub(super) fn advance_ids_past(&self, id: u64) -> Result<(), BackendError> {
        let id = i64::try_from(id).unwrap_or(i64::MAX);
        self.run(move |c| {
            c.execute(
                "SELECT setval('newsbot_ids', GREATEST($1, (SELECT last_value FROM newsbot_ids)))",
                &[&id],
            )?;
            Ok(())
        })
    }

    pub(super) fn transaction<T: Send + 'static>(
        &self,
        names: Vec<String>,
        body: Box<TxBody<T>>,
    ) -> Result<T, BackendError> {
        self.run(move |c| {
            let mut attempt = 0;
            loop {
                attempt += 1;
                let tx = c
                    .client
                    .build_transaction()
                    .isolation_level(postgres::IsolationLevel::Serializable)
                    .start()?;
                let cell = RefCell::new(tx);
                let outcome = {
                    let views: Vec<TxTree<'_>> = names
                        .iter()
                        .map(|name| TxTree::Postgres(PgTxTree { tx: &cell, name }))
                        .collect();
                    body(&views)
                };
                let tx = cell.into_inner();
                let result = match outcome {
                    Ok(value) => tx.commit().map(|()| value).map_err(TxError::Postgres),
                    Err(e) => {
                        let _ = tx.rollback();
                        Err(e)
                    }
                };
                match result {
                    Ok(value) => return Ok(value),
                    Err(TxError::Postgres(e))
                        if is_serialization_failure(&e) && attempt < TRANSACTION_ATTEMPTS => {}
                    Err(TxError::Postgres(e)) => return Err(BackendError::Postgres(e)),
                    Err(TxError::Abort | TxError::Engine(_)) => {
                        return Err(BackendError::Aborted);
                    }
                }
            }
        })
    }
}

/// Runs `wait` (a wait for a pooled connection's answer) so that it does not hold up the
/// async runtime: on a worker thread of a multi-thread runtime the thread's other tasks move
/// to another thread meanwhile, so many jobs can wait on the database at once (up to the
/// pool's size) instead of one per runtime thread. Elsewhere (a plain thread, a
/// single-threaded runtime) it just waits.
fn waiting<R>(wait: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(wait)
        }
        _ => wait(),
    }
}

fn is_serialization_failure(e: &postgres::Error) -> bool {
    e.code() == Some(&postgres::error::SqlState::T_R_SERIALIZATION_FAILURE)
        || e.code() == Some(&postgres::error::SqlState::T_R_DEADLOCK_DETECTED)
}

impl PgTree {
    /// The tree's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(super) fn get(&self, key: &[u8]) -> Result<Option<IVec>, BackendError> {
        let (name, key) = (self.name.to_string(), key.to_vec());
        self.db.run(move |c| {
            Ok(c.query_opt(
                "SELECT value FROM newsbot_kv WHERE tree = $1 AND key = $2",
                &[&name, &key],
            )?
            .map(|row| IVec::from(row.get::<_, Vec<u8>>(0))))
        })
    }

    pub(super) fn insert(&self, key: &[u8], value: &[u8]) -> Result<Option<IVec>, BackendError> {
        let (name, key, value) = (self.name.to_string(), key.to_vec(), value.to_vec());
        self.db.run(move |c| {
            // The CTE reads the row as it was before the upsert in the same statement.
            Ok(c.query_opt(
                "WITH prev AS (SELECT value FROM newsbot_kv WHERE tree = $1 AND key = $2),
                 put AS (INSERT INTO newsbot_kv (tree, key, value) VALUES ($1, $2, $3)
                         ON CONFLICT (tree, key) DO UPDATE SET value = EXCLUDED.value)
                 SELECT value FROM prev",
                &[&name, &key, &value],
            )?
            .map(|row| IVec::from(row.get::<_, Vec<u8>>(0))))
        })
    }

    pub(super) fn insert_batch(&self, entries: Vec<(IVec, IVec)>) -> Result<(), BackendError> {
        let name = self.name.to_string();
        let (keys, values): (Vec<Vec<u8>>, Vec<Vec<u8>>) = entries
            .into_iter()
            .map(|(k, v)| (k.to_vec(), v.to_vec()))
            .unzip();
        self.db.run(move |c| {
            c.execute(
                "INSERT INTO newsbot_kv (tree, key, value)
                 SELECT $1, k, v FROM UNNEST($2::bytea[], $3::bytea[]) AS t(k, v)
                 ON CONFLICT (tree, key) DO UPDATE SET value = EXCLUDED.value",
                &[&name, &keys, &values],
            )?;
            Ok(())
        })
    }

    pub(super) fn remove(&self, key: &[u8]) -> Result<Option<IVec>, BackendError> {
        let (name, key) = (self.name.to_string(), key.to_vec());
        self.db.run(move |c| {
            Ok(c.query_opt(
                "DELETE FROM newsbot_kv WHERE tree = $1 AND key = $2 RETURNING value",
                &[&name, &key],
            )?
            .map(|row| IVec::from(row.get::<_, Vec<u8>>(0))))
        })
    }

    pub(super) fn compare_and_swap(
        &self,
        key: &[u8],
        old: Option<&[u8]>,
        new: Option<&[u8]>,
    ) -> Result<Result<(), CasFailed>, BackendError> {
        let (name, key) = (self.name.to_string(), key.to_vec());
        let (old, new) = (old.map(<[u8]>::to_vec), new.map(<[u8]>::to_vec));
        self.db.run(move |c| {
            let changed = match (&old, &new) {
                (None, Some(new)) => c.execute(
                    "INSERT INTO newsbot_kv (tree, key, value) VALUES ($1, $2, $3)
                     ON CONFLICT (tree, key) DO NOTHING",
                    &[&name, &key, new],
                )?,
                (Some(old), Some(new)) => c.execute(
                    "UPDATE newsbot_kv SET value = $4 WHERE tree = $1 AND key = $2 AND value = $3",
                    &[&name, &key, old, new],
                )?,
                (Some(old), None) => c.execute(
                    "DELETE FROM newsbot_kv WHERE tree = $1 AND key = $2 AND value = $3",
                    &[&name, &key, old],
                )?,
                (None, None) => u64::from(
                    c.query_opt(
                        "SELECT 1 FROM newsbot_kv WHERE tree = $1 AND key = $2",
                        &[&name, &key],
                    )?
                    .is_none(),
                ),
            };
            Ok(if changed == 1 { Ok(()) } else { Err(CasFailed) })
        })
    }

    pub(super) fn len(&self) -> Result<usize, BackendError> {
        let name = self.name.to_string();
        self.db.run(move |c| {
            let n: i64 = c
                .query_one("SELECT count(*) FROM newsbot_kv WHERE tree = $1", &[&name])?
                .get(0);
            Ok(usize::try_from(n).unwrap_or(0))
        })
    }

    pub(super) fn end(&self, last: bool) -> Result<Option<(IVec, IVec)>, BackendError> {
        let name = self.name.to_string();
        let order = if last { "DESC" } else { "ASC" };
        self.db.run(move |c| {
            Ok(c.query_opt(
                &format!(
                    "SELECT key, value FROM newsbot_kv WHERE tree = $1 ORDER BY key {order} LIMIT 1"
                ),
                &[&name],
            )?
            .map(|row| {
                (
                    IVec::from(row.get::<_, Vec<u8>>(0)),
                    IVec::from(row.get::<_, Vec<u8>>(1)),
                )
            }))
        })
    }
}

impl PgTxTree<'_> {
    pub(super) fn get(&self, key: &[u8]) -> Result<Option<IVec>, postgres::Error> {
        Ok(self
            .tx
            .query_opt(
                "SELECT value FROM newsbot_kv WHERE tree = $1 AND key = $2",
                &[&self.name, &key],
            )?
            .map(|row| IVec::from(row.get::<_, Vec<u8>>(0))))
    }

    pub(super) fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), postgres::Error> {
        self.tx.execute(
            "INSERT INTO newsbot_kv (tree, key, value) VALUES ($1, $2, $3)
             ON CONFLICT (tree, key) DO UPDATE SET value = EXCLUDED.value",
            &[&self.name, &key, &value],
        )?;
        Ok(())
    }

    pub(super) fn remove(&self, key: &[u8]) -> Result<(), postgres::Error> {
        self.tx.execute(
            "DELETE FROM newsbot_kv WHERE tree = $1 AND key = $2",
            &[&self.name, &key],
        )?;
        Ok(())
    }
}
