//! PBKDF2-HMAC-SHA256 for several chains at once, interleaved instruction
//! by instruction on the CPU's SHA extensions (SHA-NI).
//!
//! Why this is faster: one PBKDF2 chain is a strict sequence of 200,000
//! compressions, each needing the previous one's digest, and a compression
//! is itself a strict sequence of 32 `sha256rnds2` (two rounds each), each
//! needing the state the previous one wrote. The SHA unit can start a new
//! `sha256rnds2` every cycle or two but takes several cycles to finish one,
//! so a single chain leaves it idle most of the time: its speed is the
//! instruction's latency, not its throughput. Chains of different codes
//! share nothing, so running `K` of them in the same loop, the `K` rounds of
//! one step issued back to back, fills those idle cycles: up to the unit's
//! throughput, `K` keys cost about the time of one.
//!
//! Two more savings, because the block an iteration compresses is almost
//! fixed (the 32-byte previous value, then `0x80`, zeros and the length):
//! - the message is kept as 32-bit words from one compression to the next
//!   (SHA-256 reads big-endian words, so a byte buffer would be
//!   byte-swapped in and out every time); the words of the second half are
//!   constants;
//! - the state stays in registers, in the `ABEF`/`CDGH` layout the
//!   instructions use, from the first iteration to the last; only the
//!   digest's eight words are regrouped (two unpacks, two shuffles) into
//!   the next message.
//!
//! The result is the same bytes as [`super::pbkdf2_sha256`] for every input:
//! only the schedule of the work changes.
//!
//! Every function here that uses the instructions is compiled for them
//! (`#[target_feature]`), where the intrinsics are safe to call and touch
//! no memory; the one `unsafe` is the call into them from [`catene`], after
//! the CPU was checked.

use core::arch::x86_64::*;

use super::Avvio;

/// SHA-256's round constants (FIPS 180-4 §4.2.2).
const K256: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// Message words 8..=11 of every block an iteration compresses: `0x80`
/// right after the 32-byte value, then zeros.
const W8: [u32; 4] = [0x8000_0000, 0, 0, 0];
/// Message words 12..=15: zeros, then the message's length in bits, the
/// key block and the 32-byte value: (64 + 32) * 8.
const W12: [u32; 4] = [0, 0, 0, (64 + 32) * 8];

/// Whether this CPU has every instruction the interleaved chains use.
/// `std` caches the answer: asking costs a load.
pub(super) fn disponibile() -> bool {
    is_x86_feature_detected!("sha")
        && is_x86_feature_detected!("sse2")
        && is_x86_feature_detected!("ssse3")
        && is_x86_feature_detected!("sse4.1")
}

/// The 32-byte results of `K` chains, `None` when the CPU lacks SHA-NI.
/// With one iteration the loop does not run and each result is U1.
pub(super) fn catene<const K: usize>(avvii: &[Avvio; K], iterazioni: u32) -> Option<[[u8; 32]; K]> {
    if !disponibile() {
        return None;
    }
    // SAFETY: `catene_sha_ni` is compiled for sha, sse2, ssse3 and sse4.1,
    // and the CPU has all four (checked just above); it touches no memory
    // but its arguments and its own locals.
    Some(unsafe { catene_sha_ni(avvii, iterazioni) })
}

/// A SHA-256 state in the layout `sha256rnds2` reads and writes: lanes
/// `[F, E, B, A]` and `[H, G, D, C]` (lane 0 first).
#[derive(Clone, Copy)]
struct Stato {
    abef: __m128i,
    cdgh: __m128i,
}

/// Four 32-bit words as a vector, the first in lane 0.
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn vettore(w: [u32; 4]) -> __m128i {
    _mm_set_epi32(w[3] as i32, w[2] as i32, w[1] as i32, w[0] as i32)
}

/// A state `H0..H7` (A..H) in the instructions' layout.
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn stato(h: &[u32; 8]) -> Stato {
    Stato {
        abef: vettore([h[5], h[4], h[1], h[0]]),
        cdgh: vettore([h[7], h[6], h[3], h[2]]),
    }
}

/// A digest as the first eight message words of the next block: `[A, B, C,
/// D]` and `[E, F, G, H]`, lane 0 first.
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn parole(s: Stato) -> (__m128i, __m128i) {
    // [F, E, B, A] and [H, G, D, C]: high halves [B, A, D, C], low halves
    // [F, E, H, G]; swapping each pair puts them in order.
    let abcd = _mm_shuffle_epi32(_mm_unpackhi_epi64(s.abef, s.cdgh), 0xB1);
    let efgh = _mm_shuffle_epi32(_mm_unpacklo_epi64(s.abef, s.cdgh), 0xB1);
    (abcd, efgh)
}

/// The four words of a vector, lane 0 first.
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn in_parole(v: __m128i) -> [u32; 4] {
    [
        _mm_extract_epi32(v, 0) as u32,
        _mm_extract_epi32(v, 1) as u32,
        _mm_extract_epi32(v, 2) as u32,
        _mm_extract_epi32(v, 3) as u32,
    ]
}

/// The next four message words from the previous sixteen (FIPS 180-4
/// §6.2.2, step 1), as Intel's reference code computes them.
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn programma(w0: __m128i, w1: __m128i, w2: __m128i, w3: __m128i) -> __m128i {
    let t = _mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), _mm_alignr_epi8(w3, w2, 4));
    _mm_sha256msg2_epu32(t, w3)
}

/// Four rounds of each of the `K` chains, `w` their message words plus
/// the round constants: every instruction issued for all chains before the
/// next, so the chains' rounds overlap in the SHA unit.
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn quattro_giri<const K: usize>(s: &mut [Stato; K], wk: [__m128i; K]) {
    for j in 0..K {
        s[j].cdgh = _mm_sha256rnds2_epu32(s[j].cdgh, s[j].abef, wk[j]);
    }
    for j in 0..K {
        let alta = _mm_shuffle_epi32(wk[j], 0x0E);
        s[j].abef = _mm_sha256rnds2_epu32(s[j].abef, s[j].cdgh, alta);
    }
}

/// The round constants of rounds `4 * i..4 * i + 4` as a vector.
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn costanti(i: usize) -> __m128i {
    vettore([
        K256[4 * i],
        K256[4 * i + 1],
        K256[4 * i + 2],
        K256[4 * i + 3],
    ])
}

/// Each chain's message words plus the round constants `4 * i..4 * i + 4`.
#[inline]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn più_costanti<const K: usize>(w: &[__m128i; K], i: usize) -> [__m128i; K] {
    core::array::from_fn(|j| _mm_add_epi32(w[j], costanti(i)))
}

/// Words `4 * i..4 * i + 4` of each chain's schedule from the four groups
/// before them, then the four rounds that read them; `$w0` (the oldest
/// group, no longer needed) is overwritten with the new words.
macro_rules! programma_e_giri {
    ($s:ident, $w0:ident, $w1:ident, $w2:ident, $w3:ident, $i:expr) => {{
        $w0 = core::array::from_fn(|j| programma($w0[j], $w1[j], $w2[j], $w3[j]));
        quattro_giri(&mut $s, più_costanti(&$w0, $i));
    }};
}

/// One compression of each of `K` chains, from the states `$iniziali`, of
/// the block whose first eight words are `($w0, $w1)` and whose last eight
/// are [`W8`] and [`W12`]: the digests, feed-forward included. A macro,
/// not a function, so that it is always expanded inside the one function
/// compiled for SHA-NI and every value stays in a register (a function
/// would pass the states through memory, on the chains' critical path).
macro_rules! comprimi {
    ($iniziali:expr, $w0:expr, $w1:expr) => {{
        let iniziali: &[Stato; K] = $iniziali;
        let mut s = *iniziali;
        // Words 0..=15: the previous value, then the constant padding,
        // whose sums with the round constants the compiler folds.
        let mut a: [__m128i; K] = $w0;
        let mut b: [__m128i; K] = $w1;
        let mut c = [vettore(W8); K];
        let mut d = [vettore(W12); K];
        quattro_giri(&mut s, più_costanti(&a, 0));
        quattro_giri(&mut s, più_costanti(&b, 1));
        quattro_giri(&mut s, più_costanti(&c, 2));
        quattro_giri(&mut s, più_costanti(&d, 3));
        // Words 16..=63, four at a time, each group replacing the oldest.
        programma_e_giri!(s, a, b, c, d, 4);
        programma_e_giri!(s, b, c, d, a, 5);
        programma_e_giri!(s, c, d, a, b, 6);
        programma_e_giri!(s, d, a, b, c, 7);
        programma_e_giri!(s, a, b, c, d, 8);
        programma_e_giri!(s, b, c, d, a, 9);
        programma_e_giri!(s, c, d, a, b, 10);
        programma_e_giri!(s, d, a, b, c, 11);
        programma_e_giri!(s, a, b, c, d, 12);
        programma_e_giri!(s, b, c, d, a, 13);
        programma_e_giri!(s, c, d, a, b, 14);
        programma_e_giri!(s, d, a, b, c, 15);
        for j in 0..K {
            s[j].abef = _mm_add_epi32(s[j].abef, iniziali[j].abef);
            s[j].cdgh = _mm_add_epi32(s[j].cdgh, iniziali[j].cdgh);
        }
        s
    }};
}

/// The iterations 2..=`iterazioni` of `K` chains side by side; the state,
/// the current value and the running xor of every chain stay in vector
/// registers throughout, as far as the sixteen of SSE allow (four chains
/// wide a few wait on the stack, which still measures faster than three).
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
fn catene_sha_ni<const K: usize>(avvii: &[Avvio; K], iterazioni: u32) -> [[u8; 32]; K] {
    let interni = avvii.map(|a| stato(&a.interno));
    let esterni = avvii.map(|a| stato(&a.esterno));
    // U1 as big-endian words: the first eight message words of the first
    // inner block, and the start of the xor.
    let metà = |a: &Avvio, da: usize| {
        vettore(core::array::from_fn(|i| {
            let b = &a.u[da + 4 * i..da + 4 * i + 4];
            u32::from_be_bytes([b[0], b[1], b[2], b[3]])
        }))
    };
    let mut u0 = avvii.map(|a| metà(&a, 0));
    let mut u1 = avvii.map(|a| metà(&a, 16));
    let (mut t0, mut t1) = (u0, u1);
    for _ in 1..iterazioni {
        let h = comprimi!(&interni, u0, u1);
        let h = h.map(|s| parole(s));
        let u = comprimi!(&esterni, h.map(|p| p.0), h.map(|p| p.1));
        let u = u.map(|s| parole(s));
        for j in 0..K {
            (u0[j], u1[j]) = u[j];
            t0[j] = _mm_xor_si128(t0[j], u0[j]);
            t1[j] = _mm_xor_si128(t1[j], u1[j]);
        }
    }
    core::array::from_fn(|j| {
        let mut t = [0u8; 32];
        let parole = in_parole(t0[j]).into_iter().chain(in_parole(t1[j]));
        for (b, w) in t.chunks_exact_mut(4).zip(parole) {
            b.copy_from_slice(&w.to_be_bytes());
        }
        t
    })
}
