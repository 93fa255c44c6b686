//! The bot's commands as Telegram sends them. Arguments stay strings here; handlers turn
//! them into core types and answer bad ones with a short reply.

use teloxide::utils::command::BotCommands;

/// Every command the bot understands.
#[derive(BotCommands, Clone, Debug, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    /// Subscribe.
    Start,
    /// Unsubscribe.
    Stop,
    /// Today's digest.
    Today,
    /// Headlines.
    Headlines,
    /// Weather.
    Weather,
    /// Notices.
    Notices,
    /// Photos.
    Photos,
    /// Search recent digests.
    Search(String),
    /// Settings keyboard.
    Settings,
    /// Delivery time.
    Time(String),
    /// Time zone.
    Tz(String),
    /// Language.
    Lang(String),
    /// Pause deliveries.
    Pause(String),
    /// Resume deliveries.
    Resume,
    /// What we store.
    Mydata,
    /// Erase it.
    Deleteme,
    /// Help.
    Help,
    /// Editions: show, choose, add, drop, an edition's own time.
    Edition(String),
}

impl Command {
    /// True for the commands that change the chat's subscription (admins only in a group).
    #[must_use]
    pub fn changes_settings(&self) -> bool {
        matches!(
            self,
            Self::Start
                | Self::Stop
                | Self::Time(_)
                | Self::Tz(_)
                | Self::Lang(_)
                | Self::Pause(_)
                | Self::Resume
                | Self::Deleteme
        ) || matches!(self, Self::Edition(words) if !words.trim().is_empty())
    }
}
