//! One `.ftl` file → an owned, position-carrying list of messages and terms.
//!
//! `fluent-syntax` gives an AST of string slices without positions; because every slice points
//! into the parsed text, its byte offset is recovered by pointer arithmetic (safe code) and
//! mapped back to the file. Only the constructs a static notice needs are kept: text, string
//! and number literals, message and term references and `{ $link }` variables. Everything else
//! (selectors, functions, attributes, term arguments) becomes an M006 diagnostic, never
//! silently dropped.

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::ops::Range;

use fluent_syntax::ast;
use fluent_syntax::parser;

use crate::diagnostics::{Code, Diagnostic, line_column};

/// A parsed `.ftl` file.
#[derive(Clone, Debug)]
pub(crate) struct FtlFile {
    /// Path as given.
    pub path: String,
    /// The whole file text (with its BOM, if any); spans index into it.
    pub text: String,
    /// Messages in file order (first definition of each id).
    pub messages: Vec<Entry>,
    /// Terms in file order (first definition of each id), ids without the leading `-`.
    pub terms: Vec<Entry>,
    /// Message id → position in `messages`, so that looking a message up is not linear.
    pub index: BTreeMap<String, usize>,
}

impl FtlFile {
    pub fn message(&self, id: &str) -> Option<&Entry> {
        self.index.get(id).map(|&i| &self.messages[i])
    }

    /// A diagnostic at `span` of this file.
    pub fn diag(&self, code: Code, span: Range<usize>, message: String) -> Diagnostic {
        Diagnostic::at(code, self.path.as_str(), &self.text, span, message)
    }

    /// `path:line:column` of a byte offset, for notes.
    pub fn place(&self, offset: usize) -> String {
        let (l, c) = line_column(&self.text, offset);
        format!("{}:{l}:{c}", self.path)
    }
}

/// A message or term definition.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub id: String,
    /// Span of the identifier (with the `-` of a term).
    pub span: Range<usize>,
    /// The value; `None` if the entry has no value (only attributes).
    pub pattern: Option<Vec<Piece>>,
    /// Whether reading the entry already produced a finding (so an empty result is not
    /// reported again as an empty message).
    pub had_error: bool,
}

/// One element of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Literal text.
    Text(String),
    /// `{ other-message }`.
    Message { id: String, span: Range<usize> },
    /// `{ -term }`.
    Term { id: String, span: Range<usize> },
    /// `{ $link-name }`.
    Var { name: String, span: Range<usize> },
}

/// Parses `bytes` as Fluent. Returns `None` (with an F003 diagnostic) if they are not UTF-8;
/// otherwise the file with every entry that parsed, and a diagnostic for every problem.
pub(crate) fn parse(path: &str, bytes: &[u8], diags: &mut Vec<Diagnostic>) -> Option<FtlFile> {
    let text = match core::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let valid = core::str::from_utf8(&bytes[..at]).unwrap_or_default();
            diags.push(
                Diagnostic::at(
                    Code::InvalidUtf8,
                    path,
                    valid,
                    at..at + e.error_len().unwrap_or(1),
                    format!("{path} is not valid UTF-8"),
                )
                .with_note("save the file with UTF-8 encoding"),
            );
            return None;
        }
    };
    let (base, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (3, rest),
        None => (0, text),
    };
    // fluent-syntax parses nested placeables recursively: refuse hostile nesting before it
    // can exhaust the stack.
    let (depth, at) = placeable_depth(body);
    if depth > MAX_PLACEABLE_DEPTH {
        diags.push(
            Diagnostic::at(
                Code::NestingTooDeep,
                path,
                text,
                at + base..at + base + 1,
                format!("placeables ({{ … }}) nested more than {MAX_PLACEABLE_DEPTH} levels deep"),
            )
            .with_note("the file is not parsed; a notice needs at most one or two levels"),
        );
        return None;
    }
    let parsed = sanitize(body);
    let resource = match parser::parse(parsed.as_ref()) {
        Ok(r) => (r, Vec::new()),
        Err((r, errors)) => (r, errors),
    };
    let mut cx = Cx {
        file: FtlFile {
            path: path.into(),
            text: text.into(),
            messages: Vec::new(),
            terms: Vec::new(),
            index: BTreeMap::new(),
        },
        parsed: parsed.as_ref(),
        body,
        base,
        diags,
    };
    let (resource, errors) = resource;
    let mut error_spans = Vec::new();
    for e in &errors {
        let span = e.pos.start + base..e.pos.end.max(e.pos.start) + base;
        error_spans.push(e.slice.clone().unwrap_or(e.pos.clone()));
        let message = match e.kind {
            // Its text would show the placeholder `sanitize` may have put in.
            parser::ErrorKind::InvalidUnicodeEscapeSequence(_) => {
                "Fluent syntax: invalid unicode escape sequence; \\u needs 4 hex digits, \\U 6"
                    .into()
            }
            // fluent-syntax 0.12 words this one as if it were about selectors.
            parser::ErrorKind::TermAttributeAsPlaceable => {
                "Fluent syntax: a term attribute (-term.attribute) cannot be placed in text".into()
            }
            ref kind => format!("Fluent syntax: {kind}"),
        };
        let d = cx.file.diag(Code::FtlSyntax, span, message);
        cx.diags
            .push(d.with_note("this entry is skipped until the syntax is fixed"));
    }
    let mut first_msg: BTreeMap<String, usize> = BTreeMap::new();
    let mut first_term: BTreeMap<String, usize> = BTreeMap::new();
    for entry in &resource.body {
        match entry {
            ast::Entry::Message(m) => {
                let e = cx.entry(&m.id, false, m.value.as_ref(), &m.attributes);
                cx.add(e, false, &mut first_msg);
            }
            ast::Entry::Term(t) => {
                let e = cx.entry(&t.id, true, Some(&t.value), &t.attributes);
                cx.add(e, true, &mut first_term);
            }
            ast::Entry::Junk { content } => {
                // The parser reports an error for every junk entry; cover the case where it
                // does not, so junk is never dropped silently.
                let start = cx.offset(content);
                let covered = error_spans
                    .iter()
                    .any(|s| s.start <= start && start < s.end.max(s.start + 1));
                if !covered {
                    let span = start + base..start + content.len() + base;
                    let d = cx.file.diag(
                        Code::FtlSyntax,
                        span,
                        "Fluent syntax: this text is not a message, term or comment".into(),
                    );
                    cx.diags.push(d);
                }
            }
            ast::Entry::Comment(_)
            | ast::Entry::GroupComment(_)
            | ast::Entry::ResourceComment(_) => {}
        }
    }
    Some(cx.file)
}

/// Deepest nesting of placeables accepted in a `.ftl` file.
pub(crate) const MAX_PLACEABLE_DEPTH: usize = 16;

/// An upper bound of the placeable nesting of Fluent text, and where the limit is first passed:
/// braces outside string literals (a string literal only exists inside a placeable and ends at
/// its closing quote or the line end). Linear, and never under-counts what the parser recurses
/// on.
fn placeable_depth(text: &str) -> (usize, usize) {
    let b = text.as_bytes();
    let (mut depth, mut max, mut at) = (0usize, 0usize, 0usize);
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' | b'\n' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                b'{' => {
                    depth += 1;
                    if depth > max {
                        max = depth;
                        // Point where the limit is first passed.
                        if max == MAX_PLACEABLE_DEPTH + 1 {
                            at = i;
                        }
                    }
                }
                b'}' => depth = depth.saturating_sub(1),
                b'"' if depth > 0 => in_string = true,
                _ => {}
            }
        }
        i += 1;
    }
    (max, at)
}

/// `fluent-syntax` 0.12 panics on an unfinished `\u`/`\U` escape directly followed by a
/// multi-byte character (it slices one byte past the escape). Replace such a character with
/// ASCII `?` bytes of the same length before parsing: offsets stay identical, the parser then
/// reports the bad escape as a syntax error, and all text is taken from the original anyway.
fn sanitize(body: &str) -> Cow<'_, str> {
    let b = body.as_bytes();
    let mut fixes = Vec::new();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'\\' && (b[i + 1] == b'u' || b[i + 1] == b'U') {
            let want = if b[i + 1] == b'u' { 4 } else { 6 };
            let mut j = i + 2;
            while j < b.len() && j < i + 2 + want && b[j].is_ascii_hexdigit() {
                j += 1;
            }
            if j < i + 2 + want && j < b.len() && b[j] >= 0x80 {
                let len = body[j..].chars().next().map_or(1, char::len_utf8);
                fixes.push(j..j + len);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    if fixes.is_empty() {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut last = 0;
    for f in fixes {
        out.push_str(&body[last..f.start]);
        out.extend(core::iter::repeat_n('?', f.len()));
        last = f.end;
    }
    out.push_str(&body[last..]);
    Cow::Owned(out)
}

struct Cx<'a, 'p> {
    file: FtlFile,
    /// The text given to the parser (same length as `body`).
    parsed: &'p str,
    /// The file text after the BOM.
    body: &'p str,
    /// Length of the BOM (0 or 3).
    base: usize,
    diags: &'a mut Vec<Diagnostic>,
}

type Pattern<'p> = ast::Pattern<&'p str>;

impl<'p> Cx<'_, 'p> {
    /// Byte offset in `parsed` (= in `body`) of a slice of it.
    fn offset(&self, s: &str) -> usize {
        let off = (s.as_ptr() as usize).wrapping_sub(self.parsed.as_ptr() as usize);
        if off <= self.parsed.len() { off } else { 0 }
    }

    /// File span of a slice of the parsed text.
    fn span(&self, s: &str) -> Range<usize> {
        let o = self.offset(s) + self.base;
        o..o + s.len()
    }

    /// The original text of a slice (identical unless `sanitize` replaced something in it).
    fn original(&self, s: &str) -> String {
        let o = self.offset(s);
        self.body.get(o..o + s.len()).unwrap_or(s).to_string()
    }

    fn unsupported(&mut self, span: Range<usize>, what: &str) {
        let d = self.file.diag(
            Code::UnsupportedSyntax,
            span,
            format!("{what} is not supported in notice text"),
        );
        self.diags.push(d.with_note(
            "write plain text; only { -term }, { message }, { $link } and { \"literal\" } placeables are allowed",
        ));
    }

    fn entry(
        &mut self,
        id: &ast::Identifier<&'p str>,
        term: bool,
        value: Option<&Pattern<'p>>,
        attributes: &[ast::Attribute<&'p str>],
    ) -> Entry {
        let mut span = self.span(id.name);
        if term && span.start > 0 {
            span.start -= 1;
        }
        let before = self.diags.len();
        for a in attributes {
            let s = self.span(a.id.name);
            self.unsupported(s, &format!("the attribute `.{}`", a.id.name));
        }
        let pattern = value.map(|p| self.pattern(p));
        Entry {
            id: id.name.to_string(),
            span,
            pattern,
            had_error: self.diags.len() > before,
        }
    }

    fn add(&mut self, e: Entry, term: bool, first: &mut BTreeMap<String, usize>) {
        let dash = if term { "-" } else { "" };
        if let Some(&at) = first.get(&e.id) {
            let note = format!("first defined at {}", self.file.place(at));
            let what = if term { "term" } else { "message" };
            let d = self.file.diag(
                Code::DuplicateMessage,
                e.span.clone(),
                format!("{what} `{dash}{}` is defined twice", e.id),
            );
            self.diags.push(d.with_note(note));
            return;
        }
        first.insert(e.id.clone(), e.span.start);
        if term {
            self.file.terms.push(e);
        } else {
            self.file
                .index
                .insert(e.id.clone(), self.file.messages.len());
            self.file.messages.push(e);
        }
    }

    fn pattern(&mut self, p: &Pattern<'p>) -> Vec<Piece> {
        let mut out = Vec::new();
        for el in &p.elements {
            match el {
                ast::PatternElement::TextElement { value } => {
                    out.push(Piece::Text(self.original(value)));
                }
                ast::PatternElement::Placeable { expression } => {
                    self.expression(expression, &mut out)
                }
            }
        }
        out
    }

    fn expression(&mut self, e: &ast::Expression<&'p str>, out: &mut Vec<Piece>) {
        match e {
            ast::Expression::Select { selector, .. } => {
                let span = self.anchor(selector);
                self.unsupported(span, "a selector (`{ $x -> … }`)");
            }
            ast::Expression::Inline(inline) => self.inline(inline, out),
        }
    }

    /// A span to point at for an inline expression.
    fn anchor(&self, e: &ast::InlineExpression<&'p str>) -> Range<usize> {
        use ast::InlineExpression as I;
        match e {
            I::StringLiteral { value } | I::NumberLiteral { value } => self.span(value),
            I::FunctionReference { id, .. }
            | I::MessageReference { id, .. }
            | I::TermReference { id, .. }
            | I::VariableReference { id } => self.span(id.name),
            I::Placeable { expression } => match expression.as_ref() {
                ast::Expression::Select { selector, .. } => self.anchor(selector),
                ast::Expression::Inline(i) => self.anchor(i),
            },
        }
    }

    fn inline(&mut self, e: &ast::InlineExpression<&'p str>, out: &mut Vec<Piece>) {
        use ast::InlineExpression as I;
        match e {
            I::StringLiteral { value } => match unescape(value) {
                Ok(s) => out.push(Piece::Text(s)),
                Err(bad) => {
                    let d = self.file.diag(
                        Code::FtlSyntax,
                        self.span(value),
                        format!("Fluent syntax: invalid escape `{bad}` in a string literal"),
                    );
                    self.diags.push(d);
                }
            },
            I::NumberLiteral { value } => out.push(Piece::Text(value.to_string())),
            I::FunctionReference { id, .. } => {
                let span = self.span(id.name);
                self.unsupported(span, &format!("the function `{}()`", id.name));
            }
            I::MessageReference { id, attribute } => match attribute {
                Some(a) => {
                    let span = self.span(a.name);
                    self.unsupported(
                        span,
                        &format!("the attribute reference `{}.{}`", id.name, a.name),
                    );
                }
                None => out.push(Piece::Message {
                    id: id.name.to_string(),
                    span: self.span(id.name),
                }),
            },
            I::TermReference {
                id,
                attribute,
                arguments,
            } => {
                let mut span = self.span(id.name);
                span.start = span.start.saturating_sub(1);
                if let Some(a) = attribute {
                    let s = self.span(a.name);
                    self.unsupported(s, &format!("the term attribute `-{}.{}`", id.name, a.name));
                } else if arguments.is_some() {
                    self.unsupported(span, &format!("arguments to the term `-{}`", id.name));
                } else {
                    out.push(Piece::Term {
                        id: id.name.to_string(),
                        span,
                    });
                }
            }
            I::VariableReference { id } => {
                let mut span = self.span(id.name);
                span.start = span.start.saturating_sub(1);
                out.push(Piece::Var {
                    name: id.name.to_string(),
                    span,
                });
            }
            I::Placeable { expression } => self.expression(expression, out),
        }
    }
}

/// Unescapes a Fluent string literal body (`\"`, `\\`, `\uXXXX`, `\UXXXXXX`). The parser has
/// checked the escape syntax; this refuses code points that are not characters (surrogates,
/// beyond U+10FFFF) and returns the offending escape.
fn unescape(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(c @ ('"' | '\\')) => out.push(c),
            Some(u @ ('u' | 'U')) => {
                let n = if u == 'u' { 4 } else { 6 };
                let hex: String = chars.by_ref().take(n).collect();
                let ch = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                match ch {
                    Some(ch) if hex.len() == n => out.push(ch),
                    _ => return Err(format!("\\{u}{hex}")),
                }
            }
            Some(other) => return Err(format!("\\{other}")),
            None => return Err("\\".into()),
        }
    }
    Ok(out)
}
