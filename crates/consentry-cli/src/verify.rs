//! `consentry verify <receipt.json> [--notices <build dir>]`
//!
//! Runs core's `verify` (the same code the receipt server runs) on the exact bytes of a receipt
//! envelope. With `--notices`, the compiled notice build (`manifest.json` and every file it
//! lists) is loaded first, and the receipt's notice digest and purposes are checked against it.
//!
//! Exit 0 with a summary on stdout when the receipt is valid; exit 1 with
//! `invalid receipt: <reason> [<code>]` on stderr when it is not; exit 2 when the files cannot
//! be read or the notice build is itself broken.

use std::fmt::Write as _;
use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use consentry_core::receipt::jws::MAX_ENVELOPE_BYTES;
use consentry_core::receipt::verify::{NoticeRegistry, VerifiedReceipt, VerifyPolicy, verify};

/// Arguments of `consentry verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The receipt envelope (JWS JSON) to verify.
    receipt: PathBuf,
    /// A compiled notice build (a directory with `manifest.json`); when given, the receipt's
    /// notice digest must be one of its files and its decisions must match that notice.
    #[arg(long, value_name = "DIR")]
    notices: Option<PathBuf>,
}

/// Runs the subcommand.
pub fn run(args: &VerifyArgs) -> ExitCode {
    let policy = match &args.notices {
        None => VerifyPolicy::default(),
        Some(dir) => match load_notices(dir) {
            Ok(registry) => VerifyPolicy {
                notices: Some(registry),
            },
            Err(msg) => {
                eprintln!("error: {msg}");
                return ExitCode::from(2);
            }
        },
    };
    let envelope = match read_limited(&args.receipt) {
        Ok(b) => b,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    };
    match verify(&envelope, &policy) {
        Ok(v) => {
            print!("{}", summary(&v, args.notices.as_deref()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("invalid receipt: {e} [{}]", e.code());
            ExitCode::from(1)
        }
    }
}

/// Reads at most one byte more than a verifier accepts, so a huge file is refused by `verify`
/// (`envelope_too_large`) without being read whole.
fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut buf = Vec::new();
    file.take(u64::try_from(MAX_ENVELOPE_BYTES).unwrap_or(u64::MAX) + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(buf)
}

/// Loads `<dir>/manifest.json` and every locale file it lists.
pub(crate) fn load_notices(dir: &Path) -> Result<NoticeRegistry, String> {
    let manifest_path = dir.join("manifest.json");
    let manifest = std::fs::read(&manifest_path)
        .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
    let mut registry = NoticeRegistry::new();
    registry
        .add_build(&manifest, |name| {
            std::fs::read(dir.join(name)).map_err(|e| e.to_string())
        })
        .map_err(|e| format!("notice build {}: {e}", dir.display()))?;
    Ok(registry)
}

fn summary(v: &VerifiedReceipt, notices: Option<&Path>) -> String {
    let r = v.receipt();
    let mut s = String::new();
    let n = &r.notice;
    let j = &r.jurisdiction;
    let _ = writeln!(s, "valid receipt {}", r.receipt_id);
    let _ = writeln!(
        s,
        "  notice:      {} version {} ({})",
        n.notice_id, n.version, n.locale
    );
    let _ = writeln!(s, "  notice hash: {}", n.sha256.to_hex());
    let _ = match notices {
        Some(dir) => writeln!(s, "               published in {}", dir.display()),
        None => writeln!(
            s,
            "               not checked against a notice build (use --notices)"
        ),
    };
    let _ = writeln!(s, "  subject:     {}", r.subject);
    let _ = writeln!(
        s,
        "  collected:   {} (device clock)",
        r.collected_at.to_rfc3339()
    );
    let _ = writeln!(
        s,
        "  event:       {} on {} ({})",
        r.event.kind.as_str(),
        r.event.channel.as_str(),
        r.event.interaction.as_str()
    );
    let _ = writeln!(
        s,
        "  regime:      {} (region {}, from {})",
        j.regime.as_str(),
        j.region.as_ref().map_or("unknown", |c| c.as_str()),
        j.determined_by.as_str()
    );
    let _ = writeln!(s, "  gpc signal:  {}", if r.gpc { "yes" } else { "no" });
    let _ = writeln!(s, "  receipt hash: {}", v.payload_sha256().to_hex());
    let _ = writeln!(s, "  decisions:");
    let width = r
        .decisions
        .iter()
        .map(|d| d.purpose_id.as_str().len())
        .max()
        .unwrap_or(0);
    for d in &r.decisions {
        let _ = writeln!(
            s,
            "    {:<width$}  {:<14}  {}{}",
            d.purpose_id.as_str(),
            d.state.as_str(),
            d.legal_basis,
            if d.required { ", required" } else { "" }
        );
    }
    s
}
