//! The editions `serve` serves, wired from the settings: the editions file's (each edition
//! its own sources, zone, build time and archive folder; the default edition keeps the
//! digest folder itself, the others a folder of their own under it), or the one edition of
//! the single-edition settings, whose id is `default`.

use std::sync::Arc;

use crate::app::digest_job::DigestBuilder;
use crate::app::ingest::EditionSource;
use crate::app::served_edition::{ServedEdition, ServedEditions};
use crate::core::edition_id::EditionId;
use crate::core::edition_routes::EditionRoutes;
use crate::core::summary::Summarizer;
use crate::edge::llm::Refiner;
use crate::edge::store::Store;
use crate::program::config::Config;
use crate::program::editions_file::{config_for_edition, read_editions_file};

/// The editions served and the default edition's settings.
pub struct Served {
    /// The editions, the default first, and how a subscriber's follows reach them.
    pub editions: ServedEditions,
    /// Each edition's editors.
    pub editors: Vec<(EditionId, Vec<i64>)>,
    /// The settings of the default edition (its zone, build time and editors in place of
    /// the single-edition ones when an editions file is used).
    pub home: Config,
}

/// Wires the editions `config` names over `store`, sharing `summarizer` and `refiner`.
/// `sample` serves the embedded sample paper for the single edition on purpose.
///
/// # Errors
/// An editions file that cannot be used; an edition with no source.
pub fn served_editions(
    config: &Config,
    sample: bool,
    store: &Store,
    summarizer: &Arc<Summarizer>,
    refiner: Option<&Arc<Refiner>>,
) -> anyhow::Result<Served> {
    let Some(path) = &config.editions_file else {
        let source = edition_source(config, sample).ok_or_else(|| anyhow::anyhow!(NO_SOURCE))?;
        if source == EditionSource::Sample {
            tracing::warn!("serving the embedded sample paper (--sample), re-dated to each day");
        }
        let builder = DigestBuilder::new(
            config.build_settings(),
            source,
            refiner.cloned(),
            Arc::clone(summarizer),
        );
        return Ok(Served {
            editions: ServedEditions {
                list: vec![ServedEdition {
                    id: EditionId::default_id(),
                    name: String::new(),
                    store: store.clone(),
                    builder: Arc::new(builder),
                }],
                routes: EditionRoutes::single(),
            },
            editors: vec![(EditionId::default_id(), config.editors.clone())],
            home: config.clone(),
        });
    };
    let file = read_editions_file(path, config)?;
    let default = file.default_edition().id.clone();
    if let Some(owner) = store.claim_default_edition(&default)? {
        anyhow::bail!(
            "the editions file '{}' makes '{default}' the default edition, but this database's default edition is '{owner}': its subscribers, ledger and digests are that edition's. Set `default = \"{owner}\"` in the file (the default keeps the first trees; other editions have their own)",
            path.display()
        );
    }
    let routes = EditionRoutes::new(default.clone(), file.iter().map(|p| p.id.clone()).collect());
    let mut editions = Vec::new();
    // The default first, then the others in the file's order.
    let plans =
        std::iter::once(file.default_edition()).chain(file.iter().filter(|p| p.id != default));
    for plan in plans {
        let mut one = config_for_edition(config, plan);
        let ledger = routes.ledger_of(&plan.id);
        if let Some(id) = &ledger {
            one.digest_dir = config.digest_dir.join(id.as_str());
        }
        let source = edition_source(&one, false)
            .ok_or_else(|| anyhow::anyhow!("edition '{}': {NO_SOURCE}", plan.id))?;
        let builder = DigestBuilder::new(
            one.build_settings(),
            source,
            refiner.cloned(),
            Arc::clone(summarizer),
        );
        editions.push(ServedEdition {
            id: plan.id.clone(),
            name: plan.name.clone(),
            store: store.for_edition(ledger.as_ref())?,
            builder: Arc::new(builder),
        });
    }
    Ok(Served {
        editions: ServedEditions {
            list: editions,
            routes,
        },
        editors: file
            .iter()
            .map(|p| (p.id.clone(), p.editors.clone()))
            .collect(),
        home: config_for_edition(config, file.default_edition()),
    })
}

/// The message `serve` stops with when no edition source is named anywhere.
pub const NO_SOURCE: &str = "no edition source: set NEWSBOT_EDITION_SOURCE (paths or http(s) URLs of the day's pages, or a template with {yyyy}, {mm}, {dd} and {page}) or NEWSBOT_FEEDS, or run `newsbot serve --sample` to serve the embedded sample paper on purpose";

/// Where `serve` reads each day's edition, or `None` when nothing is named and the sample
/// was not asked for (the service must not push a stand-in paper to residents).
#[must_use]
pub fn edition_source(config: &Config, sample: bool) -> Option<EditionSource> {
    match (&config.edition_source, config.feeds.is_empty()) {
        _ if sample => Some(EditionSource::Sample),
        (Some(list), _) => Some(EditionSource::pages_or_sample(Some(list)))
            .filter(|source| *source != EditionSource::Sample),
        (None, false) => Some(EditionSource::FeedsOnly),
        (None, true) => None,
    }
}
