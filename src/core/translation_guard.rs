//! The guard on a machine translation of a headline or summary: every figure it gives must
//! be in the source once both are read as quantities (`三百亩` is 300 mu, `60万` is 600,000,
//! `0.6 million` too), a unit printed beside a figure must be the source's unit, and any
//! Chinese it quotes (names kept in the source script) must be the source's own words.

use super::punctuation::{char_len, is_cjk};
use super::quantities::{Quantity, quantities_in};

/// Checks `translation` against `source`.
///
/// # Errors
/// Why the translation is refused: a figure the source lacks, a figure in another unit,
/// Chinese the source does not print, or an empty or runaway answer.
pub fn check_translation(translation: &str, source: &str) -> Result<(), String> {
    let translation = translation.trim();
    if translation.is_empty() {
        return Err("empty translation".to_owned());
    }
    if char_len(translation) > 4 * char_len(source) + 200 {
        return Err(format!(
            "{} characters for a source of {}",
            char_len(translation),
            char_len(source)
        ));
    }
    let printed = quantities_in(source);
    let mut problems = Vec::new();
    for q in quantities_in(translation) {
        let same_value: Vec<&Quantity> =
            printed.iter().filter(|p| same(p.value, q.value)).collect();
        if same_value.is_empty() {
            problems.push(format!("{} is not in the source", show(q.value)));
        } else if let Some(unit) = q.unit
            && !same_value
                .iter()
                .any(|p| p.unit.is_none() || p.unit == Some(unit))
        {
            problems.push(format!(
                "{} is not in {unit:?} in the source",
                show(q.value)
            ));
        }
    }
    for quoted in cjk_runs(translation) {
        if !source.contains(&quoted) {
            problems.push(format!("“{quoted}” is not in the source"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn show(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// Runs of Chinese characters in `text`.
fn cjk_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            run.push(c);
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_faithful_translation_passes() {
        let source = "运河大桥今天通车\n大桥全长1280米，主桥长860米，双向六车道，流转土地三百亩，总投资1.2亿元。";
        assert_eq!(
            check_translation(
                "Canal Bridge (运河大桥) opens: 1,280 metres long, main span 860 m, six lanes, 300 mu of land, 120 million yuan.",
                source
            ),
            Ok(())
        );
        assert_eq!(
            check_translation("Six lanes over 1280 m, 0.12 billion yuan.", source),
            Ok(())
        );
    }

    #[test]
    fn an_unfaithful_translation_is_refused_with_the_reason() {
        let source = "流转土地三百亩，总投资1.2亿元，大桥全长1280米。";
        let wrong = check_translation("300 hectares of land", source).expect_err("unit");
        assert!(wrong.contains("Hectare"), "{wrong}");
        let invented = check_translation("1,290 metres long", source).expect_err("figure");
        assert!(invented.contains("1290"), "{invented}");
        let name = check_translation("Pinghu (平湖) bridge", source).expect_err("name");
        assert!(name.contains("平湖"), "{name}");
        assert!(check_translation("   ", source).is_err());
        assert!(check_translation(&"very long ".repeat(100), "短").is_err());
    }
}
