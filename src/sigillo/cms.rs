//! The CMS side of the seal (RFC 5652, CAdES baseline B of ETSI EN 319 122-1
//! as PAdES asks for it): the detached `SignedData` over a digest, with the
//! signed attributes content-type, message-digest and signing-certificate-v2
//! and no signing-time (PAdES puts the time in the signature dictionary's
//! `/M`); and the checks of a `SignedData` someone else made: digest,
//! signature, signing certificate, X.509 signatures along a chain.
//!
//! The ASN.1 types are RustCrypto's (`cms`, `x509-cert`, `der`); the two
//! small ESS structures of RFC 5035 have no crate on this generation of
//! `der`, so they are declared here.

use ::cms::cert::IssuerAndSerialNumber;
use ::cms::content_info::{CmsVersion, ContentInfo};
use ::cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::Certificate;

/// The object identifiers the seal uses, by name.
pub(crate) mod oid {
    use der::asn1::ObjectIdentifier as Oid;

    /// id-data (RFC 5652).
    pub const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
    /// id-signedData (RFC 5652).
    pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
    /// id-contentType (RFC 5652).
    pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
    /// id-messageDigest (RFC 5652).
    pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
    /// id-signingTime (RFC 5652): PAdES forbids it in the signed attributes.
    pub const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
    /// id-aa-signingCertificateV2 (RFC 5035).
    pub const SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
    /// id-aa-timeStampToken (RFC 3161, appendix A).
    pub const TIME_STAMP_TOKEN: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.14");
    /// id-ct-TSTInfo (RFC 3161).
    pub const TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
    /// SHA-256 (RFC 5754).
    pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
    /// SHA-384 (RFC 5754).
    pub const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
    /// SHA-512 (RFC 5754).
    pub const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
    /// rsaEncryption (RFC 8017).
    pub const RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    /// sha256WithRSAEncryption, PKCS#1 v1.5 (RFC 8017).
    pub const SHA256_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
    /// sha384WithRSAEncryption (RFC 8017).
    pub const SHA384_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
    /// sha512WithRSAEncryption (RFC 8017).
    pub const SHA512_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
    /// id-ecPublicKey (RFC 5480).
    pub const EC: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    /// ecdsa-with-SHA256 (RFC 5758).
    pub const ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
    /// ecdsa-with-SHA384 (RFC 5758).
    pub const ECDSA_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
    /// ecdsa-with-SHA512 (RFC 5758).
    pub const ECDSA_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
}

/// `ESSCertIDv2` (RFC 5035): the hash of the signing certificate, which
/// binds the signature to it. The hash algorithm defaults to SHA-256 and is
/// then left out, as DER requires.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct EssCertIdV2 {
    #[asn1(optional = "true")]
    pub(crate) hash_algorithm: Option<AlgorithmIdentifierOwned>,
    pub(crate) cert_hash: OctetString,
    #[asn1(optional = "true")]
    pub(crate) issuer_serial: Option<IssuerSerial>,
}

/// `IssuerSerial` (RFC 5035).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct IssuerSerial {
    pub(crate) issuer: Vec<GeneralName>,
    pub(crate) serial_number: SerialNumber,
}

/// `SigningCertificateV2` (RFC 5035).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct SigningCertificateV2 {
    pub(crate) certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    pub(crate) policies: Option<Vec<Any>>,
}

/// SHA-256's algorithm identifier, parameters absent (RFC 5754).
pub(crate) fn sha256() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: oid::SHA256,
        parameters: None,
    }
}

/// The digest of `parti` with the algorithm `alg`, if it is one of SHA-2's.
pub(crate) fn digest(alg: &ObjectIdentifier, parti: &[&[u8]]) -> Option<Vec<u8>> {
    use sha2::Digest;
    fn con<D: Digest>(parti: &[&[u8]]) -> Vec<u8> {
        let mut h = D::new();
        for p in parti {
            h.update(p);
        }
        h.finalize().to_vec()
    }
    match *alg {
        oid::SHA256 => Some(con::<sha2::Sha256>(parti)),
        oid::SHA384 => Some(con::<sha2::Sha384>(parti)),
        oid::SHA512 => Some(con::<sha2::Sha512>(parti)),
        _ => None,
    }
}

fn attributo(oid: ObjectIdentifier, valore: Any) -> der::Result<Attribute> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![valore])?,
    })
}

/// What every signature of one seal shares, encoded once: the certificates,
/// the signer's identifier, the signing-certificate-v2 attribute.
#[derive(Debug)]
pub(crate) struct Modello {
    certificati: CertificateSet,
    sid: SignerIdentifier,
    certificato_firma: Attribute,
    algoritmo: AlgorithmIdentifierOwned,
}

impl Modello {
    /// The template of a seal whose certificate is `catena[0]`, followed by
    /// its issuers; `algoritmo` is the signature algorithm of its key.
    pub(crate) fn nuovo(
        catena: &[Certificate],
        algoritmo: AlgorithmIdentifierOwned,
    ) -> der::Result<Self> {
        let cert = &catena[0];
        let tbs = cert.tbs_certificate();
        let ess = SigningCertificateV2 {
            certs: vec![EssCertIdV2 {
                hash_algorithm: None,
                cert_hash: OctetString::new(
                    digest(&oid::SHA256, &[&cert.to_der()?]).expect("SHA-256"),
                )?,
                issuer_serial: Some(IssuerSerial {
                    issuer: vec![GeneralName::DirectoryName(tbs.issuer().clone())],
                    serial_number: tbs.serial_number().clone(),
                }),
            }],
            policies: None,
        };
        Ok(Modello {
            certificati: CertificateSet::try_from(
                catena
                    .iter()
                    .cloned()
                    .map(::cms::cert::CertificateChoices::Certificate)
                    .collect::<Vec<_>>(),
            )?,
            // Issuer and serial rather than the key identifier: version 1
            // SignerInfo, which every validator reads.
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: tbs.issuer().clone(),
                serial_number: tbs.serial_number().clone(),
            }),
            certificato_firma: attributo(oid::SIGNING_CERTIFICATE_V2, Any::encode_from(&ess)?)?,
            algoritmo,
        })
    }

    /// The signed attributes for a document whose digest is `digest`.
    pub(crate) fn attributi(&self, digest: &[u8]) -> der::Result<SetOfVec<Attribute>> {
        SetOfVec::try_from(vec![
            attributo(oid::CONTENT_TYPE, Any::encode_from(&oid::DATA)?)?,
            attributo(
                oid::MESSAGE_DIGEST,
                Any::encode_from(&OctetString::new(digest)?)?,
            )?,
            self.certificato_firma.clone(),
        ])
    }

    /// The encoded `ContentInfo` of the detached signature: `firma` over
    /// `attributi` (their DER, a SET OF), with an RFC 3161 token if given.
    pub(crate) fn firmato(
        &self,
        attributi: SetOfVec<Attribute>,
        firma: Vec<u8>,
        marca: Option<Any>,
    ) -> der::Result<Vec<u8>> {
        let unsigned_attrs = match marca {
            Some(m) => Some(SetOfVec::try_from(vec![attributo(
                oid::TIME_STAMP_TOKEN,
                m,
            )?])?),
            None => None,
        };
        let signer = SignerInfo {
            version: CmsVersion::V1,
            sid: self.sid.clone(),
            digest_alg: sha256(),
            signed_attrs: Some(attributi),
            signature_algorithm: self.algoritmo.clone(),
            signature: OctetString::new(firma)?,
            unsigned_attrs,
        };
        let dati = SignedData {
            version: CmsVersion::V1,
            digest_algorithms: SetOfVec::try_from(vec![sha256()])?,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: oid::DATA,
                econtent: None,
            },
            certificates: Some(self.certificati.clone()),
            crls: None,
            signer_infos: SignerInfos::try_from(vec![signer])?,
        };
        ContentInfo {
            content_type: oid::SIGNED_DATA,
            content: Any::encode_from(&dati)?,
        }
        .to_der()
    }
}

/// A `SignedData` from the encoded `ContentInfo` at the start of `byte`
/// (what follows, such as the zeros padding `/Contents`, is ignored).
pub(crate) fn leggi(byte: &[u8]) -> Result<SignedData, String> {
    let mut lettore = der::SliceReader::new(byte).map_err(|e| e.to_string())?;
    let info = ContentInfo::decode(&mut lettore).map_err(|e| format!("CMS illeggibile: {e}"))?;
    if info.content_type != oid::SIGNED_DATA {
        return Err(format!("CMS di tipo {}, non SignedData", info.content_type));
    }
    info.content
        .decode_as::<SignedData>()
        .map_err(|e| format!("SignedData illeggibile: {e}"))
}

/// The certificates a `SignedData` carries.
pub(crate) fn certificati(sd: &SignedData) -> Vec<Certificate> {
    sd.certificates
        .iter()
        .flat_map(|s| s.0.iter())
        .filter_map(|c| match c {
            ::cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

/// What the check of a `SignedData`'s one signer found.
pub(crate) struct Firmatario {
    pub(crate) certificato: Certificate,
    pub(crate) signer: SignerInfo,
    /// The signed attributes carry signing-certificate-v2 naming this certificate.
    pub(crate) certificato_legato: bool,
    /// A signing-time signed attribute is there (PAdES forbids it).
    pub(crate) ora_nella_firma: bool,
}

/// Checks the one signer of `sd`: its certificate is in `sd`, the
/// content-type attribute is `tipo`, the message digest is that of
/// `contenuto` (the parts hashed in order), and the signature over the
/// signed attributes verifies with the certificate's key.
pub(crate) fn verifica_firmatario(
    sd: &SignedData,
    tipo: ObjectIdentifier,
    contenuto: &[&[u8]],
) -> Result<Firmatario, String> {
    let [signer] = sd.signer_infos.0.as_slice() else {
        return Err(format!(
            "{} firmatari invece di uno",
            sd.signer_infos.0.len()
        ));
    };
    let certificato = certificati(sd)
        .into_iter()
        .find(|c| identifica(&signer.sid, c))
        .ok_or("il certificato del firmatario non è nella firma")?;
    let attributi = signer
        .signed_attrs
        .as_ref()
        .ok_or("la firma non ha attributi firmati")?;
    let valore = |o: ObjectIdentifier| {
        attributi
            .iter()
            .find(|a| a.oid == o)
            .and_then(|a| a.values.iter().next())
    };
    let tipo_firmato = valore(oid::CONTENT_TYPE)
        .and_then(|v| v.decode_as::<ObjectIdentifier>().ok())
        .ok_or("manca l'attributo content-type")?;
    if tipo_firmato != tipo {
        return Err(format!(
            "contenuto firmato di tipo {tipo_firmato}, atteso {tipo}"
        ));
    }
    let atteso = valore(oid::MESSAGE_DIGEST)
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or("manca l'attributo message-digest")?;
    let calcolato = digest(&signer.digest_alg.oid, contenuto).ok_or_else(|| {
        format!(
            "algoritmo di impronta {} non supportato",
            signer.digest_alg.oid
        )
    })?;
    if atteso.as_bytes() != calcolato.as_slice() {
        return Err("l'impronta del contenuto non corrisponde: il file è stato alterato".into());
    }
    let firmati = attributi.to_der().map_err(|e| e.to_string())?;
    verifica_con(
        certificato.tbs_certificate().subject_public_key_info(),
        &signer.signature_algorithm.oid,
        Some(&signer.digest_alg.oid),
        &firmati,
        signer.signature.as_bytes(),
    )
    .map_err(|e| format!("firma non valida: {e}"))?;
    let certificato_legato = valore(oid::SIGNING_CERTIFICATE_V2)
        .and_then(|v| v.decode_as::<SigningCertificateV2>().ok())
        .and_then(|s| s.certs.into_iter().next())
        .is_some_and(|id| {
            let alg = id.hash_algorithm.map_or(oid::SHA256, |a| a.oid);
            certificato
                .to_der()
                .ok()
                .and_then(|der| digest(&alg, &[&der]))
                .is_some_and(|h| h.as_slice() == id.cert_hash.as_bytes())
        });
    Ok(Firmatario {
        ora_nella_firma: valore(oid::SIGNING_TIME).is_some(),
        certificato,
        signer: signer.clone(),
        certificato_legato,
    })
}

/// Whether `sid` names the certificate `c`.
fn identifica(sid: &SignerIdentifier, c: &Certificate) -> bool {
    let tbs = c.tbs_certificate();
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(i) => {
            i.issuer == *tbs.issuer() && i.serial_number == *tbs.serial_number()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => tbs
            .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .is_some_and(|(_, s)| s == *ski),
    }
}

/// Verifies `firma` over `dati` with the public key `chiave`: RSA PKCS#1
/// v1.5 or ECDSA on P-256, with SHA-256, SHA-384 or SHA-512. `alg` is the
/// signature algorithm; when it names only the key (rsaEncryption), the
/// hash is `digest_alg`.
pub(crate) fn verifica_con(
    chiave: &SubjectPublicKeyInfoOwned,
    alg: &ObjectIdentifier,
    digest_alg: Option<&ObjectIdentifier>,
    dati: &[u8],
    firma: &[u8],
) -> Result<(), String> {
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;
    let der = chiave.to_der().map_err(|e| e.to_string())?;
    let hash = match *alg {
        oid::SHA256_RSA | oid::ECDSA_SHA256 => oid::SHA256,
        oid::SHA384_RSA | oid::ECDSA_SHA384 => oid::SHA384,
        oid::SHA512_RSA | oid::ECDSA_SHA512 => oid::SHA512,
        oid::RSA => *digest_alg.ok_or("algoritmo di impronta mancante")?,
        ref a => return Err(format!("algoritmo di firma {a} non supportato")),
    };
    match chiave.algorithm.oid {
        oid::RSA
            if matches!(
                *alg,
                oid::RSA | oid::SHA256_RSA | oid::SHA384_RSA | oid::SHA512_RSA
            ) =>
        {
            let pk = rsa::PublicKey::from_public_key_der(&der).map_err(|e| e.to_string())?;
            let s = rsa::pkcs1v15::Signature::try_from(firma).map_err(|e| e.to_string())?;
            let esito = match hash {
                oid::SHA256 => {
                    rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha256>::new(pk).verify(dati, &s)
                }
                oid::SHA384 => {
                    rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha384>::new(pk).verify(dati, &s)
                }
                oid::SHA512 => {
                    rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha512>::new(pk).verify(dati, &s)
                }
                h => return Err(format!("algoritmo di impronta {h} non supportato")),
            };
            esito.map_err(|_| "la firma RSA non corrisponde".to_string())
        }
        oid::EC
            if matches!(
                *alg,
                oid::ECDSA_SHA256 | oid::ECDSA_SHA384 | oid::ECDSA_SHA512
            ) =>
        {
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            let pk = p256::ecdsa::VerifyingKey::from_public_key_der(&der)
                .map_err(|_| "chiave ECDSA non su P-256: non supportata".to_string())?;
            let s = p256::ecdsa::Signature::from_der(firma).map_err(|e| e.to_string())?;
            let h = digest(&hash, &[dati]).ok_or("algoritmo di impronta non supportato")?;
            pk.verify_prehash(&h, &s)
                .map_err(|_| "la firma ECDSA non corrisponde".to_string())
        }
        ref k => Err(format!(
            "chiave {k} con algoritmo di firma {alg}: non supportata"
        )),
    }
}

/// Whether `padre` signed the certificate `figlio`.
pub(crate) fn firmato_da(figlio: &Certificate, padre: &Certificate) -> Result<(), String> {
    let tbs = figlio
        .tbs_certificate()
        .to_der()
        .map_err(|e| e.to_string())?;
    verifica_con(
        padre.tbs_certificate().subject_public_key_info(),
        &figlio.signature_algorithm().oid,
        None,
        &tbs,
        figlio.signature().raw_bytes(),
    )
}
