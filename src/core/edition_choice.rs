//! A chat's choice of editions: choosing one in place of those it follows, adding one,
//! dropping one, and an edition's own delivery time; as button data (`e:c:ID`, `e:a:ID`,
//! `e:d:ID`) and as `/edition` arguments (`/edition haining`, `/edition add 海宁`,
//! `/edition drop haining`, `/edition haining 06:30`), an edition named by its id or its
//! name. Pure: the chat saves what it returns.

use super::edition_id::EditionId;
use super::edition_routes::EditionRoutes;
use super::subscriber::{DeliveryTime, Follow};

/// A change to the editions a chat follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditionChange {
    /// Follow this edition only.
    Choose(EditionId),
    /// Follow this edition too (last in the chat's order).
    Add(EditionId),
    /// Stop following this edition.
    Drop(EditionId),
    /// This edition's digest at its own time (`None`: at the chat's time again).
    Time(EditionId, Option<DeliveryTime>),
}

/// What `/edition` asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditionRequest {
    /// Show the editions, those followed marked, with buttons.
    Show,
    /// Make a change.
    Change(EditionChange),
}

/// Why a change cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditionChoiceError {
    /// No served edition has that id or name.
    #[error("no edition is called '{0}'")]
    Unknown(String),
    /// Dropping the only edition followed (to leave, /stop).
    #[error("the last edition followed cannot be dropped")]
    LastOne,
    /// Not followed, so nothing to drop or time.
    #[error("edition '{0}' is not followed")]
    NotFollowed(EditionId),
    /// `/edition` with words it does not know.
    #[error("not an edition request")]
    Usage,
}

impl EditionChange {
    /// The edition it is about.
    #[must_use]
    pub fn edition(&self) -> &EditionId {
        match self {
            Self::Choose(id) | Self::Add(id) | Self::Drop(id) | Self::Time(id, _) => id,
        }
    }

    /// Button data (at most 36 bytes); a time change is made by command only.
    #[must_use]
    pub fn encode(&self) -> Option<String> {
        match self {
            Self::Choose(id) => Some(format!("e:c:{id}")),
            Self::Add(id) => Some(format!("e:a:{id}")),
            Self::Drop(id) => Some(format!("e:d:{id}")),
            Self::Time(..) => None,
        }
    }

    /// Parses button data; `None` for anything [`Self::encode`] did not make.
    #[must_use]
    pub fn decode(data: &str) -> Option<Self> {
        let rest = data.strip_prefix("e:")?;
        let (action, id) = rest.split_once(':')?;
        let id = EditionId::parse(id).ok()?;
        match action {
            "c" => Some(Self::Choose(id)),
            "a" => Some(Self::Add(id)),
            "d" => Some(Self::Drop(id)),
            _ => None,
        }
    }
}

/// Finds the served edition `words` names: its id, or its name (or a part of the name of
/// two characters or more that only one edition's name holds), ignoring case.
#[must_use]
pub fn find_edition<'a>(words: &str, editions: &'a [(EditionId, String)]) -> Option<&'a EditionId> {
    let wanted = words.trim().to_lowercase();
    if wanted.is_empty() {
        return None;
    }
    if let Some((id, _)) = editions
        .iter()
        .find(|(id, name)| id.as_str() == wanted || name.to_lowercase() == wanted)
    {
        return Some(id);
    }
    if wanted.chars().count() < 2 {
        return None;
    }
    let mut holding = editions
        .iter()
        .filter(|(_, name)| name.to_lowercase().contains(&wanted));
    match (holding.next(), holding.next()) {
        (Some((id, _)), None) => Some(id),
        _ => None,
    }
}

/// Reads `/edition`'s argument against the served `editions` (id, name).
///
/// # Errors
/// [`EditionChoiceError::Unknown`] naming what was not found, [`EditionChoiceError::Usage`]
/// for a time that is not one.
pub fn parse_edition_request(
    argument: &str,
    editions: &[(EditionId, String)],
) -> Result<EditionRequest, EditionChoiceError> {
    let argument = argument.trim();
    if argument.is_empty() {
        return Ok(EditionRequest::Show);
    }
    let (verb, rest) = match argument.split_once(char::is_whitespace) {
        Some((verb, rest)) => (verb.to_lowercase(), rest.trim()),
        None => (argument.to_lowercase(), ""),
    };
    let named = |words: &str| {
        find_edition(words, editions)
            .cloned()
            .ok_or_else(|| EditionChoiceError::Unknown(words.to_owned()))
    };
    let change = match verb.as_str() {
        "add" | "+" | "添加" | "加" => EditionChange::Add(named(rest)?),
        "drop" | "remove" | "-" | "删除" | "取消" | "退订" => {
            EditionChange::Drop(named(rest)?)
        }
        _ => {
            // `NAME`, or `NAME HH:MM` (or `NAME default`) for its own time.
            if let Some(id) = find_edition(argument, editions) {
                EditionChange::Choose(id.clone())
            } else if let Some((name, time)) = argument.rsplit_once(char::is_whitespace) {
                let id = named(name.trim())?;
                let time = match time.to_lowercase().as_str() {
                    "default" | "默认" => None,
                    other => {
                        Some(DeliveryTime::parse(other).map_err(|_| EditionChoiceError::Usage)?)
                    }
                };
                EditionChange::Time(id, time)
            } else {
                return Err(EditionChoiceError::Unknown(argument.to_owned()));
            }
        }
    };
    Ok(EditionRequest::Change(change))
}

/// The follows after `change`, from `follows` (none written: the default edition).
///
/// # Errors
/// [`EditionChoiceError`] when the edition is not served, or the change would leave none.
pub fn apply_edition_change(
    follows: &[Follow],
    routes: &EditionRoutes,
    change: &EditionChange,
) -> Result<Vec<Follow>, EditionChoiceError> {
    let id = change.edition();
    if !routes.serves(id) {
        return Err(EditionChoiceError::Unknown(id.to_string()));
    }
    let mut now: Vec<Follow> = if follows.is_empty() {
        vec![Follow {
            edition: routes.default_edition().clone(),
            delivery: None,
        }]
    } else {
        follows.to_vec()
    };
    let at = now.iter().position(|f| f.edition == *id);
    match (change, at) {
        (EditionChange::Choose(_), _) => {
            let kept = at.and_then(|i| now[i].delivery);
            now = vec![Follow {
                edition: id.clone(),
                delivery: kept,
            }];
        }
        (EditionChange::Add(_), Some(_)) => {}
        (EditionChange::Add(_), None) => now.push(Follow {
            edition: id.clone(),
            delivery: None,
        }),
        (EditionChange::Drop(_) | EditionChange::Time(..), None) => {
            return Err(EditionChoiceError::NotFollowed(id.clone()));
        }
        (EditionChange::Drop(_), Some(i)) => {
            if now.len() == 1 {
                return Err(EditionChoiceError::LastOne);
            }
            now.remove(i);
        }
        (EditionChange::Time(_, time), Some(i)) => now[i].delivery = *time,
    }
    Ok(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> EditionId {
        EditionId::parse(text).expect("id")
    }

    fn served() -> Vec<(EditionId, String)> {
        vec![
            (id("pinghu"), "嘉兴日报·平湖版".to_owned()),
            (id("haining"), "嘉兴日报·海宁版".to_owned()),
            (id("tongxiang"), "Tongxiang Edition".to_owned()),
        ]
    }

    fn routes() -> EditionRoutes {
        EditionRoutes::new(id("pinghu"), served().into_iter().map(|(i, _)| i).collect())
    }

    #[test]
    fn buttons_round_trip_and_forgeries_are_refused() {
        for change in [
            EditionChange::Choose(id("haining")),
            EditionChange::Add(id("a-1")),
            EditionChange::Drop(id(&"x".repeat(32))),
        ] {
            let data = change.encode().expect("a button");
            assert!(data.len() <= 64);
            assert_eq!(EditionChange::decode(&data), Some(change));
        }
        for forged in [
            "e:c:",
            "e:z:pinghu",
            "e:c:Pinghu",
            "e:c:a:b",
            "e:",
            "x:c:pinghu",
        ] {
            assert_eq!(EditionChange::decode(forged), None, "{forged}");
        }
    }

    #[test]
    fn an_edition_is_named_by_id_name_or_a_part_only_it_has() {
        let served = served();
        let find = |w: &str| find_edition(w, &served).map(EditionId::as_str);
        assert_eq!(find("haining"), Some("haining"));
        assert_eq!(find("海宁"), Some("haining"));
        assert_eq!(find("TONGXIANG edition"), Some("tongxiang"));
        assert_eq!(find("嘉兴日报"), None, "two names hold it");
        assert_eq!(find("海"), None, "one character is too little");
        assert_eq!(find("上海"), None);
    }

    #[test]
    fn requests_read_in_both_languages() {
        let served = served();
        let read = |a: &str| parse_edition_request(a, &served);
        assert_eq!(read(" "), Ok(EditionRequest::Show));
        assert_eq!(
            read("海宁"),
            Ok(EditionRequest::Change(EditionChange::Choose(id("haining"))))
        );
        assert_eq!(
            read("add haining"),
            Ok(EditionRequest::Change(EditionChange::Add(id("haining"))))
        );
        assert_eq!(
            read("删除 平湖"),
            Ok(EditionRequest::Change(EditionChange::Drop(id("pinghu"))))
        );
        assert_eq!(
            read("haining 06:30"),
            Ok(EditionRequest::Change(EditionChange::Time(
                id("haining"),
                DeliveryTime::new(6, 30)
            )))
        );
        assert_eq!(
            read("haining default"),
            Ok(EditionRequest::Change(EditionChange::Time(
                id("haining"),
                None
            )))
        );
        assert_eq!(read("haining 25:99"), Err(EditionChoiceError::Usage));
        assert_eq!(
            read("add 上海"),
            Err(EditionChoiceError::Unknown("上海".to_owned()))
        );
    }

    #[test]
    fn changes_keep_one_edition_at_least_and_the_chats_order() {
        let routes = routes();
        let apply = |f: &[Follow], c: EditionChange| apply_edition_change(f, &routes, &c);
        // None written: the default; adding puts the new one after it.
        let both = apply(&[], EditionChange::Add(id("haining"))).expect("add");
        assert_eq!(
            both.iter().map(|f| f.edition.as_str()).collect::<Vec<_>>(),
            ["pinghu", "haining"]
        );
        let timed = apply(
            &both,
            EditionChange::Time(id("haining"), DeliveryTime::new(6, 30)),
        )
        .expect("time");
        assert_eq!(timed[1].delivery, DeliveryTime::new(6, 30));
        let one = apply(&timed, EditionChange::Drop(id("pinghu"))).expect("drop");
        assert_eq!(one.len(), 1);
        assert_eq!(
            apply(&one, EditionChange::Drop(id("haining"))),
            Err(EditionChoiceError::LastOne)
        );
        let chosen = apply(&timed, EditionChange::Choose(id("haining"))).expect("choose");
        assert_eq!(chosen, vec![timed[1].clone()], "its own time is kept");
        assert_eq!(
            apply(&[], EditionChange::Add(id("gone"))),
            Err(EditionChoiceError::Unknown("gone".to_owned()))
        );
        assert_eq!(
            apply(&[], EditionChange::Drop(id("haining"))),
            Err(EditionChoiceError::NotFollowed(id("haining")))
        );
    }
}
