//! The checks of a sealed PDF, for `verify-doc`: that the signature covers
//! the whole file but its own value, that the digest and the signature
//! match (integrity), which certificate signed and when, the timestamp if
//! there is one, and whether the certificate chains to a trusted root.
//!
//! Revocation (CRL, OCSP) is not checked: the PDF readers and validators
//! that know the trust service provider's lists do that.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
use x509_cert::Certificate;

use super::cms::{self, oid};
use super::tsa::{self, MarcaVerificata};
use super::{pdf, soggetto, ErroreSigillo};

/// Whether the certificate chains to a trusted root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Catena {
    /// Up to this root of the trusted ones given.
    Attendibile(String),
    /// No chain to the trusted roots given, and why.
    NonAttendibile(String),
    /// No trusted roots were given.
    NonVerificata,
}

/// What the checks of one seal found.
#[derive(Debug, Clone)]
pub struct EsitoSigillo {
    /// The signature covers the file and matches it; otherwise why not.
    pub integrita: Result<(), String>,
    /// The seal certificate's subject.
    pub firmatario: Option<String>,
    /// The signing time the document claims (`/M`).
    pub ora_dichiarata: Option<String>,
    /// The timestamp, checked, when the seal has one.
    pub marca: Option<Result<MarcaVerificata, String>>,
    /// The seal certificate's validity period.
    pub validita: Option<String>,
    /// Whether the certificate chains to a trusted root.
    pub catena: Catena,
    /// Whether the timestamp authority chains to a trusted root.
    pub catena_marca: Option<Catena>,
    /// What departs from PAdES baseline without breaking the seal.
    pub avvisi: Vec<String>,
}

impl EsitoSigillo {
    /// Intact, with a valid timestamp if any, and not refused by the trust
    /// check when one was asked for.
    pub fn valido(&self) -> bool {
        self.integrita.is_ok()
            && !matches!(self.marca, Some(Err(_)))
            && !matches!(self.catena, Catena::NonAttendibile(_))
            && !matches!(self.catena_marca, Some(Catena::NonAttendibile(_)))
    }

    /// The report, one field a line, as `verify-doc` prints it.
    pub fn descrizione(&self) -> String {
        let mut r = vec![match &self.integrita {
            Ok(()) => "sigillo elettronico: INTEGRO (la firma copre l'intero file)".to_string(),
            Err(e) => format!("sigillo elettronico: NON VALIDO: {e}"),
        }];
        let mut riga = |k: &str, v: &str| r.push(format!("  {k:<20}{v}"));
        if let Some(f) = &self.firmatario {
            riga("firmatario:", f);
        }
        if let Some(o) = &self.ora_dichiarata {
            riga(
                "ora della firma:",
                &format!("{o} (dichiarata nel documento)"),
            );
        }
        match &self.marca {
            Some(Ok(m)) => riga("marca temporale:", &format!("{}, da {}", m.ora, m.autorita)),
            Some(Err(e)) => riga("marca temporale:", &format!("NON VALIDA: {e}")),
            None => {}
        }
        if let Some(v) = &self.validita {
            riga("certificato:", v);
        }
        if self.integrita.is_ok() {
            riga("catena:", &descrivi_catena(&self.catena));
        }
        if let Some(c) = &self.catena_marca {
            riga("catena della marca:", &descrivi_catena(c));
        }
        for a in &self.avvisi {
            riga("avviso:", a);
        }
        r.join("\n")
    }
}

fn descrivi_catena(c: &Catena) -> String {
    match c {
        Catena::Attendibile(radice) => format!("attendibile, fino a «{radice}»"),
        Catena::NonAttendibile(perche) => format!("NON attendibile (chain not trusted): {perche}"),
        Catena::NonVerificata => {
            "non verificata (indicare le autorità attendibili con --trust CA.pem)".into()
        }
    }
}

/// The trusted roots of a PEM file (one or more certificates).
pub fn leggi_ancore(file: &Path) -> Result<Vec<Certificate>, ErroreSigillo> {
    let pem = std::fs::read(file).map_err(|e| ErroreSigillo::File(file.to_path_buf(), e))?;
    let ancore = Certificate::load_pem_chain(&pem).map_err(|e| {
        ErroreSigillo::Pkcs12(
            file.to_path_buf(),
            format!("certificati PEM illeggibili: {e}"),
        )
    })?;
    if ancore.is_empty() {
        return Err(ErroreSigillo::Pkcs12(
            file.to_path_buf(),
            "nessun certificato PEM".into(),
        ));
    }
    Ok(ancore)
}

/// Checks every seal of `pdf` against the trusted roots `ancore`, if
/// given. An empty list means the PDF has no seal; an error, that the file
/// is not a PDF lauream can read.
pub fn verifica_pdf(
    pdf: &[u8],
    ancore: Option<&[Certificate]>,
) -> Result<Vec<EsitoSigillo>, pdf::ErrorePdf> {
    Ok(pdf::firme(pdf)?
        .iter()
        .map(|f| verifica_firma(pdf, f, ancore))
        .collect())
}

fn verifica_firma(
    pdf: &[u8],
    f: &pdf::FirmaTrovata,
    ancore: Option<&[Certificate]>,
) -> EsitoSigillo {
    let mut esito = EsitoSigillo {
        integrita: Ok(()),
        firmatario: None,
        ora_dichiarata: f
            .m
            .as_deref()
            .map(|m| ora_leggibile(m).unwrap_or_else(|| m.to_string())),
        marca: None,
        validita: None,
        catena: Catena::NonVerificata,
        catena_marca: None,
        avvisi: Vec::new(),
    };
    if f.sub_filter.as_deref() != Some("ETSI.CAdES.detached") {
        esito.avvisi.push(format!(
            "/SubFilter {}: non è una firma PAdES (ETSI.CAdES.detached)",
            f.sub_filter.as_deref().unwrap_or("assente")
        ));
    }
    let intervalli = match intervalli(pdf, f) {
        Ok(i) => i,
        Err(e) => {
            esito.integrita = Err(e);
            return esito;
        }
    };
    let firmatario = match cms::leggi(&f.cms)
        .and_then(|sd| cms::verifica_firmatario(&sd, oid::DATA, &intervalli).map(|fi| (sd, fi)))
    {
        Ok(x) => x,
        Err(e) => {
            esito.integrita = Err(e);
            return esito;
        }
    };
    let (sd, firmatario) = firmatario;
    let cert = &firmatario.certificato;
    esito.firmatario = Some(soggetto(cert));
    let validita = &cert.tbs_certificate().validity();
    esito.validita = Some(format!(
        "valido dal {} al {}",
        giorno(validita.not_before.to_unix_duration().as_secs()),
        giorno(validita.not_after.to_unix_duration().as_secs())
    ));
    if !firmatario.certificato_legato {
        esito.avvisi.push(
            "manca l'attributo signing-certificate-v2 che lega la firma al certificato".into(),
        );
    }
    if firmatario.ora_nella_firma {
        esito
            .avvisi
            .push("attributo signing-time presente: PAdES vuole l'ora in /M".into());
    }
    let token = firmatario.signer.unsigned_attrs.as_ref().and_then(|a| {
        a.iter()
            .find(|a| a.oid == oid::TIME_STAMP_TOKEN)
            .and_then(|a| a.values.iter().next().cloned())
    });
    esito.marca = token.map(|t| tsa::verifica_marca(&t, firmatario.signer.signature.as_bytes()));
    // The certificates are judged at the timestamp's time when there is
    // one, else at the time the document claims.
    let quando = match &esito.marca {
        Some(Ok(m)) => m.secondi,
        _ => f.m.as_deref().and_then(secondi_pdf),
    };
    if let Some(ancore) = ancore {
        esito.catena = catena(cert, &cms::certificati(&sd), ancore, quando);
        if let Some(Ok(m)) = &esito.marca {
            esito.catena_marca = Some(catena(&m.certificati[0], &m.certificati, ancore, m.secondi));
        }
    }
    esito
}

/// The two signed ranges, after checking that `/ByteRange` leaves out
/// exactly the signature's value and reaches the end of the file.
fn intervalli<'a>(pdf: &'a [u8], f: &pdf::FirmaTrovata) -> Result<[&'a [u8]; 2], String> {
    let &[0, a, b, c] = f.intervalli.as_slice() else {
        return Err("/ByteRange malformato".into());
    };
    let (a, b, c) = (a as usize, b as usize, c as usize);
    if a != f.posto.start || b != f.posto.end {
        return Err("/ByteRange non esclude esattamente il valore della firma".into());
    }
    if b.checked_add(c) != Some(pdf.len()) {
        return Err(
            "la firma non copre l'intero file: il documento è stato modificato dopo il sigillo"
                .into(),
        );
    }
    Ok([&pdf[..a], &pdf[b..]])
}

/// Walks from `cert` up through `intermedi` to one of `ancore`, checking
/// each X.509 signature, that each issuer is a CA, and that each
/// certificate was valid at `quando` (seconds since 1970), if known.
fn catena(
    cert: &Certificate,
    intermedi: &[Certificate],
    ancore: &[Certificate],
    quando: Option<i64>,
) -> Catena {
    let mut corrente = cert.clone();
    for _ in 0..16 {
        if let Err(e) = valido_il(&corrente, quando) {
            return Catena::NonAttendibile(e);
        }
        if ancore.contains(&corrente) {
            return Catena::Attendibile(soggetto(&corrente));
        }
        let emittente = corrente.tbs_certificate().issuer();
        let trova = |insieme: &[Certificate]| {
            insieme
                .iter()
                .find(|p| {
                    p.tbs_certificate().subject() == emittente
                        && **p != corrente
                        && autorita(p)
                        && cms::firmato_da(&corrente, p).is_ok()
                })
                .cloned()
        };
        if let Some(a) = trova(ancore) {
            return match valido_il(&a, quando) {
                Ok(()) => Catena::Attendibile(soggetto(&a)),
                Err(e) => Catena::NonAttendibile(e),
            };
        }
        match trova(intermedi) {
            Some(p) => corrente = p,
            None if emittente == corrente.tbs_certificate().subject() => {
                return Catena::NonAttendibile(format!(
                    "la radice «{emittente}» non è tra le autorità attendibili indicate"
                ))
            }
            None => {
                return Catena::NonAttendibile(format!(
                    "l'emittente «{emittente}» di «{}» non è tra le autorità attendibili indicate",
                    soggetto(&corrente)
                ))
            }
        }
    }
    Catena::NonAttendibile("catena di certificati troppo lunga".into())
}

/// Whether a certificate may issue others (basicConstraints cA).
fn autorita(c: &Certificate) -> bool {
    c.tbs_certificate()
        .get_extension::<BasicConstraints>()
        .ok()
        .flatten()
        .is_some_and(|(_, b)| b.ca)
}

fn valido_il(c: &Certificate, quando: Option<i64>) -> Result<(), String> {
    let Some(t) = quando else { return Ok(()) };
    let v = c.tbs_certificate().validity();
    let (da, a) = (
        v.not_before.to_unix_duration().as_secs() as i64,
        v.not_after.to_unix_duration().as_secs() as i64,
    );
    if t < da || t > a {
        return Err(format!(
            "«{}» non era valido all'ora della firma ({}): valido dal {} al {}",
            soggetto(c),
            giorno(t as u64),
            giorno(da as u64),
            giorno(a as u64)
        ));
    }
    Ok(())
}

/// Refuses a seal certificate that cannot sign at `ora`: expired, not yet
/// valid, or whose key usage excludes signatures.
pub(crate) fn utilizzabile(c: &Certificate, ora: SystemTime) -> Result<(), ErroreSigillo> {
    let v = c.tbs_certificate().validity();
    let adesso = ora.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let errore = |motivo: String| ErroreSigillo::Certificato {
        soggetto: soggetto(c),
        motivo,
    };
    let (da, a) = (
        v.not_before.to_unix_duration().as_secs(),
        v.not_after.to_unix_duration().as_secs(),
    );
    if adesso > a {
        return Err(errore(format!(
            "scaduto il {}: nessun documento è stato scritto; rinnovarlo presso il prestatore di servizi fiduciari",
            giorno(a)
        )));
    }
    if adesso < da {
        return Err(errore(format!(
            "valido solo dal {}: nessun documento è stato scritto",
            giorno(da)
        )));
    }
    if let Ok(Some((_, KeyUsage(usi)))) = c.tbs_certificate().get_extension::<KeyUsage>() {
        if !usi.contains(KeyUsages::DigitalSignature) && !usi.contains(KeyUsages::NonRepudiation) {
            return Err(errore(
                "il suo uso (keyUsage) non comprende la firma".into(),
            ));
        }
    }
    Ok(())
}

/// `YYYY-MM-DD` of seconds since 1970.
fn giorno(secondi: u64) -> String {
    i64::try_from(secondi)
        .ok()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map_or_else(|| secondi.to_string(), |d| d.format("%Y-%m-%d").to_string())
}

/// Seconds since 1970 of a PDF date (`D:YYYYMMDDHHmmSS…`), its offset
/// ignored: it serves to judge certificates valid for years.
fn secondi_pdf(m: &str) -> Option<i64> {
    let cifre = m.strip_prefix("D:")?.get(..14)?;
    chrono::NaiveDateTime::parse_from_str(cifre, "%Y%m%d%H%M%S")
        .ok()
        .map(|d| d.and_utc().timestamp())
}

/// A PDF date as people read it: `2026-04-10 00:00:00 UTC`.
fn ora_leggibile(m: &str) -> Option<String> {
    let s = secondi_pdf(m)?;
    let resto = m.strip_prefix("D:")?.get(14..).unwrap_or("");
    let d = chrono::DateTime::from_timestamp(s, 0)?.format("%Y-%m-%d %H:%M:%S");
    Some(if resto.is_empty() || resto == "Z" {
        format!("{d} UTC")
    } else {
        format!("{d} {resto}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_pdf() {
        assert_eq!(
            ora_leggibile("D:20260410000000Z").as_deref(),
            Some("2026-04-10 00:00:00 UTC")
        );
        assert_eq!(secondi_pdf("D:20260410000000Z"), Some(1_775_779_200));
        assert_eq!(secondi_pdf("D:2026"), None);
    }
}
