//! One edition the service serves: its id and name, the view of the store holding its
//! ledger and digests, and its daily build. The scheduler's tick builds each in its own zone;
//! the planner and the worker serve them all through one outbox and one pacer.

use std::sync::Arc;

use crate::app::digest_job::DigestBuilder;
use crate::core::edition_id::EditionId;
use crate::core::edition_routes::EditionRoutes;
use crate::edge::store::Store;

/// One edition the service serves.
#[derive(Clone)]
pub struct ServedEdition {
    /// Its id.
    pub id: EditionId,
    /// Its name as residents see it.
    pub name: String,
    /// The store, viewed for this edition's ledger and digests.
    pub store: Store,
    /// Builds its day's digest.
    pub builder: Arc<DigestBuilder>,
}

impl std::fmt::Debug for ServedEdition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServedEdition")
            .field("id", &self.id)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Every edition the service serves, and how a subscriber's follows reach them.
#[derive(Debug, Clone)]
pub struct ServedEditions {
    /// The editions, the default first.
    pub list: Vec<ServedEdition>,
    /// Their ids and ledgers.
    pub routes: EditionRoutes,
}

impl ServedEditions {
    /// The edition with `id`, if served.
    #[must_use]
    pub fn get(&self, id: &EditionId) -> Option<&ServedEdition> {
        self.list.iter().find(|e| e.id == *id)
    }

    /// The default edition.
    #[must_use]
    pub fn default_edition(&self) -> Option<&ServedEdition> {
        self.list.first()
    }
}
