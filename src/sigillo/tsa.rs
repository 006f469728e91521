//! RFC 3161 timestamps: the request to a time-stamping authority over HTTP,
//! the checks of its reply, and the reading of a token's time.
//!
//! The request, reply and `TSTInfo` structures are declared here: the
//! `x509-tsp` crate has them, but on an older generation of `der` than the
//! rest of the seal. A timestamp token is itself a CMS `SignedData`, checked
//! with the same code as the seal ([`super::cms::verifica_firmatario`]).

use std::time::Duration;

use ::cms::content_info::ContentInfo;
use ::cms::signed_data::SignedData;
use der::asn1::{BitString, Int, ObjectIdentifier, OctetString, Uint};
use der::{Any, Decode, Encode, Sequence};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::spki::AlgorithmIdentifierOwned;

use super::cms::{self, oid};
use super::ErroreSigillo;

/// `MessageImprint` (RFC 3161).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct MessageImprint {
    hash_algorithm: AlgorithmIdentifierOwned,
    hashed_message: OctetString,
}

/// `TimeStampReq` (RFC 3161), without policy and extensions.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct TimeStampReq {
    version: u8,
    message_imprint: MessageImprint,
    #[asn1(optional = "true")]
    nonce: Option<Uint>,
    #[asn1(default = "Default::default")]
    cert_req: bool,
}

/// `PKIStatusInfo` (RFC 3161).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct PkiStatusInfo {
    status: u32,
    #[asn1(optional = "true")]
    status_string: Option<Vec<String>>,
    #[asn1(optional = "true")]
    fail_info: Option<BitString>,
}

/// `TimeStampResp` (RFC 3161).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct TimeStampResp {
    status: PkiStatusInfo,
    #[asn1(optional = "true")]
    time_stamp_token: Option<ContentInfo>,
}

/// `Accuracy` (RFC 3161).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct Accuracy {
    #[asn1(optional = "true")]
    seconds: Option<u64>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    millis: Option<u16>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    micros: Option<u16>,
}

/// `TSTInfo` (RFC 3161). `genTime` is kept as it was encoded: the der
/// crate's `GeneralizedTime` refuses the fractions of a second many
/// authorities write.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct TstInfo {
    version: u8,
    policy: ObjectIdentifier,
    message_imprint: MessageImprint,
    serial_number: Int,
    gen_time: Any,
    #[asn1(optional = "true")]
    accuracy: Option<Accuracy>,
    #[asn1(default = "Default::default")]
    ordering: bool,
    #[asn1(optional = "true")]
    nonce: Option<Uint>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    tsa: Option<GeneralName>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    extensions: Option<x509_cert::ext::Extensions>,
}

/// A time-stamping authority reached over HTTP(S).
pub struct Tsa {
    url: String,
    agente: ureq::Agent,
}

impl std::fmt::Debug for Tsa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Tsa").field(&self.url).finish()
    }
}

/// Longest wait for an authority's reply.
const ATTESA: Duration = Duration::from_secs(30);
/// Largest reply read: a token with its certificates is a few kilobytes.
const MASSIMO: u64 = 1 << 20;

impl Tsa {
    /// The authority at `url` (`http://…` or `https://…`).
    pub fn nuova(url: &str) -> Self {
        let agente = ureq::Agent::config_builder()
            .timeout_global(Some(ATTESA))
            .http_status_as_error(false)
            .build()
            .into();
        Tsa {
            url: url.to_string(),
            agente,
        }
    }

    /// The authority's address.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A timestamp token (an encoded `ContentInfo`) over `firma`, the
    /// signature value it will be attached to: the authority's reply is
    /// checked (status, imprint, nonce, the token's own signature) before
    /// it is used.
    pub(crate) fn marca(&self, firma: &[u8]) -> Result<Any, ErroreSigillo> {
        let errore = |e: String| ErroreSigillo::Tsa(self.url.clone(), e);
        let mut nonce = [0u8; 8];
        getrandom::fill(&mut nonce).map_err(|e| errore(e.to_string()))?;
        let imprint = MessageImprint {
            hash_algorithm: cms::sha256(),
            hashed_message: OctetString::new(cms::digest(&oid::SHA256, &[firma]).expect("SHA-256"))
                .map_err(|e| errore(e.to_string()))?,
        };
        let nonce = Uint::new(&nonce).map_err(|e| errore(e.to_string()))?;
        let richiesta = TimeStampReq {
            version: 1,
            message_imprint: imprint.clone(),
            nonce: Some(nonce.clone()),
            cert_req: true,
        }
        .to_der()
        .map_err(|e| errore(e.to_string()))?;
        let mut risposta = self
            .agente
            .post(&self.url)
            .header("Content-Type", "application/timestamp-query")
            .send(&richiesta[..])
            .map_err(|e| errore(e.to_string()))?;
        let stato = risposta.status();
        let corpo = risposta
            .body_mut()
            .with_config()
            .limit(MASSIMO)
            .read_to_vec()
            .map_err(|e| errore(e.to_string()))?;
        if !stato.is_success() {
            return Err(errore(format!("risposta HTTP {stato}")));
        }
        let r = TimeStampResp::from_der(&corpo)
            .map_err(|e| errore(format!("risposta non RFC 3161: {e}")))?;
        if r.status.status > 1 {
            return Err(errore(format!(
                "marca rifiutata (stato {}{})",
                r.status.status,
                r.status
                    .status_string
                    .map(|s| format!(": {}", s.join("; ")))
                    .unwrap_or_default()
            )));
        }
        let token = r
            .time_stamp_token
            .ok_or_else(|| errore("risposta senza marca".into()))?;
        let letta =
            leggi_marca(&token.to_der().map_err(|e| errore(e.to_string()))?).map_err(errore)?;
        if letta.info.message_imprint != imprint {
            return Err(errore("la marca non riguarda questa firma".into()));
        }
        if letta.info.nonce.as_ref() != Some(&nonce) {
            return Err(errore(
                "la marca non risponde a questa richiesta (nonce)".into(),
            ));
        }
        Any::encode_from(&token).map_err(|e| errore(e.to_string()))
    }
}

/// A timestamp token, read and its signature checked.
struct MarcaLetta {
    info: TstInfo,
    firmatario: cms::Firmatario,
    signed_data: SignedData,
}

fn leggi_marca(token: &[u8]) -> Result<MarcaLetta, String> {
    let sd = cms::leggi(token)?;
    if sd.encap_content_info.econtent_type != oid::TST_INFO {
        return Err("il token non contiene un TSTInfo".into());
    }
    let contenuto = sd
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or("token senza contenuto")?
        .decode_as::<OctetString>()
        .map_err(|e| e.to_string())?;
    let info = TstInfo::from_der(contenuto.as_bytes()).map_err(|e| format!("TSTInfo: {e}"))?;
    let firmatario = cms::verifica_firmatario(&sd, oid::TST_INFO, &[contenuto.as_bytes()])
        .map_err(|e| format!("firma della marca: {e}"))?;
    Ok(MarcaLetta {
        info,
        firmatario,
        signed_data: sd,
    })
}

/// What a seal's timestamp says, once checked.
#[derive(Debug, Clone)]
pub struct MarcaVerificata {
    /// When the authority saw the signature, as it wrote it (UTC).
    pub ora: String,
    /// The same as seconds since 1970, for the certificate checks.
    pub(crate) secondi: Option<i64>,
    /// The authority's certificate subject.
    pub autorita: String,
    /// The authority's certificate and the others in its token, for the chain.
    pub(crate) certificati: Vec<x509_cert::Certificate>,
}

/// Checks the token `token` attached to the signature value `firma`: its
/// own signature, and that its imprint is the hash of `firma`.
pub(crate) fn verifica_marca(token: &Any, firma: &[u8]) -> Result<MarcaVerificata, String> {
    let letta = leggi_marca(&token.to_der().map_err(|e| e.to_string())?)?;
    let mi = &letta.info.message_imprint;
    let atteso = cms::digest(&mi.hash_algorithm.oid, &[firma])
        .ok_or("algoritmo di impronta della marca non supportato")?;
    if mi.hashed_message.as_bytes() != atteso.as_slice() {
        return Err("la marca non riguarda questa firma".into());
    }
    let testo = String::from_utf8_lossy(letta.info.gen_time.value()).into_owned();
    let secondi = secondi_generalized(&testo);
    let mut certificati = cms::certificati(&letta.signed_data);
    certificati.retain(|c| c != &letta.firmatario.certificato);
    certificati.insert(0, letta.firmatario.certificato.clone());
    Ok(MarcaVerificata {
        ora: secondi
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .map(|d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or(testo),
        secondi,
        autorita: super::soggetto(&letta.firmatario.certificato),
        certificati,
    })
}

/// Seconds since 1970 of a GeneralizedTime in UTC (`YYYYMMDDHHMMSS[.f]Z`).
fn secondi_generalized(t: &str) -> Option<i64> {
    let t = t.strip_suffix('Z')?;
    let t = t.split('.').next()?;
    chrono::NaiveDateTime::parse_from_str(t, "%Y%m%d%H%M%S")
        .ok()
        .map(|d| d.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legge_le_ore_con_frazioni() {
        assert_eq!(secondi_generalized("20260410101500Z"), Some(1_775_816_100));
        assert_eq!(
            secondi_generalized("20260410101500.123Z"),
            Some(1_775_816_100)
        );
        assert_eq!(secondi_generalized("20260410101500"), None);
    }

    #[test]
    fn la_richiesta_e_der_con_cert_req() {
        let r = TimeStampReq {
            version: 1,
            message_imprint: MessageImprint {
                hash_algorithm: cms::sha256(),
                hashed_message: OctetString::new([7u8; 32]).unwrap(),
            },
            nonce: Some(Uint::new(&[0x80, 1]).unwrap()),
            cert_req: true,
        };
        let der = r.to_der().unwrap();
        assert_eq!(TimeStampReq::from_der(&der).unwrap(), r);
        // certReq TRUE is encoded (FALSE, its default, would be left out).
        assert!(der.ends_with(&[0x01, 0x01, 0xff]));
    }
}
