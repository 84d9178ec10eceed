//! Plain text as a specialist writes it, read back into its shape:
//! paragraphs (keeping their line breaks), numbered lists and bulleted
//! lists. Nothing here is HTML: the template escapes every line, so what was
//! typed can never become markup.

/// One block of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Consecutive lines, shown with their line breaks.
    Paragraph(Vec<String>),
    /// "1. …", "2) …": each item keeps the number that was written.
    Numbered(Vec<Item>),
    /// "- …", "* …", "• …".
    Bullets(Vec<Item>),
}

/// A list item: its number (for numbered lists) and its lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub number: u32,
    pub lines: Vec<String>,
}

enum Line<'a> {
    Blank,
    Numbered(u32, &'a str),
    Bullet(&'a str),
    /// Indented text right under a list item continues it.
    Indented(&'a str),
    Text(&'a str),
}

fn classify(line: &str) -> Line<'_> {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return Line::Blank;
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &trimmed[digits..];
        if let Some(after) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") "))
            && let Ok(n) = trimmed[..digits].parse()
        {
            return Line::Numbered(n, after.trim());
        }
    }
    for marker in ["- ", "* ", "• ", "– "] {
        if let Some(after) = trimmed.strip_prefix(marker) {
            return Line::Bullet(after.trim());
        }
    }
    if line.starts_with([' ', '\t']) { Line::Indented(trimmed) } else { Line::Text(trimmed) }
}

/// The blocks of `text`, in order.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    // Whether the last block may still grow (a blank line closes it).
    let mut open = false;
    for raw in text.lines() {
        let line = classify(raw);
        match (line, out.last_mut().filter(|_| open)) {
            (Line::Blank, _) => open = false,
            (Line::Numbered(number, s), Some(Block::Numbered(items))) => {
                items.push(Item { number, lines: vec![s.to_owned()] });
            }
            (Line::Bullet(s), Some(Block::Bullets(items))) => items.push(Item { number: 0, lines: vec![s.to_owned()] }),
            (Line::Indented(s), Some(Block::Numbered(items) | Block::Bullets(items))) => {
                if let Some(item) = items.last_mut() {
                    item.lines.push(s.to_owned());
                }
            }
            (Line::Text(s) | Line::Indented(s), Some(Block::Paragraph(lines))) => lines.push(s.to_owned()),
            (Line::Numbered(number, s), _) => {
                out.push(Block::Numbered(vec![Item { number, lines: vec![s.to_owned()] }]));
                open = true;
            }
            (Line::Bullet(s), _) => {
                out.push(Block::Bullets(vec![Item { number: 0, lines: vec![s.to_owned()] }]));
                open = true;
            }
            (Line::Text(s) | Line::Indented(s), _) => {
                out.push(Block::Paragraph(vec![s.to_owned()]));
                open = true;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lines: &[&str]) -> Block {
        Block::Paragraph(lines.iter().map(|s| (*s).to_owned()).collect())
    }
    fn item(number: u32, lines: &[&str]) -> Item {
        Item { number, lines: lines.iter().map(|s| (*s).to_owned()).collect() }
    }

    #[test]
    fn a_numbered_list_under_a_paragraph_keeps_its_shape() {
        let text = "Recommendations:\r\n1. Repeat the MRI in 3 months.\r\n2) See cardiology.\n   Ask about the dose.\n\nThanks.";
        assert_eq!(
            blocks(text),
            [
                p(&["Recommendations:"]),
                Block::Numbered(vec![
                    item(1, &["Repeat the MRI in 3 months."]),
                    item(2, &["See cardiology.", "Ask about the dose."])
                ]),
                p(&["Thanks."]),
            ]
        );
    }

    #[test]
    fn bullets_paragraph_breaks_and_lines() {
        let text = "First line\nsecond line\n\n- one\n* two\n• three\nAfter";
        assert_eq!(
            blocks(text),
            [
                p(&["First line", "second line"]),
                Block::Bullets(vec![item(0, &["one"]), item(0, &["two"]), item(0, &["three"])]),
                p(&["After"]),
            ]
        );
    }

    #[test]
    fn numbers_that_are_not_list_markers_stay_text() {
        assert_eq!(blocks("2024 was hard.\n10mg daily"), [p(&["2024 was hard.", "10mg daily"])]);
        assert_eq!(blocks("<b>1. x</b>"), [p(&["<b>1. x</b>"])], "markup is only text");
        assert!(blocks(" \n\n ").is_empty());
    }
}
