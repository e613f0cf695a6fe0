//! Lint benchmark: `consentry lint` on a generated notice of 50 locales × 30 purposes.
//!
//! The input is generated here (a complete, lint-clean notice: every purpose with its data
//! category, every locale with every message, right-to-left and CJK locales written in their
//! scripts), so the run measures the whole pipeline (read, parse, resolve, every rule) rather
//! than an early error. The release `consentry` binary is timed end to end, as compliance staff
//! and CI run it, several times; the Markdown table goes into BENCHMARKS.md. Target: under one
//! second. This is a measurement, not a test: nothing fails on time.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use consentry_core::bundle::UI_MESSAGES;
use consentry_core::notice::Right;
use consentry_core::regime::Regime;

use crate::util::{self, cargo, sh, step};

const LOCALES: usize = 50;
const PURPOSES: usize = 30;
const RUNS: usize = 7;

/// Fifty language tags; the first is the default.
const TAGS: [&str; LOCALES] = [
    "en", "ar", "bg", "bn", "ca", "cs", "cy", "da", "de", "el", "es", "et", "eu", "fa", "fi", "fr",
    "ga", "gl", "he", "hi", "hr", "hu", "hy", "id", "is", "it", "ja", "ka", "kk", "ko", "lt", "lv",
    "mt", "ms", "nl", "nb", "pl", "pt-BR", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "sw", "th",
    "tr", "uk", "zh-CN",
];

/// A word in the locale's own script where the linter checks the script.
fn native_word(tag: &str) -> &'static str {
    match tag {
        "ar" | "fa" => "نص",
        "he" => "טקסט",
        "ja" | "zh-CN" => "文本",
        "ko" => "텍스트",
        _ => "text",
    }
}

/// Scripts whose locales must translate the facts (L006): every fact gets a facts file entry.
fn needs_facts(tag: &str) -> bool {
    native_word(tag) != "text"
}

/// How a purpose description in this language says it happens only with consent (D008): one
/// phrase of the linter's lexicon where it has the language, else the English one.
fn consent_condition(tag: &str) -> &'static str {
    match tag.split('-').next().unwrap_or(tag) {
        "es" => "Si acepta,",
        "fr" => "Si vous acceptez,",
        "pt" => "Se você concordar,",
        "zh" => "经您同意，",
        "ar" => "إذا وافقت،",
        "de" => "Wenn Sie zustimmen,",
        "it" => "Se acconsenti,",
        "ja" => "同意された場合、",
        "ko" => "동의하시면",
        _ => "If you agree,",
    }
}

/// Every human-readable fact of the generated notice (what a facts file translates).
fn facts() -> Vec<String> {
    let mut f: Vec<String> = [
        "Bench Networks Ltd.",
        "Bench Networks, President",
        "1 Example Road",
        "DPO",
        "Representative",
        "2 Example Road",
    ]
    .map(String::from)
    .to_vec();
    f.extend((1..=PURPOSES).map(|i| format!("Processor {i} Ltd.")));
    f
}

fn facts_file(tag: &str) -> String {
    let word = native_word(tag);
    let mut s = String::new();
    // The native word, then the fact in brackets (as registered names are written), so every
    // number of the fact is kept (L007).
    for fact in facts() {
        let _ = writeln!(s, "{fact:?} = \"{word} ({fact})\"");
    }
    s
}

fn notice() -> String {
    let mut s = String::from(
        "notice_id = \"bench\"\nversion = \"1\"\ndefault_locale = \"en\"\npolicy_link = \"policy\"\n\n\
         [controller]\nname = \"Bench Networks Ltd.\"\nhead = \"Bench Networks, President\"\n\
         address = \"1 Example Road\"\ncountry = \"DE\"\nemail = \"privacy@example.com\"\n\n\
         [controller.dpo]\nname = \"DPO\"\nemail = \"dpo@example.com\"\n",
    );
    // Every law applies to someone (no [regions]: each visitor gets the law of where they
    // are), so the notice names every representative, right and complaint route they ask for.
    for slot in ["china", "uk", "swiss", "korea"] {
        let _ = write!(
            s,
            "\n[controller.{slot}_representative]\nname = \"Representative\"\n\
             address = \"2 Example Road\"\nemail = \"{slot}@example.com\"\n"
        );
    }
    s.push_str(
        "\n[links]\npolicy = \"https://example.com/p\"\nrequests = \"https://example.com/r\"\n\
         authority = \"https://example.com/a\"\nopt-out = \"https://example.com/o\"\n\n[rights]\noffered = [",
    );
    let rights: Vec<String> = Right::ALL
        .iter()
        .map(|r| format!("\"{}\"", r.as_str()))
        .collect();
    s.push_str(&rights.join(", "));
    s.push_str("]\nhow = [\"requests\"]\n\n[complaints]\n");
    for g in Regime::ALL.iter().filter(|g| **g != Regime::Apec) {
        let _ = writeln!(s, "{} = \"authority\"", g.as_str());
    }
    s.push_str("\n[ccpa]\nopt_out_link = \"opt-out\"\n");
    for i in 1..=PURPOSES {
        let (required, basis) = if i == 1 {
            ("required = true\n", "contract")
        } else {
            ("", "consent")
        };
        let _ = write!(
            s,
            "\n[[purposes]]\nid = \"purpose-{i:02}\"\ndpv = \"CustomerCare\"\n{required}\
             legal_basis = \"{basis}\"\nretention = \"P{i}M\"\nprocessors = [\"Processor {i} Ltd.\"]\n\
             data_categories = [\"category-{i:02}\"]\nchannels = [\"web\", \"chat\"]\n"
        );
    }
    s
}

fn ftl(tag: &str) -> String {
    let word = native_word(tag);
    let mut ids: Vec<String> = UI_MESSAGES.iter().map(|m| (*m).to_string()).collect();
    for i in 1..=PURPOSES {
        ids.push(format!("purpose-purpose-{i:02}-name"));
        ids.push(format!("purpose-purpose-{i:02}-description"));
        ids.push(format!("data-category-category-{i:02}"));
    }
    for id in ["policy", "requests", "authority", "opt-out"] {
        ids.push(format!("link-{id}"));
    }
    for r in Right::ALL {
        ids.push(format!("right-{}", r.as_str()));
    }
    for g in Regime::ALL {
        ids.push(format!("regime-{}", g.as_str()));
        if *g != Regime::Apec {
            ids.push(format!("complaint-{}", g.as_str()));
        }
    }
    ids.extend(
        [
            "channel-web",
            "channel-chat",
            "gpc-statement",
            "head-label",
            "china-representative-heading",
            "uk-representative-heading",
            "swiss-representative-heading",
            "korea-representative-heading",
        ]
        .map(String::from),
    );
    // Some of these are interface messages too: each id once (else M008).
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    let mut s = format!("-brand = Bench {tag}\n");
    for id in ids {
        let text = match id.as_str() {
            "banner-body" => {
                format!("{word} {tag}: we use your data at {{ -brand }}; see our {{ $policy }}.")
            }
            "rights-how" => format!("{word} {tag}: use our {{ $requests }}."),
            d if d.starts_with("purpose-purpose-")
                && d.ends_with("-description")
                && d != "purpose-purpose-01-description" =>
            {
                format!(
                    "{} {word} {tag} {id} for the support site",
                    consent_condition(tag)
                )
            }
            _ => format!("{word} {tag} {id} for the support site"),
        };
        let _ = writeln!(s, "{id} = {text}");
    }
    s
}

/// The input: (file name, text) of every file of the generated locales directory.
fn files() -> Vec<(String, String)> {
    let mut files = vec![("notice.toml".to_string(), notice())];
    for tag in TAGS {
        files.push((format!("{tag}.ftl"), ftl(tag)));
        if needs_facts(tag) {
            files.push((format!("{tag}.facts.toml"), facts_file(tag)));
        }
    }
    files
}

/// Writes the input; returns its size in bytes.
fn generate(dir: &Path) -> Result<u64, String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cleaning {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let mut bytes = 0;
    for (name, text) in files() {
        bytes += text.len() as u64;
        std::fs::write(dir.join(&name), text).map_err(|e| format!("writing {name}: {e}"))?;
    }
    Ok(bytes)
}

/// Runs the benchmark and appends its Markdown section to `out`.
pub fn run(out: &mut String) -> Result<(), String> {
    step("bench: lint of 50 locales × 30 purposes (release consentry)");
    sh(cargo().args(["build", "--release", "-p", "consentry-cli"]))?;
    let bin = util::root().join("target/release/consentry");
    let dir = util::root().join("target/bench-lint/locales");
    let bytes = generate(&dir)?;
    // One untimed run: the input must be clean, so every rule runs to the end.
    let check = util::cmd(&bin)
        .args(["lint", dir.to_str().unwrap_or_default(), "--format", "json"])
        .output()
        .map_err(|e| format!("running {}: {e}", bin.display()))?;
    let findings = String::from_utf8_lossy(&check.stdout).trim().to_string();
    if !check.status.success() || findings != "[]" {
        return Err(format!(
            "the generated notice is not lint-clean ({}): {}",
            check.status,
            findings.chars().take(2000).collect::<String>()
        ));
    }
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let o = util::cmd(&bin)
            .args(["lint", dir.to_str().unwrap_or_default(), "--format", "json"])
            .output()
            .map_err(|e| format!("running {}: {e}", bin.display()))?;
        times.push(start.elapsed());
        if !o.status.success() {
            return Err(format!("consentry lint failed: {}", o.status));
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times[RUNS / 2];
    let _ = writeln!(out, "## Lint: 50 locales × 30 purposes\n");
    let _ = writeln!(
        out,
        "`consentry lint <dir> --format json` (release build, whole process: read, parse, resolve, \
         every rule) on a generated, lint-clean notice: {LOCALES} locales × {PURPOSES} purposes, \
         {} messages per locale, {:.1} MB of sources. {RUNS} runs after one warm-up.\n",
        ftl("en").lines().count() - 1,
        bytes as f64 / 1_000_000.0
    );
    let _ = writeln!(out, "| min | median | max | target |");
    let _ = writeln!(out, "|-----|--------|-----|--------|");
    let _ = writeln!(
        out,
        "| {:.0} ms | {:.0} ms | {:.0} ms | < 1000 ms: {} |\n",
        ms(times[0]),
        ms(median),
        ms(times[RUNS - 1]),
        if median < Duration::from_secs(1) {
            "met"
        } else {
            "NOT met"
        }
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use consentry_core::diagnostics::SourceFile;

    /// The benchmark measures every rule only on a clean input, and refuses to run otherwise:
    /// a new lint rule that the generated notice does not satisfy is found here, in
    /// `cargo xtask test`, not in the next benchmark run.
    #[test]
    fn the_generated_notice_is_lint_clean() {
        let files: Vec<SourceFile> = super::files()
            .into_iter()
            .map(|(name, text)| SourceFile::new(format!("bench/{name}"), text))
            .collect();
        let findings = consentry_core::compile::lint("bench", &files);
        assert!(
            findings.is_empty(),
            "{} findings, first: {:?}",
            findings.len(),
            findings.first()
        );
    }
}
