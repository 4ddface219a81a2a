//! TVmaze summaries are small HTML fragments (`<p>`, `<b>`, `<i>`, `<br>`, entities). They
//! become plain text: tags dropped, paragraphs and line breaks kept as line breaks, entities
//! decoded, runs of spaces collapsed.

/// Plain text of an HTML fragment; `None` when nothing but markup and spaces is left.
pub fn to_text(html: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let Some(end) = rest.find('>') else {
                    out.push_str(rest); // a lone '<' is text
                    break;
                };
                let tag = rest[1..end].trim().to_ascii_lowercase();
                let name = tag
                    .trim_start_matches('/')
                    .split(|c: char| c.is_whitespace() || c == '/')
                    .next()
                    .unwrap_or("");
                match name {
                    "br" => out.push('\n'),
                    "p" | "div" | "li" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" => {
                        out.push_str("\n\n")
                    }
                    _ => {}
                }
                rest = &rest[end + 1..];
            }
            '&' => {
                let (text, used) = entity(rest);
                out.push_str(&text);
                rest = &rest[used..];
            }
            _ => {
                // A line break in the source is only a space: breaks come from the tags.
                out.push(if c.is_whitespace() { ' ' } else { c });
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    // Collapse spaces within lines and keep at most one blank line between paragraphs.
    let mut text = String::new();
    let mut blank = false;
    for line in out.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank = !text.is_empty();
            continue;
        }
        if !text.is_empty() {
            text.push_str(if blank { "\n\n" } else { "\n" });
        }
        text.push_str(&line);
        blank = false;
    }
    (!text.is_empty()).then_some(text)
}

/// Decodes the entity at the start of `s` (which starts with '&'): the text and bytes used.
/// Anything that is not a known entity is kept as it is.
fn entity(s: &str) -> (String, usize) {
    let Some(end) = s[..s.len().min(12)].find(';') else {
        return ("&".into(), 1);
    };
    let name = &s[1..end];
    let named = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        "ndash" => Some('–'),
        "mdash" => Some('—'),
        "hellip" => Some('…'),
        "lsquo" => Some('‘'),
        "rsquo" => Some('’'),
        "ldquo" => Some('“'),
        "rdquo" => Some('”'),
        _ => None,
    };
    let numeric = || {
        let n = name.strip_prefix('#')?;
        let code = match n.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => n.parse().ok()?,
        };
        char::from_u32(code)
    };
    match named.or_else(numeric) {
        Some(c) => (c.to_string(), end + 1),
        None => ("&".into(), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::to_text;

    #[test]
    fn tags_go_paragraphs_stay_entities_decode() {
        assert_eq!(
            to_text("<p><b>Girls</b> is a comic look at  the\nassorted humiliations.</p>")
                .as_deref(),
            Some("Girls is a comic look at the assorted humiliations.")
        );
        assert_eq!(
            to_text("<p>One.</p><p>Two &amp; three&#39;s &lt;x&gt; &#x2014; &nbsp;four</p>")
                .as_deref(),
            Some("One.\n\nTwo & three's <x> — four")
        );
        assert_eq!(to_text("a<br>b<br/>c").as_deref(), Some("a\nb\nc"));
    }

    #[test]
    fn odd_input_is_kept_as_text_and_empty_is_none() {
        assert_eq!(to_text("AT&T 1 < 2").as_deref(), Some("AT&T 1 < 2"));
        assert_eq!(to_text("&bogus; &#xZZ;").as_deref(), Some("&bogus; &#xZZ;"));
        assert_eq!(to_text("<p> </p><br>"), None);
        assert_eq!(to_text(""), None);
    }
}
