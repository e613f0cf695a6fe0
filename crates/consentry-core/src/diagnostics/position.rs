//! Byte offsets to line and column.

use core::ops::Range;

const BOM: char = '\u{feff}';

/// The 1-based line and 1-based character column of byte `offset` in `text`.
///
/// Lines end at `\n` (so `\r\n` is one break and the `\r` belongs to the line before it).
/// Columns count Unicode scalar values, not bytes. A byte-order mark at the very start is not
/// counted. An offset past the end is clamped to the end; an offset inside a multi-byte
/// character is moved back to that character's start.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = 1 + before.bytes().filter(|&b| b == b'\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let mut column = 1 + before[line_start..].chars().count();
    if line_start == 0 && before.starts_with(BOM) {
        column -= 1;
    }
    (line, column)
}

/// Byte range of line `line` (1-based) in `bytes`, without its `\n` or `\r\n` ending, and
/// without a leading BOM on line 1. `None` if the text has fewer lines.
pub(crate) fn line_range(bytes: &[u8], line: usize) -> Option<Range<usize>> {
    let mut start = 0;
    for _ in 1..line {
        start += bytes.get(start..)?.iter().position(|&b| b == b'\n')? + 1;
    }
    let rest = bytes.get(start..)?;
    let mut end = start + rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    if end > start && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    if start == 0 && bytes.starts_with("\u{feff}".as_bytes()) {
        start = 3.min(end);
    }
    Some(start..end)
}
