//! The independent tools the tests check lauream's output with, provisioned
//! by the tests themselves so that `cargo test --release` passes on a fresh
//! machine.
//!
//! Two kinds:
//! - **System tools** that no package index of ours can bring: poppler's
//!   `pdftotext`, `pdfinfo`, `pdffonts`, `pdftoppm`, `pdfsig`, a Python 3
//!   able to make virtual environments, and Chromium (the verification
//!   site's tests drive it headless). They are checked once, all together, and a
//!   missing one fails with a single message naming the install command.
//! - **Python reference validators** and Playwright, which drives the
//!   system's Chromium (`tests/strumenti/requirements.txt`, pinned; no
//!   browser is ever downloaded): installed on first use into a virtual environment under
//!   `target/`, reused afterwards. Test binaries start in parallel, so the
//!   installation runs under an exclusive file lock and is recorded as done
//!   only when complete; a half-made environment is made again.
//!
//! No test skips for want of a tool: it fails and says what to install.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The install command the README names for the system tools.
pub const INSTALLA_SISTEMA: &str = "apt-get install -y poppler-utils python3-venv chromium";

const REQUISITI: &str = include_str!("../strumenti/requirements.txt");

/// Where the tools are.
pub struct Strumenti {
    /// The virtual environment's `bin/` (python, ocfl-validate.py…).
    pub bin: PathBuf,
}

impl Strumenti {
    /// The virtual environment's Python, with the validators installed.
    pub fn python(&self) -> Command {
        Command::new(self.bin.join("python"))
    }

    /// A script the validators installed (`ocfl-validate.py`).
    pub fn script(&self, nome: &str) -> Command {
        Command::new(self.bin.join(nome))
    }
}

/// A poppler tool (`pdftotext`, `pdfinfo`, `pdffonts`, `pdftoppm`, `pdfsig`), after the
/// check that every system tool is there.
pub fn poppler(nome: &str) -> Command {
    sistema();
    Command::new(nome)
}

/// The system's Chromium, after the check that every system tool is there:
/// its absolute path (`CHROMIUM` when set, else `chromium` on the `PATH`).
pub fn chromium() -> PathBuf {
    sistema();
    cerca_chromium().expect("chromium verificato da sistema()")
}

fn cerca_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("chromium"))
        .find(|p| p.is_file())
}

/// The tools, provisioned on the first call of each test binary.
pub fn strumenti() -> &'static Strumenti {
    static S: OnceLock<Strumenti> = OnceLock::new();
    S.get_or_init(|| {
        let python = sistema();
        prepara_ambiente(&python)
    })
}

/// Checks the system tools once per test binary; returns the system Python.
fn sistema() -> PathBuf {
    static S: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    S.get_or_init(|| {
        let mut mancanti = Vec::new();
        let poppler: Vec<&str> = ["pdftotext", "pdfinfo", "pdffonts", "pdftoppm", "pdfsig"]
            .into_iter()
            .filter(|t| !risponde(Command::new(t).arg("-v")))
            .collect();
        if !poppler.is_empty() {
            mancanti.push(format!("{} (poppler-utils)", poppler.join(", ")));
        }
        if !cerca_chromium().is_some_and(|c| risponde(Command::new(c).arg("--version"))) {
            mancanti.push("chromium (chromium)".to_string());
        }
        let python = PathBuf::from(std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into()));
        if !risponde(Command::new(&python).args(["-c", "import venv, ensurepip"])) {
            mancanti.push(format!(
                "{} con i moduli venv ed ensurepip (python3-venv)",
                python.display()
            ));
        }
        if mancanti.is_empty() {
            Ok(python)
        } else {
            Err(format!(
                "mancano strumenti di sistema per i test: {}.\nInstallarli con: {INSTALLA_SISTEMA}",
                mancanti.join(", ")
            ))
        }
    })
    .clone()
    .unwrap_or_else(|e| panic!("{e}"))
}

fn risponde(c: &mut Command) -> bool {
    c.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Creates (or reuses) the virtual environment with the pinned validators.
fn prepara_ambiente(python: &Path) -> Strumenti {
    // target/tmp is Cargo's scratch folder for integration tests; the
    // environment lives beside it, in the build's own tree.
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("strumenti-test");
    std::fs::create_dir_all(&base).expect("cartella degli strumenti di test");
    let venv = base.join("venv");
    let pronto = venv.join(".lauream-pronto");
    let firma = format!("{}\n{REQUISITI}", python.display());
    let strumenti = Strumenti {
        bin: venv.join("bin"),
    };
    if std::fs::read_to_string(&pronto).is_ok_and(|f| f == firma) {
        return strumenti;
    }
    // One installer at a time; the others wait and then find it done.
    let lucchetto = std::fs::File::create(base.join("lock")).expect("file di blocco");
    lucchetto
        .lock()
        .expect("blocco esclusivo sugli strumenti di test");
    if std::fs::read_to_string(&pronto).is_ok_and(|f| f == firma) {
        return strumenti;
    }
    if venv.exists() {
        std::fs::remove_dir_all(&venv).expect("rimozione dell'ambiente incompleto");
    }
    esegui(
        Command::new(python).arg("-m").arg("venv").arg(&venv),
        &format!("creazione dell'ambiente virtuale (serve python3-venv: {INSTALLA_SISTEMA})"),
    );
    let requisiti = base.join("requirements.txt");
    std::fs::write(&requisiti, REQUISITI).expect("requirements.txt");
    esegui(
        Command::new(venv.join("bin/python"))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&requisiti),
        "installazione dei validatori di riferimento da PyPI (serve la rete verso PyPI)",
    );
    std::fs::write(&pronto, firma).expect("segno di ambiente pronto");
    strumenti
}

fn esegui(c: &mut Command, cosa: &str) {
    let r = c
        .output()
        .unwrap_or_else(|e| panic!("{cosa}: avvio non riuscito: {e}"));
    assert!(
        r.status.success(),
        "{cosa}: non riuscita:\n{}{}",
        String::from_utf8_lossy(&r.stdout),
        String::from_utf8_lossy(&r.stderr)
    );
}
