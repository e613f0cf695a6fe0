use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::json;

#[test]
fn registry_is_consistent() {
    assert_eq!(RULES.len(), Code::ALL.len());
    let mut codes = Vec::new();
    let mut names = Vec::new();
    for (i, rule) in RULES.iter().enumerate() {
        assert_eq!(
            rule.code,
            Code::ALL[i],
            "RULES and Code::ALL are in the same order"
        );
        assert_eq!(rule.code.rule(), rule);
        let code = rule.code.as_str();
        let b = code.as_bytes();
        assert!(
            b.len() == 4 && b"FNMLRDVPTK".contains(&b[0]) && b[1..].iter().all(u8::is_ascii_digit),
            "code {code} is a family letter and three digits"
        );
        assert!(
            crate::ids::PurposeId::parse(rule.name).is_ok(),
            "rule name {} is kebab-case",
            rule.name
        );
        assert!(rule.summary.ends_with('.') && rule.summary.len() > 20);
        assert_eq!(Code::lookup(code), Some(rule.code));
        assert_eq!(Code::lookup(rule.name), Some(rule.code));
        codes.push(code);
        names.push(rule.name);
    }
    let mut sorted = codes.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), codes.len(), "codes are unique");
    for pair in codes.windows(2) {
        if pair[0].as_bytes()[0] == pair[1].as_bytes()[0] {
            assert!(
                pair[0] < pair[1],
                "{} before {} within a family",
                pair[0],
                pair[1]
            );
        }
    }
    names.sort();
    names.dedup();
    assert_eq!(names.len(), RULES.len(), "names are unique");
    assert_eq!(Code::lookup("m001"), Some(Code::MissingMessage));
    assert_eq!(Code::lookup("Z999"), None);
}

#[test]
fn the_brief_codes_keep_their_numbers() {
    let expected = [
        ("F001", "toml-syntax"),
        ("F002", "ftl-syntax"),
        ("F003", "invalid-utf8"),
        ("F004", "missing-notice-file"),
        ("F005", "no-locale-files"),
        ("N001", "unknown-key"),
        ("N002", "missing-key"),
        ("N003", "invalid-value"),
        ("N004", "duplicate-purpose"),
        ("M001", "missing-message"),
        ("M002", "extra-message"),
        ("M003", "unknown-purpose"),
        ("M004", "empty-message"),
        ("M005", "unknown-link"),
        ("M006", "unsupported-syntax"),
        ("M007", "unknown-reference"),
        ("M008", "duplicate-message"),
        ("L001", "invalid-locale-file-name"),
        ("L002", "default-locale-missing"),
    ];
    for (code, name) in expected {
        let c = Code::lookup(code).unwrap();
        assert_eq!(c.name(), name);
    }
}

#[test]
fn line_column_ascii() {
    let t = "ab\ncd\n";
    assert_eq!(line_column(t, 0), (1, 1));
    assert_eq!(line_column(t, 1), (1, 2));
    assert_eq!(line_column(t, 2), (1, 3)); // the newline itself
    assert_eq!(line_column(t, 3), (2, 1));
    assert_eq!(line_column(t, 4), (2, 2));
    assert_eq!(line_column(t, 6), (3, 1)); // end of text after a final newline
    assert_eq!(line_column(t, 99), (3, 1)); // clamped
    assert_eq!(line_column("", 0), (1, 1));
}

#[test]
fn line_column_counts_characters_not_bytes() {
    // 数 and 据 are 3 bytes each, 😀 is 4, é is 2.
    let t = "x\n数据 = 😀é!";
    let bang = t.find('!').unwrap();
    assert_eq!(bang, 2 + 3 + 3 + 3 + 4 + 2);
    assert_eq!(line_column(t, bang), (2, 8));
    assert_eq!(line_column(t, t.find('😀').unwrap()), (2, 6));
    // An offset inside a character is moved back to its start.
    assert_eq!(line_column(t, 3), (2, 1));
    assert_eq!(line_column(t, 4), (2, 1));
    assert_eq!(line_column(t, 5), (2, 2));
}

#[test]
fn line_column_crlf() {
    let t = "a = 1\r\nbb = 2\r\n\r\nc";
    assert_eq!(line_column(t, t.find("bb").unwrap()), (2, 1));
    assert_eq!(line_column(t, t.find('2').unwrap()), (2, 6));
    assert_eq!(line_column(t, t.find('c').unwrap()), (4, 1));
    // The \r belongs to the line before its \n.
    assert_eq!(line_column(t, 5), (1, 6));
}

#[test]
fn line_column_ignores_a_leading_bom() {
    let t = "\u{feff}key = 值\nnext";
    assert_eq!(line_column(t, 0), (1, 1));
    assert_eq!(line_column(t, 3), (1, 1)); // 'k', right after the 3-byte BOM
    assert_eq!(line_column(t, t.find('值').unwrap()), (1, 7));
    assert_eq!(line_column(t, t.find("next").unwrap()), (2, 1));
    // Only a BOM at the very start is special.
    let mid = "a\u{feff}b";
    assert_eq!(line_column(mid, mid.find('b').unwrap()), (1, 3));
}

fn file(path: &str, text: &str) -> SourceFile {
    SourceFile::new(path, text.as_bytes())
}

#[test]
fn human_rendering_matches_rustc_layout() {
    let text = "a = 1\nbanner-title = 你好 { $x }\n";
    let at = text.find("$x").unwrap();
    let d = Diagnostic::at(
        Code::UnknownLink,
        "locales/zh-CN.ftl",
        text,
        at..at + 2,
        "`{ $x }` is not a link in notice.toml",
    )
    .with_note("[links] in notice.toml has: policy");
    assert_eq!((d.line(), d.column()), (Some(2), Some(21)));
    let out = render_human(&[d], &[file("locales/zh-CN.ftl", text)]);
    let expected = "\
error[M005]: `{ $x }` is not a link in notice.toml
 --> locales/zh-CN.ftl:2:21
  |
2 | banner-title = 你好 { $x }
  |                       ^^
  = note: [links] in notice.toml has: policy
";
    assert_eq!(out, expected);
}

#[test]
fn human_rendering_gutter_grows_with_the_line_number() {
    let mut text = String::new();
    for i in 0..11 {
        text.push_str(&alloc::format!("m{i} = x\n"));
    }
    text.push_str("\u{9}bad\n");
    let at = text.find("bad").unwrap();
    let d = Diagnostic::at(Code::FtlSyntax, "en.ftl", &text, at..at + 3, "broken");
    let out = render_human(&[d], &[file("en.ftl", &text)]);
    // The tab is shown as four spaces and the caret follows it.
    assert_eq!(
        out,
        "error[F002]: broken\n  --> en.ftl:12:2\n   |\n12 |     bad\n   |     ^^^\n"
    );
}

#[test]
fn human_rendering_hides_crlf_and_bom() {
    let text = "\u{feff}x = 1\r\ny = 2\r\n";
    let d1 = Diagnostic::at(Code::UnknownKey, "n.toml", text, 3..4, "first");
    let at = text.find('y').unwrap();
    let d2 = Diagnostic::at(Code::UnknownKey, "n.toml", text, at..at + 1, "second").with_note("n");
    let out = render_human(&[d1, d2], &[file("n.toml", text)]);
    assert_eq!(
        out,
        "error[N001]: first\n --> n.toml:1:1\n  |\n1 | x = 1\n  | ^\n\n\
         error[N001]: second\n --> n.toml:2:1\n  |\n2 | y = 2\n  | ^\n  = note: n\n"
    );
}

#[test]
fn human_rendering_without_position_or_source() {
    let d = Diagnostic::file_level(Code::MissingNoticeFile, "locales/notice.toml", "missing")
        .with_note("add it");
    assert_eq!(
        render_human(&[d], &[]),
        "error[F004]: missing\n --> locales/notice.toml\n  = note: add it\n"
    );
    // A positioned finding whose file text is not supplied still names the place.
    let w = Diagnostic::at(Code::ExtraMessage, "de.ftl", "a\nb", 2..3, "extra");
    assert_eq!(
        render_human(&[w], &[]),
        "warning[M002]: extra\n --> de.ftl:2:1\n"
    );
}

#[test]
fn span_running_past_the_line_is_cut_and_empty_span_gets_one_caret() {
    let text = "[controller]\nname = 1\n";
    let d = Diagnostic::at(Code::MissingKey, "n.toml", text, 0..text.len(), "m");
    let e = Diagnostic::at(Code::MissingKey, "n.toml", text, 5..5, "e");
    let out = render_human(&[d, e], &[file("n.toml", text)]);
    assert!(
        out.contains("1 | [controller]\n  | ^^^^^^^^^^^^\n"),
        "{out}"
    );
    assert!(out.contains("  |      ^\n"), "{out}");
}

#[test]
fn json_rendering() {
    let text = "é = x\n";
    let d = Diagnostic::at(Code::EmptyMessage, "en.ftl", text, 4..5, "say \"hi\"");
    let f = Diagnostic::file_level(Code::NoLocaleFiles, "locales", "none").with_note("add");
    let out = render_json(&[d, f]);
    let v = json::parse_str(&out).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 2);
    let a = &items[0];
    assert_eq!(a.get("code").unwrap().as_str(), Some("M004"));
    assert_eq!(a.get("rule").unwrap().as_str(), Some("empty-message"));
    assert_eq!(a.get("severity").unwrap().as_str(), Some("error"));
    assert_eq!(a.get("file").unwrap().as_str(), Some("en.ftl"));
    assert_eq!(a.get("line").unwrap().as_i64(), Some(1));
    assert_eq!(a.get("column").unwrap().as_i64(), Some(4));
    assert_eq!(a.get("message").unwrap().as_str(), Some("say \"hi\""));
    assert!(a.get("note").is_none());
    let b = &items[1];
    assert_eq!(b.get("line"), Some(&json::Value::Null));
    assert_eq!(b.get("column"), Some(&json::Value::Null));
    assert_eq!(b.get("note").unwrap().as_str(), Some("add"));
    assert_eq!(render_json(&[]), "[]");
}

#[test]
fn severity_comes_from_the_registry() {
    let w = Diagnostic::file_level(Code::ExtraMessage, "x", "m");
    assert_eq!(w.severity, Severity::Warning);
    assert!(!w.is_error());
    let e = Diagnostic::file_level(Code::MissingMessage, "x", "m");
    assert!(e.is_error());
    assert_eq!(count(&[w, e.clone(), e]), (2, 1));
    let d = Diagnostic::at(Code::MissingMessage, "a.ftl", "x\ny", 2..3, "msg");
    assert_eq!(alloc::format!("{d}"), "a.ftl:2:1: error[M001]: msg");
}

#[test]
fn file_name_of_a_source() {
    assert_eq!(
        SourceFile::new("locales/zh-CN.ftl", "").file_name(),
        "zh-CN.ftl"
    );
    assert_eq!(SourceFile::new("C:\\x\\en.ftl", "").file_name(), "en.ftl");
    assert_eq!(SourceFile::new("en.ftl", "").file_name(), "en.ftl");
}
