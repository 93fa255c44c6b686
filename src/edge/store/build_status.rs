//! The daily build's last failure (`meta` tree, one key): kept while the day's digest cannot
//! be built so that `/healthz` and the editors' `/stats` can say why, cleared by the next
//! successful build.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Store, StoreError};

/// Key of the default edition's build problem in the `meta` tree (another edition's adds
/// `:ID`).
const BUILD_PROBLEM: &str = "build_problem";

/// Why the day's digest could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildProblem {
    /// The day whose digest failed.
    pub date: NaiveDate,
    /// The error, with its causes.
    pub message: String,
    /// When it last failed (RFC 3339).
    pub at: String,
    /// Attempts so far.
    pub attempts: u32,
}

impl Store {
    /// This view's edition's key of its build problem.
    fn build_problem_key(&self) -> Vec<u8> {
        match self.edition() {
            None => BUILD_PROBLEM.as_bytes().to_vec(),
            Some(id) => format!("{BUILD_PROBLEM}:{id}").into_bytes(),
        }
    }

    /// Records that `date`'s build failed with `message` at `at`, counting attempts.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub fn record_build_problem(
        &self,
        date: NaiveDate,
        message: &str,
        at: &str,
    ) -> Result<BuildProblem, StoreError> {
        let attempts = self
            .build_problem()?
            .filter(|p| p.date == date)
            .map_or(1, |p| p.attempts.saturating_add(1));
        let problem = BuildProblem {
            date,
            message: message.to_owned(),
            at: at.to_owned(),
            attempts,
        };
        let bytes = serde_json::to_vec(&problem).map_err(|source| StoreError::Encode {
            what: "build problem",
            source,
        })?;
        self.meta.insert(self.build_problem_key(), bytes)?;
        Ok(problem)
    }

    /// Forgets the build problem (the digest was built).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub fn clear_build_problem(&self) -> Result<(), StoreError> {
        self.meta.remove(self.build_problem_key())?;
        Ok(())
    }

    /// The last build problem, if one is recorded.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails or the record is unreadable.
    pub fn build_problem(&self) -> Result<Option<BuildProblem>, StoreError> {
        self.meta
            .get(self.build_problem_key())?
            .map(|bytes| {
                serde_json::from_slice(&bytes).map_err(|source| StoreError::Corrupt {
                    what: "build problem",
                    source,
                })
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_count_attempts_per_day_and_clear() {
        let store = Store::temporary().expect("store");
        let day = NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        assert_eq!(store.build_problem().expect("read"), None);
        store
            .record_build_problem(day, "nothing to read", "t1")
            .expect("write");
        let p = store
            .record_build_problem(day, "nothing to read", "t2")
            .expect("write");
        assert_eq!(p.attempts, 2);
        let next = day.succ_opt().expect("date");
        assert_eq!(
            store
                .record_build_problem(next, "x", "t3")
                .expect("write")
                .attempts,
            1
        );
        store.clear_build_problem().expect("clear");
        assert_eq!(store.build_problem().expect("read"), None);
    }

    #[test]
    fn each_edition_keeps_its_own_problem() {
        let store = Store::temporary().expect("store");
        let id = crate::core::edition_id::EditionId::parse("haining").expect("id");
        let other = store.for_edition(Some(&id)).expect("view");
        let day = NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        other
            .record_build_problem(day, "page missing", "t1")
            .expect("write");
        assert_eq!(store.build_problem().expect("read"), None);
        // The default edition's success does not clear another edition's problem.
        store.clear_build_problem().expect("clear");
        assert_eq!(
            other.build_problem().expect("read").map(|p| p.message),
            Some("page missing".to_owned())
        );
    }
}
