//! Who holds the seal's key: the [`Sigillante`] trait, and its one
//! implementation today, a key read from a PKCS#12 file ([`ChiaveSoftware`]).
//!
//! The trait is all the rest of the seal knows of a key: its certificate
//! chain, its signature algorithm, and a function that signs bytes. A
//! qualified seal usually lives in a hardware module (PKCS#11) or with a
//! remote signing service of the trust service provider; either is a new
//! type implementing [`Sigillante`] (its `firma` calls `C_Sign`, or posts the
//! hash to the service), and nothing else changes.

use std::path::Path;

use der::Encode;
use x509_cert::spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use super::cms::oid;
use super::ErroreSigillo;

/// A holder of the seal's private key.
///
/// `firma` must be deterministic for the output to be reproducible (RSA
/// PKCS#1 v1.5 and ECDSA with RFC 6979 nonces are); a randomised scheme
/// still gives valid seals, only not byte-identical ones.
pub trait Sigillante: Send + Sync {
    /// The seal's certificate first, then the certificates of its issuers.
    fn certificati(&self) -> &[Certificate];

    /// The algorithm of the signatures `firma` makes, as CMS names it
    /// (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`).
    fn algoritmo(&self) -> AlgorithmIdentifierOwned;

    /// Signs `dati` (the DER of the signed attributes): hashes them with
    /// SHA-256 and signs the hash. Returns the signature as CMS carries it
    /// (for ECDSA, the DER `Ecdsa-Sig-Value`).
    fn firma(&self, dati: &[u8]) -> Result<Vec<u8>, ErroreSigillo>;
}

/// The private key, by kind.
enum Chiave {
    Rsa(Box<rsa::pkcs1v15::SigningKey<rsa::sha2::Sha256>>),
    P256(p256::ecdsa::SigningKey),
}

/// A seal key held in this process's memory, read from a PKCS#12 file.
/// It is never written anywhere, and `Debug` does not show it.
pub struct ChiaveSoftware {
    certificati: Vec<Certificate>,
    chiave: Chiave,
}

impl std::fmt::Debug for ChiaveSoftware {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChiaveSoftware")
            .field("certificato", &super::soggetto(&self.certificati[0]))
            .finish_non_exhaustive()
    }
}

impl ChiaveSoftware {
    /// Reads the key and its certificate chain from a PKCS#12 file (`.p12`,
    /// `.pfx`) protected by `password`. Supports the modern encryption
    /// (PBES2, AES) and the legacy one (3DES, RC2) older tools export.
    pub fn da_pkcs12(file: &Path, password: &str) -> Result<Self, ErroreSigillo> {
        use p12_keystore::{KeyStore, Pkcs12ImportPolicy};
        let dati = std::fs::read(file).map_err(|e| ErroreSigillo::File(file.to_path_buf(), e))?;
        let archivio = KeyStore::from_pkcs12(&dati, password, Pkcs12ImportPolicy::Strict).map_err(
            |e| match e {
                p12_keystore::error::Error::MacError(_) => {
                    ErroreSigillo::Password(file.to_path_buf())
                }
                e => ErroreSigillo::Pkcs12(file.to_path_buf(), e.to_string()),
            },
        )?;
        let Some((_, voce)) = archivio.private_key_chain() else {
            return Err(ErroreSigillo::Pkcs12(
                file.to_path_buf(),
                "nessuna chiave privata con il suo certificato".into(),
            ));
        };
        let certificati = voce
            .certs()
            .iter()
            .map(|c| {
                use der::Decode;
                Certificate::from_der(c.as_der())
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ErroreSigillo::Pkcs12(file.to_path_buf(), e.to_string()))?;
        if certificati.is_empty() {
            return Err(ErroreSigillo::Pkcs12(
                file.to_path_buf(),
                "la chiave non ha un certificato".into(),
            ));
        }
        let chiave = leggi_chiave(voce.key().as_der())?;
        Ok(ChiaveSoftware {
            certificati,
            chiave,
        })
    }
}

/// A PKCS#8 private key of a kind the seal supports.
fn leggi_chiave(pkcs8: &[u8]) -> Result<Chiave, ErroreSigillo> {
    use rsa::pkcs8::DecodePrivateKey;
    let info = rsa::pkcs8::PrivateKeyInfoRef::try_from(pkcs8)
        .map_err(|e| ErroreSigillo::Chiave(format!("chiave PKCS#8 illeggibile: {e}")))?;
    match info.algorithm.oid {
        oid::RSA => {
            let k = rsa::PrivateKey::from_pkcs8_der(pkcs8)
                .map_err(|e| ErroreSigillo::Chiave(format!("chiave RSA: {e}")))?;
            Ok(Chiave::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(k))))
        }
        oid::EC => p256::SecretKey::from_pkcs8_der(pkcs8)
            .map(|k| Chiave::P256(k.into()))
            .map_err(|_| {
                ErroreSigillo::Chiave(
                    "chiave a curva ellittica non P-256 (servono RSA o ECDSA P-256)".into(),
                )
            }),
        altro => Err(ErroreSigillo::Chiave(format!(
            "algoritmo {altro} (servono RSA o ECDSA P-256)"
        ))),
    }
}

impl Sigillante for ChiaveSoftware {
    fn certificati(&self) -> &[Certificate] {
        &self.certificati
    }

    fn algoritmo(&self) -> AlgorithmIdentifierOwned {
        match self.chiave {
            Chiave::Rsa(_) => AlgorithmIdentifierOwned {
                oid: oid::SHA256_RSA,
                parameters: Some(der::Any::null()),
            },
            Chiave::P256(_) => AlgorithmIdentifierOwned {
                oid: oid::ECDSA_SHA256,
                parameters: None,
            },
        }
    }

    fn firma(&self, dati: &[u8]) -> Result<Vec<u8>, ErroreSigillo> {
        use rsa::signature::{SignatureEncoding, Signer};
        match &self.chiave {
            // PKCS#1 v1.5 is deterministic; the library blinds the private
            // operation with fresh randomness, which leaves the output as is.
            Chiave::Rsa(k) => k
                .try_sign(dati)
                .map(|s| s.to_vec())
                .map_err(|e| ErroreSigillo::Firma(e.to_string())),
            // RFC 6979: the nonce derives from key and message.
            Chiave::P256(k) => {
                let s: p256::ecdsa::Signature = k
                    .try_sign(dati)
                    .map_err(|e| ErroreSigillo::Firma(e.to_string()))?;
                Ok(s.to_der().to_bytes().to_vec())
            }
        }
    }
}

/// The DER of a certificate, for fingerprints.
pub(crate) fn der_di(c: &Certificate) -> Vec<u8> {
    c.to_der().expect("un certificato letto si codifica")
}
