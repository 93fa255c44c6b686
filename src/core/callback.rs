//! The data every button of the bot carries, in one place: a resident's settings and
//! section buttons (`s:…`, `v:…`), the pages of search results (`f:PAGE:QUERY`), a story's
//! full-text button (`w:YYYYMMDD:INDEX:EDITION`) and the newsroom's buttons (`nb:…`). Telegram caps callback data at 64 bytes and anyone can send
//! any data, so a press is decoded once, into a [`Press`], and checked; what does not parse
//! is a forged or stale button.

use chrono::NaiveDate;

use super::digest::Lang;
use super::edition_choice::EditionChange;
use super::edition_id::EditionId;
use super::newsroom::NoticeButton;
use super::subscriber::{DeliveryTime, Topic};

/// Telegram's limit on callback data.
pub const MAX_CALLBACK_BYTES: usize = 64;

/// What a settings button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonAction {
    /// Set the delivery time.
    SetTime(DeliveryTime),
    /// Ask for another time (reply with /time HH:MM).
    OtherTime,
    /// Switch a topic on or off.
    Toggle(Topic),
    /// Set the language.
    SetLang(Lang),
    /// Pause for this many days.
    Pause(u32),
    /// Resume deliveries.
    Resume,
    /// Show a digest section now.
    Show(Topic),
    /// Leave the settings as they are (the "no" of a confirmation).
    Dismiss,
}

impl ButtonAction {
    /// True for the presses that change the chat's subscription (admins only in a group);
    /// showing a section, asking for another time and dismissing change nothing.
    #[must_use]
    pub fn changes_settings(self) -> bool {
        !matches!(self, Self::Show(_) | Self::OtherTime | Self::Dismiss)
    }

    /// Encodes the action as callback data (always well under 64 bytes).
    #[must_use]
    pub fn encode(self) -> String {
        match self {
            Self::SetTime(t) => format!("s:t:{}", t.minute_of_day()),
            Self::OtherTime => "s:o".to_owned(),
            Self::Toggle(topic) => format!("s:x:{}", topic.code()),
            Self::SetLang(lang) => format!("s:l:{}", lang.code()),
            Self::Pause(days) => format!("s:p:{days}"),
            Self::Resume => "s:r".to_owned(),
            Self::Show(topic) => format!("v:{}", topic.code()),
            Self::Dismiss => "s:n".to_owned(),
        }
    }

    /// Parses callback data; `None` for anything we did not produce.
    fn decode(data: &str) -> Option<Self> {
        if data.len() > MAX_CALLBACK_BYTES {
            return None;
        }
        let mut parts = data.split(':');
        match parts.next()? {
            "s" => {}
            "v" => {
                let topic = Topic::from_code(parts.next()?)?;
                return (parts.next().is_none() && topic.section().is_some())
                    .then_some(Self::Show(topic));
            }
            _ => return None,
        }
        let action = match (parts.next()?, parts.next()) {
            ("t", Some(m)) => {
                let minute: u16 = m.parse().ok()?;
                (minute < 1440).then(|| Self::SetTime(DeliveryTime::from_minute_of_day(minute)))?
            }
            ("o", None) => Self::OtherTime,
            ("x", Some(code)) => Self::Toggle(Topic::from_code(code)?),
            ("l", Some(code)) => Self::SetLang(Lang::parse(code).ok()?),
            ("p", Some(days)) => {
                let days: u32 = days.parse().ok()?;
                (1..=365).contains(&days).then_some(Self::Pause(days))?
            }
            ("r", None) => Self::Resume,
            ("n", None) => Self::Dismiss,
            _ => return None,
        };
        parts.next().is_none().then_some(action)
    }
}

impl NoticeButton {
    /// Callback data, `nb:c:ID` or `nb:x:ID`.
    #[must_use]
    pub fn encode(self) -> String {
        match self {
            Self::Confirm(id) => format!("nb:c:{id}"),
            Self::Cancel(id) => format!("nb:x:{id}"),
            Self::Publish(id) => format!("nb:p:{id}"),
            Self::Discard(id) => format!("nb:d:{id}"),
            Self::PublishAndUpdate(id) => format!("nb:u:{id}"),
            Self::Target(id, which) => format!("nb:t:{id}:{which}"),
        }
    }

    /// Parses callback data; `None` for anything we did not produce.
    fn decode(data: &str) -> Option<Self> {
        let mut parts = data.split(':');
        if parts.next()? != "nb" {
            return None;
        }
        let action = parts.next()?;
        let id = parts.next()?;
        let which = if action == "t" {
            Some(parts.next()?.parse::<u8>().ok()?)
        } else {
            None
        };
        if parts.next().is_some()
            || id.is_empty()
            || id.len() > 19
            || !id.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let id = id.parse().ok()?;
        match action {
            "c" => Some(Self::Confirm(id)),
            "x" => Some(Self::Cancel(id)),
            "p" => Some(Self::Publish(id)),
            "d" => Some(Self::Discard(id)),
            "u" => Some(Self::PublishAndUpdate(id)),
            "t" => Some(Self::Target(id, which?)),
            _ => None,
        }
    }
}

/// What a button press carries, decoded once from its callback data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Press {
    /// A resident's settings or section button.
    Setting(ButtonAction),
    /// A page of search results: the page (from 0) and the query.
    SearchPage(usize, String),
    /// An editor's button under a notice preview or an uploaded page.
    Newsroom(NoticeButton),
    /// A resident's edition button: choose, add or drop an edition.
    Edition(EditionChange),
    /// A headline's "full story" button.
    Story(StoryRef),
    /// Data the bot did not produce (forged, or from a button too old); `true` when it
    /// claims to be a newsroom button.
    Forged(bool),
}

impl Press {
    /// Decodes a press's data (`None` when it carried none).
    #[must_use]
    pub fn decode(data: Option<&str>) -> Self {
        let Some(data) = data else {
            return Self::Forged(false);
        };
        let newsroom = data.starts_with("nb:");
        if data.len() > MAX_CALLBACK_BYTES {
            return Self::Forged(newsroom);
        }
        let decoded = if newsroom {
            NoticeButton::decode(data).map(Self::Newsroom)
        } else if data.starts_with("e:") {
            EditionChange::decode(data).map(Self::Edition)
        } else if data.starts_with("w:") || data.starts_with("o:") {
            StoryRef::decode(data).map(Self::Story)
        } else if let Some(rest) = data.strip_prefix("f:") {
            rest.split_once(':').and_then(|(page, query)| {
                let page = page.parse::<usize>().ok()?;
                (!query.trim().is_empty()).then(|| Self::SearchPage(page, query.to_owned()))
            })
        } else {
            ButtonAction::decode(data).map(Self::Setting)
        };
        decoded.unwrap_or(Self::Forged(newsroom))
    }

    /// The callback data for this press, or `None` when it does not fit in 64 bytes (a long
    /// search query) or is [`Press::Forged`].
    #[must_use]
    pub fn data(&self) -> Option<String> {
        let data = match self {
            Self::Setting(action) => action.encode(),
            Self::SearchPage(page, query) => format!("f:{page}:{}", query.trim()),
            Self::Newsroom(button) => button.encode(),
            Self::Edition(change) => change.encode()?,
            Self::Story(story) => story.encode(),
            Self::Forged(_) => return None,
        };
        (data.len() <= MAX_CALLBACK_BYTES).then_some(data)
    }

    /// True for a newsroom button, valid or not: only editors' presses go further.
    #[must_use]
    pub fn claims_newsroom(&self) -> bool {
        matches!(self, Self::Newsroom(_) | Self::Forged(true))
    }
}

/// Which item a "full text" button opens: the headline (or the notice) at `index` of the
/// digest of `edition` for `date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryRef {
    /// The edition.
    pub edition: EditionId,
    /// The digest's day.
    pub date: NaiveDate,
    /// The item's place among the digest's headlines (or notices).
    pub index: usize,
    /// True for a notice, false for a headline's article.
    pub notice: bool,
}

impl StoryRef {
    /// `w:20261129:3:pinghu` for an article, `o:…` for a notice (at most 2 + 8 + 1 + 3 + 1
    /// + 32 bytes).
    #[must_use]
    pub fn encode(&self) -> String {
        format!(
            "{}:{}:{}:{}",
            if self.notice { 'o' } else { 'w' },
            self.date.format("%Y%m%d"),
            self.index,
            self.edition.as_str()
        )
    }

    fn decode(data: &str) -> Option<Self> {
        let (notice, rest) = match data.split_at_checked(2)? {
            ("w:", rest) => (false, rest),
            ("o:", rest) => (true, rest),
            _ => return None,
        };
        let mut parts = rest.splitn(3, ':');
        let date = NaiveDate::parse_from_str(parts.next()?, "%Y%m%d").ok()?;
        let index = parts.next()?.parse::<usize>().ok().filter(|&i| i < 1000)?;
        let edition = EditionId::parse(parts.next()?).ok()?;
        Some(Self {
            edition,
            date,
            index,
            notice,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::newsroom::NoticeButton;

    #[test]
    fn a_story_button_round_trips_and_forged_ones_are_refused() {
        let story = StoryRef {
            edition: EditionId::parse("haining-2").expect("id"),
            date: NaiveDate::from_ymd_opt(2026, 11, 29).expect("date"),
            index: 12,
            notice: false,
        };
        let data = Press::Story(story.clone()).data().expect("fits");
        assert_eq!(data, "w:20261129:12:haining-2");
        assert_eq!(Press::decode(Some(&data)), Press::Story(story.clone()));
        let notice = StoryRef {
            notice: true,
            ..story
        };
        let data = Press::Story(notice.clone()).data().expect("fits");
        assert_eq!(data, "o:20261129:12:haining-2");
        assert_eq!(Press::decode(Some(&data)), Press::Story(notice));
        for forged in [
            "w:",
            "w:20261332:1:x",
            "w:20261129:-1:x",
            "w:20261129:1:",
            "w:20261129:1:X Y",
            "w:20261129:99999:x",
        ] {
            assert_eq!(
                Press::decode(Some(forged)),
                Press::Forged(false),
                "{forged}"
            );
        }
    }

    #[test]
    fn every_action_round_trips_within_64_bytes() {
        let actions = [
            ButtonAction::SetTime(DeliveryTime::parse("18:30").expect("time")),
            ButtonAction::OtherTime,
            ButtonAction::Toggle(Topic::Breaking),
            ButtonAction::SetLang(Lang::En),
            ButtonAction::Pause(7),
            ButtonAction::Resume,
            ButtonAction::Show(Topic::Weather),
            ButtonAction::Dismiss,
        ];
        for a in actions {
            let data = a.encode();
            assert!(data.len() <= MAX_CALLBACK_BYTES);
            assert_eq!(Press::decode(Some(&data)), Press::Setting(a), "{data}");
        }
    }

    #[test]
    fn forged_data_is_refused() {
        for forged in [
            "",
            "s",
            "v:b",
            "v:w:1",
            "s:t:1440",
            "s:t:-1",
            "s:x:zz",
            "s:p:0",
            "s:l:fr",
            "x:r",
            "s:r:extra",
            &"s:t:1".repeat(30),
        ] {
            assert_eq!(
                Press::decode(Some(forged)),
                Press::Forged(false),
                "{forged}"
            );
        }
    }

    #[test]
    fn buttons_round_trip_and_forgeries_are_refused() {
        for b in [
            NoticeButton::Confirm(42),
            NoticeButton::Cancel(7),
            NoticeButton::Publish(3),
            NoticeButton::Discard(4),
            NoticeButton::PublishAndUpdate(5),
            NoticeButton::Target(6, 0),
            NoticeButton::Target(9_999_999_999_999_999_999, 255),
        ] {
            assert_eq!(Press::decode(Some(&b.encode())), Press::Newsroom(b));
        }
        for forged in [
            "nb:c:",
            "nb:c:x1",
            "nb:z:1",
            "nb:c:1:2",
            "s:t:1",
            "nb:c:99999999999999999999",
            "nb:t:1",
            "nb:t:1:256",
            "nb:t:1:2:3",
        ] {
            assert!(
                !matches!(Press::decode(Some(forged)), Press::Newsroom(_)),
                "{forged}"
            );
        }
        assert!(Press::decode(Some("nb:c:x1")).claims_newsroom());
        assert!(!Press::decode(Some("s:t:1")).claims_newsroom());
    }

    #[test]
    fn search_pages_round_trip_and_long_queries_do_not_fit() {
        let press = Press::SearchPage(2, "青溪 港口".to_owned());
        let data = press.data().expect("fits");
        assert_eq!(Press::decode(Some(&data)), press);
        assert_eq!(Press::SearchPage(0, "港".repeat(30)).data(), None);
        for forged in ["f:", "f:x:港口", "f:1:", "f:1: "] {
            assert_eq!(
                Press::decode(Some(forged)),
                Press::Forged(false),
                "{forged}"
            );
        }
        assert_eq!(Press::decode(None), Press::Forged(false));
        assert_eq!(Press::Forged(true).data(), None);
    }
}
