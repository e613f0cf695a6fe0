//! The size budget (`size-budget.toml`): the most brotli bytes the widget may ship before its
//! banner is interactive, per file and in total. `cargo xtask test` checks it after building
//! the site (stage `size`) and fails naming each file over its budget and by how much.
//!
//! The file has one table per wasm toolchain: `[nightly]` for the shipped build (the pinned
//! nightly, see `toolchain.rs`), `[stable]` for the fallback on machines without it. Each table
//! has `total` plus one entry per role: `loader`, `glue`, `wasm`, `css`, `manifest`,
//! `locale-default` (fetched before the banner is interactive, counted in `total`), and
//! `full-glue`, `full-wasm` (the full widget, fetched only when a visitor opens it) and
//! `receipts-glue`, `receipts-wasm` (the receipts module, fetched once the banner is up) and
//! `locale-details` (the default locale's details file, fetched with the settings or the full
//! notice): each limited per file so it cannot grow unnoticed, but not part of `total`.
//!
//! Two more totals count what a visitor pays (issue 14): `first-visit`, everything a first
//! visit downloads until its decision's receipt is sent (`total` plus the receipts module and
//! the details file, which the first module prefetches once the banner is up where the notice
//! asks for a consent step of its own, as this one does for every visitor under PIPL), and
//! `settings`, what opening the settings adds (the details file: the first module draws them,
//! ADR 0014).

use std::path::Path;

use crate::assets::{self, Sizes};
use crate::site::Shipped;
use crate::toolchain::WasmToolchain;
use crate::util;

/// The budget file, at the repository root.
pub const FILE: &str = "size-budget.toml";

/// The roles fetched before the banner is interactive (counted in `total`), in display order.
pub const ROLES: [&str; 6] = [
    "loader",
    "glue",
    "wasm",
    "css",
    "manifest",
    "locale-default",
];

/// The roles fetched after the banner is interactive (the receipts module) or only on demand
/// (the full widget): each has its own limit, none counts in `total`.
pub const ON_DEMAND: [&str; 5] = [
    "full-glue",
    "full-wasm",
    "receipts-glue",
    "receipts-wasm",
    "locale-details",
];

/// The totals of what a visitor pays, each the sum of its roles: a first visit until its
/// receipt is sent (every role of [`ROLES`] and the receipts module), and what opening the
/// settings adds.
pub const TOTALS: [(&str, &str, &[&str]); 2] = [
    (
        "first-visit",
        "(a first visit until its receipt is sent)",
        &[
            "loader",
            "glue",
            "wasm",
            "css",
            "manifest",
            "locale-default",
            "receipts-glue",
            "receipts-wasm",
            // Prefetched once the banner is up where the notice asks for a consent step of
            // its own (this notice: PIPL, for every visitor), for the steps' details.
            "locale-details",
        ],
    ),
    (
        "settings",
        "(what opening the settings adds)",
        &["locale-details"],
    ),
];

/// Every role a table must cover: [`ROLES`], then [`ON_DEMAND`].
fn all_roles() -> impl Iterator<Item = &'static str> {
    ROLES.iter().chain(ON_DEMAND.iter()).copied()
}

/// One toolchain's limits (brotli bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Which table (`nightly` / `stable`).
    pub table: String,
    /// Limit for the sum of all roles.
    pub total: u64,
    /// Limit per role, in [`ROLES`] then [`ON_DEMAND`] order.
    pub per_role: Vec<(String, u64)>,
    /// Limit per visitor total, in [`TOTALS`] order.
    pub totals: Vec<(String, u64)>,
}

/// Reads the table for `toolchain` from the budget file's text.
pub fn parse(text: &str, toolchain: &WasmToolchain) -> Result<Budget, String> {
    let table = match toolchain {
        WasmToolchain::Nightly(_) => "nightly",
        WasmToolchain::Stable { .. } => "stable",
    };
    let doc: toml::Table = text.parse().map_err(|e| format!("{FILE}: {e}"))?;
    let t = doc
        .get(table)
        .and_then(toml::Value::as_table)
        .ok_or_else(|| format!("{FILE}: no [{table}] table"))?;
    let limit = |key: &str| -> Result<u64, String> {
        let v = t
            .get(key)
            .ok_or_else(|| format!("{FILE}: [{table}] has no `{key}`"))?;
        v.as_integer()
            .and_then(|i| u64::try_from(i).ok())
            .ok_or_else(|| format!("{FILE}: [{table}] `{key}` must be a non-negative integer"))
    };
    for key in t.keys() {
        if key != "total" && !all_roles().any(|r| r == key) && !TOTALS.iter().any(|t| t.0 == key) {
            return Err(format!(
                "{FILE}: [{table}] has unknown key `{key}` (known: total, {}, {}, first-visit, settings)",
                ROLES.join(", "),
                ON_DEMAND.join(", ")
            ));
        }
    }
    let per_role = all_roles()
        .map(|r| limit(r).map(|l| (r.to_owned(), l)))
        .collect::<Result<_, _>>()?;
    let totals = TOTALS
        .iter()
        .map(|(key, _, _)| limit(key).map(|l| ((*key).to_owned(), l)))
        .collect::<Result<_, _>>()?;
    Ok(Budget {
        table: table.to_owned(),
        total: limit("total")?,
        per_role,
        totals,
    })
}

/// What is shipped: brotli bytes as the server sends them (the `.br` sibling when the build
/// wrote one, else the file itself), plus raw and gzip for the report.
#[derive(Clone, Debug)]
pub struct Measured {
    /// Role.
    pub role: String,
    /// File name (for messages).
    pub file: String,
    /// Sizes (`br` = bytes on the wire for a brotli client).
    pub sizes: Sizes,
}

/// Measures the shipped files.
pub fn measure(shipped: &[Shipped]) -> Result<Vec<Measured>, String> {
    shipped
        .iter()
        .map(|s| {
            let raw = assets::read(&s.path)?;
            let br_path = format!("{}.br", s.path.display());
            let gz_path = format!("{}.gz", s.path.display());
            let on_wire = |p: &str| -> Result<u64, String> {
                if Path::new(p).exists() {
                    Ok(assets::read(Path::new(p))?.len() as u64)
                } else {
                    Ok(raw.len() as u64)
                }
            };
            Ok(Measured {
                role: s.role.to_owned(),
                file: s
                    .path
                    .strip_prefix(util::root())
                    .unwrap_or(&s.path)
                    .display()
                    .to_string(),
                sizes: Sizes {
                    raw: raw.len() as u64,
                    gzip: on_wire(&gz_path)?,
                    br: on_wire(&br_path)?,
                },
            })
        })
        .collect()
}

/// Compares `measured` with `budget`: the report table, and one line per overrun.
pub fn check(budget: &Budget, measured: &[Measured]) -> (String, Vec<String>) {
    let mut report = format!(
        "{:<16} {:<48} {:>9} {:>9} {:>9}\n",
        "role", "file", "brotli", "budget", "headroom"
    );
    let mut over = Vec::new();
    let mut total = 0;
    let mut later = String::new();
    for (role, limit) in &budget.per_role {
        let Some(m) = measured.iter().find(|m| &m.role == role) else {
            over.push(format!("no shipped file for the budgeted role `{role}`"));
            continue;
        };
        let on_demand = ON_DEMAND.contains(&role.as_str());
        if !on_demand {
            total += m.sizes.br;
        }
        (if on_demand { &mut later } else { &mut report })
            .push_str(&row(role, &m.file, m.sizes.br, *limit));
        if m.sizes.br > *limit {
            over.push(format!(
                "{} ({role}) is {} brotli bytes, {} over its budget of {limit}",
                m.file,
                m.sizes.br,
                m.sizes.br - limit
            ));
        }
    }
    for m in measured {
        if !budget.per_role.iter().any(|(r, _)| r == &m.role) {
            over.push(format!(
                "{} has role `{}`, which has no budget",
                m.file, m.role
            ));
        }
    }
    report.push_str(&row(
        "total",
        "(everything before the banner is interactive)",
        total,
        budget.total,
    ));
    if !later.is_empty() {
        report.push_str(
            "after the banner (the receipts module, once it is up; the full widget, when a visitor opens it; not in the total):\n",
        );
        report.push_str(&later);
    }
    if total > budget.total {
        over.push(format!(
            "the total is {total} brotli bytes, {} over its budget of {}",
            total - budget.total,
            budget.total
        ));
    }
    report.push_str("what a visitor pays:\n");
    for ((key, what, roles), (_, limit)) in TOTALS.iter().zip(&budget.totals) {
        let sum: u64 = measured
            .iter()
            .filter(|m| roles.contains(&m.role.as_str()))
            .map(|m| m.sizes.br)
            .sum();
        report.push_str(&row(key, what, sum, *limit));
        if sum > *limit {
            over.push(format!(
                "the {key} total {what} is {sum} brotli bytes, {} over its budget of {limit}",
                sum - limit
            ));
        }
    }
    (report, over)
}

/// One line of the report: role or total, file or what it counts, bytes, budget, headroom.
fn row(key: &str, what: &str, bytes: u64, limit: u64) -> String {
    format!(
        "{key:<16} {what:<48} {bytes:>9} {limit:>9} {:>9}\n",
        limit as i64 - bytes as i64
    )
}

/// `cargo xtask test` stage `size`: checks the built site against the budget (`shipped`: the
/// files fetched before the banner is interactive; `on_demand`: the full widget's).
pub fn enforce(
    shipped: &[Shipped],
    on_demand: &[Shipped],
    toolchain: &WasmToolchain,
) -> Result<(), String> {
    let path = util::root().join(FILE);
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let budget = parse(&text, toolchain)?;
    let mut measured = measure(shipped)?;
    measured.extend(measure(on_demand)?);
    let (report, over) = check(&budget, &measured);
    println!(
        "size budget [{}] ({}), brotli bytes:\n{report}",
        budget.table,
        toolchain.describe()
    );
    if over.is_empty() {
        return Ok(());
    }
    let mut msg = format!(
        "the shipped widget is over the size budget in {FILE} [{}]:\n  - {}",
        budget.table,
        over.join("\n  - ")
    );
    if let WasmToolchain::Stable { why } = toolchain {
        msg.push_str(&format!(
            "\n(built with the stable fallback because {why}; see xtask/src/toolchain.rs)"
        ));
    }
    Err(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"
[nightly]
total = 100
loader = 10
glue = 10
wasm = 50
css = 10
manifest = 10
locale-default = 10
full-glue = 10
full-wasm = 300
receipts-glue = 10
receipts-wasm = 100
locale-details = 10
first-visit = 200
settings = 400

[stable]
total = 200
loader = 10
glue = 10
wasm = 150
css = 10
manifest = 10
locale-default = 10
full-glue = 10
full-wasm = 300
receipts-glue = 10
receipts-wasm = 100
locale-details = 10
first-visit = 300
settings = 400
"#;

    fn nightly() -> WasmToolchain {
        WasmToolchain::Nightly("nightly".into())
    }

    fn measured(wasm_br: u64) -> Vec<Measured> {
        ROLES
            .iter()
            .chain(ON_DEMAND.iter())
            .map(|r| Measured {
                role: (*r).into(),
                file: format!("dist/site/{r}"),
                sizes: Sizes {
                    raw: 1,
                    gzip: 1,
                    br: match *r {
                        "wasm" => wasm_br,
                        "full-wasm" => 250,
                        _ => 5,
                    },
                },
            })
            .collect()
    }

    #[test]
    fn picks_the_table_of_the_toolchain() {
        assert_eq!(parse(TEXT, &nightly()).unwrap().total, 100);
        let stable = WasmToolchain::Stable { why: "x".into() };
        let b = parse(TEXT, &stable).unwrap();
        assert_eq!((b.table.as_str(), b.total), ("stable", 200));
        assert_eq!(b.per_role[2], ("wasm".into(), 150));
    }

    #[test]
    fn within_budget_passes() {
        let b = parse(TEXT, &nightly()).unwrap();
        let (report, over) = check(&b, &measured(50));
        assert!(over.is_empty(), "{over:?}");
        assert!(report.contains("total"));
    }

    #[test]
    fn an_overrun_names_the_file_and_the_excess() {
        let b = parse(TEXT, &nightly()).unwrap();
        // wasm 51 > 50, and the total 51 + 5 * 5 = 76 stays under 100.
        let (_, over) = check(&b, &measured(51));
        assert_eq!(
            over,
            ["dist/site/wasm (wasm) is 51 brotli bytes, 1 over its budget of 50"]
        );
        let tight = Budget { total: 70, ..b };
        let (_, over) = check(&tight, &measured(50));
        assert_eq!(
            over,
            ["the total is 75 brotli bytes, 5 over its budget of 70"]
        );
    }

    #[test]
    fn the_full_widget_has_its_own_limit_outside_the_total() {
        let b = parse(TEXT, &nightly()).unwrap();
        // full-wasm (250) is far above the total (100) yet not counted in it.
        let (report, over) = check(&b, &measured(50));
        assert!(over.is_empty(), "{over:?}");
        assert!(report.contains("after the banner"), "{report}");
        let mut m = measured(50);
        m.iter_mut()
            .filter(|m| m.role == "full-wasm")
            .for_each(|m| m.sizes.br = 301);
        let (_, over) = check(&b, &m);
        assert_eq!(
            over,
            ["dist/site/full-wasm (full-wasm) is 301 brotli bytes, 1 over its budget of 300"]
        );
        let no_full = TEXT.replacen("full-wasm = 300\n", "", 1);
        assert!(
            parse(&no_full, &nightly())
                .unwrap_err()
                .contains("[nightly] has no `full-wasm`")
        );
    }

    #[test]
    fn the_two_visitor_totals_are_enforced() {
        let b = parse(TEXT, &nightly()).unwrap();
        // first-visit: wasm 50 + 8 other roles at 5 = 90; settings: the details file, 5.
        let (report, over) = check(&b, &measured(50));
        assert!(over.is_empty(), "{over:?}");
        assert!(report.contains("first-visit"), "{report}");
        let mut m = measured(50);
        m.iter_mut()
            .filter(|m| m.role == "receipts-wasm")
            .for_each(|m| m.sizes.br = 100);
        // first-visit 50 + 7 * 5 + 100 = 185: within every file's limit and the 200 total; a
        // total one byte tighter than each sum fails, naming it.
        let (_, over) = check(&b, &m);
        assert!(over.is_empty(), "{over:?}");
        let tight = Budget {
            totals: vec![("first-visit".into(), 184), ("settings".into(), 4)],
            ..b
        };
        let (_, over) = check(&tight, &m);
        assert_eq!(
            over,
            [
                "the first-visit total (a first visit until its receipt is sent) is 185 brotli bytes, 1 over its budget of 184",
                "the settings total (what opening the settings adds) is 5 brotli bytes, 1 over its budget of 4",
            ]
        );
        let no_total = TEXT.replacen("settings = 400\n", "", 1);
        assert!(
            parse(&no_total, &nightly())
                .unwrap_err()
                .contains("[nightly] has no `settings`")
        );
    }

    #[test]
    fn missing_or_unknown_entries_are_errors() {
        let no_css = TEXT.replacen("css = 10\n", "", 1);
        assert!(
            parse(&no_css, &nightly())
                .unwrap_err()
                .contains("[nightly] has no `css`")
        );
        let typo = TEXT.replacen("css = 10", "ccs = 10", 1);
        assert!(
            parse(&typo, &nightly())
                .unwrap_err()
                .contains("unknown key `ccs`")
        );
        assert!(
            parse("[stable]\n", &nightly())
                .unwrap_err()
                .contains("no [nightly]")
        );
        let b = parse(TEXT, &nightly()).unwrap();
        let mut m = measured(1);
        m.retain(|m| m.role != "glue");
        let (_, over) = check(&b, &m);
        assert_eq!(over, ["no shipped file for the budgeted role `glue`"]);
    }
}
