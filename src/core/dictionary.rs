//! The bilingual word list (CC-CEDICT, embedded as `assets/cedict/zh-en.tsv.gz`): the Chinese
//! words for an English one and the English words for a Chinese one, so that a question in
//! one language finds news printed in the other. Pure: the list is compiled into the binary.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use crate::core::punctuation::is_cjk;

/// The word list, gzip-compressed: one line per simplified headword, `headword<TAB>glosses`,
/// glosses separated by `/` (senses within one by `;`). Made by `tools/cedict_to_tsv.py`.
const EMBEDDED: &[u8] = include_bytes!("../../assets/cedict/zh-en.tsv.gz");

/// Most Chinese words one English word stands for in a search.
const MOST_CHINESE: usize = 6;
/// Most English words one Chinese word stands for in a search.
const MOST_ENGLISH: usize = 4;
/// Longest English gloss (in words) that is looked up as a whole.
const LONGEST_GLOSS: usize = 3;
/// A character part of fewer headwords than this is rare (`彴`, `黉`): a word holding one
/// is left out of searches, where it would find almost nothing and confuse the rest.
const RARE_CHARACTER: u32 = 5;
/// A single character stands for an English word only if it is part of this many headwords
/// (`桥`, `水`): a rarer one alone would match by accident.
const COMMON_CHARACTER: u32 = 40;
/// Place-name suffixes dropped from a place's headword (`平湖市` → `平湖`): a paper prints
/// the name alone as often as with its suffix.
const PLACE_SUFFIXES: &[char] = &['市', '县', '区', '镇', '乡', '省'];

/// How closely a headword's sense matches an English key; lower is closer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Closeness {
    /// The headword's first sense is the key itself (`桥`: bridge).
    FirstSense,
    /// A later sense is the key itself (`交通`: …; traffic).
    LaterSense,
    /// A sense is the key with a qualifier in brackets (`桥梁`: bridge (lit. and fig.)).
    Qualified,
    /// The key names a person or a place (`平湖市`: Pinghu county level city …).
    ProperName,
}

/// A headword as it stands for an English key: (how close, the headword, how many
/// headwords its rarest character is part of).
type Standing = (Closeness, Box<str>, u32);

/// The Chinese–English word list and its English index.
#[derive(Debug, Default)]
pub struct Dictionary {
    /// Headword → its glosses as listed.
    glosses: HashMap<Box<str>, Box<str>>,
    /// English key (lower case, at most three words) → the headwords it stands for,
    /// closest and commonest first.
    english: HashMap<Box<str>, Vec<Standing>>,
    /// Uses a single character needs to stand for an English word.
    common: u32,
}

impl Dictionary {
    /// The embedded word list, inflated and indexed on first use (about a tenth of a second).
    #[must_use]
    pub fn embedded() -> &'static Dictionary {
        static SHARED: OnceLock<Dictionary> = OnceLock::new();
        SHARED.get_or_init(|| {
            let mut text = String::new();
            match flate2::read::GzDecoder::new(EMBEDDED).read_to_string(&mut text) {
                Ok(_) => Dictionary::from_tsv(&text),
                // Compiled in and checked by a test: cannot fail on a built binary.
                Err(_) => Dictionary::default(),
            }
        })
    }

    /// Reads a word list of `headword<TAB>glosses` lines; malformed lines are skipped.
    #[must_use]
    pub fn from_tsv(text: &str) -> Self {
        Self::from_tsv_with(text, RARE_CHARACTER, COMMON_CHARACTER)
    }

    /// [`Dictionary::from_tsv`] with the rarity thresholds given (a small list in a test
    /// has no common characters).
    pub(crate) fn from_tsv_with(text: &str, rare: u32, common: u32) -> Self {
        let mut dictionary = Dictionary {
            common,
            ..Dictionary::default()
        };
        for line in text.lines() {
            let Some((headword, glosses)) = line.split_once('\t') else {
                continue;
            };
            if headword.is_empty() || !headword.chars().all(is_cjk) || glosses.is_empty() {
                continue;
            }
            dictionary.index(headword, glosses);
            dictionary.glosses.insert(headword.into(), glosses.into());
        }
        // How many headwords each character is part of: a common character (桥) is part of
        // many, a rare one (彴) of few. It orders words of equal closeness and length.
        let mut uses: HashMap<char, u32> = HashMap::new();
        for headword in dictionary.glosses.keys() {
            for c in headword.chars() {
                *uses.entry(c).or_default() += 1;
            }
        }
        let commonness = |word: &str| {
            word.chars()
                .map(|c| uses.get(&c).copied().unwrap_or(0))
                .min()
                .unwrap_or(0)
        };
        for headwords in dictionary.english.values_mut() {
            for entry in headwords.iter_mut() {
                entry.2 = commonness(&entry.1);
            }
            headwords.retain(|h| h.2 >= rare);
            // Closest first; among words as close, the commonest, then the shortest.
            headwords.sort_by(|a, b| {
                a.0.cmp(&b.0)
                    .then(b.2.cmp(&a.2))
                    .then(a.1.chars().count().cmp(&b.1.chars().count()))
            });
            let mut seen = std::collections::HashSet::new();
            headwords.retain(|h| seen.insert(h.1.clone()));
        }
        dictionary
    }

    fn index(&mut self, headword: &str, glosses: &str) {
        for (at, sense) in senses(glosses).enumerate() {
            if let Some((key, qualified)) = english_key(sense) {
                let closeness = match (qualified, at) {
                    (true, _) => Closeness::Qualified,
                    (false, 0) => Closeness::FirstSense,
                    (false, _) => Closeness::LaterSense,
                };
                self.english
                    .entry(key.into())
                    .or_default()
                    .push((closeness, headword.into(), 0));
            } else if let Some(name) = proper_name(sense) {
                let chars = headword.chars().count();
                let stem = match headword.chars().last() {
                    Some(last) if chars >= 3 && PLACE_SUFFIXES.contains(&last) => {
                        &headword[..headword.len() - last.len_utf8()]
                    }
                    _ => headword,
                };
                self.english.entry(name.into()).or_default().push((
                    Closeness::ProperName,
                    stem.into(),
                    0,
                ));
            }
        }
    }

    /// How many headwords the list holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.glosses.len()
    }

    /// True when the list holds nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.glosses.is_empty()
    }

    /// The Chinese words `english` (a word or a short phrase, any case) stands for, closest
    /// first, none contained in an earlier one (a search that finds `桥` finds `桥梁`).
    /// Tries plain forms (`bridges` → bridge, `building` → build) when the word itself is
    /// not listed. A single character stands for a word only as its first sense.
    #[must_use]
    pub fn chinese_for(&self, english: &str) -> Vec<&str> {
        let english = english.trim().to_lowercase();
        let found = plain_forms(&english)
            .into_iter()
            .find_map(|form| self.english.get(form.as_str()).filter(|h| !h.is_empty()));
        let mut out: Vec<&str> = Vec::new();
        self.take_into(&mut out, found.into_iter().flatten(), MOST_CHINESE);
        // The noun made from a verb names the thing as often (`transport`: transportation,
        // 交通): its closest words join, two at most.
        if !english.contains(' ') {
            for derived in [format!("{english}ation"), format!("{english}ion")] {
                if let Some(more) = self.english.get(derived.as_str()) {
                    let most = out.len() + 2;
                    self.take_into(&mut out, more.iter(), most);
                }
            }
        }
        out
    }

    /// Adds `found`'s headwords to `out` until it holds `most`: single characters only as a
    /// common first sense, none holding one already taken.
    fn take_into<'a>(
        &self,
        out: &mut Vec<&'a str>,
        found: impl Iterator<Item = &'a Standing>,
        most: usize,
    ) {
        for (closeness, headword, uses) in found {
            if out.len() >= most {
                break;
            }
            let single = headword.chars().count() == 1;
            if single && (*closeness != Closeness::FirstSense || *uses < self.common) {
                continue;
            }
            if out.iter().any(|kept| headword.contains(kept)) {
                continue;
            }
            out.push(headword);
        }
    }

    /// The English words and short phrases `chinese` means, first senses first, lower case.
    /// A word the list does not hold as a common word (`大桥`) is read by its longest ending
    /// that it does (`桥`: bridge).
    #[must_use]
    pub fn english_for(&self, chinese: &str) -> Vec<String> {
        let mut ending = chinese;
        loop {
            let found = self.english_of(ending);
            if !found.is_empty() {
                return found;
            }
            let mut chars = ending.chars();
            if chars.next().is_none() || chars.as_str().is_empty() {
                return Vec::new();
            }
            ending = chars.as_str();
        }
    }

    fn english_of(&self, chinese: &str) -> Vec<String> {
        let Some(glosses) = self.glosses.get(chinese) else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        let mut senses_kept = 0;
        for sense in senses(glosses) {
            let Some((key, _)) = english_key(sense) else {
                continue;
            };
            // A phrase's last word names the thing (`fire hydrant`: hydrant): English text
            // says `hydrants` as often as the phrase.
            let head = key.rsplit_once(' ').map(|(_, head)| head.to_owned());
            for form in std::iter::once(key).chain(head) {
                if form.len() >= 3 && super::summary::is_content_word(&form) && !out.contains(&form)
                {
                    out.push(form);
                }
            }
            senses_kept += 1;
            if senses_kept == MOST_ENGLISH {
                break;
            }
        }
        out
    }
}

/// The senses of a glosses field, in order.
fn senses(glosses: &str) -> impl Iterator<Item = &str> {
    glosses
        .split(['/', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A sense as an index key: lower case, brackets and a leading `to (be)`/article dropped, at most
/// three words of letters; with whether a bracketed qualifier was dropped.
fn english_key(sense: &str) -> Option<(String, bool)> {
    // A capitalised sense names someone or somewhere (`Pinghu county level city`), unless
    // it is one word alone (`Internet`).
    let one_word = !sense.trim().contains(char::is_whitespace);
    if sense.starts_with(|c: char| c.is_ascii_uppercase()) && !one_word {
        return None;
    }
    let mut depth = 0usize;
    let mut qualified = false;
    let mut plain = String::with_capacity(sense.len());
    for c in sense.chars() {
        match c {
            '(' => {
                depth += 1;
                qualified = true;
            }
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c.to_ascii_lowercase()),
            _ => {}
        }
    }
    let plain = plain.trim().trim_end_matches(['.', ',', '!', '?']).trim();
    let plain = ["to be ", "to ", "a ", "an ", "the "]
        .iter()
        .find_map(|p| plain.strip_prefix(p))
        .unwrap_or(plain);
    let words: Vec<&str> = plain.split_whitespace().collect();
    let letters = |w: &&str| {
        w.chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'')
    };
    (!words.is_empty() && words.len() <= LONGEST_GLOSS && words.iter().all(letters))
        .then(|| (words.join(" "), qualified))
}

/// The name a proper-noun sense opens with (`Pinghu county level city …` → `pinghu`, `Da
/// Qiao, one of …` → `da qiao`), lower case, one or two capitalised words.
fn proper_name(sense: &str) -> Option<String> {
    let mut name: Vec<&str> = Vec::new();
    for word in sense.split_whitespace() {
        let bare = word.trim_end_matches([',', '.', ';', ':']);
        let capitalised = bare.starts_with(|c: char| c.is_ascii_uppercase())
            && bare
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'');
        if !capitalised {
            break;
        }
        name.push(bare);
        if bare.len() != word.len() {
            break;
        }
    }
    (!name.is_empty() && name.len() <= 2).then(|| name.join(" ").to_lowercase())
}

/// `english` and its plain forms, most likely first: plural and verb endings removed.
#[must_use]
pub fn plain_forms(english: &str) -> Vec<String> {
    let mut forms = vec![english.to_owned()];
    let mut push = |form: String| {
        if form.len() >= 2 && !forms.contains(&form) {
            forms.push(form);
        }
    };
    if english.contains(' ') {
        return forms;
    }
    if let Some(stem) = english.strip_suffix("ies") {
        push(format!("{stem}y"));
    }
    if let Some(stem) = english.strip_suffix("es") {
        push(stem.to_owned());
    }
    if let Some(stem) = english.strip_suffix('s') {
        push(stem.to_owned());
    }
    if let Some(stem) = english.strip_suffix("ing") {
        push(stem.to_owned());
        push(format!("{stem}e"));
    }
    if let Some(stem) = english.strip_suffix("ed") {
        push(stem.to_owned());
        push(format!("{stem}e"));
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "桥\tbridge\n桥梁\tbridge (lit. and fig.)\n大桥\tDa Qiao, one of the Two Qiaos\n\
        交通\tto be connected/traffic/transportation\n学校\tschool\n平湖市\tPinghu county level city in Jiaxing, Zhejiang\n\
        码头\twharf; dock; quay; pier\n力\tpower; force; strength\n电\telectric; electricity/power\n\
        停电\tto have a power failure/power cut\nbad line\n\tno headword\nabc\tnot Chinese\n";

    #[test]
    fn english_words_find_their_chinese_closest_first() {
        let d = Dictionary::from_tsv_with(LIST, 0, 0);
        assert_eq!(d.len(), 10);
        // 桥梁 contains 桥: a search for 桥 already finds it.
        assert_eq!(d.chinese_for("bridge"), vec!["桥"]);
        assert_eq!(d.chinese_for("Bridges"), vec!["桥"]);
        assert_eq!(d.chinese_for("traffic"), vec!["交通"]);
        assert_eq!(d.chinese_for("pier"), vec!["码头"]);
        assert_eq!(d.chinese_for("pinghu"), vec!["平湖"]);
        assert_eq!(d.chinese_for("power cut"), vec!["停电"]);
        // A single character counts only when the word is its first sense.
        assert_eq!(d.chinese_for("power"), vec!["力"]);
        assert!(d.chinese_for("qiao").is_empty());
        assert!(d.chinese_for("metro").is_empty());
    }

    #[test]
    fn chinese_words_find_their_english() {
        let d = Dictionary::from_tsv_with(LIST, 0, 0);
        assert_eq!(d.english_for("码头"), vec!["wharf", "dock", "quay", "pier"]);
        assert_eq!(
            d.english_for("交通"),
            vec!["connected", "traffic", "transportation"]
        );
        assert_eq!(d.english_for("停电"), vec!["power cut", "cut"]);
        assert!(d.english_for("地铁").is_empty());
        // Not listed as a common word: read by its ending.
        assert_eq!(d.english_for("大桥"), vec!["bridge"]);
        assert_eq!(d.english_for("青溪大桥"), vec!["bridge"]);
    }

    const LIST_RARE: &str = "桥\tbridge\n桥梁\tbridge\n梁\tbeam\n彴\tbridge\n";

    #[test]
    fn rare_characters_are_left_out() {
        let d = Dictionary::from_tsv_with(LIST_RARE, 2, 2);
        assert_eq!(d.chinese_for("bridge"), vec!["桥"]);
        let d = Dictionary::from_tsv_with(LIST_RARE, 2, 3);
        assert_eq!(d.chinese_for("bridge"), vec!["桥梁"]);
    }

    #[test]
    fn the_embedded_list_is_whole_and_knows_the_town_s_words() {
        let d = Dictionary::embedded();
        assert!(d.len() > 100_000, "{} headwords", d.len());
        assert_eq!(d.chinese_for("bridge").first(), Some(&"桥"));
        assert_eq!(d.chinese_for("school").first(), Some(&"学校"));
        // A name comes after the common words (`price`: 普莱斯 last, if at all).
        assert_ne!(d.chinese_for("price").first(), Some(&"普莱斯"));
        assert!(d.chinese_for("transport").contains(&"交通"));
        assert!(d.chinese_for("internet").contains(&"互联网"));
        assert!(d.chinese_for("hospital").contains(&"医院"));
        assert!(d.chinese_for("Pinghu").contains(&"平湖"));
        assert!(d.english_for("码头").contains(&"pier".to_owned()));
    }
}
