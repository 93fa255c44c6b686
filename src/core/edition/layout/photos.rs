//! The photos pass of the page reader: a photo's credit with its title and caption, in the
//! orders pages print them (title, caption, credit; title, credit, caption; credit, caption),
//! and the heading of a photo group (`图片新闻`, `IN PICTURES`) with the first photo under it.

use std::sync::LazyLock;

use regex::Regex;

use super::{Owner, Page};
use crate::core::edition::Photo;
use crate::core::edition::lines::{LineKind, inline_photo_credit};
use crate::core::edition::paragraphs::join_paragraphs;
use crate::core::punctuation::ends_sentence;

/// The most caption lines read above or below a credit.
const MAX_CAPTION_LINES: usize = 5;

/// The heading over a group of photos.
static PHOTO_GROUP_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:图片新闻|图片报道|图说\p{Han}{0,4}|新闻图片|摄影报道|(?:weekend |week |the week )?in (?:pictures|photos)|photo news|photos of the (?:day|week)|snapshots)$")
        .expect("static regex")
});

impl Page {
    /// Finds every photo credit with the title and caption printed around it.
    pub(super) fn claim_photos(&mut self) {
        for i in 0..self.lines.len() {
            let LineKind::PhotoCredit(names) = &self.lines[i].kind else {
                continue;
            };
            if !self.free(i) {
                continue;
            }
            let photographers = names.clone();
            if let Some((end, _)) = inline_photo_credit(&self.lines[i].text) {
                // `…画春联。（通讯员　伍思远　摄）`: caption and credit on one line.
                let caption = self.lines[i].text[..end].to_owned();
                self.push_inline_photo(i, caption, photographers);
                continue;
            }
            // `Photo: Name/Paper` opening its block over the caption: the caption is below.
            let opens_block = i == 0 || self.lines[i - 1].block != self.lines[i].block;
            let below_first = opens_block
                && self
                    .lines
                    .get(i + 1)
                    .is_some_and(|next| next.block == self.lines[i].block)
                && !self.caption_below(i).is_empty();
            let (mut title_idx, mut caption_idx) = if below_first {
                (None, Vec::new())
            } else {
                self.caption_above(i)
            };
            if caption_idx.is_empty()
                || (title_idx.is_none()
                    && caption_idx.len() == 1
                    && self.lines[caption_idx[0]].is_title_like())
            {
                // `白鹭归来` / `■摄影 …` / caption: the credit stands between title and caption.
                let below = self.caption_below(i);
                if !below.is_empty() {
                    title_idx = caption_idx.pop();
                    caption_idx = below;
                }
            }
            let credit_no = self.lines[i].no;
            if caption_idx.is_empty() {
                self.warn(
                    Some(credit_no),
                    "photo credit with no caption near it".to_owned(),
                );
            } else if title_idx.is_none() {
                self.warn(Some(credit_no), "photo has no title line".to_owned());
            }
            let caption_lines: Vec<(usize, &str)> = caption_idx
                .iter()
                .map(|&c| (self.lines[c].no, self.lines[c].text.as_str()))
                .collect();
            let caption = join_paragraphs(&caption_lines)
                .paragraphs
                .into_iter()
                .map(|(t, _)| t)
                .collect::<Vec<_>>()
                .join("\n");
            let first = title_idx.or(caption_idx.first().copied()).unwrap_or(i);
            let heading = self.photo_group_heading_above(first.min(i));
            let mut owned: Vec<usize> = heading
                .into_iter()
                .chain(title_idx)
                .chain(caption_idx.iter().copied())
                .collect();
            owned.push(i);
            owned.sort_unstable();
            self.push_photo(&owned, title_idx, caption, photographers);
        }
    }

    /// Claims `owned` (in page order) as one photo item.
    fn push_photo(
        &mut self,
        owned: &[usize],
        title_idx: Option<usize>,
        caption: String,
        photographers: Vec<String>,
    ) {
        let photo = Photo {
            title: title_idx.map(|t| self.lines[t].text.clone()),
            caption,
            photographers,
            page: None,
            lines: owned.iter().map(|&o| self.lines[o].no).collect(),
        };
        for &o in owned {
            self.claim(o, Owner::Photo);
        }
        self.edition.photos.push(photo);
    }

    /// The photo whose caption ends on its credit's line (`credit`), with the title above it.
    fn push_inline_photo(&mut self, credit: usize, caption: String, photographers: Vec<String>) {
        let title_idx = credit.checked_sub(1).filter(|&t| {
            self.free(t)
                && self.lines[t].kind == LineKind::Text
                && self.lines[t].is_title_like()
                && !PHOTO_GROUP_HEADING.is_match(&self.lines[t].text)
        });
        let first = title_idx.unwrap_or(credit);
        let owned: Vec<usize> = self
            .photo_group_heading_above(first)
            .into_iter()
            .chain(title_idx)
            .chain([credit])
            .collect();
        self.push_photo(&owned, title_idx, caption, photographers);
    }

    /// The title and caption lines printed above the credit at `credit`. A line that runs on
    /// into the next (`Six-year-old Piper Lund pours hot syrup over packed snow` / `at the
    /// open house on Sunday.`) is caption, not title; so is a short clause with a comma when a
    /// title stands above it.
    fn caption_above(&self, credit: usize) -> (Option<usize>, Vec<usize>) {
        let mut caption_idx = Vec::new();
        let mut k = credit;
        while k > 0
            && caption_idx.len() < MAX_CAPTION_LINES
            && self.free(k - 1)
            && self.lines[k - 1].kind == LineKind::Text
        {
            let above = &self.lines[k - 1].text;
            // A group's heading, a brief's bracketed lead or the end of a credit (`蔡蔚）`)
            // is where the caption stops.
            if PHOTO_GROUP_HEADING.is_match(above)
                || above.starts_with('【')
                || (above.ends_with(['）', ')']) && !above.contains(['。', '！', '？']))
            {
                break;
            }
            k -= 1;
            let line = &self.lines[k];
            let runs_on = self
                .lines
                .get(k + 1)
                .is_some_and(|next| next.text.starts_with(|c: char| c.is_ascii_lowercase()));
            let title_above = k > 0
                && self.free(k - 1)
                && self.lines[k - 1].kind == LineKind::Text
                && self.lines[k - 1].is_title_like()
                && !PHOTO_GROUP_HEADING.is_match(&self.lines[k - 1].text);
            // `Sails on the Sable` (opening its block, or under the group's heading) over
            // `Boats round the first mark during Saturday's Sable`: the upper one is the title.
            let title_above_opens = title_above
                && (k == 1
                    || self.lines[k - 2].block != self.lines[k - 1].block
                    || PHOTO_GROUP_HEADING.is_match(&self.lines[k - 2].text));
            let clause = (line.text.contains(['，', ',']) && title_above) || title_above_opens;
            if line.is_title_like() && !caption_idx.is_empty() && !runs_on && !clause {
                return (Some(k), caption_idx);
            }
            caption_idx.insert(0, k);
        }
        if caption_idx.len() > 1 {
            // No title found: only the paragraph next to the credit is surely its caption.
            let sentence_starts = caption_idx
                .iter()
                .rposition(|&c| {
                    c == 0
                        || ends_sentence(&self.lines[c - 1].text)
                        // Under the photo before it (`Photo by Ellen Marchetti`).
                        || self.lines[c - 1].kind != LineKind::Text
                        || self.lines[c - 1].block != self.lines[c].block
                })
                .unwrap_or(caption_idx.len() - 1);
            caption_idx.drain(..sentence_starts);
        }
        (None, caption_idx)
    }

    /// The caption printed under the credit at `credit`: free prose lines to the one that
    /// ends a sentence, in the credit's block or, when the credit stands alone, the next.
    fn caption_below(&self, credit: usize) -> Vec<usize> {
        let credit_block = self.lines[credit].block;
        let alone = credit == 0 || self.lines[credit - 1].block != credit_block;
        let block = match self.lines.get(credit + 1) {
            Some(next) if next.block == credit_block => credit_block,
            Some(next) if alone => next.block,
            _ => return Vec::new(),
        };
        let mut below = Vec::new();
        let mut k = credit + 1;
        while k < self.lines.len()
            && below.len() < MAX_CAPTION_LINES
            && self.lines[k].block == block
            && self.free(k)
            && self.lines[k].kind == LineKind::Text
        {
            below.push(k);
            if ends_sentence(&self.lines[k].text) {
                return below;
            }
            k += 1;
        }
        Vec::new()
    }

    /// A photo credit two or three lines below line `i`: `i` is a photo's title over its
    /// caption, not a headline.
    pub(super) fn photo_credit_just_below(&self, i: usize) -> bool {
        (i + 2..i + 4).any(|k| {
            let Some(credit) = self.lines.get(k) else {
                return false;
            };
            // A credit opening its block over its caption (`Picture: Colin Maybury` /
            // caption) credits what is below it, not the line above.
            let caption_below = self.lines[k - 1].block != credit.block
                && self
                    .lines
                    .get(k + 1)
                    .is_some_and(|l| l.block == credit.block);
            matches!(credit.kind, LineKind::PhotoCredit(_)) && !caption_below
        })
    }

    /// `图片新闻`, `IN PICTURES` just above the first photo of a group.
    fn photo_group_heading_above(&self, first: usize) -> Option<usize> {
        let h = first.checked_sub(1)?;
        (self.free(h)
            && self.lines[h].kind == LineKind::Text
            && PHOTO_GROUP_HEADING.is_match(&self.lines[h].text))
        .then_some(h)
    }
}

#[cfg(test)]
mod tests {
    use crate::core::edition::parse_edition;

    #[test]
    fn photos_in_a_group_with_credits_above_and_below_their_captions() {
        let page = "图片新闻\n\n银杏染金\n11月26日，公园内的银杏大道进入最佳观赏期。\n■摄影　记者　龚　越\n\n白鹭归来\n■摄影　通讯员　陆晓芸\n11月25日，一群白鹭在湿地的浅滩上觅食。\n\nTimes photo by Marisela Ontiveros\nEight-year-old Juniper Haas shows off the ribbon she\nwon in Sunday's youth dinghy race.\n";
        let edition = parse_edition(page).expect("parses");
        let photos: Vec<(&[String], &[usize], Option<&str>)> = edition
            .photos
            .iter()
            .map(|p| {
                (
                    p.photographers.as_slice(),
                    p.lines.as_slice(),
                    p.title.as_deref(),
                )
            })
            .collect();
        assert_eq!(photos.len(), 3);
        assert_eq!(photos[0].0, ["龚越"]);
        assert_eq!(photos[0].1, [1, 3, 4, 5]);
        assert_eq!(photos[0].2, Some("银杏染金"));
        assert_eq!(photos[1].1, [7, 8, 9]);
        assert_eq!(photos[1].2, Some("白鹭归来"));
        assert_eq!(
            edition.photos[1].caption,
            "11月25日，一群白鹭在湿地的浅滩上觅食。"
        );
        assert_eq!(photos[2].1, [11, 12, 13]);
        assert_eq!(photos[2].2, None);
    }

    #[test]
    fn a_credit_opening_its_block_has_its_caption_below_and_a_paper_credit_names_the_photographer()
    {
        let page = "The Times\n\nStaff estimate the pilot will cost $410,000.\n\nPhoto: André Lussier/Glenhollow Times\nRiders board a Route 9 bus on Monday morning.\n\nCrews resurface Second Street on Wednesday.\nNatalie Brandt / Argus photo\n";
        let edition = crate::core::edition::parse_edition(page).expect("parses");
        let photos: Vec<(Vec<String>, Vec<usize>)> = edition
            .photos
            .iter()
            .map(|p| (p.photographers.clone(), p.lines.clone()))
            .collect();
        assert_eq!(
            photos,
            [
                (vec!["André Lussier".to_owned()], vec![5, 6]),
                (vec!["Natalie Brandt".to_owned()], vec![8, 9])
            ]
        );
    }
}
