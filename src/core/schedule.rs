//! Who is due for the daily digest, decided from the instant alone: each subscriber's
//! delivery time, time zone, pause, status and creation time, what the ledger already holds,
//! and which digests are ready. Daylight-saving rules live here: a local time skipped by a
//! spring-forward jump is delivered at the first instant after the gap; a local time that
//! occurs twice in autumn is delivered once, at its first occurrence. No I/O, no clock.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::subscriber::{DeliveryTime, Status, Subscriber};

/// The longest daylight-saving gap looked across (no zone skips more than this).
const LONGEST_GAP_MINUTES: i64 = 180;

/// What to do about one subscriber's delivery of one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Deliver the digest of `date`, which was due at `due_at`.
    Deliver {
        /// The subscriber's local date, which is also the digest's date.
        date: NaiveDate,
        /// When it was due.
        due_at: DateTime<Utc>,
    },
    /// The delivery of `date` is past the catch-up window: record it as missed, send nothing.
    Missed {
        /// The subscriber's local date.
        date: NaiveDate,
        /// When it was due.
        due_at: DateTime<Utc>,
    },
}

/// What the decision needs to know besides the subscriber.
#[derive(Debug, Clone, Copy)]
pub struct ScheduleRules {
    /// How long after its time a delivery may still be made (after a restart, or while the
    /// digest was not ready); past it the delivery is missed.
    pub catch_up: Duration,
}

/// The instant at which `time` happens on `date` in `tz`.
///
/// An ambiguous local time (autumn) gives its first occurrence; a skipped local time (spring)
/// gives the first instant after the gap. `None` only for a date chrono cannot represent.
#[must_use]
pub fn due_instant(date: NaiveDate, time: DeliveryTime, tz: Tz) -> Option<DateTime<Utc>> {
    let minute = i64::from(time.minute_of_day());
    let local = date.and_hms_opt(0, 0, 0)? + Duration::minutes(minute);
    if let Some(first) = tz.from_local_datetime(&local).earliest() {
        return Some(first.with_timezone(&Utc));
    }
    // Inside a gap: walk forward minute by minute to the first local time that exists; that
    // is the instant the clocks jumped.
    (1..=LONGEST_GAP_MINUTES).find_map(|step| {
        tz.from_local_datetime(&(local + Duration::minutes(step)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    })
}

/// The paper's day whose digest is to be built at `now`: today in `tz`, once `build_at` has
/// passed on it (by [`due_instant`], so a build time in a daylight-saving gap or doubled hour
/// behaves as a delivery does) and while `built(today)` says it is not there yet. The service
/// asks this every minute; no job is fixed to a zone's offset.
#[must_use]
pub fn build_due(
    now: DateTime<Utc>,
    build_at: DeliveryTime,
    tz: Tz,
    built: impl FnOnce(NaiveDate) -> bool,
) -> Option<NaiveDate> {
    let today = now.with_timezone(&tz).date_naive();
    let due = due_instant(today, build_at, tz)?;
    (due <= now && !built(today)).then_some(today)
}

/// The decisions for `subscriber` at `now`, oldest first: at most one for yesterday and one
/// for today (local dates in the subscriber's zone), so a delivery due late yesterday is still
/// caught up after midnight.
///
/// `delivered(date)` tells whether the ledger already holds the subscriber's delivery of
/// `date` (in any state); `digest_ready(date)` whether that day's digest exists. A delivery
/// whose digest is not ready waits (nothing is returned) until the catch-up window closes.
#[must_use]
pub fn decide(
    subscriber: &Subscriber,
    now: DateTime<Utc>,
    rules: &ScheduleRules,
    delivered: impl FnMut(NaiveDate) -> bool,
    digest_ready: impl FnMut(NaiveDate) -> bool,
) -> Vec<Decision> {
    decide_at(
        subscriber,
        subscriber.delivery,
        now,
        rules,
        delivered,
        digest_ready,
    )
}

/// As [`decide`], for a digest the subscriber takes at `delivery` (an edition they follow
/// at a time of its own) rather than at their own time.
#[must_use]
pub fn decide_at(
    subscriber: &Subscriber,
    delivery: DeliveryTime,
    now: DateTime<Utc>,
    rules: &ScheduleRules,
    mut delivered: impl FnMut(NaiveDate) -> bool,
    mut digest_ready: impl FnMut(NaiveDate) -> bool,
) -> Vec<Decision> {
    if subscriber.status != Status::Active {
        return Vec::new();
    }
    let tz = subscriber.tz.tz();
    let today = now.with_timezone(&tz).date_naive();
    let mut decisions = Vec::new();
    for date in [today.pred_opt(), Some(today)].into_iter().flatten() {
        let Some(due_at) = due_instant(date, delivery, tz) else {
            continue;
        };
        // Not yet; or already in the ledger; or paused then.
        if due_at > now || subscriber.is_paused(due_at) || delivered(date) {
            continue;
        }
        // A delivery due before they subscribed was never theirs to miss; but someone who
        // subscribes (or imports) after today's time still gets today's, inside the window.
        let theirs = due_at >= subscriber.created_at;
        if now - due_at > rules.catch_up {
            if theirs {
                decisions.push(Decision::Missed { date, due_at });
            }
        } else if (theirs || date == today) && digest_ready(date) {
            decisions.push(Decision::Deliver { date, due_at });
        }
    }
    decisions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::subscriber::{ChatKind, SubscriberId};

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("rfc3339")
            .with_timezone(&Utc)
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    fn subscriber(time: &str, tz: &str) -> Subscriber {
        let mut s = Subscriber::new(
            SubscriberId(1),
            ChatKind::Private,
            at("2026-01-01T00:00:00Z"),
        );
        s.delivery = DeliveryTime::parse(time).expect("time");
        s.tz = crate::core::subscriber::parse_time_zone(tz)
            .expect("zone")
            .into();
        s
    }

    const RULES: ScheduleRules = ScheduleRules {
        catch_up: Duration::hours(6),
    };

    /// Decides for `s` as if they subscribed 20 hours before `now` (so only the latest
    /// one or two days count), with nothing in the ledger and every digest ready.
    fn decide_simple(s: &Subscriber, now: &str) -> Vec<Decision> {
        let mut s = s.clone();
        s.created_at = at(now) - Duration::hours(20);
        decide(&s, at(now), &RULES, |_| false, |_| true)
    }

    #[test]
    fn due_instants_follow_zones_and_daylight_saving() {
        // (date, time, zone, expected instant)
        let table = [
            // Ordinary days.
            (
                "2026-11-30",
                "07:30",
                "Europe/London",
                "2026-11-30T07:30:00Z",
            ),
            (
                "2026-07-01",
                "07:30",
                "Europe/London",
                "2026-07-01T06:30:00Z",
            ),
            (
                "2026-11-30",
                "07:00",
                "Asia/Shanghai",
                "2026-11-29T23:00:00Z",
            ),
            (
                "2026-11-30",
                "00:00",
                "Asia/Shanghai",
                "2026-11-29T16:00:00Z",
            ),
            (
                "2026-11-30",
                "23:59",
                "America/New_York",
                "2026-12-01T04:59:00Z",
            ),
            // New York springs forward 2026-03-08 02:00 EST -> 03:00 EDT: 02:30 does not
            // exist and is delivered when the clocks jump (07:00 UTC).
            (
                "2026-03-08",
                "02:30",
                "America/New_York",
                "2026-03-08T07:00:00Z",
            ),
            (
                "2026-03-08",
                "02:00",
                "America/New_York",
                "2026-03-08T07:00:00Z",
            ),
            (
                "2026-03-08",
                "03:00",
                "America/New_York",
                "2026-03-08T07:00:00Z",
            ),
            (
                "2026-03-08",
                "01:59",
                "America/New_York",
                "2026-03-08T06:59:00Z",
            ),
            // New York falls back 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 happens twice; the
            // first (EDT, 05:30 UTC) is the one.
            (
                "2026-11-01",
                "01:30",
                "America/New_York",
                "2026-11-01T05:30:00Z",
            ),
            (
                "2026-11-01",
                "07:30",
                "America/New_York",
                "2026-11-01T12:30:00Z",
            ),
            // London springs forward 2026-03-29 01:00 GMT -> 02:00 BST.
            (
                "2026-03-29",
                "01:30",
                "Europe/London",
                "2026-03-29T01:00:00Z",
            ),
            (
                "2026-03-29",
                "07:30",
                "Europe/London",
                "2026-03-29T06:30:00Z",
            ),
            // London falls back 2026-10-25 02:00 BST -> 01:00 GMT: 01:30 twice, first is BST.
            (
                "2026-10-25",
                "01:30",
                "Europe/London",
                "2026-10-25T00:30:00Z",
            ),
            (
                "2026-10-25",
                "07:30",
                "Europe/London",
                "2026-10-25T07:30:00Z",
            ),
        ];
        for (day, time, zone, expected) in table {
            let tz: Tz = zone.parse().expect("zone");
            let got = due_instant(date(day), DeliveryTime::parse(time).expect("time"), tz);
            assert_eq!(got, Some(at(expected)), "{day} {time} {zone}");
        }
    }

    #[test]
    fn a_subscriber_is_due_from_their_time_until_the_window_closes() {
        let s = subscriber("07:30", "Europe/London");
        // (now, expected decisions)
        let table: [(&str, Vec<Decision>); 5] = [
            ("2026-11-30T07:29:59Z", vec![]),
            (
                "2026-11-30T07:30:00Z",
                vec![Decision::Deliver {
                    date: date("2026-11-30"),
                    due_at: at("2026-11-30T07:30:00Z"),
                }],
            ),
            (
                "2026-11-30T13:30:00Z",
                vec![Decision::Deliver {
                    date: date("2026-11-30"),
                    due_at: at("2026-11-30T07:30:00Z"),
                }],
            ),
            (
                "2026-11-30T13:30:01Z",
                vec![Decision::Missed {
                    date: date("2026-11-30"),
                    due_at: at("2026-11-30T07:30:00Z"),
                }],
            ),
            // Shortly after midnight, yesterday's is long missed and today's not yet due.
            (
                "2026-12-01T00:10:00Z",
                vec![Decision::Missed {
                    date: date("2026-11-30"),
                    due_at: at("2026-11-30T07:30:00Z"),
                }],
            ),
        ];
        for (now, expected) in table {
            assert_eq!(decide_simple(&s, now), expected, "{now}");
        }
    }

    #[test]
    fn a_late_evening_delivery_is_caught_up_after_midnight() {
        let s = subscriber("23:30", "Asia/Shanghai");
        // 01:00 Shanghai on Dec 1: yesterday's 23:30 is 1.5 h ago, inside the window.
        assert_eq!(
            decide_simple(&s, "2026-11-30T17:00:00Z"),
            vec![Decision::Deliver {
                date: date("2026-11-30"),
                due_at: at("2026-11-30T15:30:00Z"),
            }]
        );
    }

    #[test]
    fn zones_decide_different_instants_for_the_same_time() {
        let now = "2026-11-30T08:00:00Z";
        let first = |zone: &str| decide_simple(&subscriber("07:30", zone), now).pop();
        // London: 07:30 UTC, half an hour ago.
        assert!(matches!(
            first("Europe/London"),
            Some(Decision::Deliver { .. })
        ));
        // New York: 12:30 UTC, not yet (yesterday's was long ago and is missed).
        assert!(matches!(
            first("America/New_York"),
            Some(Decision::Missed { date, .. }) if date == super::tests::date("2026-11-29")
        ));
        // Shanghai: 23:30 UTC the day before, 8.5 h ago: past the 6 h window.
        assert!(matches!(
            first("Asia/Shanghai"),
            Some(Decision::Missed { .. })
        ));
    }

    #[test]
    fn pause_status_ledger_and_readiness_hold_deliveries_back() {
        let now = at("2026-11-30T08:00:00Z");
        let mut base = subscriber("07:30", "Europe/London");
        base.created_at = at("2026-11-30T00:00:00Z");
        let today = date("2026-11-30");

        let mut paused = base.clone();
        paused.paused_until = Some(at("2026-11-30T07:45:00Z"));
        assert!(decide(&paused, now, &RULES, |_| false, |_| true).is_empty());
        // A pause that ended before the time does not hold it back.
        paused.paused_until = Some(at("2026-11-30T07:30:00Z"));
        assert_eq!(decide(&paused, now, &RULES, |_| false, |_| true).len(), 1);

        for status in [Status::Stopped, Status::Blocked] {
            let mut s = base.clone();
            s.status = status;
            assert!(decide(&s, now, &RULES, |_| false, |_| true).is_empty());
        }
        assert!(decide(&base, now, &RULES, |d| d == today, |_| true).is_empty());
        // Not ready: wait inside the window, missed after it.
        assert!(decide(&base, now, &RULES, |_| false, |_| false).is_empty());
        let late = at("2026-11-30T14:00:00Z");
        assert!(matches!(
            decide(&base, late, &RULES, |_| false, |_| false)[..],
            [Decision::Missed { .. }]
        ));

        // Subscribed after today's time: today's still comes (inside the window), but an
        // earlier day's is neither sent nor recorded missed.
        let mut newcomer = base.clone();
        newcomer.created_at = at("2026-11-30T07:50:00Z");
        assert_eq!(
            decide(&newcomer, now, &RULES, |_| false, |_| true),
            vec![Decision::Deliver {
                date: today,
                due_at: at("2026-11-30T07:30:00Z"),
            }]
        );
        let late = at("2026-11-30T20:00:00Z");
        newcomer.created_at = at("2026-11-30T19:00:00Z");
        assert!(decide(&newcomer, late, &RULES, |_| false, |_| true).is_empty());
        let mut night_owl = subscriber("23:30", "Europe/London");
        night_owl.created_at = at("2026-12-01T00:05:00Z");
        assert!(
            decide(
                &night_owl,
                at("2026-12-01T00:10:00Z"),
                &RULES,
                |_| false,
                |_| true
            )
            .is_empty(),
            "yesterday's 23:30 is not a newcomer's"
        );
    }

    #[test]
    fn spring_forward_delivers_once_at_the_jump() {
        let s = subscriber("02:30", "America/New_York");
        // 06:59 UTC is 01:59 EST: not yet. 07:00 UTC is 03:00 EDT: due.
        assert!(
            decide_simple(&s, "2026-03-08T06:59:00Z").iter().all(
                |d| !matches!(d, Decision::Deliver { date: d, .. } if *d == date("2026-03-08"))
            )
        );
        let due = decide_simple(&s, "2026-03-08T07:00:00Z");
        assert!(due.contains(&Decision::Deliver {
            date: date("2026-03-08"),
            due_at: at("2026-03-08T07:00:00Z"),
        }));
    }

    #[test]
    fn fall_back_delivers_once_on_the_doubled_hour() {
        let s = subscriber("01:30", "America/New_York");
        let today = date("2026-11-01");
        // The first 01:30 (EDT) is due; once the ledger holds the day, the second 01:30
        // (EST, an hour later) gives nothing.
        let first = decide_simple(&s, "2026-11-01T05:30:00Z");
        assert!(first.contains(&Decision::Deliver {
            date: today,
            due_at: at("2026-11-01T05:30:00Z"),
        }));
        let second = decide(
            &s,
            at("2026-11-01T06:30:00Z"),
            &RULES,
            |d| d == today || d == date("2026-10-31"),
            |_| true,
        );
        assert!(second.is_empty(), "{second:?}");
    }

    /// The first minute tick at which the build of each day is due, ticking every minute
    /// through `from..to` (UTC) with nothing built yet on that day.
    fn first_build_ticks(
        build_at: &str,
        tz: &str,
        from: &str,
        to: &str,
    ) -> Vec<(NaiveDate, DateTime<Utc>)> {
        let tz: Tz = tz.parse().expect("zone");
        let build_at = DeliveryTime::parse(build_at).expect("time");
        let mut built: Vec<NaiveDate> = Vec::new();
        let mut firsts = Vec::new();
        let mut now = at(from);
        while now < at(to) {
            if let Some(day) = build_due(now, build_at, tz, |d| built.contains(&d)) {
                built.push(day);
                firsts.push((day, now));
            }
            now += Duration::minutes(1);
        }
        firsts
    }

    #[test]
    fn the_daily_build_follows_the_zone_across_both_daylight_saving_changes() {
        // (build time, zone, from, to, the expected first tick of each day)
        type Row = (
            &'static str,
            &'static str,
            &'static str,
            &'static str,
            &'static [(&'static str, &'static str)],
        );
        let table: &[Row] = &[
            // New York, spring: 05:30 EST is 10:30 UTC, 05:30 EDT is 09:30 UTC.
            (
                "05:30",
                "America/New_York",
                "2026-03-07T00:00:00Z",
                "2026-03-10T00:00:00Z",
                &[
                    ("2026-03-06", "2026-03-07T00:00:00Z"),
                    ("2026-03-07", "2026-03-07T10:30:00Z"),
                    ("2026-03-08", "2026-03-08T09:30:00Z"),
                    ("2026-03-09", "2026-03-09T09:30:00Z"),
                ],
            ),
            // New York, autumn: back from 09:30 UTC to 10:30 UTC; never an hour early.
            (
                "05:30",
                "America/New_York",
                "2026-10-31T05:00:00Z",
                "2026-11-03T00:00:00Z",
                &[
                    ("2026-10-31", "2026-10-31T09:30:00Z"),
                    ("2026-11-01", "2026-11-01T10:30:00Z"),
                    ("2026-11-02", "2026-11-02T10:30:00Z"),
                ],
            ),
            // A build time inside the spring gap runs at the jump, 03:00 EDT.
            (
                "02:30",
                "America/New_York",
                "2026-03-08T05:00:00Z",
                "2026-03-09T05:00:00Z",
                &[("2026-03-08", "2026-03-08T07:00:00Z")],
            ),
            // A build time in the doubled autumn hour runs once, at its first occurrence.
            (
                "01:30",
                "America/New_York",
                "2026-11-01T04:00:00Z",
                "2026-11-02T04:00:00Z",
                &[("2026-11-01", "2026-11-01T05:30:00Z")],
            ),
            // London, both changes (clocks move at 01:00 UTC).
            (
                "05:30",
                "Europe/London",
                "2026-03-28T00:00:00Z",
                "2026-03-31T00:00:00Z",
                &[
                    ("2026-03-28", "2026-03-28T05:30:00Z"),
                    ("2026-03-29", "2026-03-29T04:30:00Z"),
                    ("2026-03-30", "2026-03-30T04:30:00Z"),
                ],
            ),
            (
                "05:30",
                "Europe/London",
                "2026-10-24T00:00:00Z",
                "2026-10-27T00:00:00Z",
                &[
                    ("2026-10-24", "2026-10-24T04:30:00Z"),
                    ("2026-10-25", "2026-10-25T05:30:00Z"),
                    ("2026-10-26", "2026-10-26T05:30:00Z"),
                ],
            ),
            // A zone without daylight saving: the same UTC minute every day.
            (
                "05:30",
                "Asia/Shanghai",
                "2026-03-07T00:00:00Z",
                "2026-03-09T00:00:00Z",
                &[
                    ("2026-03-07", "2026-03-07T00:00:00Z"),
                    ("2026-03-08", "2026-03-07T21:30:00Z"),
                    ("2026-03-09", "2026-03-08T21:30:00Z"),
                ],
            ),
        ];
        for (build_at, tz, from, to, expected) in table {
            let got = first_build_ticks(build_at, tz, from, to);
            let expected: Vec<_> = expected.iter().map(|(d, t)| (date(d), at(t))).collect();
            assert_eq!(got, expected, "{build_at} in {tz} from {from}");
        }
    }
}
