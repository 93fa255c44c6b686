//! Scans of a PostgreSQL tree: rows between two bounds, fetched a page at a time as the
//! iterator goes, so a scan that stops early (a batch of outbox jobs) reads little.

use std::ops::Bound;

use super::postgres_kv::PgTree;
use super::{BackendError, IVec, Iter};

impl PgTree {
    /// The entries between `start` and `end`, in key order, read a page at a time as the
    /// iterator goes (a scan that stops early reads little).
    pub(super) fn range_rows(&self, start: Bound<Vec<u8>>, end: Bound<Vec<u8>>) -> Iter {
        Iter::Paged(Box::new(PagedRows {
            tree: self.clone(),
            start,
            end,
            rows: std::collections::VecDeque::new(),
            exhausted: false,
        }))
    }

    /// At most `limit` entries between `start` and `end` (`None`: all), in key order.
    fn page(
        &self,
        start: &Bound<Vec<u8>>,
        end: &Bound<Vec<u8>>,
        limit: Option<i64>,
    ) -> Result<Vec<(IVec, IVec)>, BackendError> {
        let (name, start, end) = (self.name.to_string(), start.clone(), end.clone());
        self.db.run(move |c| {
            let mut sql = "SELECT key, value FROM newsbot_kv WHERE tree = $1".to_owned();
            let mut bounds: Vec<Vec<u8>> = Vec::new();
            for (bound, included, excluded) in [(start, ">=", ">"), (end, "<=", "<")] {
                let (op, key) = match bound {
                    Bound::Included(k) => (included, k),
                    Bound::Excluded(k) => (excluded, k),
                    Bound::Unbounded => continue,
                };
                bounds.push(key);
                sql.push_str(&format!(" AND key {op} ${}", bounds.len() + 1));
            }
            sql.push_str(" ORDER BY key");
            if let Some(limit) = limit {
                sql.push_str(&format!(" LIMIT {limit}"));
            }
            let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> = vec![&name];
            params.extend(
                bounds
                    .iter()
                    .map(|b| b as &(dyn postgres::types::ToSql + Sync)),
            );
            Ok(c.query(&sql, &params)?
                .iter()
                .map(|row| {
                    (
                        IVec::from(row.get::<_, Vec<u8>>(0)),
                        IVec::from(row.get::<_, Vec<u8>>(1)),
                    )
                })
                .collect())
        })
    }
}

/// Rows of one tree between two bounds, fetched a page at a time from the front; reading
/// from the back fetches the rest at once (backward scans are short: a last chunk, the
/// newest notices).
pub struct PagedRows {
    tree: PgTree,
    /// Where the next page starts.
    start: Bound<Vec<u8>>,
    end: Bound<Vec<u8>>,
    rows: std::collections::VecDeque<(IVec, IVec)>,
    /// Every row up to `end` is in `rows` (or was handed out).
    exhausted: bool,
}

/// Rows fetched per page.
const PAGE_ROWS: i64 = 512;

impl PagedRows {
    fn fetch(&mut self, limit: Option<i64>) -> Result<(), BackendError> {
        let page = self.tree.page(&self.start, &self.end, limit);
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                self.exhausted = true;
                return Err(e);
            }
        };
        if limit.is_none_or(|l| (page.len() as i64) < l) {
            self.exhausted = true;
        }
        if let Some((last, _)) = page.last() {
            self.start = Bound::Excluded(last.to_vec());
        }
        self.rows.extend(page);
        Ok(())
    }
}

impl Iterator for PagedRows {
    type Item = Result<(IVec, IVec), BackendError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rows.is_empty()
            && !self.exhausted
            && let Err(e) = self.fetch(Some(PAGE_ROWS))
        {
            return Some(Err(e));
        }
        self.rows.pop_front().map(Ok)
    }
}

impl DoubleEndedIterator for PagedRows {
    fn next_back(&mut self) -> Option<Self::Item> {
        if !self.exhausted
            && let Err(e) = self.fetch(None)
        {
            return Some(Err(e));
        }
        self.rows.pop_back().map(Ok)
    }
}
