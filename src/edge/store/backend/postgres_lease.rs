//! The leader's lease in PostgreSQL (`newsbot_lease`): one row per lease naming its holder,
//! its fencing token (grown at each change of holder) and when it runs out, by the
//! database's clock, so the machines' clocks never disagree about it.

use super::BackendError;
use super::postgres_kv::PgDb;

impl PgDb {
    /// Takes or renews the lease `name` for `holder` for `secs` seconds (the database's
    /// clock decides): `Some((token, held for seconds))` when `holder` holds it now, `None`
    /// when another holder's lease has not expired. The token grows at each change of
    /// holder (a fencing token).
    ///
    /// # Errors
    /// [`BackendError`] when the database cannot be asked.
    pub fn try_lease(
        &self,
        name: &str,
        holder: &str,
        secs: u64,
    ) -> Result<Option<(u64, f64)>, BackendError> {
        let (name, holder) = (name.to_owned(), holder.to_owned());
        let secs = f64::from(u32::try_from(secs).unwrap_or(u32::MAX));
        self.run(move |c| {
            let row = c.query_opt(
                "INSERT INTO newsbot_lease AS l (name, holder, token, acquired_at, expires_at)
                 VALUES ($1, $2, 1, now(), now() + make_interval(secs => $3))
                 ON CONFLICT (name) DO UPDATE SET
                    holder = EXCLUDED.holder,
                    token = CASE WHEN l.holder = EXCLUDED.holder THEN l.token ELSE l.token + 1 END,
                    acquired_at = CASE WHEN l.holder = EXCLUDED.holder THEN l.acquired_at ELSE now() END,
                    expires_at = EXCLUDED.expires_at
                 WHERE l.holder = EXCLUDED.holder OR l.expires_at < now()
                 RETURNING token, extract(epoch FROM now() - acquired_at)::float8",
                &[&name as &(dyn postgres::types::ToSql + Sync), &holder, &secs],
            )?;
            Ok(row.map(|r| (r.get::<_, i64>(0).unsigned_abs(), r.get::<_, f64>(1))))
        })
    }

    /// Gives the lease `name` up if `holder` holds it, so another can take it at once.
    ///
    /// # Errors
    /// [`BackendError`] when the database cannot be asked.
    pub fn release_lease(&self, name: &str, holder: &str) -> Result<(), BackendError> {
        let (name, holder) = (name.to_owned(), holder.to_owned());
        self.run(move |c| {
            c.execute(
                "UPDATE newsbot_lease SET expires_at = now() - interval '1 second'
                 WHERE name = $1 AND holder = $2",
                &[&name, &holder],
            )?;
            Ok(())
        })
    }
}
