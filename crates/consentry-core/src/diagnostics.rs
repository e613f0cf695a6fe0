//! Lint findings: what is wrong, where, and how bad.
//!
//! Every check in `consentry lint` / `consentry build` reports a [`Diagnostic`] instead of
//! stopping, so one run shows every problem (the fluent-rs `(partial, Vec<errors>)` style).
//! Each diagnostic carries a stable [`Code`] from the rule registry ([`RULES`]): codes are never
//! renumbered, so CI scripts, documentation and `--explain` can rely on them.
//!
//! Positions are byte spans into the file as it was read, plus a 1-based line and a 1-based
//! column counted in characters (Unicode scalar values), so `zh-CN.ftl:3:7` means the seventh
//! character of the third line, whatever the UTF-8 width of the characters before it. A leading
//! byte-order mark is not counted, and a CRLF line ending counts as one line break.
//!
//! Two renderers ship here: [`render_human`] (rustc-like, for people) and [`render_json`] (one
//! JSON array, for CI).

mod position;
mod render;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

pub use position::line_column;
pub use render::{render_human, render_json};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Severity {
    /// Blocks the build; `consentry lint` exits 1.
    Error,
    /// Worth fixing but does not block the build.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One lint rule as listed in the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The rule's code.
    pub code: Code,
    /// Kebab-case name, e.g. `missing-message`.
    pub name: &'static str,
    /// Default severity of its findings.
    pub severity: Severity,
    /// One-line explanation for people editing the files.
    pub summary: &'static str,
}

macro_rules! rules {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $name:literal, $sev:ident, $summary:literal; )*) => {
        /// A stable lint code. Families: `F` files and syntax, `N` notice.toml structure,
        /// `M` messages in `.ftl` files, `L` locale set. Codes are never renumbered.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        /// The rule registry: every code the linter can emit, in code order.
        pub const RULES: &[Rule] = &[
            $( Rule { code: Code::$variant, name: $name, severity: Severity::$sev, summary: $summary }, )*
        ];

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &[Code] = &[ $( Code::$variant, )* ];

            /// The code as printed: `M001`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $code, )*
                }
            }
        }
    };
}

rules! {
    /// `notice.toml` is not valid TOML.
    TomlSyntax = "F001", "toml-syntax", Error,
        "notice.toml is not valid TOML.";
    /// A `.ftl` file is not valid Fluent; the broken entry is skipped.
    FtlSyntax = "F002", "ftl-syntax", Error,
        "A locale file is not valid Fluent syntax; the broken entry is skipped.";
    /// A source file is not valid UTF-8.
    InvalidUtf8 = "F003", "invalid-utf8", Error,
        "A source file is not valid UTF-8 text; save it as UTF-8.";
    /// The directory has no `notice.toml`.
    MissingNoticeFile = "F004", "missing-notice-file", Error,
        "The locales directory has no notice.toml.";
    /// The directory has no `<tag>.ftl` file.
    NoLocaleFiles = "F005", "no-locale-files", Error,
        "The locales directory has no <language-tag>.ftl file.";
    /// A key that the notice format does not define (often a typo).
    UnknownKey = "N001", "unknown-key", Error,
        "notice.toml has a key that the notice format does not define (often a typo).";
    /// A required key is missing.
    MissingKey = "N002", "missing-key", Error,
        "A key that the notice format requires is missing from notice.toml.";
    /// A value has the wrong type or is outside its allowed set.
    InvalidValue = "N003", "invalid-value", Error,
        "A value in notice.toml has the wrong type or is not one of the allowed values.";
    /// Two purposes share an id.
    DuplicatePurpose = "N004", "duplicate-purpose", Error,
        "Two purposes in notice.toml have the same id.";
    /// A locale lacks a message the default locale has or notice.toml requires.
    MissingMessage = "M001", "missing-message", Error,
        "A locale lacks a message that the default locale has or that notice.toml requires.";
    /// A locale has a message the default locale does not have.
    ExtraMessage = "M002", "extra-message", Warning,
        "A locale has a message that the default locale does not have.";
    /// `purpose-<id>-…` for an id that notice.toml does not define.
    UnknownPurpose = "M003", "unknown-purpose", Error,
        "A purpose-<id>-… message names a purpose that notice.toml does not define.";
    /// A message without text.
    EmptyMessage = "M004", "empty-message", Error,
        "A message has no text.";
    /// `{ $x }` or `link-x` with no `[links]` entry `x`.
    UnknownLink = "M005", "unknown-link", Error,
        "A { $name } placeable or link-<name> label names a link that [links] does not define.";
    /// Fluent syntax the compiler does not support.
    UnsupportedSyntax = "M006", "unsupported-syntax", Error,
        "A message uses Fluent syntax the notice compiler does not support (selectors, functions, attributes, term arguments).";
    /// A reference to a message or term the file does not define.
    UnknownReference = "M007", "unknown-reference", Error,
        "A message refers to a message or term that the same file does not define.";
    /// A message or term defined twice in one file.
    DuplicateMessage = "M008", "duplicate-message", Error,
        "A message or term is defined twice in one file.";
    /// Messages or terms that refer to each other in a loop.
    ReferenceCycle = "M009", "reference-cycle", Error,
        "Messages or terms refer to each other in a loop.";
    /// A `.ftl` file whose name is not a canonical language tag.
    InvalidLocaleFileName = "L001", "invalid-locale-file-name", Error,
        "A .ftl file name is not <language-tag>.ftl in canonical case (en.ftl, zh-CN.ftl).";
    /// No `.ftl` file for the default locale.
    DefaultLocaleMissing = "L002", "default-locale-missing", Error,
        "There is no .ftl file for the default_locale named in notice.toml.";
}

impl Code {
    /// This code's registry entry.
    pub fn rule(self) -> &'static Rule {
        // RULES and Code are generated from one list by `rules!`, in the same order.
        &RULES[self as usize]
    }
    /// The rule name, e.g. `missing-message`.
    pub fn name(self) -> &'static str {
        self.rule().name
    }
    /// Finds a rule by code (`M001`) or name (`missing-message`), for `--explain`.
    pub fn lookup(s: &str) -> Option<Code> {
        RULES
            .iter()
            .find(|r| r.code.as_str().eq_ignore_ascii_case(s) || r.name == s)
            .map(|r| r.code)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in a file a finding is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Byte span in the file as read (a leading BOM included).
    pub span: Range<usize>,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable rule code.
    pub code: Code,
    /// Error or warning (the rule's default severity).
    pub severity: Severity,
    /// The file's path as given to the linter (or the directory, for directory-level findings).
    pub file: String,
    /// Position in the file; `None` when the problem is the file as a whole (a missing file, a
    /// file name).
    pub location: Option<Location>,
    /// What is wrong, in plain words.
    pub message: String,
    /// Extra help: where something is defined, how to fix it.
    pub note: Option<String>,
}

impl Diagnostic {
    /// A finding about a whole file or directory, without a position.
    pub fn file_level(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: code.rule().severity,
            file: file.into(),
            location: None,
            message: message.into(),
            note: None,
        }
    }

    /// A finding at byte span `span` of `text`, the content of `file`. Line and column are
    /// computed from `text`; a span past the end is clamped.
    pub fn at(
        code: Code,
        file: impl Into<String>,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = line_column(text, span.start);
        let mut d = Self::file_level(code, file, message);
        d.location = Some(Location { line, column, span });
        d
    }

    /// Adds a note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Line, if the finding has a position.
    pub fn line(&self) -> Option<usize> {
        self.location.as_ref().map(|l| l.line)
    }

    /// Column, if the finding has a position.
    pub fn column(&self) -> Option<usize> {
        self.location.as_ref().map(|l| l.column)
    }

    /// Whether this finding blocks a build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `locales/en.ftl:3:1: error[M004]: message …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(l) = &self.location {
            write!(f, ":{}:{}", l.line, l.column)?;
        }
        write!(f, ": {}[{}]: {}", self.severity, self.code, self.message)
    }
}

/// A file handed to the linter: its path as given (used verbatim in findings) and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Path as given, e.g. `locales/zh-CN.ftl`.
    pub path: String,
    /// Exact bytes.
    pub bytes: Vec<u8>,
}

impl SourceFile {
    /// A file from its path and bytes.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }

    /// The last path component (`zh-CN.ftl`), for `/` and `\` separators.
    pub fn file_name(&self) -> &str {
        self.path
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(self.path.as_str())
    }
}

/// Counts of errors and warnings.
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

#[cfg(test)]
mod tests;
