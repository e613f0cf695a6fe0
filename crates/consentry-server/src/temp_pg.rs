//! A throw-away PostgreSQL server for tests and benchmarks: `initdb` into a temporary
//! directory, `postgres` listening on 127.0.0.1 on a free port (and a Unix socket inside that
//! directory only), stopped by its PID and deleted on [`TempPostgres::stop`] or drop.
//!
//! The server binaries are looked up on `PATH`, then under `/usr/lib/postgresql/*/bin`
//! (Debian's layout; the newest version wins). PostgreSQL refuses to run as root: when the
//! current user is root, the cluster is owned by and run as the `postgres` system user, which
//! Debian's `postgresql` package creates.
//!
//! Nothing here is skipped quietly: when PostgreSQL cannot be started, [`TempPostgres::start`]
//! fails with a message that says how to install it.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The superuser `initdb` creates.
pub const SUPERUSER: &str = "consentry";

const INSTALL_HINT: &str = "install the PostgreSQL server with `apt-get install postgresql` \
     (or run `cargo xtask setup`, which does it)";

/// A running temporary PostgreSQL server.
#[derive(Debug)]
pub struct TempPostgres {
    dir: PathBuf,
    bin: PathBuf,
    child: Option<Child>,
    port: u16,
    run_as: Option<(u32, u32)>,
}

/// Finds the directory holding `initdb` and `postgres`.
pub fn find_bin_dir() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PATH") {
        for d in std::env::split_paths(&path) {
            if d.join("initdb").is_file() && d.join("postgres").is_file() {
                return Some(d);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("postgres").is_file()).then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, b)| b)
}

/// `(uid, gid)` of a user from `/etc/passwd`.
fn lookup_user(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        if f.len() > 3 && f[0] == name {
            Some((f[2].parse().ok()?, f[3].parse().ok()?))
        } else {
            None
        }
    })
}

#[cfg(unix)]
fn owner_uid(p: &Path) -> Option<u32> {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata(p).ok().map(|m| m.uid())
}
#[cfg(not(unix))]
fn owner_uid(_: &Path) -> Option<u32> {
    None
}

#[cfg(unix)]
fn chown_tree(p: &Path, uid: u32, gid: u32) -> std::io::Result<()> {
    std::os::unix::fs::chown(p, Some(uid), Some(gid))?;
    if p.is_dir() {
        for e in std::fs::read_dir(p)? {
            chown_tree(&e?.path(), uid, gid)?;
        }
    }
    Ok(())
}

fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

impl TempPostgres {
    /// Creates a cluster in a new temporary directory and starts it. Blocks until it accepts
    /// connections (at most about a minute).
    pub fn start() -> Result<Self, String> {
        static N: AtomicU32 = AtomicU32::new(0);
        let bin = find_bin_dir().ok_or_else(|| {
            format!(
                "PostgreSQL server binaries (initdb, postgres) were not found on PATH or under \
                 /usr/lib/postgresql/*/bin: {INSTALL_HINT}"
            )
        })?;
        let dir = std::env::temp_dir().join(format!(
            "consentry-pg-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let run_as = if owner_uid(&dir) == Some(0) {
            let ids = lookup_user("postgres").ok_or_else(|| {
                format!(
                    "running as root, PostgreSQL must run as the `postgres` system user, which \
                     does not exist: {INSTALL_HINT}"
                )
            })?;
            #[cfg(unix)]
            chown_tree(&dir, ids.0, ids.1).map_err(|e| format!("chown {}: {e}", dir.display()))?;
            Some(ids)
        } else {
            None
        };
        let mut pg = Self {
            dir,
            bin,
            child: None,
            port: 0,
            run_as,
        };
        pg.initdb()?;
        let mut last = String::new();
        for _ in 0..3 {
            match pg.launch() {
                Ok(()) => return Ok(pg),
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(self.bin.join(program));
        #[cfg(unix)]
        if let Some((uid, gid)) = self.run_as {
            use std::os::unix::process::CommandExt as _;
            c.uid(uid).gid(gid);
        }
        c.current_dir(&self.dir).env("LC_ALL", "C");
        c
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("postgres.log")).unwrap_or_default()
    }

    fn initdb(&self) -> Result<(), String> {
        let out = self
            .command("initdb")
            .args(["-U", SUPERUSER, "--auth=trust", "--no-sync", "-E", "UTF8"])
            .arg("--locale=C")
            .arg("-D")
            .arg(self.data())
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run initdb: {e}: {INSTALL_HINT}"))?;
        if !out.status.success() {
            return Err(format!(
                "initdb failed ({}): {}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(())
    }

    fn launch(&mut self) -> Result<(), String> {
        let port = free_port()?;
        let log = std::fs::File::create(self.dir.join("postgres.log"))
            .map_err(|e| format!("postgres.log: {e}"))?;
        #[cfg(unix)]
        if let Some((uid, gid)) = self.run_as {
            let _ = std::os::unix::fs::chown(self.dir.join("postgres.log"), Some(uid), Some(gid));
        }
        let child = self
            .command("postgres")
            .arg("-D")
            .arg(self.data())
            .args(["-p", &port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1"])
            .arg("-c")
            .arg(format!("unix_socket_directories={}", self.dir.display()))
            .args(["-c", "fsync=on", "-c", "synchronous_commit=on"])
            .args(["-c", "max_connections=100", "-c", "shared_buffers=64MB"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start postgres: {e}: {INSTALL_HINT}"))?;
        self.child = Some(child);
        self.port = port;
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(c) = self.child.as_mut()
                && let Ok(Some(status)) = c.try_wait()
            {
                self.child = None;
                return Err(format!("postgres exited ({status}):\n{}", self.log()));
            }
            if self.ready() {
                return Ok(());
            }
            if Instant::now() > deadline {
                self.stop_server();
                return Err(format!(
                    "postgres did not accept connections within 60 s:\n{}",
                    self.log()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn ready(&self) -> bool {
        let isready = self.bin.join("pg_isready");
        if isready.is_file() {
            Command::new(isready)
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .args(["-U", SUPERUSER, "-d", "postgres"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        } else {
            std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok()
        }
    }

    /// The TCP port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A libpq connection string for database `dbname`.
    pub fn conninfo(&self, dbname: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user={SUPERUSER} dbname={dbname} connect_timeout=10",
            self.port
        )
    }

    /// Creates database `name`, waiting (up to 30 s) while the server still says it is
    /// starting up: `pg_isready` can answer before the first connection is accepted.
    pub fn create_database(&self, name: &str) -> Result<(), String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let deadline = Instant::now() + Duration::from_secs(30);
        rt.block_on(async {
            loop {
                let tried = async {
                    let (c, conn) =
                        tokio_postgres::connect(&self.conninfo("postgres"), tokio_postgres::NoTls)
                            .await?;
                    tokio::spawn(conn);
                    c.batch_execute(&format!("CREATE DATABASE \"{name}\""))
                        .await
                }
                .await;
                match tried {
                    Ok(()) => return Ok(()),
                    Err(e)
                        if e.code()
                            == Some(&tokio_postgres::error::SqlState::CANNOT_CONNECT_NOW)
                            && Instant::now() < deadline =>
                    {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    Err(e) => return Err(format!("CREATE DATABASE {name}: {e}")),
                }
            }
        })
    }

    /// The postmaster's PID.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    fn stop_server(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // SIGINT: PostgreSQL's "fast" shutdown. By PID, never by name.
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match child.try_wait() {
                Ok(Some(_)) => return,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return;
                }
            }
        }
    }

    /// Stops the server and deletes its directory.
    pub fn stop(&mut self) {
        self.stop_server();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        self.stop();
    }
}
