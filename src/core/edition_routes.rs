//! Which editions a chat is delivered: the editions it follows that this deployment serves,
//! each at the follow's own time or the chat's, with the ledger each edition's deliveries
//! are kept in (`None` for the default edition, whose records stay where every earlier
//! version kept them). Pure: the planner asks it for each subscriber.

use super::edition_id::EditionId;
use super::subscriber::{DeliveryTime, Subscriber};

/// The editions a deployment serves, one of them the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionRoutes {
    default: EditionId,
    served: Vec<EditionId>,
}

/// One edition's digest a chat is to receive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowedEdition {
    /// The edition.
    pub edition: EditionId,
    /// Its ledger: `None` for the default edition.
    pub ledger: Option<EditionId>,
    /// When it comes, in the chat's zone.
    pub delivery: DeliveryTime,
}

impl Default for EditionRoutes {
    fn default() -> Self {
        Self::single()
    }
}

impl EditionRoutes {
    /// A deployment of one edition, the default (single-edition settings).
    #[must_use]
    pub fn single() -> Self {
        Self::new(EditionId::default_id(), Vec::new())
    }

    /// `default` and `others` (the default is served whether or not `others` names it).
    #[must_use]
    pub fn new(default: EditionId, others: Vec<EditionId>) -> Self {
        let mut served = vec![default.clone()];
        for id in others {
            if !served.contains(&id) {
                served.push(id);
            }
        }
        Self { default, served }
    }

    /// The default edition.
    #[must_use]
    pub fn default_edition(&self) -> &EditionId {
        &self.default
    }

    /// Every edition served, the default first.
    #[must_use]
    pub fn served(&self) -> &[EditionId] {
        &self.served
    }

    /// True when more than one edition is served.
    #[must_use]
    pub fn several(&self) -> bool {
        self.served.len() > 1
    }

    /// True when `id` is served.
    #[must_use]
    pub fn serves(&self, id: &EditionId) -> bool {
        self.served.contains(id)
    }

    /// The ledger `id`'s deliveries are kept in: `None` for the default edition.
    #[must_use]
    pub fn ledger_of(&self, id: &EditionId) -> Option<EditionId> {
        (*id != self.default).then(|| id.clone())
    }

    /// The edition a ledger holds (`None`: the default edition).
    #[must_use]
    pub fn edition_of_ledger(&self, ledger: Option<&EditionId>) -> EditionId {
        ledger.map_or_else(|| self.default.clone(), Clone::clone)
    }

    /// The editions `subscriber` is delivered, in their order: those it follows that are
    /// served (an edition no longer served is skipped), or the default when it names none or
    /// none of those it names is served any more (as the chat tells it).
    #[must_use]
    pub fn followed(&self, subscriber: &Subscriber) -> Vec<FollowedEdition> {
        let followed: Vec<FollowedEdition> = subscriber
            .follows
            .iter()
            .filter(|f| self.serves(&f.edition))
            .map(|f| FollowedEdition {
                edition: f.edition.clone(),
                ledger: self.ledger_of(&f.edition),
                delivery: f.delivery.unwrap_or(subscriber.delivery),
            })
            .collect();
        if followed.is_empty() {
            return vec![FollowedEdition {
                edition: self.default.clone(),
                ledger: None,
                delivery: subscriber.delivery,
            }];
        }
        followed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::subscriber::{ChatKind, Follow, SubscriberId};

    fn id(text: &str) -> EditionId {
        EditionId::parse(text).expect("id")
    }

    #[test]
    fn each_followed_edition_comes_at_its_own_time_or_the_chats() {
        let routes = EditionRoutes::new(id("pinghu"), vec![id("haining"), id("tongxiang")]);
        let mut s = Subscriber::new(SubscriberId(7), ChatKind::Private, chrono::Utc::now());
        // None named: the default edition, at the chat's time, in the default ledger.
        let plain = routes.followed(&s);
        assert_eq!(plain.len(), 1);
        assert_eq!(
            (plain[0].edition.as_str(), &plain[0].ledger),
            ("pinghu", &None)
        );
        s.follows = vec![
            Follow {
                edition: id("haining"),
                delivery: DeliveryTime::new(6, 30),
            },
            Follow {
                edition: id("gone"),
                delivery: None,
            },
            Follow {
                edition: id("pinghu"),
                delivery: None,
            },
        ];
        let due = routes.followed(&s);
        let seen: Vec<(&str, Option<EditionId>, String)> = due
            .iter()
            .map(|f| (f.edition.as_str(), f.ledger.clone(), f.delivery.to_string()))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("haining", Some(id("haining")), "06:30".to_owned()),
                ("pinghu", None, s.delivery.to_string()),
            ]
        );
        assert!(routes.several());
        // Following only editions no longer served: the default, as the chat says.
        s.follows = vec![Follow {
            edition: id("gone"),
            delivery: None,
        }];
        assert_eq!(routes.followed(&s)[0].edition.as_str(), "pinghu");
        assert_eq!(routes.edition_of_ledger(None), id("pinghu"));
        assert!(!EditionRoutes::single().several());
    }
}
