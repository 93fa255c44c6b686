//! The PostgreSQL schema: its migrations, applied once each at start under an advisory lock
//! (two instances starting together apply each once), and opening a connection in the
//! deployment's schema.

use postgres::{Client, NoTls};

/// The schema's migrations, in order: (version, SQL). Applied once each, recorded in
/// `newsbot_schema`.
pub(super) const MIGRATIONS: &[(i32, &str)] = &[
    (
        1,
        "CREATE TABLE newsbot_kv (
        tree TEXT NOT NULL,
        key BYTEA NOT NULL,
        value BYTEA NOT NULL,
        PRIMARY KEY (tree, key)
    );
    CREATE SEQUENCE newsbot_ids MINVALUE 0 START 0;",
    ),
    (
        2,
        "CREATE TABLE newsbot_lease (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        token BIGINT NOT NULL,
        acquired_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL
    );",
    ),
    (
        3,
        "ALTER TABLE newsbot_kv
        ADD COLUMN claimed_by TEXT,
        ADD COLUMN claimed_until TIMESTAMPTZ;",
    ),
];

/// The advisory lock held while migrating (any number only newsbot uses).
const MIGRATION_LOCK: i64 = 0x6e65_7773_626f_7401;

/// A schema name safe to put in SQL: lower-case letters, digits and `_`, not empty.
pub(super) fn valid_schema(schema: &str) -> bool {
    !schema.is_empty()
        && schema.len() <= 63
        && schema
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !schema.starts_with(|c: char| c.is_ascii_digit())
}

/// Connects one client, in `schema` when given; the first also applies the migrations.
pub(super) fn open(
    url: &str,
    schema: Option<&str>,
    migrate: bool,
) -> Result<Client, postgres::Error> {
    let mut config: postgres::Config = url.parse()?;
    // PostgreSQL's notices (`schema … already exists, skipping`) are not news.
    config.notice_callback(|notice| tracing::debug!(notice = %notice.message(), "PostgreSQL"));
    let mut client = config.connect(NoTls)?;
    if let Some(schema) = schema {
        // The name was checked by `valid_schema`: letters, digits and `_` only.
        client.batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS {schema}; SET search_path TO {schema}"
        ))?;
    }
    if migrate {
        apply_migrations(&mut client)?;
    }
    Ok(client)
}

/// Applies the migrations not yet recorded, in one transaction under the advisory lock.
pub(super) fn apply_migrations(client: &mut Client) -> Result<(), postgres::Error> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS newsbot_schema (
            version INT PRIMARY KEY,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )",
    )?;
    let applied: Vec<i32> = tx
        .query("SELECT version FROM newsbot_schema", &[])?
        .iter()
        .map(|row| row.get(0))
        .collect();
    for (version, sql) in MIGRATIONS {
        if !applied.contains(version) {
            tx.batch_execute(sql)?;
            tx.execute(
                "INSERT INTO newsbot_schema (version) VALUES ($1)",
                &[version],
            )?;
        }
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::valid_schema;

    #[test]
    fn only_plain_schema_names_reach_sql() {
        assert!(valid_schema("newsbot_test_1"));
        assert!(!valid_schema("x; DROP TABLE y"));
        assert!(!valid_schema("Upper"));
        assert!(!valid_schema("1abc"));
        assert!(!valid_schema(""));
    }
}
