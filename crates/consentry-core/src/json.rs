//! A small, strict JSON reader and an RFC 8785 (JCS) canonical writer.
//!
//! Why our own: receipts are signed over exact bytes, so the verifier must see every byte the
//! signer wrote and reject anything ambiguous. `serde_json::Value` silently keeps the last of
//! two duplicate keys, accepts floats whose canonical form differs between implementations and
//! has no depth limit; this reader rejects all three. It is also tiny, which matters inside the
//! widget's wasm, where the same code reads the compiled locale files.
//!
//! The accepted language is I-JSON (RFC 7493) restricted to integers: numbers must be integers
//! within ±(2^53 − 1), strings must be valid Unicode (no lone surrogates), object keys must be
//! unique, nesting is limited to [`MAX_DEPTH`] and a byte-order mark is refused.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Object size from which native builds index the keys to find duplicates.
#[cfg(not(target_arch = "wasm32"))]
const INDEXED_FROM: usize = 32;

/// The keys of the object being read, to refuse a duplicate. A scan while the object is small;
/// natively, past [`INDEXED_FROM`] keys, an ordered index, so a hostile body of thousands of
/// keys costs n log n, not n² (8,187 keys in 69 KB: 34 ms scanned, 2 ms indexed, release
/// build). The widget's wasm keeps the scan alone: it parses only its own server's and
/// notice's JSON, and the index would add about 1 KB to each module.
#[derive(Default)]
struct Keys {
    #[cfg(not(target_arch = "wasm32"))]
    index: Option<alloc::collections::BTreeSet<String>>,
}

impl Keys {
    /// Whether `key` is among the keys of `members` (the members read so far); remembers it.
    fn seen(&mut self, members: &[(String, Value)], key: &str) -> bool {
        #[cfg(not(target_arch = "wasm32"))]
        {
            if let Some(index) = &mut self.index {
                return !index.insert(key.into());
            }
            let found = members.iter().any(|(k, _)| k == key);
            if !found && members.len() + 1 >= INDEXED_FROM {
                self.index = Some(
                    members
                        .iter()
                        .map(|(k, _)| k.clone())
                        .chain([key.into()])
                        .collect(),
                );
            }
            found
        }
        #[cfg(target_arch = "wasm32")]
        members.iter().any(|(k, _)| k == key)
    }
}

/// Deepest nesting of arrays and objects the reader accepts.
pub const MAX_DEPTH: usize = 64;

/// Largest integer magnitude that survives a round trip through an IEEE double (2^53 − 1).
pub const MAX_SAFE_INT: i64 = 9_007_199_254_740_991;

/// A JSON value. Objects keep their members in document order; the canonical writer sorts them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer within ±[`MAX_SAFE_INT`].
    Int(i64),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Value>),
    /// An object, members in document order, keys unique.
    Obj(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Obj(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    /// The integer, if this is an integer.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
    /// The boolean, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Arr(a) => Some(a),
            _ => None,
        }
    }
    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Obj(m) => Some(m),
            _ => None,
        }
    }
    /// A short name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Str(_) => "string",
            Value::Arr(_) => "array",
            Value::Obj(_) => "object",
        }
    }
    /// Builds an object from `(key, value)` pairs.
    pub fn object<K: Into<String>>(members: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Obj(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
    /// A string value.
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }
}

/// Why a document was not accepted. `offset` is the byte offset where reading stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// What went wrong.
    pub kind: JsonErrorKind,
    /// Byte offset into the input.
    pub offset: usize,
}

/// The kinds of [`JsonError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonErrorKind {
    /// The input is not valid UTF-8.
    InvalidUtf8,
    /// The input starts with a byte-order mark.
    ByteOrderMark,
    /// The input ended inside a value.
    UnexpectedEnd,
    /// A character that cannot start or continue a value here.
    UnexpectedChar,
    /// Content after the top-level value.
    TrailingContent,
    /// A number with a fraction or an exponent.
    NonInteger,
    /// An integer outside ±(2^53 − 1), or with a leading zero or minus zero.
    BadInteger,
    /// A control character inside a string.
    ControlCharInString,
    /// An unknown escape sequence or a malformed `\u` escape.
    BadEscape,
    /// A `\u` escape that encodes a lone surrogate.
    LoneSurrogate,
    /// An object has the same key twice.
    DuplicateKey,
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            JsonErrorKind::InvalidUtf8 => "invalid UTF-8",
            JsonErrorKind::ByteOrderMark => "byte-order mark before the JSON text",
            JsonErrorKind::UnexpectedEnd => "unexpected end of input",
            JsonErrorKind::UnexpectedChar => "unexpected character",
            JsonErrorKind::TrailingContent => "content after the JSON value",
            JsonErrorKind::NonInteger => {
                "number with a fraction or exponent (only integers are allowed)"
            }
            JsonErrorKind::BadInteger => "integer out of range or badly formed",
            JsonErrorKind::ControlCharInString => "unescaped control character in a string",
            JsonErrorKind::BadEscape => "invalid escape sequence",
            JsonErrorKind::LoneSurrogate => "escape encodes a lone surrogate",
            JsonErrorKind::DuplicateKey => "duplicate object key",
            JsonErrorKind::TooDeep => "nesting too deep",
        };
        let mut at = String::from(" at byte ");
        push_int(&mut at, i64::try_from(self.offset).unwrap_or(i64::MAX));
        f.write_str(what)?;
        f.write_str(&at)
    }
}

impl core::error::Error for JsonError {}

/// Parses one JSON document from bytes (strict; see the module docs).
pub fn parse(input: &[u8]) -> Result<Value, JsonError> {
    if input.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(JsonError {
            kind: JsonErrorKind::ByteOrderMark,
            offset: 0,
        });
    }
    let text = core::str::from_utf8(input).map_err(|e| JsonError {
        kind: JsonErrorKind::InvalidUtf8,
        offset: e.valid_up_to(),
    })?;
    parse_str(text)
}

/// Parses one JSON document from a string (strict; see the module docs).
pub fn parse_str(text: &str) -> Result<Value, JsonError> {
    if text.starts_with('\u{FEFF}') {
        return Err(JsonError {
            kind: JsonErrorKind::ByteOrderMark,
            offset: 0,
        });
    }
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 0,
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.pos != p.s.len() {
        return Err(p.err(JsonErrorKind::TrailingContent));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn err(&self, kind: JsonErrorKind) -> JsonError {
        JsonError {
            kind,
            offset: self.pos,
        }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }
    fn expect_lit(&mut self, lit: &[u8], v: Value) -> Result<Value, JsonError> {
        if self.s[self.pos..].starts_with(lit) {
            self.pos += lit.len();
            Ok(v)
        } else if self.s.len() - self.pos < lit.len() && lit.starts_with(&self.s[self.pos..]) {
            self.pos = self.s.len();
            Err(self.err(JsonErrorKind::UnexpectedEnd))
        } else {
            Err(self.err(JsonErrorKind::UnexpectedChar))
        }
    }
    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        match self.peek() {
            None => Err(self.err(JsonErrorKind::UnexpectedEnd)),
            Some(b'n') => self.expect_lit(b"null", Value::Null),
            Some(b't') => self.expect_lit(b"true", Value::Bool(true)),
            Some(b'f') => self.expect_lit(b"false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::Str),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => {
                if depth >= MAX_DEPTH {
                    return Err(self.err(JsonErrorKind::TooDeep));
                }
                self.pos += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(Value::Arr(items));
                }
                loop {
                    self.ws();
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Value::Arr(items));
                        }
                        None => return Err(self.err(JsonErrorKind::UnexpectedEnd)),
                        _ => return Err(self.err(JsonErrorKind::UnexpectedChar)),
                    }
                }
            }
            Some(b'{') => {
                if depth >= MAX_DEPTH {
                    return Err(self.err(JsonErrorKind::TooDeep));
                }
                self.pos += 1;
                let mut members: Vec<(String, Value)> = Vec::new();
                let mut keys = Keys::default();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Ok(Value::Obj(members));
                }
                loop {
                    self.ws();
                    let key_at = self.pos;
                    match self.peek() {
                        Some(b'"') => {}
                        None => return Err(self.err(JsonErrorKind::UnexpectedEnd)),
                        _ => return Err(self.err(JsonErrorKind::UnexpectedChar)),
                    }
                    let key = self.string()?;
                    let duplicate = keys.seen(&members, &key);
                    if duplicate {
                        return Err(JsonError {
                            kind: JsonErrorKind::DuplicateKey,
                            offset: key_at,
                        });
                    }
                    self.ws();
                    match self.peek() {
                        Some(b':') => self.pos += 1,
                        None => return Err(self.err(JsonErrorKind::UnexpectedEnd)),
                        _ => return Err(self.err(JsonErrorKind::UnexpectedChar)),
                    }
                    self.ws();
                    let v = self.value(depth + 1)?;
                    members.push((key, v));
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(Value::Obj(members));
                        }
                        None => return Err(self.err(JsonErrorKind::UnexpectedEnd)),
                        _ => return Err(self.err(JsonErrorKind::UnexpectedChar)),
                    }
                }
            }
            Some(_) => Err(self.err(JsonErrorKind::UnexpectedChar)),
        }
    }
    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        let neg = self.peek() == Some(b'-');
        if neg {
            self.pos += 1;
        }
        let digits_start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        let digits = &self.s[digits_start..self.pos];
        if digits.is_empty() {
            return Err(if self.peek().is_none() {
                self.err(JsonErrorKind::UnexpectedEnd)
            } else {
                self.err(JsonErrorKind::UnexpectedChar)
            });
        }
        if let Some(b'.' | b'e' | b'E') = self.peek() {
            return Err(JsonError {
                kind: JsonErrorKind::NonInteger,
                offset: start,
            });
        }
        let bad = JsonError {
            kind: JsonErrorKind::BadInteger,
            offset: start,
        };
        if digits.len() > 1 && digits[0] == b'0' {
            return Err(bad);
        }
        if digits.len() > 16 {
            return Err(bad);
        }
        let mut n: i64 = 0;
        for d in digits {
            n = n * 10 + i64::from(d - b'0');
        }
        if n > MAX_SAFE_INT || (neg && n == 0) {
            return Err(bad);
        }
        Ok(Value::Int(if neg { -n } else { n }))
    }
    fn hex4(&mut self) -> Result<u32, JsonError> {
        if self.s.len() - self.pos < 4 {
            self.pos = self.s.len();
            return Err(self.err(JsonErrorKind::UnexpectedEnd));
        }
        let mut v = 0u32;
        for i in 0..4 {
            let c = self.s[self.pos + i];
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => {
                    self.pos += i;
                    return Err(self.err(JsonErrorKind::BadEscape));
                }
            };
            v = v * 16 + u32::from(d);
        }
        self.pos += 4;
        Ok(v)
    }
    fn string(&mut self) -> Result<String, JsonError> {
        // Caller guarantees the opening quote.
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(c) = self.peek() {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The input is valid UTF-8 and we only stop on ASCII bytes, so this slice is too.
            out.push_str(core::str::from_utf8(&self.s[run_start..self.pos]).unwrap_or_default());
            match self.peek() {
                None => return Err(self.err(JsonErrorKind::UnexpectedEnd)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let esc_at = self.pos;
                    self.pos += 1;
                    let Some(e) = self.peek() else {
                        return Err(self.err(JsonErrorKind::UnexpectedEnd));
                    };
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                let lone = JsonError {
                                    kind: JsonErrorKind::LoneSurrogate,
                                    offset: esc_at,
                                };
                                if !self.s[self.pos..].starts_with(b"\\u") {
                                    return Err(lone);
                                }
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(lone);
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else if (0xDC00..0xE000).contains(&hi) {
                                return Err(JsonError {
                                    kind: JsonErrorKind::LoneSurrogate,
                                    offset: esc_at,
                                });
                            } else {
                                hi
                            };
                            match char::from_u32(cp) {
                                Some(c) => out.push(c),
                                None => {
                                    return Err(JsonError {
                                        kind: JsonErrorKind::BadEscape,
                                        offset: esc_at,
                                    });
                                }
                            }
                        }
                        _ => {
                            return Err(JsonError {
                                kind: JsonErrorKind::BadEscape,
                                offset: esc_at,
                            });
                        }
                    }
                }
                Some(_) => return Err(self.err(JsonErrorKind::ControlCharInString)),
            }
        }
    }
}

/// Writes `v` in RFC 8785 canonical form: no whitespace, object members sorted by the UTF-16
/// code units of their keys, strings with the minimal escapes, integers in plain decimal.
pub fn to_canonical_string(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

/// Appends the canonical form of `v` to `out` (see [`to_canonical_string`]).
pub fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Int(i) => push_int(out, *i),
        Value::Str(s) => write_string(s, out),
        Value::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Obj(members) => {
            let mut sorted: Vec<&(String, Value)> = members.iter().collect();
            sorted.sort_by(|a, b| cmp_utf16(&a.0, &b.0));
            out.push('{');
            for (i, (k, val)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_canonical(val, out);
            }
            out.push('}');
        }
    }
}

/// Compares two strings by their UTF-16 code units, as RFC 8785 §3.2.3 orders object keys.
pub fn cmp_utf16(a: &str, b: &str) -> core::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Appends a decimal integer without going through `core::fmt` (keeps the wasm small).
pub fn push_int(out: &mut String, i: i64) {
    if i < 0 {
        out.push('-');
    }
    let mut n = i.unsigned_abs();
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[at..] {
        out.push(char::from(b));
    }
}

/// Appends `s` as a JSON string literal with RFC 8785 escaping.
pub fn write_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let n = c as u32;
                out.push_str("\\u00");
                out.push(char::from(HEX[(n >> 4) as usize]));
                out.push(char::from(HEX[(n & 0xF) as usize]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn err(s: &str) -> JsonErrorKind {
        parse_str(s).unwrap_err().kind
    }

    #[test]
    fn parses_and_canonicalises() {
        let v = parse_str(r#" { "b" : [1, -2, true, null], "a": "x\u00e9\n" } "#).unwrap();
        assert_eq!(
            to_canonical_string(&v),
            "{\"a\":\"xé\\n\",\"b\":[1,-2,true,null]}"
        );
    }

    #[test]
    fn sorts_keys_by_utf16_code_units() {
        // RFC 8785 §3.2.3 example: U+10000 (surrogates D800 DC00) sorts before U+E000 in UTF-16,
        // although its UTF-8 bytes sort after.
        let v = Value::object([
            ("\u{e000}", Value::Int(1)),
            ("\u{10000}", Value::Int(2)),
            ("a", Value::Int(3)),
        ]);
        assert_eq!(
            to_canonical_string(&v),
            "{\"a\":3,\"\u{10000}\":2,\"\u{e000}\":1}"
        );
    }

    #[test]
    fn rfc8785_string_escapes() {
        let s = "\u{7f}\u{1f}\u{0}/\"\\\u{2028}€";
        let mut out = String::new();
        write_string(s, &mut out);
        assert_eq!(out, "\"\u{7f}\\u001f\\u0000/\\\"\\\\\u{2028}€\"");
    }

    #[test]
    fn rejects_ambiguous_input() {
        assert_eq!(err(r#"{"a":1,"a":2}"#), JsonErrorKind::DuplicateKey);
        // Large objects: a duplicate of an early key, of a key indexed late, and none.
        let big = |dup: Option<usize>| {
            let mut t = String::from("{");
            for i in 0..5000 {
                t.push_str(&alloc::format!("\"k{i}\":{i},"));
            }
            if let Some(d) = dup {
                t.push_str(&alloc::format!("\"k{d}\":0,"));
            }
            t.push_str("\"end\":0}");
            t
        };
        for d in [0, 31, 32, 4999] {
            let text = big(Some(d));
            let Err(e) = parse(text.as_bytes()) else {
                panic!("k{d}: a duplicate key was accepted");
            };
            assert_eq!(e.kind, JsonErrorKind::DuplicateKey, "k{d}");
            assert_eq!(
                e.offset,
                text.rfind(&alloc::format!("\"k{d}\"")).unwrap(),
                "k{d}"
            );
        }
        assert!(parse(big(None).as_bytes()).is_ok());
        assert_eq!(err("1.5"), JsonErrorKind::NonInteger);
        assert_eq!(err("1e3"), JsonErrorKind::NonInteger);
        assert_eq!(err("01"), JsonErrorKind::BadInteger);
        assert_eq!(err("-0"), JsonErrorKind::BadInteger);
        assert_eq!(err("9007199254740992"), JsonErrorKind::BadInteger);
        assert_eq!(
            parse_str("-9007199254740991").unwrap(),
            Value::Int(-MAX_SAFE_INT)
        );
        assert_eq!(err(r#""\ud800""#), JsonErrorKind::LoneSurrogate);
        assert_eq!(err(r#""\udc00""#), JsonErrorKind::LoneSurrogate);
        assert_eq!(err("\"a\u{1}\""), JsonErrorKind::ControlCharInString);
        assert_eq!(err(r#""\x""#), JsonErrorKind::BadEscape);
        assert_eq!(err("{} x"), JsonErrorKind::TrailingContent);
        assert_eq!(err("\u{feff}{}"), JsonErrorKind::ByteOrderMark);
        assert_eq!(
            parse(b"\"\xff\"").unwrap_err().kind,
            JsonErrorKind::InvalidUtf8
        );
        assert_eq!(err("[1,"), JsonErrorKind::UnexpectedEnd);
        assert_eq!(err("tru"), JsonErrorKind::UnexpectedEnd);
        assert_eq!(err("[1,]"), JsonErrorKind::UnexpectedChar);
        assert_eq!(err("{\"a\" 1}"), JsonErrorKind::UnexpectedChar);
    }

    #[test]
    fn surrogate_pairs_decode() {
        assert_eq!(parse_str(r#""\ud83d\ude00""#).unwrap(), Value::str("😀"));
    }

    #[test]
    fn depth_is_limited_without_recursion_blowup() {
        let deep = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse_str(&deep).is_ok());
        let too_deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(err(&too_deep), JsonErrorKind::TooDeep);
        let hostile = "[".repeat(100_000);
        assert_eq!(err(&hostile), JsonErrorKind::TooDeep);
    }

    #[test]
    fn canonical_round_trip_is_identity() {
        let src = r#"{"z":{"y":[{"b":1,"a":"\u0007"}]},"a":-12}"#;
        let once = to_canonical_string(&parse_str(src).unwrap());
        let twice = to_canonical_string(&parse_str(&once).unwrap());
        assert_eq!(once, twice);
        assert_eq!(
            once,
            "{\"a\":-12,\"z\":{\"y\":[{\"a\":\"\\u0007\",\"b\":1}]}}"
        );
    }

    #[test]
    fn push_int_matches_display() {
        for i in [
            0,
            1,
            -1,
            42,
            -42,
            MAX_SAFE_INT,
            -MAX_SAFE_INT,
            i64::MIN,
            i64::MAX,
        ] {
            let mut s = String::new();
            push_int(&mut s, i);
            assert_eq!(s, i.to_string());
        }
    }
}
