//! The gate between sending a breaking notice's copies and changing the notice: a copy is
//! sent, and its message id recorded, under a shared hold; `/recall` and `/correct` change
//! the notice under the exclusive hold. So when the change is made, every copy that was on
//! its way has its id in the ledger (and the action will reach it), and every copy sent
//! afterwards sees the change (it is not sent, or carries the new text).

use std::sync::Arc;

use tokio::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};

/// Shared by the delivery worker and the newsroom. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct NoticeGate {
    lock: Arc<RwLock<()>>,
}

impl NoticeGate {
    /// A new gate.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Held while one copy is checked against the notice, sent and recorded.
    pub async fn sending(&self) -> OwnedRwLockReadGuard<()> {
        Arc::clone(&self.lock).read_owned().await
    }

    /// Held while a notice is changed: waits for the copies on their way (at most one
    /// request each), and holds new ones back until it is dropped.
    pub async fn changing(&self) -> OwnedRwLockWriteGuard<()> {
        Arc::clone(&self.lock).write_owned().await
    }
}
