//! The site's own PBKDF2-HMAC-SHA256 (two bare compressions an iteration)
//! gives the bytes of the reference implementation (the `pbkdf2` crate) and
//! of the published test vectors, for codes, salts and passwords of every
//! length, and for the site's full iteration count: the keys of a site
//! already published do not change.

use lauream::sito::cripto::{self, pbkdf2_sha256};
use proptest::prelude::*;
use sha2::Sha256;

/// The reference: the `pbkdf2` crate, 32 bytes.
fn riferimento(password: &[u8], sale: &[u8], iterazioni: u32) -> [u8; 32] {
    let mut m = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password, sale, iterazioni, &mut m);
    m
}

#[test]
fn vettori_pubblicati() {
    // RFC 7914 §11 (first 32 of 64 bytes), and the RFC 6070 cases as
    // commonly published for SHA-256.
    let casi: [(&str, &str, u32, &str); 5] = [
        (
            "passwd",
            "salt",
            1,
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc",
        ),
        (
            "password",
            "salt",
            1,
            "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",
        ),
        (
            "password",
            "salt",
            2,
            "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43",
        ),
        (
            "password",
            "salt",
            4096,
            "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a",
        ),
        (
            "passwordPASSWORDpassword",
            "saltSALTsaltSALTsaltSALTsaltSALTsalt",
            4096,
            "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1",
        ),
    ];
    for (p, s, c, atteso) in casi {
        assert_eq!(
            hex::encode(pbkdf2_sha256(p.as_bytes(), s.as_bytes(), c)),
            atteso,
            "{p} {s} {c}"
        );
        assert_eq!(
            hex::encode(riferimento(p.as_bytes(), s.as_bytes(), c)),
            atteso
        );
    }
    // RFC 7914 §11's second case, against the reference only.
    assert_eq!(
        pbkdf2_sha256(b"Password", b"NaCl", 80_000),
        riferimento(b"Password", b"NaCl", 80_000)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Codes as printed and any bytes at all, keys longer than a block
    /// (hashed first) and empty ones, salts of every length.
    #[test]
    fn come_il_riferimento(
        codice in "[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}",
        password in proptest::collection::vec(any::<u8>(), 0..150),
        sale in proptest::collection::vec(any::<u8>(), 0..100),
        iterazioni in 1u32..40,
    ) {
        prop_assert_eq!(
            pbkdf2_sha256(codice.as_bytes(), &sale, iterazioni),
            riferimento(codice.as_bytes(), &sale, iterazioni)
        );
        prop_assert_eq!(
            pbkdf2_sha256(&password, &sale, iterazioni),
            riferimento(&password, &sale, iterazioni)
        );
    }
}

#[test]
fn le_chiavi_di_un_sito_non_cambiano() {
    let sale: [u8; cripto::LUNGHEZZA_SALE] = *b"sale del sito 16";
    for codice in ["K7QM-3XPD-9T", "0000-0000-00"] {
        let m = cripto::maestra_codice(codice, &sale);
        assert_eq!(m, riferimento(codice.as_bytes(), &sale, cripto::ITERAZIONI));
    }
}

/// Nanoseconds per iteration, this derivation and the reference's, on this
/// machine: `cargo test --release --test sito_cripto -- --ignored
/// --nocapture`. A measurement to read, not a check.
#[test]
#[ignore]
fn misura_ns_per_iterazione() {
    const N: u32 = 200_000;
    let misura = |f: &dyn Fn() -> [u8; 32]| {
        (0..9)
            .map(|_| {
                let t = std::time::Instant::now();
                std::hint::black_box(f());
                t.elapsed().as_nanos() as f64 / f64::from(N)
            })
            .fold(f64::INFINITY, f64::min)
    };
    let nostra = misura(&|| pbkdf2_sha256(b"K7QM-3XPD-9T", b"sale del sito 16", N));
    let crate_ = misura(&|| riferimento(b"K7QM-3XPD-9T", b"sale del sito 16", N));
    // The floor: the two compressions alone, nothing around them.
    let compressioni = misura(&|| {
        let mut b = sha2::digest::generic_array::GenericArray::from([7u8; 64]);
        let mut s = [1u32; 8];
        for _ in 0..N {
            sha2::compress256(&mut s, std::slice::from_ref(&b));
            sha2::compress256(&mut s, std::slice::from_ref(&b));
            b[0] = s[0] as u8;
        }
        [s[0] as u8; 32]
    });
    eprintln!(
        "PBKDF2-HMAC-SHA256: {nostra:.1} ns/iterazione (pbkdf2 crate: {crate_:.1}; \
         due compressioni sole: {compressioni:.1}); {:.2} ms per codice a {} iterazioni",
        nostra * f64::from(cripto::ITERAZIONI) / 1e6,
        cripto::ITERAZIONI
    );
}
