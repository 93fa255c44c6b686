//! Inline keyboards: the settings keyboard (delivery time presets, section toggles marked ✅,
//! language, pause) and the section buttons offered when a search finds nothing.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::core::callback::ButtonAction;
use crate::core::digest::Lang;
use crate::core::subscriber::{DeliveryTime, Subscriber, Topic};
use crate::core::texts::texts;

/// Delivery times offered as buttons.
const TIME_PRESETS: [(u8, u8); 5] = [(6, 30), (7, 0), (8, 0), (12, 0), (18, 0)];

fn button(label: String, action: ButtonAction) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(label, action.encode())
}

/// The settings keyboard for `subscriber`.
#[must_use]
pub fn settings_keyboard(subscriber: &Subscriber, paused: bool) -> InlineKeyboardMarkup {
    let t = texts(subscriber.lang);
    let times = TIME_PRESETS
        .iter()
        .filter_map(|&(h, m)| DeliveryTime::new(h, m))
        .map(|time| {
            let mark = if time == subscriber.delivery {
                "✅ "
            } else {
                ""
            };
            button(format!("{mark}{time}"), ButtonAction::SetTime(time))
        })
        .collect::<Vec<_>>();
    let mut rows = vec![
        times,
        vec![button(
            t.button_other_time.to_owned(),
            ButtonAction::OtherTime,
        )],
    ];
    let toggles: Vec<InlineKeyboardButton> = Topic::ALL
        .into_iter()
        .map(|topic| {
            let mark = if subscriber.topics.contains(&topic) {
                "✅"
            } else {
                "⬜"
            };
            button(
                format!("{mark} {}", t.topic(topic)),
                ButtonAction::Toggle(topic),
            )
        })
        .collect();
    rows.extend(toggles.chunks(2).map(<[InlineKeyboardButton]>::to_vec));
    let other_lang = match subscriber.lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    let pause = if paused {
        button(t.button_resume.to_owned(), ButtonAction::Resume)
    } else {
        button(t.button_pause.to_owned(), ButtonAction::Pause(7))
    };
    rows.push(vec![
        button(
            t.button_other_lang.to_owned(),
            ButtonAction::SetLang(other_lang),
        ),
        pause,
    ]);
    InlineKeyboardMarkup::new(rows)
}

/// One button per digest section, to offer when a search finds nothing.
#[must_use]
pub fn section_keyboard(lang: Lang) -> InlineKeyboardMarkup {
    let t = texts(lang);
    let buttons = [
        Topic::Headlines,
        Topic::Weather,
        Topic::Notices,
        Topic::Photos,
    ]
    .into_iter()
    .map(|topic| button(t.topic(topic).to_owned(), ButtonAction::Show(topic)))
    .collect::<Vec<_>>();
    InlineKeyboardMarkup::new(
        buttons
            .chunks(2)
            .map(<[InlineKeyboardButton]>::to_vec)
            .collect::<Vec<_>>(),
    )
}
