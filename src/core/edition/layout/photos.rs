//! The photos pass of the page reader: a caption with its photographer's credit.

use super::{Owner, Page};
use crate::core::edition::Photo;
use crate::core::edition::lines::LineKind;
use crate::core::edition::paragraphs::join_paragraphs;

impl Page {
    /// Finds every photo credit and the title and caption printed above it.
    pub(super) fn claim_photos(&mut self) {
        for i in 0..self.lines.len() {
            let LineKind::PhotoCredit(names) = &self.lines[i].kind else {
                continue;
            };
            if !self.free(i) {
                continue;
            }
            let photographers = names.clone();
            let mut caption_idx = Vec::new();
            let mut title_idx = None;
            let mut k = i;
            while k > 0
                && caption_idx.len() < 3
                && self.free(k - 1)
                && self.lines[k - 1].kind == LineKind::Text
            {
                k -= 1;
                if self.lines[k].is_title_like() && !caption_idx.is_empty() {
                    title_idx = Some(k);
                    break;
                }
                caption_idx.insert(0, k);
            }
            if title_idx.is_none() && caption_idx.len() > 1 {
                // No title found: only the paragraph next to the credit is surely its caption.
                caption_idx.drain(..caption_idx.len() - 1);
            }
            let credit_no = self.lines[i].no;
            if caption_idx.is_empty() {
                self.warn(
                    Some(credit_no),
                    "photo credit with no caption above it".to_owned(),
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
            let mut owned: Vec<usize> = title_idx
                .into_iter()
                .chain(caption_idx.iter().copied())
                .collect();
            owned.push(i);
            let photo = Photo {
                title: title_idx.map(|t| self.lines[t].text.clone()),
                caption,
                photographers,
                page: None,
                lines: owned.iter().map(|&o| self.lines[o].no).collect(),
            };
            for o in owned {
                self.claim(o, Owner::Photo);
            }
            self.edition.photos.push(photo);
        }
    }
}
