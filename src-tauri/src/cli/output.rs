//! How commands print: lines for people, or (`--output json`) exactly the
//! JSON the window's command returns — the same types, so a script sees
//! what the app sees. A closed pipe (`| head`) ends the output quietly.

use super::CliError;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// `json` prints what the app's window receives, for scripts.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub output: Format,
}

impl OutputArgs {
    pub fn json(&self) -> bool {
        self.output == Format::Json
    }

    /// `value` as JSON, or the lines `text` writes.
    pub fn print<T: Serialize>(&self, value: &T, text: impl FnOnce(&mut Output)) {
        let mut out = Output::stdout();
        if self.json() {
            out.json(value);
        } else {
            text(&mut out);
        }
    }
}

/// Standard output, line by line.
pub struct Output {
    stdout: std::io::Stdout,
}

impl Output {
    pub fn stdout() -> Self {
        Self {
            stdout: std::io::stdout(),
        }
    }

    pub fn line(&mut self, text: std::fmt::Arguments<'_>) {
        let _ = writeln!(self.stdout.lock(), "{text}");
    }

    pub fn json<T: Serialize>(&mut self, value: &T) {
        match serde_json::to_string_pretty(value) {
            Ok(text) => self.line(format_args!("{text}")),
            Err(e) => eprintln!("error: could not write JSON: {e}"),
        }
    }
}

/// The error the window would get, as JSON on standard error.
pub fn print_error_json(e: &CliError) {
    let text = serde_json::to_string_pretty(&e.to_app_error())
        .unwrap_or_else(|_| format!("{{\"code\":\"internal\",\"message\":{:?}}}", e.to_string()));
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// A unit enum's JSON name (`ACTIVE`, `sso`), for text columns.
pub fn enum_word<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
