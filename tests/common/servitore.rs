//! A static file server on the loopback interface, for the browser tests:
//! a web server as small as the published site needs (GET of files), which
//! also records every path asked for, so a test can tell how many files one
//! lookup loaded.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A server of one folder on `127.0.0.1`, on a port the system chose. It
/// lives as long as the test process.
pub struct Servitore {
    /// `http://127.0.0.1:PORT`.
    pub indirizzo: String,
    richieste: Arc<Mutex<Vec<String>>>,
}

impl Servitore {
    /// Serves `radice` from now on.
    pub fn avvia(radice: &Path) -> Servitore {
        let ascolto = TcpListener::bind("127.0.0.1:0").expect("porta sul loopback");
        let indirizzo = format!("http://{}", ascolto.local_addr().unwrap());
        let richieste = Arc::new(Mutex::new(Vec::new()));
        let radice = radice.canonicalize().unwrap();
        let registro = richieste.clone();
        std::thread::spawn(move || {
            for conn in ascolto.incoming().flatten() {
                let (radice, registro) = (radice.clone(), registro.clone());
                std::thread::spawn(move || {
                    let _ = servi(conn, &radice, &registro);
                });
            }
        });
        Servitore {
            indirizzo,
            richieste,
        }
    }

    /// The paths asked for so far, in order.
    pub fn richieste(&self) -> Vec<String> {
        self.richieste.lock().unwrap().clone()
    }

    /// Forgets the paths asked for so far.
    pub fn azzera(&self) {
        self.richieste.lock().unwrap().clear();
    }
}

fn servi(mut conn: TcpStream, radice: &Path, registro: &Mutex<Vec<String>>) -> std::io::Result<()> {
    // A browser opens connections it may never use: do not wait forever.
    conn.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut lettore = BufReader::new(conn.try_clone()?);
    let mut prima = String::new();
    lettore.read_line(&mut prima)?;
    loop {
        let mut riga = String::new();
        if lettore.read_line(&mut riga)? == 0 || riga == "\r\n" || riga == "\n" {
            break;
        }
    }
    let mut parti = prima.split_whitespace();
    let (metodo, bersaglio) = (parti.next().unwrap_or(""), parti.next().unwrap_or("/"));
    let percorso = bersaglio
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    registro.lock().unwrap().push(percorso.clone());
    let file = trova(radice, &percorso);
    let (stato, tipo, corpo) = match (metodo, file) {
        ("GET" | "HEAD", Some(f)) => ("200 OK", tipo_di(&f), std::fs::read(&f)?),
        ("GET" | "HEAD", None) => ("404 Not Found", "text/plain", b"non trovato".to_vec()),
        _ => ("405 Method Not Allowed", "text/plain", Vec::new()),
    };
    write!(
        conn,
        "HTTP/1.1 {stato}\r\nContent-Type: {tipo}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        corpo.len()
    )?;
    if metodo != "HEAD" {
        conn.write_all(&corpo)?;
    }
    conn.flush()
}

/// The file a URL path names under the root; never anything outside it.
fn trova(radice: &Path, percorso: &str) -> Option<PathBuf> {
    let relativo = percorso.trim_start_matches('/');
    if relativo
        .split('/')
        .any(|p| p == ".." || p.contains('%') || p.contains('\\'))
    {
        return None;
    }
    let mut f = radice.join(relativo);
    if f.is_dir() {
        f = f.join("index.html");
    }
    let f = f.canonicalize().ok()?;
    (f.starts_with(radice) && f.is_file()).then_some(f)
}

fn tipo_di(f: &Path) -> &'static str {
    match f.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}
