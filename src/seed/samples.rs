//! Small sample documents for the demo's cases, so the specialist, the
//! coordinator and the family see real files: a PDF of a few text pages
//! written here (the format's plain subset: one font, one text stream per
//! page), and an illustration image. Both say they are demo data.

/// The illustration: a generated grayscale PNG (`sample-image.png`).
pub const IMAGE: &[u8] = include_bytes!("sample-image.png");

/// A PDF with one page per entry of `pages`, each a list of lines.
pub fn pdf(pages: &[Vec<String>]) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    // 1: catalog, 2: page tree, 3: font; then a page and its stream per page.
    let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into());
    for (i, lines) in pages.iter().enumerate() {
        let mut text = String::from("BT /F1 12 Tf 16 TL 72 720 Td\n");
        for line in lines {
            text.push_str(&format!("({}) '\n", escape(line)));
        }
        text.push_str("ET");
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (n, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", n + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

/// PDF string escapes; anything outside printable ASCII becomes `?`.
fn escape(line: &str) -> String {
    line.chars()
        .map(|c| match c {
            '(' | ')' | '\\' => format!("\\{c}"),
            ' '..='~' => c.to_string(),
            _ => "?".into(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_pdf_is_well_formed_enough_to_sniff_and_count() {
        let pdf = super::pdf(&[vec!["Page one (a)".into()], vec!["Page two".into()]]);
        assert!(pdf.starts_with(b"%PDF-1.4"));
        let text = String::from_utf8(pdf).unwrap();
        assert!(text.contains("/Count 2") && text.contains("(Page one \\(a\\)) '"));
        // Each xref offset points at its object.
        let xref = text.rfind("xref\n").unwrap();
        for (n, line) in text[xref..].lines().skip(3).take(7).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(text[offset..].starts_with(&format!("{} 0 obj", n + 1)), "object {}", n + 1);
        }
    }
}
