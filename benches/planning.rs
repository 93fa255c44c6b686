//! `cargo bench --bench planning`: planning a morning across editions, printed as figures
//! (never asserted). 100,000 subscribers (`NEWSBOT_BENCH_SUBSCRIBERS`) spread over 7
//! editions (each follows one, every seventh a second at a time of its own), in four zones;
//! each edition's digest stored for five days. For each day the planner runs once at a
//! moment when everyone is due (every delivery put in the outbox and the ledger of its
//! edition), and once more right after (nothing new: the ledger answers). Prints the median
//! of the five mornings for both, and the deliveries planned.

use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use newsbot::app::delivery::{DeliverySettings, enqueue_due};
use newsbot::core::digest::Digest;
use newsbot::core::edition_id::EditionId;
use newsbot::core::edition_routes::EditionRoutes;
use newsbot::core::subscriber::{ChatKind, DeliveryTime, Follow, Subscriber, SubscriberId};
use newsbot::edge::store::Store;

const EDITIONS: [&str; 7] = [
    "pinghu",
    "haining",
    "tongxiang",
    "jiashan",
    "haiyan",
    "nanhu",
    "xiuzhou",
];
const ZONES: [chrono_tz::Tz; 4] = [
    chrono_tz::Asia::Shanghai,
    chrono_tz::Europe::London,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Sydney,
];
const DAYS: i64 = 5;

fn first_day() -> NaiveDate {
    "2026-11-30".parse().expect("date")
}

fn id(text: &str) -> EditionId {
    EditionId::parse(text).expect("id")
}

fn subscribers(count: i64, created: DateTime<Utc>) -> Vec<Subscriber> {
    (1..=count)
        .map(|n| {
            let mut s = Subscriber::new(SubscriberId(1_000_000 + n), ChatKind::Private, created);
            s.delivery = DeliveryTime::from_minute_of_day(u16::try_from(n % 720).unwrap_or(0));
            s.tz = ZONES[usize::try_from(n).unwrap_or(0) % ZONES.len()].into();
            let main = EDITIONS[usize::try_from(n / 3).unwrap_or(0) % EDITIONS.len()];
            s.follows = vec![Follow {
                edition: id(main),
                delivery: None,
            }];
            if n % 7 == 0 {
                let second = EDITIONS[usize::try_from(n / 3 + 1).unwrap_or(0) % EDITIONS.len()];
                s.follows.push(Follow {
                    edition: id(second),
                    delivery: DeliveryTime::new(6, 45),
                });
            }
            s
        })
        .collect()
}

fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

fn main() {
    let count: i64 = std::env::var("NEWSBOT_BENCH_SUBSCRIBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let routes = EditionRoutes::new(id(EDITIONS[0]), EDITIONS.iter().map(|e| id(e)).collect());
    let store = Store::temporary().expect("store");
    let created = first_day()
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
        - Duration::days(2);
    runtime.block_on(async {
        for offset in 0..DAYS {
            let date = first_day() + Duration::days(offset);
            for edition in EDITIONS {
                let view = store
                    .for_edition(routes.ledger_of(&id(edition)).as_ref())
                    .expect("view");
                let digest = Digest {
                    date,
                    edition: edition.to_owned(),
                    headlines: Vec::new(),
                    weather: None,
                    notices: Vec::new(),
                    photos: Vec::new(),
                };
                view.put_digest(&digest).await.expect("digest");
            }
        }
        store
            .save_subscribers(&subscribers(count, created))
            .await
            .expect("subscribers");
    });
    let settings = DeliverySettings {
        catch_up: Duration::hours(23),
        ..DeliverySettings::default()
    };
    let mut reading = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let read = store.subscribers_iter().filter(Result::is_ok).count();
        reading.push(started.elapsed().as_secs_f64());
        assert_eq!(read, usize::try_from(count).unwrap_or(0));
    }
    println!(
        "read every subscriber record: median {:.2} s",
        median(reading)
    );
    let (mut planning, mut replanning, mut planned) = (Vec::new(), Vec::new(), 0);
    for offset in 0..DAYS {
        // 23:00 in Sydney's evening is past every time of every zone's morning.
        let now = (first_day() + Duration::days(offset))
            .and_hms_opt(23, 0, 0)
            .expect("time")
            .and_utc();
        let started = Instant::now();
        let (report, _) = enqueue_due(&store, &routes, now, &settings, false).expect("plan");
        planning.push(started.elapsed().as_secs_f64());
        planned += report.queued + report.missed;
        let started = Instant::now();
        let (again, _) = enqueue_due(&store, &routes, now, &settings, false).expect("plan");
        replanning.push(started.elapsed().as_secs_f64());
        assert_eq!(again.queued, 0, "a second pass plans nothing new");
    }
    println!(
        "plan a morning ({count} subscribers over {} editions, {} deliveries a day): median {:.2} s (runs {})",
        EDITIONS.len(),
        planned / usize::try_from(DAYS).unwrap_or(1),
        median(planning.clone()),
        planning
            .iter()
            .map(|s| format!("{s:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "plan again (nothing new): median {:.2} s",
        median(replanning)
    );
}
