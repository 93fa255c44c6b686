//! Copying a whole database from one engine to another (`newsbot store copy`): every tree,
//! in key order, in batches; resumable (the target keeps how far each tree got, so a copy
//! stopped half way goes on from there); verified by counts and a spot check of values.

use super::{BackendError, Db, IVec, Tree};

/// The target's tree that keeps how far the copy got: tree name → last key copied (empty
/// value: the tree is done). Removed once the copy is verified.
const PROGRESS_TREE: &str = "__newsbot_copy";

/// Entries written per batch.
const BATCH: usize = 1_000;

/// Values compared per tree after the copy (evenly spread).
const SPOT_CHECKS: usize = 20;

/// What a copy did to one tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeCopy {
    /// The tree's name.
    pub name: String,
    /// Entries in the source.
    pub source: usize,
    /// Entries in the target after the copy.
    pub target: usize,
    /// Entries written by this run (fewer than `source` when resuming).
    pub written: usize,
    /// Values compared byte for byte.
    pub checked: usize,
}

/// Why a copy is not verified.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// An engine failed.
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// The counts differ after the copy.
    #[error("tree {tree}: {in_source} entries in the source, {in_target} in the target")]
    Count {
        tree: String,
        in_source: usize,
        in_target: usize,
    },
    /// A value differs after the copy.
    #[error("tree {tree}: the value at key {key:02x?} differs")]
    Value { tree: String, key: Vec<u8> },
}

/// Copies every tree of `from` into `to` and verifies it; `on_tree` hears of each tree done.
/// The id counter of `to` is moved past `from`'s.
///
/// # Errors
/// [`CopyError`] when an engine fails or the copy does not match.
pub fn copy_all(
    from: &Db,
    to: &Db,
    mut on_tree: impl FnMut(&TreeCopy),
) -> Result<Vec<TreeCopy>, CopyError> {
    let progress = to.open_tree(PROGRESS_TREE)?;
    let mut names = from.tree_names()?;
    names.retain(|n| n != PROGRESS_TREE);
    names.sort();
    let mut report = Vec::new();
    for name in names {
        let source = from.open_tree(&name)?;
        let target = to.open_tree(&name)?;
        let written = copy_tree(&source, &target, &progress, &name)?;
        let copied = verify(&source, &target, &name, written)?;
        on_tree(&copied);
        report.push(copied);
    }
    to.advance_ids_past(from.generate_id()?)?;
    to.drop_tree(PROGRESS_TREE)?;
    Ok(report)
}

/// Copies `source` into `target` from where an earlier run stopped; returns the entries
/// written now.
fn copy_tree(
    source: &Tree,
    target: &Tree,
    progress: &Tree,
    name: &str,
) -> Result<usize, BackendError> {
    let resume: Option<IVec> = progress.get(name)?;
    if resume.as_deref() == Some(&[][..]) {
        return Ok(0);
    }
    let entries = match &resume {
        Some(last) => source.range::<&[u8], _>((
            std::ops::Bound::Excluded(last.as_ref()),
            std::ops::Bound::Unbounded,
        )),
        None => source.iter(),
    };
    let mut written = 0;
    let mut batch: Vec<(IVec, IVec)> = Vec::with_capacity(BATCH);
    for entry in entries {
        batch.push(entry?);
        if batch.len() == BATCH {
            written += write_batch(target, progress, name, &mut batch)?;
        }
    }
    written += write_batch(target, progress, name, &mut batch)?;
    progress.insert(name, IVec::default())?;
    Ok(written)
}

/// Writes `batch` and records its last key as the tree's progress.
fn write_batch(
    target: &Tree,
    progress: &Tree,
    name: &str,
    batch: &mut Vec<(IVec, IVec)>,
) -> Result<usize, BackendError> {
    let Some((last, _)) = batch.last().cloned() else {
        return Ok(0);
    };
    let n = batch.len();
    target.insert_batch(std::mem::take(batch))?;
    progress.insert(name, last)?;
    Ok(n)
}

/// Compares counts, and values at evenly spread keys.
fn verify(source: &Tree, target: &Tree, name: &str, written: usize) -> Result<TreeCopy, CopyError> {
    let (from, to) = (source.len(), target.len());
    if from != to {
        return Err(CopyError::Count {
            tree: name.to_owned(),
            in_source: from,
            in_target: to,
        });
    }
    let step = (from / SPOT_CHECKS).max(1);
    let mut checked = 0;
    for entry in source.iter().step_by(step) {
        let (key, value) = entry?;
        if target.get(&key)?.as_deref() != Some(value.as_ref()) {
            return Err(CopyError::Value {
                tree: name.to_owned(),
                key: key.to_vec(),
            });
        }
        checked += 1;
    }
    Ok(TreeCopy {
        name: name.to_owned(),
        source: from,
        target: to,
        written,
        checked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sled_db() -> Db {
        Db::Sled(sled::Config::new().temporary(true).open().expect("sled"))
    }

    #[test]
    fn every_tree_is_copied_verified_and_a_second_run_writes_nothing() {
        let (from, to) = (sled_db(), sled_db());
        for (tree, n) in [("subscribers", 2_500u32), ("digests", 3)] {
            let t = from.open_tree(tree).expect("tree");
            for i in 0..n {
                t.insert(i.to_be_bytes(), format!("{tree} {i}").into_bytes())
                    .expect("insert");
            }
        }
        let first_id = from.generate_id().expect("id");
        let mut heard = Vec::new();
        let report = copy_all(&from, &to, |t| heard.push(t.name.clone())).expect("copy");
        assert_eq!(heard, vec!["digests", "subscribers"]);
        assert_eq!(
            report
                .iter()
                .map(|t| (t.source, t.target, t.written))
                .collect::<Vec<_>>(),
            vec![(3, 3, 3), (2_500, 2_500, 2_500)]
        );
        assert!(report[1].checked >= SPOT_CHECKS);
        assert!(to.generate_id().expect("id") > first_id);
        assert!(
            !to.tree_names()
                .expect("names")
                .contains(&PROGRESS_TREE.to_owned())
        );
        // Run again: everything verified again, nothing new written but the upserts.
        let again = copy_all(&from, &to, |_| {}).expect("again");
        assert_eq!(again[1].target, 2_500);
    }

    #[test]
    fn a_stopped_copy_resumes_after_its_last_key() {
        let (from, to) = (sled_db(), sled_db());
        let t = from.open_tree("ledger").expect("tree");
        for i in 0..10u32 {
            t.insert(i.to_be_bytes(), vec![1]).expect("insert");
        }
        // An earlier run copied keys 0..=3 and stopped.
        let progress = to.open_tree(PROGRESS_TREE).expect("progress");
        let target = to.open_tree("ledger").expect("tree");
        for i in 0..=3u32 {
            target.insert(i.to_be_bytes(), vec![1]).expect("insert");
        }
        progress
            .insert("ledger", 3u32.to_be_bytes().to_vec())
            .expect("progress");
        let report = copy_all(&from, &to, |_| {}).expect("copy");
        assert_eq!((report[0].written, report[0].target), (6, 10));
    }

    #[test]
    fn a_difference_is_reported_not_hidden() {
        let (from, to) = (sled_db(), sled_db());
        from.open_tree("meta")
            .expect("tree")
            .insert(b"k", b"v".to_vec())
            .expect("insert");
        to.open_tree("meta")
            .expect("tree")
            .insert(b"extra", b"x".to_vec())
            .expect("insert");
        let e = copy_all(&from, &to, |_| {}).expect_err("counts differ");
        assert!(
            matches!(
                e,
                CopyError::Count {
                    in_source: 1,
                    in_target: 2,
                    ..
                }
            ),
            "{e}"
        );
    }
}
