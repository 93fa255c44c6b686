//! Column interleaving: a dump that reads across columns drops the next article's headline
//! into the middle of the previous article's sentence. The sentence is re-joined around it,
//! and the headline goes to the article whose byline or dateline follows.

use super::Page;
use crate::core::edition::lines::LineKind;
use crate::core::punctuation::ends_sentence;

impl Page {
    /// Line `j` is a headline alone in its block (or set off by its shape inside one) that
    /// interrupts `paragraph` (the body text so far of an unfinished sentence), which goes
    /// on after it.
    pub(super) fn interrupts_a_sentence(&self, j: usize, paragraph: &str) -> bool {
        let line = &self.lines[j];
        let (Some(prev), Some(next)) = (
            j.checked_sub(1).map(|k| &self.lines[k]),
            self.lines.get(j + 1),
        ) else {
            return false;
        };
        let goes_on = if next.text.is_ascii() || line.text.is_ascii() {
            next.text.starts_with(|c: char| c.is_lowercase())
        } else {
            !next.indented && (next.text.contains(['。', '，']) || !next.is_title_like())
        };
        // With no blank line around it, the headline stands out by its shape: much shorter
        // than the prose it cuts, and in English capitalised between lower-case prose.
        let apart = prev.block != line.block && next.block != line.block;
        let same_block = prev.block == line.block && next.block == line.block;
        // English: a capital opening a line between lower-case prose says it enough.
        // (`Millrace Road, a narrow residential street where …` is prose: a headline has no
        // comma.)
        let english_inside = line.text.is_ascii()
            && line.text.starts_with(|c: char| c.is_uppercase())
            && !line.text.contains(',')
            && next.text.starts_with(|c: char| c.is_lowercase())
            && !ends_sentence(&prev.text);
        let shorter = prev.chars() >= line.chars() + 8 && next.chars() < prev.chars();
        let inside = same_block && (english_inside || (!line.text.is_ascii() && shorter));
        !paragraph.is_empty()
            && !ends_sentence(paragraph)
            && line.is_title_like()
            && !line.indented
            && (apart || inside)
            && next.kind == LineKind::Text
            && self.free(j + 1)
            && goes_on
    }
}

#[cfg(test)]
mod tests {
    use crate::core::edition::parse_edition;

    #[test]
    fn a_headline_dropped_into_the_previous_sentence_starts_the_next_article() {
        let page = "Greyford bridge to close for repairs\n\nBy Annelise Brzezinski\n\nGREYFORD — County Engineer Ross Vandermeer said the $1.1 million job has been\n\nHarvest festival moves to the fairgrounds\n\nput off twice since 2019 for lack of money.\n\nBy Theo Marchbanks\n\nRAVENSHOLM — The festival will leave the town common for the first time in 40 years.\n";
        let edition = parse_edition(page).expect("parses");
        let titles: Vec<&str> = edition.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Greyford bridge to close for repairs",
                "Harvest festival moves to the fairgrounds"
            ]
        );
        assert_eq!(
            edition.articles[0].paragraphs,
            [
                "County Engineer Ross Vandermeer said the $1.1 million job has been put off twice since 2019 for lack of money."
            ]
        );
        assert_eq!(edition.articles[1].lines, [7, 11, 13]);
    }

    #[test]
    fn a_headline_inside_a_block_of_prose_is_found_by_its_shape() {
        let page = "Greenway extension gets the green light\nBy Ann Lee\n\nLandowners along the route have been consulted and the council said agreements were in place. Funding\nTown park playground reopens after upgrade\nhas been secured from the Department of Transport.\n\nBy Ciarán Molloy\n\nThe playground at Fair Green reopened on Saturday after a six-week upgrade.\n";
        let edition = parse_edition(page).expect("parses");
        let titles: Vec<&str> = edition.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Greenway extension gets the green light",
                "Town park playground reopens after upgrade"
            ]
        );
        assert_eq!(edition.articles[0].lines, [1, 2, 4, 6]);
    }
}
