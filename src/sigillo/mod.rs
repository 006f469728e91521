//! The electronic seal: every PDF lauream renders can leave as a signed
//! original, a PAdES baseline signature (ETSI EN 319 142-1) that any PDF
//! reader verifies, as Italian universities issue digital originals with a
//! qualified electronic seal (CAD, D.Lgs. 82/2005, art. 20–24; eIDAS).
//!
//! - [`pdf`]: the incremental update that adds the signature to the PDF/A
//!   typst-pdf wrote, leaving its bytes (and so its XMP and PDF/A
//!   identification) as they were;
//! - [`cms`]: the detached CMS `SignedData` (CAdES B-B attributes) and the
//!   checks of one;
//! - [`tsa`]: RFC 3161 timestamps, for B-T signatures (`--tsa`);
//! - [`chiave`]: who holds the key, behind the [`Sigillante`] trait (a
//!   PKCS#12 file today; a PKCS#11 module or a remote signing service can
//!   implement it);
//! - [`verifica`]: the checks `verify-doc` runs on a sealed file.
//!
//! A seal is reproducible: the signing time in `/M` is the document's date,
//! not the clock, the space reserved for the signature depends only on the
//! key and its certificates, and RSA PKCS#1 v1.5 and ECDSA with RFC 6979
//! nonces are deterministic, so sealing the same document twice gives the
//! same bytes. A timestamp (`--tsa`) is the authority's own time, and ends
//! that.

pub mod chiave;
pub mod cms;
pub mod pdf;
pub mod tsa;
pub mod verifica;

use std::path::PathBuf;
use std::sync::Arc;

use x509_cert::Certificate;

pub use chiave::{ChiaveSoftware, Sigillante};
pub use tsa::Tsa;
pub use verifica::{verifica_pdf, Catena, EsitoSigillo};

/// What a sealed document says of itself (the template prints it only when
/// the document is sealed).
pub const NOTA: &str = "Documento sottoscritto con sigillo elettronico ai sensi del D.Lgs. 82/2005";

/// The environment variable that may hold the PKCS#12 file's password.
pub const VARIABILE_PASSWORD: &str = "LAUREAM_SEAL_PASSWORD";

/// Why a seal could not be loaded or applied. Messages never contain the
/// password nor anything of the key.
#[derive(Debug, thiserror::Error)]
pub enum ErroreSigillo {
    /// The PKCS#12 file (or the password file) cannot be read.
    #[error("{}: {}", .0.display(), .1)]
    File(PathBuf, #[source] std::io::Error),
    /// The PKCS#12 file's integrity check fails: wrong password.
    #[error("{}: password del sigillo errata (o file PKCS#12 danneggiato)", .0.display())]
    Password(PathBuf),
    /// The PKCS#12 file is not one the seal can use.
    #[error("{}: file PKCS#12 non utilizzabile: {}", .0.display(), .1)]
    Pkcs12(PathBuf, String),
    /// The trusted roots (`--trust`) cannot be read as PEM certificates.
    #[error("{}: certificati PEM illeggibili: {}", .0.display(), .1)]
    Pem(PathBuf, String),
    /// The key is of a kind the seal does not support.
    #[error("chiave del sigillo non supportata: {0}")]
    Chiave(String),
    /// The certificate cannot seal now (expired, not yet valid, wrong usage,
    /// not matching the key).
    #[error("certificato del sigillo «{soggetto}»: {motivo}")]
    Certificato {
        /// The certificate's subject.
        soggetto: String,
        /// What is wrong with it.
        motivo: String,
    },
    /// Signing failed.
    #[error("firma non riuscita: {0}")]
    Firma(String),
    /// The PDF could not take the seal.
    #[error("PDF non sigillabile: {0}")]
    Pdf(#[from] pdf::ErrorePdf),
    /// The time-stamping authority did not give a usable timestamp.
    #[error("marca temporale da {0}: {1}")]
    Tsa(String, String),
    /// An ASN.1 encoding error (should not happen with a valid certificate).
    #[error("codifica ASN.1: {0}")]
    Asn1(#[from] der::Error),
}

/// The subject of a certificate as people read it (RFC 4514).
pub(crate) fn soggetto(c: &Certificate) -> String {
    c.tbs_certificate().subject().to_string()
}

/// A seal ready to apply: who signs, with which timestamp authority, and
/// how much space a signature takes.
pub struct Sigillo {
    sigillante: Arc<dyn Sigillante>,
    modello: cms::Modello,
    tsa: Option<Tsa>,
    /// Bytes reserved in `/Contents` for the CMS signature.
    spazio: usize,
    impronta: String,
}

impl std::fmt::Debug for Sigillo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sigillo")
            .field("titolare", &self.titolare())
            .field("tsa", &self.tsa)
            .finish_non_exhaustive()
    }
}

/// Space for the signature beyond what a trial signature took: ECDSA
/// signatures vary by a few bytes, timestamp tokens by more.
const MARGINE: usize = 64;
const MARGINE_MARCA: usize = 2048;

impl Sigillo {
    /// A seal with the key of `sigillante`, and a timestamp from `tsa` on
    /// every signature if given. Refuses, before anything is sealed, a
    /// certificate that is not valid now, whose usage excludes signing, or
    /// that does not match the key; with `tsa`, an authority that does not
    /// answer with a valid timestamp.
    pub fn nuovo(sigillante: Arc<dyn Sigillante>, tsa: Option<Tsa>) -> Result<Self, ErroreSigillo> {
        let catena = sigillante.certificati();
        let Some(certificato) = catena.first() else {
            return Err(ErroreSigillo::Chiave("nessun certificato".into()));
        };
        verifica::utilizzabile(certificato, std::time::SystemTime::now())?;
        let modello = cms::Modello::nuovo(catena, sigillante.algoritmo())?;
        let mut sigillo = Sigillo {
            sigillante: Arc::clone(&sigillante),
            modello,
            tsa,
            spazio: 0,
            impronta: String::new(),
        };
        // A trial signature: it proves the key matches the certificate
        // (and that the authority answers), and measures the space.
        let prova = sigillo.firma_cms(&[0u8; 32])?;
        cms::verifica_con(
            certificato.tbs_certificate().subject_public_key_info(),
            &sigillante.algoritmo().oid,
            None,
            &prova.firmati,
            &prova.firma,
        )
        .map_err(|_| ErroreSigillo::Certificato {
            soggetto: soggetto(certificato),
            motivo: "non corrisponde alla chiave privata del file".into(),
        })?;
        let margine = if sigillo.tsa.is_some() {
            MARGINE_MARCA
        } else {
            MARGINE
        };
        sigillo.spazio = (prova.cms.len() + margine).next_multiple_of(256);
        sigillo.impronta = {
            let mut parti = vec![chiave::der_di(certificato)];
            if let Some(t) = &sigillo.tsa {
                parti.push(t.url().as_bytes().to_vec());
            }
            let parti: Vec<&[u8]> = parti.iter().map(Vec::as_slice).collect();
            hex::encode(cms::digest(&cms::oid::SHA256, &parti).expect("SHA-256"))
        };
        Ok(sigillo)
    }

    /// A seal from a PKCS#12 file and its password.
    pub fn da_pkcs12(
        file: &std::path::Path,
        password: &str,
        tsa: Option<Tsa>,
    ) -> Result<Self, ErroreSigillo> {
        Self::nuovo(Arc::new(ChiaveSoftware::da_pkcs12(file, password)?), tsa)
    }

    /// The seal certificate's subject.
    pub fn titolare(&self) -> String {
        soggetto(&self.sigillante.certificati()[0])
    }

    /// Whether signatures carry a timestamp (B-T), and so are not
    /// byte-reproducible.
    pub fn con_marca(&self) -> bool {
        self.tsa.is_some()
    }

    /// A fingerprint of what the seal adds to a document (the certificate
    /// and the timestamp authority), for the render key: another seal
    /// means another document.
    pub fn impronta(&self) -> &str {
        &self.impronta
    }

    /// Seals `pdf`, whose date is `data_iso` (YYYY-MM-DD), the signing time
    /// written in `/M`.
    pub fn sigilla(&self, pdf: &[u8], data_iso: &str) -> Result<Vec<u8>, ErroreSigillo> {
        let m = ora_pdf(data_iso)?;
        let da_firmare = pdf::prepara(pdf, &m, self.spazio)?;
        let digest = cms::digest(&cms::oid::SHA256, &da_firmare.intervalli()).expect("SHA-256");
        let firma = self.firma_cms(&digest)?;
        Ok(da_firmare.completa(&firma.cms)?)
    }

    /// The CMS signature of a document with this SHA-256 `digest`.
    fn firma_cms(&self, digest: &[u8]) -> Result<FirmaCms, ErroreSigillo> {
        use der::Encode;
        let attributi = self.modello.attributi(digest)?;
        let da_firmare = attributi.to_der()?;
        let firma = self.sigillante.firma(&da_firmare)?;
        let marca = match &self.tsa {
            Some(t) => Some(t.marca(&firma)?),
            None => None,
        };
        let cms = self.modello.firmato(attributi, firma.clone(), marca)?;
        Ok(FirmaCms {
            cms,
            firma,
            firmati: da_firmare,
        })
    }
}

/// A signature as [`Sigillo::firma_cms`] makes it.
struct FirmaCms {
    /// The encoded `ContentInfo` that goes in `/Contents`.
    cms: Vec<u8>,
    /// The signature value.
    firma: Vec<u8>,
    /// The DER of the signed attributes, what `firma` signs.
    firmati: Vec<u8>,
}

/// `D:YYYYMMDD000000Z` from `YYYY-MM-DD`: the signing time a document
/// claims is the start of its date, as its metadata's creation date.
fn ora_pdf(data_iso: &str) -> Result<String, ErroreSigillo> {
    let data = chrono::NaiveDate::parse_from_str(data_iso, "%Y-%m-%d").map_err(|_| {
        ErroreSigillo::Firma(format!(
            "data del documento «{data_iso}» non valida: serve per l'ora della firma"
        ))
    })?;
    Ok(data.format("D:%Y%m%d000000Z").to_string())
}

/// A document's JSON data with the seal's note added (`"sigillo": {"nota":
/// …}`), so that the template says the document is sealed. Unsealed
/// documents keep their data as it is.
pub fn con_nota(json: &[u8]) -> Vec<u8> {
    let nota = serde_json::json!({ "nota": NOTA }).to_string();
    let corpo = json.trim_ascii_end();
    let Some(senza_chiusa) = corpo.strip_suffix(b"}") else {
        return json.to_vec();
    };
    let vuoto = senza_chiusa.trim_ascii_end() == b"{";
    let mut out = Vec::with_capacity(json.len() + nota.len() + 16);
    out.extend_from_slice(senza_chiusa);
    if !vuoto {
        out.push(b',');
    }
    out.extend_from_slice(b"\"sigillo\":");
    out.extend_from_slice(nota.as_bytes());
    out.push(b'}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn la_nota_entra_nei_dati() {
        let v: serde_json::Value = serde_json::from_slice(&con_nota(br#"{"a":1}"#)).unwrap();
        assert_eq!(v["a"], 1);
        assert_eq!(v["sigillo"]["nota"], NOTA);
        let v: serde_json::Value = serde_json::from_slice(&con_nota(b"{ }")).unwrap();
        assert_eq!(v["sigillo"]["nota"], NOTA);
    }

    #[test]
    fn l_ora_viene_dalla_data() {
        assert_eq!(ora_pdf("2026-04-10").unwrap(), "D:20260410000000Z");
        assert!(ora_pdf("10/04/2026").is_err());
    }
}
