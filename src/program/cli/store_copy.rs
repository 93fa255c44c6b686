//! `newsbot store copy`: moves a stopped deployment's database from one engine to another
//! (sled to PostgreSQL, or back), tree by tree, and verifies it; a copy cut short resumes.

use anyhow::Context;

use super::args::StoreAction;
use super::output::print_out;
use crate::edge::store::Store;

/// Runs a `newsbot store` action.
///
/// # Errors
/// When a database cannot be opened, or the copy fails or does not verify.
pub fn run_store(action: &StoreAction) -> anyhow::Result<()> {
    let StoreAction::Copy { from, to, schema } = action;
    let source = open(from, schema.as_deref()).context("opening --from")?;
    let target = open(to, schema.as_deref()).context("opening --to")?;
    let mut records = 0;
    let trees = source
        .copy_to(&target, |tree| {
            records += tree.target;
            eprintln!(
                "{}: {} records ({} written now, {} values compared)",
                tree.name, tree.target, tree.written, tree.checked
            );
        })
        .context("copying the database")?;
    print_out(&format!(
        "copied and verified: {} trees, {records} records\n",
        trees.len()
    ))
}

/// The database `location` names: `sled:PATH` or a PostgreSQL URL (never printed: it may
/// hold a password).
fn open(location: &str, schema: Option<&str>) -> anyhow::Result<Store> {
    if let Some(path) = location.strip_prefix("sled:") {
        return Store::open(std::path::Path::new(path)).with_context(|| {
            format!("the sled database at '{path}' (is a newsbot running on it?)")
        });
    }
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        return Store::connect(location, schema).context("the PostgreSQL database");
    }
    anyhow::bail!("a database is `sled:PATH` or `postgres://user@host:5432/database`")
}
