//! The PostgreSQL side of [`super::paired`]: each operation on several keys is one statement,
//! so one round trip and one commit, all of it or none.

use super::postgres_kv::PgTree;
use super::{Absent, BackendError, IVec, Inserted};

impl PgTree {
    pub(super) fn get_both(
        &self,
        key: &[u8],
        other: &PgTree,
        other_key: &[u8],
    ) -> Result<(Option<IVec>, Option<IVec>), BackendError> {
        let (name, key) = (self.name().to_owned(), key.to_vec());
        let (other_name, other_key) = (other.name().to_owned(), other_key.to_vec());
        self.db.run(move |c| {
            let row = c.query_one(
                "SELECT (SELECT value FROM newsbot_kv WHERE tree = $1 AND key = $2),
                        (SELECT value FROM newsbot_kv WHERE tree = $3 AND key = $4)",
                &[&name, &key, &other_name, &other_key],
            )?;
            let value = |i| row.get::<_, Option<Vec<u8>>>(i).map(IVec::from);
            Ok((value(0), value(1)))
        })
    }

    pub(super) fn insert_then_remove(
        &self,
        key: &[u8],
        value: &[u8],
        other: &PgTree,
        other_key: &[u8],
    ) -> Result<bool, BackendError> {
        let (name, key, value) = (self.name().to_owned(), key.to_vec(), value.to_vec());
        let (other_name, other_key) = (other.name().to_owned(), other_key.to_vec());
        self.db.run(move |c| {
            let removed: i64 = c
                .query_one(
                    "WITH put AS (INSERT INTO newsbot_kv (tree, key, value) VALUES ($1, $2, $3)
                                  ON CONFLICT (tree, key) DO UPDATE SET value = EXCLUDED.value),
                          gone AS (DELETE FROM newsbot_kv WHERE tree = $4 AND key = $5 RETURNING 1)
                     SELECT count(*) FROM gone",
                    &[&name, &key, &value, &other_name, &other_key],
                )?
                .get(0);
            Ok(removed > 0)
        })
    }

    pub(super) fn insert_absent_with(
        &self,
        entries: &[Absent],
        companions: &PgTree,
    ) -> Result<Inserted, BackendError> {
        let name = self.name().to_owned();
        let companion_tree = companions.name().to_owned();
        let keys: Vec<Vec<u8>> = entries.iter().map(|e| e.key.clone()).collect();
        let values: Vec<Vec<u8>> = entries.iter().map(|e| e.value.clone()).collect();
        let companion_keys: Vec<Option<Vec<u8>>> = entries
            .iter()
            .map(|e| e.companion.as_ref().map(|(k, _)| k.clone()))
            .collect();
        let companion_values: Vec<Option<Vec<u8>>> = entries
            .iter()
            .map(|e| e.companion.as_ref().map(|(_, v)| v.clone()))
            .collect();
        let written = self.db.run(move |c| {
            // A companion is written only with its entry, in the same statement.
            let rows = c.query(
                "WITH input AS (
                     SELECT * FROM UNNEST($2::bytea[], $3::bytea[], $5::bytea[], $6::bytea[])
                         AS t(k, v, ck, cv)),
                 added AS (
                     INSERT INTO newsbot_kv (tree, key, value) SELECT $1, k, v FROM input
                     ON CONFLICT (tree, key) DO NOTHING RETURNING key),
                 companions AS (
                     INSERT INTO newsbot_kv (tree, key, value)
                     SELECT $4, input.ck, input.cv FROM input JOIN added ON added.key = input.k
                     WHERE input.ck IS NOT NULL
                     ON CONFLICT (tree, key) DO NOTHING RETURNING key)
                 SELECT key, (SELECT count(*) FROM companions) FROM added",
                &[
                    &name,
                    &keys,
                    &values,
                    &companion_tree,
                    &companion_keys,
                    &companion_values,
                ],
            )?;
            let new_companions: i64 = rows.first().map_or(0, |row| row.get(1));
            let added: std::collections::HashSet<Vec<u8>> =
                rows.iter().map(|row| row.get::<_, Vec<u8>>(0)).collect();
            Ok((added, new_companions))
        })?;
        let (added, new_companions) = written;
        Ok(Inserted {
            added: entries.iter().map(|e| added.contains(&e.key)).collect(),
            new_companions: usize::try_from(new_companions).unwrap_or(0),
        })
    }
}
