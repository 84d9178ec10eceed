//! How long commands say how far they are: a bar on stderr while someone
//! watches (nothing in a log or a pipe, where it would be noise), and the
//! one-line summary each command ends with, which is there either way.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// A bar of `len` steps labelled `what`, drawn only when stderr is a terminal.
pub fn bar(len: usize, what: &str) -> ProgressBar {
    let target =
        if std::io::stderr().is_terminal() { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() };
    let bar = ProgressBar::with_draw_target(Some(len as u64), target);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({elapsed}, {eta} left)") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_owned());
    bar
}

/// `1234567` → `"1,234,567"`: summaries are read by people.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A duration as a summary gives it: tenths of a second under a minute,
/// whole seconds above ("1.2 s", "41 s", "312 s").
pub fn took(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 60.0 { format!("{secs:.1} s") } else { format!("{} s", d.as_secs()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn took_keeps_tenths_only_under_a_minute() {
        assert_eq!(took(Duration::from_millis(1_240)), "1.2 s");
        assert_eq!(took(Duration::from_millis(41_000)), "41.0 s");
        assert_eq!(took(Duration::from_millis(312_700)), "312 s");
    }
}
