//! The data carried by settings buttons, and its validation. Telegram caps callback data at
//! 64 bytes and anyone can send any data, so every press is parsed and checked; what does not
//! parse is a forged or stale button.

use super::digest::Lang;
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
    #[must_use]
    pub fn decode(data: &str) -> Option<Self> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(ButtonAction::decode(&data), Some(a), "{data}");
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
            assert_eq!(ButtonAction::decode(forged), None, "{forged}");
        }
    }
}
