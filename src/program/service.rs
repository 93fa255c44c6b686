//! `newsbot serve`: wires the long-running service. The Telegram dispatcher (residents in
//! chat), the scheduler (the minute tick: build, plan, prune) and the delivery worker run as
//! tasks that stop in order when the cancellation token fires (SIGTERM or Ctrl-C): the
//! dispatcher stops polling, the newsroom's recalls and corrections stop at their next step,
//! the scheduler stops and the build or prune it started is awaited, the worker lets
//! in-flight sends finish and records them, and the database is flushed. Each wait is
//! bounded; what was left is logged.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio_util::sync::CancellationToken;

use crate::app::delivery::{DeliveryWorker, Progress};
use crate::app::leadership::{Leadership, LeaseEnd};
use crate::app::newsroom::Newsroom;
use crate::app::scheduler::{DailyJobs, TickEvery, start_scheduler};
use crate::app::served_edition::ServedEditions;
use crate::chat::app::App;
use crate::chat::followed::{ChatEdition, ChatEditions};
use crate::chat::{Updates, run_bot};
use crate::core::summary::Summarizer;
use crate::edge::clock::Clock;
use crate::edge::store::Store;
use crate::edge::telegram::build_bot;
use crate::edge::telegram::notifier::TelegramNotifier;
use crate::program::config::Config;
use crate::program::monitoring::{Health, recorder, serve_monitoring};
use crate::program::served_editions::{Served, served_editions};
use metrics_exporter_prometheus::PrometheusHandle;
use std::net::SocketAddr;

/// How long a new leader on a shared store sends broadcasts at half the rate.
const TAKEOVER_WARM_UP: Duration = Duration::from_secs(5);

/// How long shutdown waits for the delivery worker after the dispatcher stopped.
const WORKER_STOP_GRACE: Duration = Duration::from_secs(30);

/// What differs between `serve` and the demo, which runs the same stack.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServeOptions {
    /// How often the delivery tick runs.
    pub tick: TickEvery,
    /// Serve the embedded sample paper on purpose (`serve --sample`, the demo).
    pub sample: bool,
}

/// Runs the bot until `shutdown` fires: [`Service::build`], then
/// [`Service::run_until_stopped`].
///
/// # Errors
/// As [`Service::build`] and [`Service::run_until_stopped`].
pub async fn serve(
    config: &Config,
    clock: Arc<dyn Clock>,
    refiner: Option<Arc<crate::edge::llm::Refiner>>,
    options: ServeOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    Service::build(config, clock, refiner, options)
        .await?
        .run_until_stopped(shutdown)
        .await
}

/// The service, built and not yet running: its database open, its listeners bound (their
/// addresses known, `:0` for a free port), its parts wired.
pub struct Service {
    store: Store,
    clock: Arc<dyn Clock>,
    timezone: chrono_tz::Tz,
    tick: TickEvery,
    bot: teloxide::Bot,
    worker: DeliveryWorker<TelegramNotifier>,
    jobs: Arc<DailyJobs>,
    app: App,
    cancel: CancellationToken,
    monitoring: Option<(tokio::net::TcpListener, PrometheusHandle)>,
    updates: Updates,
    metrics_addr: Option<SocketAddr>,
    webhook_addr: Option<SocketAddr>,
    leadership: Leadership,
}

impl Service {
    /// Opens the database, binds the health and metrics listener and the webhook listener
    /// (when set), and wires the dispatcher, the scheduler's jobs and the delivery worker.
    /// Nothing runs yet.
    ///
    /// # Errors
    /// No token, no edition source, a database that cannot be opened, an address that cannot
    /// be bound.
    pub async fn build(
        config: &Config,
        clock: Arc<dyn Clock>,
        refiner: Option<Arc<crate::edge::llm::Refiner>>,
        options: ServeOptions,
    ) -> anyhow::Result<Self> {
        let token = config.telegram_token.clone().context(
            "TELOXIDE_TOKEN is not set: create a bot with @BotFather and put its token in .env (see .env.example)",
        )?;
        let store = open_store(config)?;
        let summarizer = Arc::new(Summarizer::new());
        let Served {
            editions,
            editors,
            home,
        } = served_editions(
            config,
            options.sample,
            &store,
            &summarizer,
            refiner.as_ref(),
        )?;
        // The default edition's zone and editors stand for the service's.
        let config = &home;
        // Installed first, so the start-up build is counted too.
        let monitoring = match config.metrics_listen {
            None => None,
            Some(addr) => {
                let handle = recorder()?;
                let listener = tokio::net::TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("binding NEWSBOT_METRICS_LISTEN {addr}"))?;
                Some((listener, handle))
            }
        };
        let metrics_addr = monitoring
            .as_ref()
            .map(|(l, _)| l.local_addr())
            .transpose()?;
        let (updates, webhook_addr) = match &config.webhook {
            None => (Updates::LongPolling, None),
            Some(hook) => {
                let listener = tokio::net::TcpListener::bind(hook.listen)
                    .await
                    .with_context(|| format!("binding NEWSBOT_LISTEN {}", hook.listen))?;
                let addr = listener.local_addr()?;
                let updates = Updates::Webhook {
                    url: hook.url.clone(),
                    listener,
                    secret: hook.secret.as_ref().map(|s| s.expose().to_owned()),
                };
                (updates, Some(addr))
            }
        };
        if config.delivery.rate > 30 && !config.paid_broadcast {
            tracing::warn!(
                rate = config.delivery.rate,
                "broadcast rate above Telegram's 30/s without paid broadcast"
            );
        }
        let bot = build_bot(&token, config.telegram_api_url.clone());
        let cancel = CancellationToken::new();
        let worker = DeliveryWorker::new(
            store.clone(),
            TelegramNotifier::new(bot.clone(), config.paid_broadcast),
            config.delivery,
            Arc::clone(&clock),
            Arc::new(Progress::default()),
        );
        let on_built: Arc<dyn Fn() + Send + Sync> = {
            let worker = worker.clone();
            Arc::new(move || worker.forget_digests())
        };
        let jobs = Arc::new(
            DailyJobs::new(
                store.clone(),
                Arc::clone(&clock),
                editions.clone(),
                config.delivery,
                worker.waker(),
                Arc::clone(&on_built),
                cancel.clone(),
            )
            .with_retention(config.retention),
        );
        let newsroom = Arc::new(
            Newsroom::new(
                config.editors.iter().copied(),
                store.clone(),
                Arc::clone(&clock),
                worker.waker(),
                worker.pacer(),
                config.paid_broadcast,
            )
            .with_editions(editions.routes.clone(), &editors)
            .with_notice_gate(worker.notice_gate())
            .on_digest_changed(Arc::clone(&on_built))
            .with_upload_limit(config.fetch.max_bytes),
        );
        // Each edition's digest of today at once if its time has passed (one attempt; the
        // tick keeps retrying with backoff if it fails), so the first answers and the
        // edition's name already use it.
        // With a shared store the leader's first tick builds it (a standby does no work).
        for edition in editions.list.iter().filter(|_| !store.is_shared()) {
            let builder = &edition.builder;
            let today = clock.today_in(builder.timezone());
            if edition.store.digest(today)?.is_none()
                && builder.build_time_passed(today, clock.now())
                && let Err(e) = builder.build(today, &edition.store).await
            {
                tracing::warn!(edition = %edition.id, error.message = %crate::core::error_chain::error_chain(&e), "could not build today's digest at start; retrying in the background");
            }
        }
        let chat_editions = chat_editions(&editions);
        let edition_name = chat_editions
            .list
            .first()
            .map_or_else(|| "newsbot".to_owned(), |e| e.name.clone());
        let app = App {
            store: store.clone(),
            clock: Arc::clone(&clock),
            summarizer,
            edition_name,
            timezone: config.timezone,
            newsroom,
            editions: Arc::new(chat_editions),
            shown: Arc::default(),
        };
        tracing::info!(api = %config.telegram_api_url, data = %config.data_dir.display(), shared = store.is_shared(), instance = %config.instance, "service built");
        let leadership = Leadership::new(store.clone(), config.instance.clone(), config.lease);
        Ok(Self {
            store,
            clock,
            timezone: config.timezone,
            tick: options.tick,
            bot,
            worker,
            jobs,
            app,
            cancel,
            monitoring,
            updates,
            metrics_addr,
            webhook_addr,
            leadership,
        })
    }

    /// Where `/healthz` and `/metrics` are served, when `NEWSBOT_METRICS_LISTEN` is set.
    #[must_use]
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_addr
    }

    /// Where the webhook listens, when `NEWSBOT_WEBHOOK_URL` is set.
    #[must_use]
    pub fn webhook_addr(&self) -> Option<SocketAddr> {
        self.webhook_addr
    }

    /// Runs until `shutdown` fires, then stops in order (see the module note).
    ///
    /// # Errors
    /// A scheduler that cannot start, a webhook that cannot be registered, a database that
    /// cannot be flushed.
    pub async fn run_until_stopped(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let Self {
            store,
            clock,
            timezone,
            tick,
            bot,
            worker,
            jobs,
            app,
            cancel,
            monitoring,
            updates,
            leadership,
            ..
        } = self;
        {
            let cancel = cancel.clone();
            tokio::spawn(async move {
                shutdown.await;
                cancel.cancel();
            });
        }
        // Health and metrics first: a standby answers them while it waits.
        if let Some((listener, handle)) = monitoring {
            let health = Arc::new(
                Health::new(
                    store.clone(),
                    Arc::clone(&clock),
                    timezone,
                    Arc::clone(&jobs),
                )
                .with_leadership(leadership.state()),
            );
            serve_monitoring(listener, handle, health, cancel.clone());
        }
        // Only the lease holder talks to Telegram (with sled: at once).
        if !leadership.acquire(&cancel).await {
            tracing::info!("stopped while a standby");
            return Ok(());
        }
        if store.is_shared() {
            // Possibly a takeover: the former leader's last messages may still count.
            worker.pacer().warm_up(TAKEOVER_WARM_UP);
            worker.send_under(leadership.state());
        }
        let keeper = {
            let (leadership, cancel) = (leadership.clone(), cancel.clone());
            tokio::spawn(async move { leadership.keep(cancel).await })
        };
        let worker_task = {
            let cancel = cancel.clone();
            let worker = worker.clone();
            tokio::spawn(async move { worker.run(cancel).await })
        };
        let mut scheduler = start_scheduler(Arc::clone(&jobs), tick)
            .await
            .context("starting the scheduler")?;
        // Catch up at once rather than at the next minute: build if due, plan who is due.
        jobs.tasks.spawn(Arc::clone(&jobs).tick());
        let newsroom = Arc::clone(&app.newsroom);
        let ran = run_bot(bot, app, updates, cancel.clone().cancelled_owned()).await;
        cancel.cancel();
        // Each step's time is logged, so a slow stop says which step held it.
        let stopping = std::time::Instant::now();
        let step = |what: &str| {
            tracing::info!(
                step = what,
                elapsed_ms = stopping.elapsed().as_millis() as u64,
                "shutdown step done"
            );
        };
        // The newsroom's work stops at its next step; what it had under way resumes at start.
        newsroom.stopping.cancel();
        wait_for_tasks(
            &newsroom.tasks,
            "newsroom tasks still running at shutdown; recalls and corrections resume at the next start",
        )
        .await;
        step("newsroom tasks");
        if let Err(e) = scheduler.shutdown().await {
            tracing::warn!(error.message = %e, "scheduler did not stop cleanly");
        }
        step("scheduler");
        // A build or prune the tick started stops at its next step (both watch `cancel`);
        // what is left is redone by the next start's tick.
        wait_for_tasks(
            &jobs.tasks,
            "a build or prune still running at shutdown; the next start's tick does it again",
        )
        .await;
        step("builds, plans and prunes");
        match tokio::time::timeout(WORKER_STOP_GRACE, worker_task).await {
            Ok(Ok(Ok(report))) => tracing::info!(%report, "delivery worker stopped"),
            Ok(Ok(Err(e))) => tracing::error!(error.message = %e, "delivery worker failed"),
            Ok(Err(e)) => tracing::error!(error.message = %e, "delivery worker crashed"),
            Err(_) => tracing::warn!("delivery worker did not stop in time"),
        }
        step("delivery worker");
        store.flush().await.context("flushing the database")?;
        if keeper.await.unwrap_or(LeaseEnd::Stopped) == LeaseEnd::Lost {
            anyhow::bail!(
                "lost the leader lease to another instance; stopped sending (restart to stand by)"
            );
        }
        leadership.step_down().await;
        ran?;
        tracing::info!("bot stopped");
        Ok(())
    }
}

/// The editions as the chat sees them: an edition the settings do not name is called by its
/// latest digest's name (else `newsbot`).
fn chat_editions(editions: &ServedEditions) -> ChatEditions {
    let list = editions
        .list
        .iter()
        .map(|e| {
            let name = if e.name.is_empty() {
                e.store
                    .latest_digest()
                    .ok()
                    .flatten()
                    .map_or_else(|| "newsbot".to_owned(), |d| d.edition)
            } else {
                e.name.clone()
            };
            ChatEdition {
                id: e.id.clone(),
                name,
                store: e.store.clone(),
                timezone: e.builder.timezone(),
            }
        })
        .collect();
    ChatEditions {
        list,
        routes: editions.routes.clone(),
    }
}

/// Closes `tasks` and waits for them at most [`WORKER_STOP_GRACE`]; says `left` (with how
/// many) when some are still running.
async fn wait_for_tasks(tasks: &tokio_util::task::TaskTracker, left: &str) {
    tasks.close();
    if tokio::time::timeout(WORKER_STOP_GRACE, tasks.wait())
        .await
        .is_err()
    {
        tracing::warn!(tasks = tasks.len(), "{left}");
    }
}

/// Opens the database: PostgreSQL when `NEWSBOT_DATABASE_URL` names one, else sled under the
/// data folder.
///
/// # Errors
/// When PostgreSQL cannot be reached or migrated, or sled cannot open its files (most often
/// because another newsbot holds them).
pub fn open_store(config: &Config) -> anyhow::Result<Store> {
    if let Some(url) = &config.database_url {
        // The URL may hold a password: it is never printed.
        return Store::connect(url.expose(), config.database_schema.as_deref())
            .context("connecting to the PostgreSQL database of NEWSBOT_DATABASE_URL");
    }
    let path = config.data_dir.join("db");
    Store::open(&path).with_context(|| {
        format!(
            "opening the database at '{}' (is another newsbot running?)",
            path.display()
        )
    })
}
