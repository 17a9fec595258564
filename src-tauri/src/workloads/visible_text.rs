//! Text from a cluster shown exactly as it is: log lines, event messages
//! and annotations can hold terminal escapes (ESC sequences, OSC links
//! and titles), other control characters and Unicode bidi controls that
//! would reorder what the user reads. They are replaced by visible marks
//! (`␛`, `<U+202E>`), so nothing in the text acts on the screen; the UI
//! renders the result as plain text.

/// Bidi embedding, override and isolate controls, and the marks that flip
/// direction (Trojan Source).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push(c),
            '\u{1b}' => out.push('␛'),
            c if c.is_control() => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c if is_bidi_control(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn escapes_controls_and_bidi_marks_become_visible() {
        assert_eq!(
            visible("plain <script>alert(1)</script>"),
            "plain <script>alert(1)</script>"
        );
        assert_eq!(visible("\u{1b}[31mred\u{1b}[0m"), "␛[31mred␛[0m");
        assert_eq!(
            visible("\u{1b}]8;;http://evil\u{7}link\u{1b}]8;;\u{7}"),
            "␛]8;;http://evil<U+0007>link␛]8;;<U+0007>"
        );
        assert_eq!(visible("abc\u{202E}fed"), "abc<U+202E>fed");
        assert_eq!(visible("a\rb\u{0}c\tTab"), "a<U+000D>b<U+0000>c\tTab");
        assert_eq!(visible("héllo 日本 🚀"), "héllo 日本 🚀");
    }
}
