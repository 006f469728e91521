//! The verification QR code's modules, with the mask chosen as the `qrcode`
//! crate chooses it but several times faster.
//!
//! Why: choosing the mask (eight candidates, four penalty rules each, ISO
//! 18004 §7.8.3) was the largest single cost of a certificate after Typst
//! itself, because the crate scores each candidate module by module
//! through a generic accessor. Here each candidate is scored on a plain
//! grid of booleans, by the same rules with the crate's own details (the
//! run sentinel, the finder patterns' fixed 360 points, the unrounded
//! balance), and the first lowest score wins as in the crate, so the code
//! is the very same symbol, module for module (a test compares them), and
//! documents keep their bytes.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{bits, ec, Color, EcLevel, Version};

/// The candidates, in the order the crate tries them (the first lowest
/// penalty wins).
const MASCHERE: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The modules of the QR code of `testo` (error correction M), row by row,
/// and the number of modules per side.
pub(super) fn moduli(testo: &[u8]) -> Result<(usize, Vec<Color>), qrcode::types::QrError> {
    let (versione, tela) = tela(testo)?;
    let lato = versione.width() as usize;
    if matches!(versione, Version::Micro(_)) {
        // Micro QR codes follow another rule; the crate's own choice.
        return Ok((lato, tela.apply_best_mask().into_colors()));
    }
    let mut migliore: Option<(u32, Vec<Color>)> = None;
    for m in MASCHERE {
        let mut c = tela.clone();
        c.apply_mask(m);
        let colori = c.into_colors();
        let penalita = if lato <= 64 {
            let (righe, colonne) = linee(&colori, lato);
            penalita_bit(&righe, &colonne)
        } else {
            let scuri: Vec<bool> = colori.iter().map(|&c| c == Color::Dark).collect();
            penalita(&scuri, lato)
        };
        if migliore.as_ref().is_none_or(|(p, _)| penalita < *p) {
            migliore = Some((penalita, colori));
        }
    }
    Ok((lato, migliore.expect("otto maschere").1))
}

/// The symbol of `testo` (error correction M) before any mask, and its
/// version.
fn tela(testo: &[u8]) -> Result<(Version, Canvas), qrcode::types::QrError> {
    let livello = EcLevel::M;
    let bit = bits::encode_auto(testo, livello)?;
    let versione = bit.version();
    let dati = bit.into_bytes();
    let (codificati, correzione) = ec::construct_codewords(&dati, versione, livello)?;
    let mut tela = Canvas::new(versione, livello);
    tela.draw_all_functional_patterns();
    tela.draw_data(&codificati, &correzione);
    Ok((versione, tela))
}

/// The rows and the columns of a symbol of at most 64 modules a side, as
/// bits: module `x` of a row is bit `x`, dark = 1.
fn linee(colori: &[Color], lato: usize) -> (Vec<u64>, Vec<u64>) {
    let mut righe = vec![0u64; lato];
    let mut colonne = vec![0u64; lato];
    for (k, c) in colori.iter().enumerate() {
        if *c == Color::Dark {
            let (y, x) = (k / lato, k % lato);
            righe[y] |= 1 << x;
            colonne[x] |= 1 << y;
        }
    }
    (righe, colonne)
}

/// The lowest `n` bits set.
fn bassi(n: usize) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1 << n) - 1
    }
}

/// [`penalita`] on a symbol of at most 64 modules a side held as bits (as
/// [`linee`] makes them): the same rules, a word at a time. Symbols up to
/// version 11 (61 modules) fit, every verification address among them;
/// what the mask costs to choose is then a small part of a certificate.
fn penalita_bit(righe: &[u64], colonne: &[u64]) -> u32 {
    let lato = righe.len();
    let mut totale = 0;
    for &linea in righe.iter().chain(colonne) {
        totale += adiacenti_bit(linea, lato) + mirini_bit(linea, lato);
    }
    totale -= 720;
    // 2×2 blocks of one colour: equal to the module below, at x and x + 1,
    // and equal to the module on the right.
    for coppia in righe.windows(2) {
        let (a, b) = (coppia[0], coppia[1]);
        let verticali = !(a ^ b);
        let orizzontali = !(a ^ (a >> 1));
        let blocchi = verticali & (verticali >> 1) & orizzontali & bassi(lato - 1);
        totale += 3 * blocchi.count_ones();
    }
    let scure: usize = righe.iter().map(|r| r.count_ones() as usize).sum();
    let rapporto = (scure * 200 / (lato * lato)) as u32;
    totale + rapporto.abs_diff(100)
}

/// [`adiacenti`] on a line of `lato` bits: each run of 5 + N modules of one
/// colour costs 3 + N.
fn adiacenti_bit(linea: u64, lato: usize) -> u32 {
    let mut totale = 0;
    for mut x in [linea & bassi(lato), !linea & bassi(lato)] {
        while x != 0 {
            x >>= x.trailing_zeros();
            let corsa = (!x).trailing_zeros();
            if corsa >= 5 {
                totale += corsa - 2;
            }
            x = x.checked_shr(corsa).unwrap_or(0);
        }
    }
    totale
}

/// [`mirini`] on a line of `lato` bits.
fn mirini_bit(linea: u64, lato: usize) -> u32 {
    const MIRINO: [bool; 7] = [true, false, true, true, true, false, true];
    if lato < 7 {
        return 0;
    }
    let chiare = !linea & bassi(lato);
    // Bit j set where modules j..j + 7 are the pattern.
    let mut inizi = bassi(lato - 6);
    for (k, scuro) in MIRINO.into_iter().enumerate() {
        inizi &= if scuro { linea } else { chiare } >> k;
    }
    let mut totale = 0;
    while inizi != 0 {
        let j = inizi.trailing_zeros() as usize;
        inizi &= inizi - 1;
        let da = j.saturating_sub(4);
        let prima = (linea >> da) & bassi(j - da) != 0;
        let (dopo_da, dopo_a) = (j + 7, (j + 11).min(lato));
        let dopo = dopo_da < lato && (linea >> dopo_da) & bassi(dopo_a - dopo_da) != 0;
        if !prima || !dopo {
            totale += 40;
        }
    }
    totale
}

/// The total penalty of a masked symbol (`scuri[y * lato + x]`), as the
/// crate computes it.
fn penalita(scuri: &[bool], lato: usize) -> u32 {
    let colonne = trasposta(scuri, lato);
    let mut totale = 0;
    for linea in scuri.chunks_exact(lato).chain(colonne.chunks_exact(lato)) {
        totale += adiacenti(linea) + mirini(linea);
    }
    // The three finder patterns match themselves, in rows and in columns:
    // the crate takes 360 off each direction.
    totale -= 720;
    for y in 0..lato - 1 {
        for x in 0..lato - 1 {
            let c = scuri[y * lato + x];
            if scuri[y * lato + x + 1] == c
                && scuri[(y + 1) * lato + x] == c
                && scuri[(y + 1) * lato + x + 1] == c
            {
                totale += 3;
            }
        }
    }
    let scure = scuri.iter().filter(|&&s| s).count();
    let rapporto = (scure * 200 / scuri.len()) as u32;
    totale + rapporto.abs_diff(100)
}

/// The columns as rows of the transposed grid, so that every line is a
/// slice.
fn trasposta(scuri: &[bool], lato: usize) -> Vec<bool> {
    (0..lato * lato)
        .map(|k| scuri[(k % lato) * lato + k / lato])
        .collect()
}

/// Runs of five or more modules of one colour in a line: each run of 5 + N
/// costs 3 + N.
fn adiacenti(linea: &[bool]) -> u32 {
    let mut totale = 0;
    let mut ultimo = None;
    let mut lunghezza = 1;
    // One step past the end closes the last run.
    for c in linea.iter().copied().map(Some).chain([None]) {
        if c == ultimo {
            lunghezza += 1;
        } else {
            ultimo = c;
            if lunghezza >= 5 {
                totale += lunghezza - 2;
            }
            lunghezza = 1;
        }
    }
    totale
}

/// Patterns like a finder's (dark, light, three dark, light, dark) in a
/// line, with four light modules (or the edge) on at least one side: 40
/// each.
fn mirini(linea: &[bool]) -> u32 {
    const MIRINO: [bool; 7] = [true, false, true, true, true, false, true];
    let mut totale = 0;
    for (j, finestra) in linea.windows(7).enumerate() {
        if finestra != MIRINO {
            continue;
        }
        let prima = linea[j.saturating_sub(4)..j].contains(&true);
        let dopo = linea[(j + 7).min(linea.len())..(j + 11).min(linea.len())].contains(&true);
        if !prima || !dopo {
            totale += 40;
        }
    }
    totale
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The penalty on bits is the penalty on booleans, for every mask of
    /// symbols of each version that fits a word, and for random grids of
    /// every size from 7 to 64 (runs, patterns and blocks at the edges).
    #[test]
    fn la_penalita_sui_bit_e_quella_sui_booleani() {
        let mut stato: u64 = 0x2545_f491_4f6c_dd1d;
        let mut caso = || {
            stato ^= stato << 13;
            stato ^= stato >> 7;
            stato ^= stato << 17;
            stato
        };
        for lato in 7..=64 {
            for prova in 0..40 {
                // Dense, sparse and balanced grids.
                let soglia = [2u64, 8, 14][prova % 3];
                let scuri: Vec<bool> = (0..lato * lato).map(|_| caso() % 16 < soglia).collect();
                let colori: Vec<Color> = scuri
                    .iter()
                    .map(|&s| if s { Color::Dark } else { Color::Light })
                    .collect();
                let (righe, colonne) = linee(&colori, lato);
                let atteso = trasposta(&scuri, lato)
                    .chunks_exact(lato)
                    .chain(scuri.chunks_exact(lato))
                    .map(|l| adiacenti(l) + mirini(l))
                    .sum::<u32>();
                let ottenuto: u32 = righe
                    .iter()
                    .chain(&colonne)
                    .map(|&l| adiacenti_bit(l, lato) + mirini_bit(l, lato))
                    .sum();
                assert_eq!(ottenuto, atteso, "lato {lato}, prova {prova}");
            }
        }
        for testo in ["K7QM-3XPD-9T", &"https://verifica.example/".repeat(9)] {
            let (versione, tela) = tela(testo.as_bytes()).unwrap();
            let lato = versione.width() as usize;
            assert!(lato <= 64);
            for m in MASCHERE {
                let mut t = tela.clone();
                t.apply_mask(m);
                let colori = t.into_colors();
                let scuri: Vec<bool> = colori.iter().map(|&c| c == Color::Dark).collect();
                let (righe, colonne) = linee(&colori, lato);
                assert_eq!(
                    penalita_bit(&righe, &colonne),
                    penalita(&scuri, lato),
                    "{testo}"
                );
            }
        }
    }

    /// The same symbol as the crate's own choice, module for module, for
    /// verification addresses and bare codes of every length a document
    /// prints, and for other texts.
    #[test]
    fn la_stessa_maschera_del_crate() {
        let mut testi: Vec<String> = Vec::new();
        let alfabeto = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut stato: u64 = 0x9e37_79b9_7f4a_7c15;
        for n in 0..1500 {
            let mut codice = String::new();
            for k in 0..12 {
                stato ^= stato << 13;
                stato ^= stato >> 7;
                stato ^= stato << 17;
                let i = (stato % alfabeto.len() as u64) as usize;
                codice.push(alfabeto.as_bytes()[i] as char);
                if k == 3 || k == 7 {
                    codice.push('-');
                }
            }
            testi.push(match n % 3 {
                0 => format!("https://verifica.univaldarno.example/{codice}"),
                1 => codice.clone(),
                _ => format!("https://www.ateneo-{n}.example/verifica/?c={codice}&n={n}"),
            });
        }
        // Symbols wider than a word, chosen on booleans.
        testi.push("https://verifica.example/".repeat(12));
        for testo in &testi {
            let crate_ =
                qrcode::QrCode::with_error_correction_level(testo.as_bytes(), EcLevel::M).unwrap();
            let (lato, nostri) = moduli(testo.as_bytes()).unwrap();
            assert_eq!(lato, crate_.width(), "{testo}");
            assert!(nostri == crate_.to_colors(), "{testo}: un altro simbolo");
        }
    }
}
