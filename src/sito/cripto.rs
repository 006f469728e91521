//! The site's cryptography, exactly as the page redoes it with WebCrypto
//! (`verifica.js`): whoever holds a verification code or a document's file
//! finds and opens its record; whoever holds only the published files learns
//! nothing.
//!
//! ```text
//! code:  m = PBKDF2-HMAC-SHA256(normalized code, salt, ITERAZIONI, 32 bytes)
//! PDF:   m = SHA-256(file)
//! id     = HKDF-SHA256(ikm = m, salt, info = "lauream/verifica/1/<domain>/id",     16 bytes)
//! key    = HKDF-SHA256(ikm = m, salt, info = "lauream/verifica/1/<domain>/chiave", 32 bytes)
//! record = nonce ‖ AES-256-GCM(key, nonce, padded JSON, aad = id in hex)
//! nonce  = HMAC-SHA256(key, "lauream/verifica/1/nonce" ‖ padded JSON)[..12]
//! ```
//!
//! A code carries about 45 bits: few enough that an attacker holding the
//! published files could try every code, so the code's master secret comes
//! from a slow PBKDF2 with a salt of this site, and both the lookup id and
//! the key come from that master (the id is never a fast hash of the code,
//! which would let anyone enumerate which codes exist). A file's SHA-256 is
//! 256 bits that only its holder knows: a fast derivation is enough there.
//!
//! The nonce is derived from the key and the content, so the same record
//! always encrypts to the same bytes (the site is deterministic) and two
//! different contents under one key never share a nonce.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

#[cfg(target_arch = "x86_64")]
mod sha_ni;

/// PBKDF2 iterations for a verification code. Each build pays them once per
/// new code (keys are kept between builds, see [`super::stato`]); a browser
/// pays them once per lookup (a fraction of a second); an attacker pays
/// them for every guess.
pub const ITERAZIONI: u32 = 100_000;

/// Bytes of the per-site salt.
pub const LUNGHEZZA_SALE: usize = 16;

/// Bytes of a lookup id (128 bits: no collisions among a site's records).
pub const LUNGHEZZA_ID: usize = 16;

/// Plaintexts are padded with spaces to a multiple of this, so that a
/// record's length says little about the length of the names inside.
pub const BLOCCO: usize = 64;

/// Which secret a record is found by; each has its own derivation labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dominio {
    /// The verification code printed on the document.
    Codice,
    /// The SHA-256 of the document's PDF.
    Pdf,
}

impl Dominio {
    fn nome(self) -> &'static str {
        match self {
            Dominio::Codice => "codice",
            Dominio::Pdf => "pdf",
        }
    }
}

/// Where a record lives and the key that opens it.
#[derive(Clone, PartialEq, Eq)]
pub struct Chiavi {
    /// The lookup id, lowercase hex; its first characters name the shard.
    pub id: String,
    /// The AES-256-GCM key.
    pub chiave: [u8; 32],
}

impl std::fmt::Debug for Chiavi {
    // The key is a secret: never in a log or an assertion's message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chiavi").field("id", &self.id).finish()
    }
}

/// The slow master secret of a code, in its normalized printed form
/// (`codice::normalizza`: `K7QM-3XPD-9T`), so that every way of typing it
/// leads to the same record.
pub fn maestra_codice(codice: &str, sale: &[u8]) -> [u8; 32] {
    pbkdf2_sha256(codice.as_bytes(), sale, ITERAZIONI)
}

/// SHA-256's initial state (FIPS 180-4 §5.3.3).
const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// What one PBKDF2 chain starts from, whatever computes its iterations:
/// the first value U1, and the HMAC's inner and outer states after its
/// padded key (the same for every iteration of the chain).
#[derive(Clone, Copy)]
struct Avvio {
    /// U1 = HMAC(password, salt ‖ INT(1)).
    u: [u8; 32],
    /// SHA-256's state after the key block xored with ipad.
    interno: [u32; 8],
    /// SHA-256's state after the key block xored with opad.
    esterno: [u32; 8],
}

impl Avvio {
    fn nuovo(password: &[u8], sale: &[u8]) -> Avvio {
        use sha2::digest::generic_array::GenericArray;
        // The first value, U1 = HMAC(password, salt ‖ INT(1)), hashes a
        // message of any length: the HMAC of the crate, once.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(password)
            .expect("HMAC accetta chiavi di ogni lunghezza");
        mac.update(sale);
        mac.update(&1u32.to_be_bytes());
        let u: [u8; 32] = mac.finalize().into_bytes().into();
        // HMAC's key block: the password, or its SHA-256 when longer than a
        // block, padded with zeros; xored with ipad and opad, compressed once.
        let mut chiave = [0u8; 64];
        if password.len() > 64 {
            chiave[..32].copy_from_slice(&Sha256::digest(password));
        } else {
            chiave[..password.len()].copy_from_slice(password);
        }
        let stato_dopo = |pad: u8| {
            let blocco = GenericArray::from(chiave.map(|b| b ^ pad));
            let mut s = H0;
            sha2::compress256(&mut s, std::slice::from_ref(&blocco));
            s
        };
        Avvio {
            u,
            interno: stato_dopo(0x36),
            esterno: stato_dopo(0x5c),
        }
    }
}

/// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) of 32 bytes, a single output block:
/// the same bytes as any PBKDF2, with the least work per iteration. The
/// HMAC's inner and outer states after its padded key are computed once;
/// each iteration is then exactly two compressions of one pre-padded block
/// (the 32-byte value, 0x80, zeros and the bit length of 64 + 32 bytes),
/// with no allocation and no hasher copied.
///
/// One chain at a time: every compression waits for the one before. To
/// derive many keys, [`pbkdf2_sha256_molti`] runs several chains side by
/// side on the CPUs that allow it.
pub fn pbkdf2_sha256(password: &[u8], sale: &[u8], iterazioni: u32) -> [u8; 32] {
    let avvio = Avvio::nuovo(password, sale);
    if iterazioni <= 1 {
        return avvio.u;
    }
    catena_scalare(&avvio, iterazioni)
}

/// The iterations 2..=`iterazioni` of one chain, with the bare compression
/// of the `sha2` crate (its own SHA-NI code where the CPU has it).
fn catena_scalare(avvio: &Avvio, iterazioni: u32) -> [u8; 32] {
    use sha2::digest::generic_array::GenericArray;
    let Avvio {
        u,
        interno,
        esterno,
    } = *avvio;
    let mut t = [0u8; 32];
    // Two blocks, each a 32-byte message after the key's block: its bytes,
    // 0x80, zeros, and (64 + 32) * 8 bits as a big-endian u64. The inner
    // hash reads U from the first and writes its digest into the second,
    // which the outer hash reads and writes the next U into the first.
    let pronto = |m: &[u8; 32]| {
        let mut b = GenericArray::from([0u8; 64]);
        b[..32].copy_from_slice(m);
        b[32] = 0x80;
        b[56..].copy_from_slice(&((64u64 + 32) * 8).to_be_bytes());
        b
    };
    let mut blocco_u = pronto(&u);
    let mut blocco_h = pronto(&[0; 32]);
    let mut parole = [0u32; 8];
    for (p, b) in parole.iter_mut().zip(u.chunks_exact(4)) {
        *p = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    }
    for _ in 1..iterazioni {
        let mut s = interno;
        sha2::compress256(&mut s, std::slice::from_ref(&blocco_u));
        for (b, w) in blocco_h[..32].chunks_exact_mut(4).zip(s) {
            b.copy_from_slice(&w.to_be_bytes());
        }
        let mut s = esterno;
        sha2::compress256(&mut s, std::slice::from_ref(&blocco_h));
        for ((b, w), p) in blocco_u[..32].chunks_exact_mut(4).zip(s).zip(&mut parole) {
            b.copy_from_slice(&w.to_be_bytes());
            *p ^= w;
        }
    }
    for (t, p) in t.chunks_exact_mut(4).zip(parole) {
        t.copy_from_slice(&p.to_be_bytes());
    }
    t
}

/// How many codes [`maestre_codici`] derives side by side: the chains one
/// core runs interleaved on SHA-NI. Measured on a Zen 4 core
/// (`misura_ns_per_iterazione` in `tests/sito_cripto.rs`), ns per
/// iteration per code: one chain 82, interleaved 1 wide 68, 2 wide 41, 3
/// wide 38, 4 wide 37. Two chains already fill most of the SHA unit's idle
/// cycles; beyond four there is nothing left to gain (about two cycles per
/// `sha256rnds2`, the unit's throughput) and the registers run out.
pub const CORSIE: usize = 4;

/// Whether this CPU runs [`pbkdf2_sha256_molti`] interleaved on SHA-NI
/// (otherwise it derives one chain after the other, same bytes).
pub fn sha_ni_disponibile() -> bool {
    #[cfg(target_arch = "x86_64")]
    return sha_ni::disponibile();
    #[cfg(not(target_arch = "x86_64"))]
    return false;
}

/// The slow master secrets of many codes (see [`maestra_codice`]), in the
/// order given: the same bytes, [`CORSIE`] chains at a time on one core.
pub fn maestre_codici(codici: &[&str], sale: &[u8]) -> Vec<[u8; 32]> {
    let password: Vec<&[u8]> = codici.iter().map(|c| c.as_bytes()).collect();
    pbkdf2_sha256_molti(&password, sale, ITERAZIONI)
}

/// [`pbkdf2_sha256`] of every password with the same salt and iteration
/// count, in the order given, on the calling thread. Where the CPU has
/// SHA-NI, [`CORSIE`] chains run interleaved (see `sha_ni.rs`: one chain
/// uses a fraction of the SHA unit, several fill it); elsewhere one after
/// the other. The bytes are the same either way.
pub fn pbkdf2_sha256_molti(password: &[&[u8]], sale: &[u8], iterazioni: u32) -> Vec<[u8; 32]> {
    pbkdf2_sha256_a_corsie(password, sale, iterazioni, CORSIE)
}

/// [`pbkdf2_sha256_molti`] with `corsie` chains interleaved (1 to 4), or
/// with the portable path forced (`corsie == 0`), for the tests and the
/// measurements that compare them; any other count is a bug.
#[doc(hidden)]
pub fn pbkdf2_sha256_a_corsie(
    password: &[&[u8]],
    sale: &[u8],
    iterazioni: u32,
    corsie: usize,
) -> Vec<[u8; 32]> {
    assert!(corsie <= 4, "da 0 a 4 corsie, non {corsie}");
    let avvii: Vec<Avvio> = password.iter().map(|p| Avvio::nuovo(p, sale)).collect();
    if iterazioni <= 1 {
        return avvii.iter().map(|a| a.u).collect();
    }
    if corsie == 0 || !sha_ni_disponibile() {
        return avvii
            .iter()
            .map(|a| catena_scalare(a, iterazioni))
            .collect();
    }
    let mut out = Vec::with_capacity(avvii.len());
    for gruppo in avvii.chunks(corsie) {
        out.extend(catene_accelerate(gruppo, iterazioni));
    }
    out
}

/// The chains of a group of one to four codes, interleaved on SHA-NI: a
/// last group shorter than the others runs as wide as it is.
fn catene_accelerate(gruppo: &[Avvio], iterazioni: u32) -> Vec<[u8; 32]> {
    #[cfg(target_arch = "x86_64")]
    {
        fn larghe<const K: usize>(g: &[Avvio], iterazioni: u32) -> Option<Vec<[u8; 32]>> {
            let g: &[Avvio; K] = g.try_into().ok()?;
            sha_ni::catene(g, iterazioni).map(Vec::from)
        }
        let fatte = match gruppo.len() {
            1 => larghe::<1>(gruppo, iterazioni),
            2 => larghe::<2>(gruppo, iterazioni),
            3 => larghe::<3>(gruppo, iterazioni),
            4 => larghe::<4>(gruppo, iterazioni),
            _ => None,
        };
        if let Some(fatte) = fatte {
            return fatte;
        }
    }
    gruppo
        .iter()
        .map(|a| catena_scalare(a, iterazioni))
        .collect()
}

/// The master secret of a file: its SHA-256.
pub fn maestra_pdf(sha256: &[u8; 32]) -> [u8; 32] {
    *sha256
}

/// Lookup id and key from a master secret.
pub fn espandi(maestra: &[u8; 32], sale: &[u8], dominio: Dominio) -> Chiavi {
    let hk = hkdf::Hkdf::<Sha256>::new(Some(sale), maestra);
    let mut id = [0u8; LUNGHEZZA_ID];
    let mut chiave = [0u8; 32];
    let info = |cosa: &str| format!("lauream/verifica/1/{}/{cosa}", dominio.nome());
    hk.expand(info("id").as_bytes(), &mut id)
        .expect("16 byte sono un'uscita HKDF valida");
    hk.expand(info("chiave").as_bytes(), &mut chiave)
        .expect("32 byte sono un'uscita HKDF valida");
    Chiavi {
        id: hex::encode(id),
        chiave,
    }
}

/// A record's plaintext padded to a multiple of [`BLOCCO`] with spaces
/// (which JSON ignores after the value).
fn riempi(testo: &str) -> Vec<u8> {
    let mut v = testo.as_bytes().to_vec();
    let n = v.len().div_ceil(BLOCCO).max(1) * BLOCCO;
    v.resize(n, b' ');
    v
}

/// Encrypts a record under its keys: `nonce ‖ ciphertext ‖ tag`, hex.
pub fn cifra(chiavi: &Chiavi, testo: &str) -> String {
    let chiaro = riempi(testo);
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&chiavi.chiave)
        .expect("HMAC accetta chiavi di ogni lunghezza");
    mac.update(b"lauream/verifica/1/nonce");
    mac.update(&chiaro);
    let nonce = mac.finalize().into_bytes();
    let nonce = Nonce::from_slice(&nonce[..12]);
    let cifrario = Aes256Gcm::new_from_slice(&chiavi.chiave).expect("chiave di 32 byte");
    let cifrato = cifrario
        .encrypt(
            nonce,
            Payload {
                msg: &chiaro,
                aad: chiavi.id.as_bytes(),
            },
        )
        .expect("AES-GCM cifra ogni messaggio di lunghezza ragionevole");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&cifrato);
    hex::encode(out)
}

/// Decrypts what [`cifra`] wrote (the page does this in the browser; here
/// for tests and for reading a site back). `None` when the key is wrong or
/// the record was altered.
pub fn decifra(chiavi: &Chiavi, record: &str) -> Option<String> {
    let b = hex::decode(record).ok()?;
    if b.len() < 12 + 16 {
        return None;
    }
    let cifrario = Aes256Gcm::new_from_slice(&chiavi.chiave).ok()?;
    let chiaro = cifrario
        .decrypt(
            Nonce::from_slice(&b[..12]),
            Payload {
                msg: &b[12..],
                aad: chiavi.id.as_bytes(),
            },
        )
        .ok()?;
    String::from_utf8(chiaro)
        .ok()
        .map(|s| s.trim_end().to_string())
}

/// The keys of a code (slow) and of a file's digest (fast), for tests and
/// tools that read a site back.
pub fn chiavi_codice(codice: &str, sale: &[u8]) -> Chiavi {
    espandi(&maestra_codice(codice, sale), sale, Dominio::Codice)
}

/// The keys of a PDF from its bytes.
pub fn chiavi_pdf(pdf: &[u8], sale: &[u8]) -> Chiavi {
    let h: [u8; 32] = Sha256::digest(pdf).into();
    espandi(&maestra_pdf(&h), sale, Dominio::Pdf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pbkdf2_e_hkdf_danno_i_valori_dei_vettori_di_riferimento() {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256("passwd", "salt", 1, 64), first 32 bytes.
        let mut m = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"passwd", b"salt", 1, &mut m);
        assert_eq!(
            hex::encode(m),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
        // RFC 5869, test case 1.
        let ikm = [0x0bu8; 22];
        let sale = hex::decode("000102030405060708090a0b0c").unwrap();
        let info = hex::decode("f0f1f2f3f4f5f6f7f8f9").unwrap();
        let mut okm = [0u8; 42];
        hkdf::Hkdf::<Sha256>::new(Some(&sale), &ikm)
            .expand(&info, &mut okm)
            .unwrap();
        assert_eq!(
            hex::encode(okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
        );
    }

    #[test]
    fn cifra_e_decifra_in_modo_deterministico() {
        let sale = [7u8; LUNGHEZZA_SALE];
        let k = espandi(&[1u8; 32], &sale, Dominio::Codice);
        let a = cifra(&k, r#"{"stato":"valido"}"#);
        assert_eq!(a, cifra(&k, r#"{"stato":"valido"}"#));
        assert_ne!(a, cifra(&k, r#"{"stato":"revocato"}"#));
        // nonce (12) + one padded block (64) + tag (16), in hex.
        assert_eq!(a.len(), 2 * (12 + BLOCCO + 16));
        assert_eq!(decifra(&k, &a).as_deref(), Some(r#"{"stato":"valido"}"#));
        let altra = espandi(&[2u8; 32], &sale, Dominio::Codice);
        assert_eq!(decifra(&altra, &a), None);
        let mut alterato = a.clone().into_bytes();
        alterato[40] = if alterato[40] == b'0' { b'1' } else { b'0' };
        assert_eq!(decifra(&k, &String::from_utf8(alterato).unwrap()), None);
    }

    #[test]
    fn codice_e_pdf_non_condividono_id_ne_chiavi() {
        let sale = [9u8; LUNGHEZZA_SALE];
        let m = [3u8; 32];
        let c = espandi(&m, &sale, Dominio::Codice);
        let p = espandi(&m, &sale, Dominio::Pdf);
        assert_ne!(c.id, p.id);
        assert_ne!(c.chiave, p.chiave);
        assert_ne!(hex::encode(c.chiave).get(..32), Some(c.id.as_str()));
        // The id is not the plain SHA-256 of the code.
        let codice = "K7QM-3XPD-9T";
        let k = chiavi_codice(codice, &sale);
        assert!(!hex::encode(Sha256::digest(codice)).starts_with(&k.id));
    }
}
