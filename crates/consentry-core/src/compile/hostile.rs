//! Hostile input: every case gives findings (never a panic, a hang or a silent pass), and the
//! injection inputs of issue 7 are flagged by the same rules that protect the real notice.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::tests::{NOTICE, ftl, ftl_with, run};
use super::*;
use crate::diagnostics::Code;

fn codes(c: &Compiled) -> Vec<Code> {
    let mut v: Vec<Code> = c.diagnostics.iter().map(|d| d.code).collect();
    v.dedup();
    v
}

fn with_notice(notice: &[u8]) -> Compiled {
    run(&[
        ("notice.toml", notice),
        ("en.ftl", ftl("English").as_bytes()),
    ])
}

fn with_en(en: &[u8]) -> Compiled {
    run(&[("notice.toml", NOTICE.as_bytes()), ("en.ftl", en)])
}

#[test]
fn invalid_utf8_anywhere() {
    let mut bad = NOTICE.as_bytes().to_vec();
    bad.extend_from_slice(b"x = \"\xC3\x28\"\n");
    assert_eq!(codes(&with_notice(&bad)), [Code::InvalidUtf8]);
    let mut bad = ftl("English").into_bytes();
    bad.extend_from_slice(b"x = \xF0\x90\x80\n");
    assert_eq!(codes(&with_en(&bad)), [Code::InvalidUtf8]);
    // Overlong encodings and lone continuation bytes too.
    for junk in [&b"\xC0\xAF"[..], b"\x80", b"\xED\xA0\x80", b"\xFF\xFE"] {
        let c = with_en(junk);
        assert!(codes(&c).contains(&Code::InvalidUtf8), "{junk:?}");
        assert!(c.build.is_none());
    }
}

#[test]
fn ten_megabyte_files_are_refused_unread() {
    let big = format!("{NOTICE}# {}\n", "x".repeat(10 * 1024 * 1024));
    let c = with_notice(big.as_bytes());
    assert_eq!(codes(&c), [Code::FileTooLarge]);
    let big = format!("{}# {}\n", ftl("English"), "y".repeat(10 * 1024 * 1024));
    let c = with_en(big.as_bytes());
    assert_eq!(codes(&c), [Code::FileTooLarge]);
    // A 10 MB single message is refused the same way.
    let big = format!("x = {}\n", "z".repeat(10 * 1024 * 1024));
    assert_eq!(codes(&with_en(big.as_bytes())), [Code::FileTooLarge]);
}

#[test]
fn ten_thousand_nested_tables_arrays_and_placeables() {
    let deep = 10_000;
    let parts: Vec<&str> = core::iter::repeat_n("a", deep).collect();
    let cases = [
        format!("[{}]\nx = 1\n", parts.join(".")),
        format!("x = {}1{}\n", "{ a = ".repeat(deep), " }".repeat(deep)),
        format!("x = {}1{}\n", "[".repeat(deep), "]".repeat(deep)),
        format!("x = {}\n", "[".repeat(deep)),
        format!("x = {}\n", "{a=".repeat(deep)),
    ];
    for text in &cases {
        let c = with_notice(text.as_bytes());
        assert_eq!(codes(&c), [Code::NestingTooDeep], "{}", &text[..40]);
    }
    // 10,000 dotted keys: the TOML parser's own recursion limit, reported as a syntax error.
    let c = with_notice(format!("{} = 1\n", parts.join(".")).as_bytes());
    assert_eq!(codes(&c), [Code::TomlSyntax]);
    // 10,000 table headers, each one level deeper (within the size limit: 3,000 of them
    // would be 9 MB, so the size rule answers first).
    let headers: String = (1..200)
        .map(|i| format!("[{}]\n", parts[..i].join(".")))
        .collect();
    assert_eq!(
        codes(&with_notice(headers.as_bytes())),
        [Code::NestingTooDeep]
    );
    // Fluent: nested placeables, closed or not.
    for text in [
        format!("m = {}\"x\"{}\n", "{ ".repeat(deep), " }".repeat(deep)),
        format!("m = {}\n", "{".repeat(deep)),
        format!("m = {}\n", "{ -t(a: ".repeat(deep)),
    ] {
        let c = with_en(text.as_bytes());
        assert_eq!(codes(&c), [Code::NestingTooDeep]);
        assert_eq!(c.diagnostics[0].line(), Some(1));
    }
    // Braces inside a string literal do not count.
    let ok = ftl_with(
        "English",
        "close",
        &format!("close = {{ \"{}\" }}", "{".repeat(40)),
    );
    assert!(!codes(&with_en(ok.as_bytes())).contains(&Code::NestingTooDeep));
}

#[test]
fn unterminated_strings_and_truncated_tables() {
    for text in [
        format!("{NOTICE}x = \"\"\"never closed\n\nmore = 1\n"),
        format!("{NOTICE}x = '''never closed\n"),
        format!("{NOTICE}x = \"no end\n"),
        format!("{NOTICE}[[purposes]\n"),
        format!("{NOTICE}x = {{ a = 1,\n"),
    ] {
        let c = with_notice(text.as_bytes());
        assert_eq!(codes(&c), [Code::TomlSyntax], "{text:?}");
        let d = &c.diagnostics[0];
        assert!(d.line().unwrap() > NOTICE.lines().count(), "{d:?}");
    }
    let c = with_en(format!("{}x = {{ \"never closed\n", ftl("English")).as_bytes());
    assert!(codes(&c).contains(&Code::FtlSyntax));
}

#[test]
fn bom_and_crlf_everywhere_are_fine() {
    let notice = format!("\u{feff}{}", NOTICE.replace('\n', "\r\n"));
    let en = format!("\u{feff}{}", ftl("English").replace('\n', "\r\n"));
    let c = run(&[
        ("notice.toml", notice.as_bytes()),
        ("en.ftl", en.as_bytes()),
    ]);
    assert_eq!(c.diagnostics, Vec::new());
    // A BOM in the middle of text is not silently accepted.
    let en = ftl_with("English", "close", "close = A\u{feff}B");
    assert_eq!(
        codes(&with_en(en.as_bytes())),
        [Code::HiddenCharacterInText]
    );
}

#[test]
fn hundred_kilobyte_strings() {
    let long = "L".repeat(100 * 1024);
    let c = with_notice(
        NOTICE
            .replace("name = \"C\"", &format!("name = \"{long}\""))
            .as_bytes(),
    );
    assert_eq!(codes(&c), [Code::ValueTooLong]);
    let c = with_en(ftl_with("English", "close", &format!("close = {long}")).as_bytes());
    assert_eq!(codes(&c), [Code::MessageTooLong]);
}

#[test]
fn injection_inputs_are_flagged() {
    // Locale text.
    for (text, code) in [
        ("<script>alert(1)</script>", Code::MarkupInText),
        ("<img src=x onerror=alert(1)>", Code::MarkupInText),
        ("<a href=\"javascript:alert(1)\">x</a>", Code::MarkupInText),
        ("&lt;b&gt;", Code::MarkupInText),
        ("evil\u{202E}txt.exe", Code::BidiControl),
        ("a\u{2066}b\u{2069}", Code::BidiControl),
        ("pay\u{200B}pal", Code::HiddenCharacterInText),
        ("a\u{2060}b", Code::HiddenCharacterInText),
    ] {
        let en = ftl_with("English", "close", &format!("close = {text}"));
        let c = with_en(en.as_bytes());
        assert_eq!(codes(&c), [code], "{text:?}");
        assert!(c.build.is_none());
    }
    // notice.toml values and links.
    for (from, to, code) in [
        (
            "name = \"C\"",
            "name = \"<script>alert(1)</script>\"",
            Code::MarkupInValue,
        ),
        (
            "name = \"C\"",
            "name = \"C<img src=x onerror=alert(1)>\"",
            Code::MarkupInValue,
        ),
        (
            "name = \"C\"",
            "name = \"C\u{202E}\"",
            Code::HiddenCharacterInValue,
        ),
        (
            "name = \"C\"",
            "name = \"C\u{200D}\"",
            Code::HiddenCharacterInValue,
        ),
        (
            "\"https://example.com/p\"",
            "\"javascript:alert(1)\"",
            Code::InsecureLink,
        ),
        (
            "\"https://example.com/p\"",
            "\"JavaScript:alert(1)\"",
            Code::InsecureLink,
        ),
        (
            "\"https://example.com/p\"",
            "\"data:text/plain;base64,SGk=\"",
            Code::InsecureLink,
        ),
        (
            "\"https://example.com/p\"",
            "\"http://example.com/p\"",
            Code::InsecureLink,
        ),
        (
            "\"https://example.com/p\"",
            "\"https://example.com/\\\"onmouseover=\"",
            Code::MalformedLink,
        ),
    ] {
        let c = with_notice(NOTICE.replacen(from, to, 1).as_bytes());
        assert_eq!(codes(&c), [code], "{to}");
    }
}

/// Crashes found by `cargo xtask fuzz`, kept as regression tests.
mod fuzz_regressions {
    use super::*;
    use crate::diagnostics::{SourceFile, render_human};

    /// notice_toml: invalid UTF-8 on a line longer than the renderer shows whole, starting
    /// with continuation bytes; the window moved past the caret and the subtraction
    /// overflowed (render.rs `window`).
    #[test]
    fn long_invalid_line_renders() {
        let bytes = include_bytes!("regressions/notice-toml-render-window.bin");
        let c = with_notice(bytes);
        assert_eq!(codes(&c), [Code::InvalidUtf8]);
        let files = [SourceFile::new("loc/notice.toml", &bytes[..])];
        let text = render_human(&c.diagnostics, &files);
        assert!(text.contains("error[F003]"), "{text}");
        // The same shape, built by hand: 300 continuation bytes on one line.
        let mut b = b"x = 1\n".to_vec();
        b.extend(core::iter::repeat_n(0x9E, 300));
        b.push(b'\n');
        let c = with_notice(&b);
        let files = [SourceFile::new("loc/notice.toml", b.clone())];
        let text = render_human(&c.diagnostics, &files);
        assert!(text.contains("--> loc/notice.toml:2:1"), "{text}");
    }

    /// ftl_compile: a message whose text, once the placeables are cut out, is only
    /// whitespace between two sentence ends; trimming made a range whose start passed its
    /// end and slicing it panicked (meaning/text.rs `push_sentence`).
    #[test]
    fn whitespace_only_sentence_is_not_sliced_backwards() {
        let bytes = b"m = { -t } { $privacy-policyAx ->\n   *[a] A\n}\nbad = { NUMBER(1) }\nattr =\n    .a = b\n";
        let files = [
            SourceFile::new("locales/notice.toml", NOTICE.as_bytes()),
            SourceFile::new("locales/en.ftl", &bytes[..]),
            SourceFile::new("locales/ar.ftl", &bytes[..]),
        ];
        let c = compile("locales", &files, &CompileOptions::default());
        assert!(c.has_errors());
        assert!(c.build.is_none());
        let text = render_human(&c.diagnostics, &files);
        assert!(text.contains("locales/en.ftl"), "{text}");
        for s in ["", " ", "a. ", ". . ", "  \n ", "? ?", "。 。"] {
            let r = meaning::text::units(s);
            assert!(
                r.iter().all(|r| r.start <= r.end && r.end <= s.len()),
                "{s:?}"
            );
        }
    }

    /// manifest: a compiled locale file whose messages are not in id order was read in file
    /// order, written back sorted, and read as a different bundle. The reader now sorts.
    #[test]
    fn bundle_with_unsorted_messages_round_trips() {
        use crate::bundle::LocaleBundle;
        let bytes = include_bytes!("regressions/manifest-message-order.json");
        let b = LocaleBundle::from_json(bytes).unwrap();
        assert!(b.messages.windows(2).all(|w| w[0].0 < w[1].0));
        let again = LocaleBundle::from_json(b.to_json().as_bytes()).unwrap();
        assert_eq!(again, b);
    }
}

#[test]
fn one_huge_message_of_sentences_clauses_numbers_and_buttons() {
    // One message of many short sentences, each with clauses, a number, a condition and a
    // promise, in two languages; and choice buttons repeating a negated accept verb. Every
    // check looks at each sentence, clause and phrase a bounded number of times (anchors and
    // phrases are placed by binary search), so this ends, with findings and no panic.
    // Each file stays under the 1 MiB a locale file may have.
    let n = 7_000;
    let en_text = "If you say no, we keep 3 days, but not at any time. ".repeat(n);
    let es_text = "Si no acepta, guardamos 3 días, pero no en cualquier momento. ".repeat(n);
    let refuse_en = "do not accept, ".repeat(n);
    let refuse_es = "no acepto, ".repeat(n);
    let en = ftl_with("English", "close", &format!("close = {en_text}")).replace(
        "reject-all = English reject-all",
        &format!("reject-all = {refuse_en}"),
    );
    let es = ftl_with("Español", "close", &format!("close = {es_text}")).replace(
        "reject-all = Español reject-all",
        &format!("reject-all = {refuse_es}"),
    );
    let c = run(&[
        ("notice.toml", NOTICE.as_bytes()),
        ("en.ftl", en.as_bytes()),
        ("es.ftl", es.as_bytes()),
    ]);
    let found = codes(&c);
    assert!(found.contains(&Code::MessageTooLong), "{found:?}");
    assert!(found.contains(&Code::UnequalChoiceLabels), "{found:?}");
    assert!(c.build.is_none());
}
