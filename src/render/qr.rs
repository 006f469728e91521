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
    let livello = EcLevel::M;
    let bit = bits::encode_auto(testo, livello)?;
    let versione = bit.version();
    let dati = bit.into_bytes();
    let (codificati, correzione) = ec::construct_codewords(&dati, versione, livello)?;
    let mut tela = Canvas::new(versione, livello);
    tela.draw_all_functional_patterns();
    tela.draw_data(&codificati, &correzione);
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
        let scuri: Vec<bool> = colori.iter().map(|&c| c == Color::Dark).collect();
        let penalita = penalita(&scuri, lato);
        if migliore.as_ref().is_none_or(|(p, _)| penalita < *p) {
            migliore = Some((penalita, colori));
        }
    }
    Ok((lato, migliore.expect("otto maschere").1))
}

/// The total penalty of a masked symbol (`scuri[y * lato + x]`), as the
/// crate computes it.
fn penalita(scuri: &[bool], lato: usize) -> u32 {
    // Columns as rows of the transposed grid: every line is a slice.
    let trasposta: Vec<bool> = (0..lato * lato)
        .map(|k| scuri[(k % lato) * lato + k / lato])
        .collect();
    let mut totale = 0;
    for linea in scuri.chunks_exact(lato).chain(trasposta.chunks_exact(lato)) {
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
        for testo in &testi {
            let crate_ =
                qrcode::QrCode::with_error_correction_level(testo.as_bytes(), EcLevel::M).unwrap();
            let (lato, nostri) = moduli(testo.as_bytes()).unwrap();
            assert_eq!(lato, crate_.width(), "{testo}");
            assert!(nostri == crate_.to_colors(), "{testo}: un altro simbolo");
        }
    }
}
