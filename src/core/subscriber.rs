//! A subscriber (a resident's private chat, or a group) and their settings: language,
//! delivery time, time zone, topics, pause. Parsing of what residents type (`07:30`,
//! `Asia/Shanghai`, `7` days) lives here, with errors the chat turns into short replies.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::edition_id::EditionId;

use super::digest::{Lang, Section};

/// Version of the stored subscriber record; bump when the shape changes.
pub const SUBSCRIBER_RECORD_VERSION: u32 = 1;

/// A chat that subscribes: a private chat's or a group's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SubscriberId(pub i64);

impl SubscriberId {
    /// True for a group, supergroup or channel: their ids are negative in the Bot API.
    #[must_use]
    pub fn is_group_chat(self) -> bool {
        self.0 < 0
    }
}

impl std::fmt::Display for SubscriberId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What kind of chat subscribes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChatKind {
    /// A one-to-one chat with a resident.
    Private,
    /// A basic group.
    Group,
    /// A supergroup.
    Supergroup,
    /// A channel.
    Channel,
}

impl ChatKind {
    /// True for groups and supergroups, where only administrators change settings.
    #[must_use]
    pub fn is_group(self) -> bool {
        matches!(self, Self::Group | Self::Supergroup)
    }
}

/// Whether the subscriber gets deliveries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Subscribed.
    Active,
    /// Unsubscribed with /stop (settings kept for a later /start).
    Stopped,
    /// The user blocked the bot, or the bot was removed from the group.
    Blocked,
}

/// What a subscriber can choose to receive: the digest's sections and breaking notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Topic {
    /// Headlines with summaries.
    Headlines,
    /// The weather.
    Weather,
    /// Notices.
    Notices,
    /// Photo items.
    Photos,
    /// Breaking notices from the newsroom.
    Breaking,
}

impl Topic {
    /// Every topic, in settings order.
    pub const ALL: [Topic; 5] = [
        Topic::Headlines,
        Topic::Weather,
        Topic::Notices,
        Topic::Photos,
        Topic::Breaking,
    ];

    /// The digest section this topic selects, if it is one.
    #[must_use]
    pub fn section(self) -> Option<Section> {
        match self {
            Self::Headlines => Some(Section::Headlines),
            Self::Weather => Some(Section::Weather),
            Self::Notices => Some(Section::Notices),
            Self::Photos => Some(Section::Photos),
            Self::Breaking => None,
        }
    }

    /// Short stable name, used in button data.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Headlines => "h",
            Self::Weather => "w",
            Self::Notices => "n",
            Self::Photos => "p",
            Self::Breaking => "b",
        }
    }

    /// The topic with `code`.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// A delivery time of day, `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DeliveryTime {
    hour: u8,
    minute: u8,
}

impl DeliveryTime {
    /// The default, 07:00.
    pub const DEFAULT: Self = Self { hour: 7, minute: 0 };

    /// Builds a time; `None` unless 0 ≤ hour < 24 and 0 ≤ minute < 60.
    #[must_use]
    pub fn new(hour: u8, minute: u8) -> Option<Self> {
        (hour < 24 && minute < 60).then_some(Self { hour, minute })
    }

    /// Parses `7:30`, `07:30` or `0730` (full-width digits and colon too).
    ///
    /// # Errors
    /// [`SettingError::Time`] for anything else, such as `25:99`.
    pub fn parse(text: &str) -> Result<Self, SettingError> {
        let folded: String = text
            .trim()
            .chars()
            .map(crate::core::punctuation::fold_width)
            .collect();
        let bad = || SettingError::Time(text.trim().to_owned());
        let (h, m) = match folded.split_once(':') {
            Some((h, m)) => (h, m),
            None if folded.len() == 4 && folded.chars().all(|c| c.is_ascii_digit()) => {
                folded.split_at(2)
            }
            None => return Err(bad()),
        };
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        let hour: u8 = h.parse().map_err(|_| bad())?;
        let minute: u8 = m.parse().map_err(|_| bad())?;
        Self::new(hour, minute).ok_or_else(bad)
    }

    /// Minutes since midnight.
    #[must_use]
    pub fn minute_of_day(self) -> u16 {
        u16::from(self.hour) * 60 + u16::from(self.minute)
    }

    /// The time at `minute` minutes after midnight (taken modulo a day).
    #[must_use]
    pub fn from_minute_of_day(minute: u16) -> Self {
        let minute = minute % 1440;
        Self {
            hour: (minute / 60) as u8,
            minute: (minute % 60) as u8,
        }
    }
}

impl std::fmt::Display for DeliveryTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl TryFrom<String> for DeliveryTime {
    type Error = SettingError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<DeliveryTime> for String {
    fn from(value: DeliveryTime) -> Self {
        value.to_string()
    }
}

/// A setting a resident typed that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    /// Not a time of day.
    #[error("'{0}' is not a time of day like 07:30")]
    Time(String),
    /// Not an IANA time zone.
    #[error("'{0}' is not a time zone like Asia/Shanghai")]
    Zone(String),
    /// Not a number of days from 1 to 365.
    #[error("'{0}' is not a number of days from 1 to 365")]
    Days(String),
    /// Not zh or en.
    #[error("'{0}' is not a language: use zh or en")]
    Lang(String),
}

/// Parses an IANA time zone name (`Asia/Shanghai`, `Europe/London`).
///
/// # Errors
/// [`SettingError::Zone`] for an unknown name such as `Mars/Base`.
pub fn parse_time_zone(text: &str) -> Result<chrono_tz::Tz, SettingError> {
    text.trim()
        .parse::<chrono_tz::Tz>()
        .map_err(|_| SettingError::Zone(text.trim().to_owned()))
}

/// A subscriber's time zone: a known IANA zone, checked wherever a record is read (a chat
/// setting, an imported or stored record), stored as its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Zone(chrono_tz::Tz);

impl Zone {
    /// The paper's zone, every new subscriber's default.
    pub const SHANGHAI: Self = Self(chrono_tz::Asia::Shanghai);

    /// The zone for time arithmetic.
    #[must_use]
    pub fn tz(self) -> chrono_tz::Tz {
        self.0
    }

    /// Its IANA name.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl From<chrono_tz::Tz> for Zone {
    fn from(tz: chrono_tz::Tz) -> Self {
        Self(tz)
    }
}

impl TryFrom<String> for Zone {
    type Error = SettingError;

    fn try_from(name: String) -> Result<Self, SettingError> {
        parse_time_zone(&name).map(Self)
    }
}

impl From<Zone> for String {
    fn from(zone: Zone) -> Self {
        zone.name().to_owned()
    }
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Parses a pause length in days; empty means 7.
///
/// # Errors
/// [`SettingError::Days`] for anything but 1 to 365.
pub fn parse_pause_days(text: &str) -> Result<u32, SettingError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(7);
    }
    match text.parse::<u32>() {
        Ok(days) if (1..=365).contains(&days) => Ok(days),
        _ => Err(SettingError::Days(text.to_owned())),
    }
}

/// Parses a language choice.
///
/// # Errors
/// [`SettingError::Lang`] for anything but zh or en.
pub fn parse_lang(text: &str) -> Result<Lang, SettingError> {
    Lang::parse(text).map_err(|_| SettingError::Lang(text.trim().to_owned()))
}

/// A subscriber's stored record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscriber {
    /// Record version ([`SUBSCRIBER_RECORD_VERSION`]).
    pub version: u32,
    /// The chat.
    pub id: SubscriberId,
    /// What kind of chat.
    pub kind: ChatKind,
    /// Language of the bot's replies and labels.
    pub lang: Lang,
    /// When the digest arrives, in `tz`.
    pub delivery: DeliveryTime,
    /// Time zone.
    pub tz: Zone,
    /// What they receive.
    pub topics: BTreeSet<Topic>,
    /// No deliveries until then.
    pub paused_until: Option<DateTime<Utc>>,
    /// Subscribed, stopped or blocked.
    pub status: Status,
    /// When they first subscribed.
    pub created_at: DateTime<Utc>,
    /// The editions the chat follows, in its order; none written means the default edition
    /// (every record from before editions reads so).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follows: Vec<Follow>,
}

/// An edition a chat follows, and the time its digest comes when not the chat's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Follow {
    /// The edition.
    pub edition: EditionId,
    /// Its own delivery time, in the chat's time zone; `None` is the chat's time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<DeliveryTime>,
}

impl Subscriber {
    /// The editions the chat follows, in its order: `default` (the deployment's default
    /// edition) when it names none.
    #[must_use]
    pub fn editions(&self, default: &EditionId) -> Vec<EditionId> {
        if self.follows.is_empty() {
            vec![default.clone()]
        } else {
            self.follows.iter().map(|f| f.edition.clone()).collect()
        }
    }

    /// A new active subscriber with the defaults: Chinese, 07:00, Asia/Shanghai, every topic.
    #[must_use]
    pub fn new(id: SubscriberId, kind: ChatKind, now: DateTime<Utc>) -> Self {
        Self {
            version: SUBSCRIBER_RECORD_VERSION,
            id,
            kind,
            lang: Lang::Zh,
            delivery: DeliveryTime::DEFAULT,
            tz: Zone::SHANGHAI,
            topics: Topic::ALL.into_iter().collect(),
            paused_until: None,
            status: Status::Active,
            created_at: now,
            follows: Vec::new(),
        }
    }

    /// True when a pause is still running at `now`.
    #[must_use]
    pub fn is_paused(&self, now: DateTime<Utc>) -> bool {
        self.paused_until.is_some_and(|until| until > now)
    }

    /// Pauses deliveries for `days` from `now`.
    pub fn pause(&mut self, days: u32, now: DateTime<Utc>) {
        self.paused_until = Some(now + Duration::days(i64::from(days)));
    }

    /// Switches `topic` on or off.
    pub fn toggle(&mut self, topic: Topic) {
        if !self.topics.remove(&topic) {
            self.topics.insert(topic);
        }
    }

    /// The digest sections they chose, in digest order.
    #[must_use]
    pub fn sections(&self) -> Vec<Section> {
        Section::ALL
            .into_iter()
            .filter(|s| self.topics.iter().any(|t| t.section() == Some(*s)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_times_parse_and_bad_ones_are_refused() {
        assert_eq!(
            DeliveryTime::parse("7:30").map(|t| t.to_string()),
            Ok("07:30".to_owned())
        );
        assert_eq!(
            DeliveryTime::parse("０８：１５").map(|t| t.to_string()),
            Ok("08:15".to_owned())
        );
        assert_eq!(
            DeliveryTime::parse("2359").map(|t| t.minute_of_day()),
            Ok(1439)
        );
        for bad in ["25:99", "24:00", "7", "abc", "7:5", ""] {
            assert_eq!(
                DeliveryTime::parse(bad),
                Err(SettingError::Time(bad.to_owned())),
                "{bad}"
            );
        }
    }

    #[test]
    fn zones_days_and_languages_parse() {
        assert!(parse_time_zone("Europe/London").is_ok());
        assert_eq!(
            parse_time_zone("Mars/Base"),
            Err(SettingError::Zone("Mars/Base".to_owned()))
        );
        assert_eq!(parse_pause_days(""), Ok(7));
        assert_eq!(parse_pause_days("30"), Ok(30));
        assert!(
            parse_pause_days("abc").is_err()
                && parse_pause_days("0").is_err()
                && parse_pause_days("999").is_err()
        );
        assert_eq!(parse_lang("en"), Ok(Lang::En));
        assert!(parse_lang("fr").is_err());
    }

    #[test]
    fn defaults_toggles_and_pause() {
        let now = Utc::now();
        let mut s = Subscriber::new(SubscriberId(1), ChatKind::Private, now);
        assert_eq!(s.sections(), Section::ALL.to_vec());
        s.toggle(Topic::Weather);
        assert!(!s.sections().contains(&Section::Weather));
        s.toggle(Topic::Weather);
        assert!(s.sections().contains(&Section::Weather));
        s.pause(3, now);
        assert!(s.is_paused(now + Duration::days(2)) && !s.is_paused(now + Duration::days(4)));
        let json = serde_json::to_string(&s).expect("json");
        assert!(json.contains("\"delivery\":\"07:00\"") && json.contains("\"version\":1"));
    }
}
