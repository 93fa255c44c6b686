//! Turns HTML (a feed item's content, a web page of the edition) into plain text with one
//! paragraph per line: block tags become line breaks, other tags go, entities are decoded.

/// Converts `html` to plain text, one block (paragraph, list item, heading) per line.
#[must_use]
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        let after = &rest[lt..];
        let Some(gt) = after.find('>') else {
            push_text(&mut out, after);
            rest = "";
            break;
        };
        let tag = &after[1..gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &after[gt + 1..];
        if tag.starts_with("!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if matches!(name.as_str(), "script" | "style" | "head" | "noscript")
            && !tag.starts_with('/')
        {
            let close = format!("</{name}");
            rest = find_ignore_case(rest, &close)
                .and_then(|at| rest[at..].find('>').map(|gt| &rest[at + gt + 1..]))
                .unwrap_or("");
            continue;
        }
        if is_block(&name) {
            out.push('\n');
        }
    }
    push_text(&mut out, rest);
    out.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Byte offset of ASCII `needle` in `haystack`, ignoring ASCII case, without copying the
/// haystack (copying it per `<script>` made long pages quadratic).
fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "br"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "blockquote"
            | "hr"
            | "figure"
            | "figcaption"
            | "title"
    )
}

fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        match after
            .find(';')
            .filter(|&semi| semi <= 10)
            .and_then(|semi| decode_entity(&after[1..semi]).map(|c| (c, semi)))
        {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
}

fn decode_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "middot" => '·',
        "deg" => '°',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_become_lines_and_entities_decode() {
        let text = html_to_text(
            "<p>Bridge &amp; road <b>open</b></p><p>Second&nbsp;para &#8220;q&#8221;</p>",
        );
        assert_eq!(text, "Bridge & road open\n\nSecond para “q”");
    }

    #[test]
    fn scripts_styles_and_comments_vanish() {
        let text = html_to_text(
            "<head><title>x</title></head><script>var a = '<p>';</script><!-- c --><div>本报讯 昨天</div>",
        );
        assert_eq!(text, "本报讯 昨天");
    }

    #[test]
    fn broken_markup_does_not_panic() {
        assert_eq!(html_to_text("a < b &amp c"), "a < b &amp c");
        assert_eq!(html_to_text("<p"), "<p");
    }
}
