//! Synthetic datasets: a whole year of a post-lauream office, made up but
//! valid, for load tests and demonstrations.
//!
//! [`genera`] writes `ateneo.json`, one `corsi/<id>.json` per course and one
//! roster per course in `iscrizioni/`. Everything comes from a small
//! hand-written PRNG (splitmix64) seeded by the caller, so the same seed gives
//! the same bytes on any machine. People have Italian names (accents,
//! apostrophes, double surnames), real places of birth with their Belfiore
//! codes and tax codes computed with the official algorithm; courses follow
//! the regulation checked by [`crate::rules`] (CFU per kind, hours per CFU,
//! internal teaching, dates, grade scales). Rows are streamed to the CSV
//! files, so a hundred thousand enrolments take little memory.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{bail, Context};
use chrono::{Datelike, Days, NaiveDate};

use crate::model::{
    Ateneo, BolloVirtuale, Componente, Corso, DateCorso, Delibera, Dipartimento, Docente,
    Finanziamento, FinestraProposta, Firmatario, Genere, Importo, ImpostaBollo, ModalitaSelezione,
    Modulo, Ore, Posti, Prelievi, ProfiloRegolamento, ProvaFinale, Quote, Ritenuta, TipoAttivita,
    TipoCorso, Ufficio,
};
use crate::rules::codice_fiscale::carattere_controllo;

/// What [`genera`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Riepilogo {
    /// Courses written, one `corsi/<id>.json` and one roster each.
    pub corsi: usize,
    /// Roster rows written, over all courses.
    pub iscrizioni: usize,
    /// Files written, relative to the dataset directory, with `/`.
    pub file: Vec<String>,
}

/// Writes a valid dataset with `persone` enrolments over `corsi` courses into
/// `dest` (created; refused if it exists and is not empty).
pub fn genera(persone: usize, corsi: usize, seme: u64, dest: &Path) -> anyhow::Result<Riepilogo> {
    if corsi == 0 {
        bail!("serve almeno un corso");
    }
    if dest.exists() {
        let mut voci = std::fs::read_dir(dest)
            .with_context(|| format!("{}: cartella non leggibile", dest.display()))?;
        if voci.next().is_some() {
            bail!(
                "{}: la cartella esiste e non è vuota; indicarne una nuova",
                dest.display()
            );
        }
    }
    std::fs::create_dir_all(dest.join("corsi"))
        .and_then(|_| std::fs::create_dir_all(dest.join("iscrizioni")))
        .with_context(|| format!("{}: impossibile creare la cartella", dest.display()))?;

    let mut g = Generatore {
        rng: Rng::new(seme),
        codici: HashSet::with_capacity(persone + persone / 8),
        veterani: Vec::new(),
        contrassegni: 0,
        offset_contrassegno: 0,
    };
    g.offset_contrassegno = g.rng.below(MODULO_CONTRASSEGNO);
    let mut file = Vec::with_capacity(1 + 2 * corsi);

    let ateneo = ateneo(&mut g.rng);
    scrivi_json(&dest.join("ateneo.json"), &ateneo)?;
    file.push("ateneo.json".to_string());

    // Enrolments per course: Masters are the largest.
    let pesi: Vec<u64> = (0..corsi)
        .map(|i| PESI[i % TIPI.len()] * (8 + g.rng.below(5)))
        .collect();
    let totale: u64 = pesi.iter().sum();
    let mut numeri: Vec<usize> = pesi
        .iter()
        .map(|&w| (persone as u128 * w as u128 / totale as u128) as usize)
        .collect();
    let resto = persone - numeri.iter().sum::<usize>();
    for i in 0..resto {
        numeri[i % corsi] += 1;
    }

    let primo_tema = g.rng.below(TEMI.len() as u64) as usize;
    let mut iscrizioni = 0;
    for (i, &n) in numeri.iter().enumerate() {
        let tipo = TIPI[i % TIPI.len()];
        let tema = &TEMI[(primo_tema + i) % TEMI.len()];
        let ruoli = ConteggioRuoli::per(tipo, n);
        let piano = piano_corso(&mut g.rng, i, tipo, tema, &ruoli);
        scrivi_json(
            &dest.join(format!("corsi/{}.json", piano.corso.id)),
            &piano.corso,
        )?;
        file.push(format!("corsi/{}.json", piano.corso.id));
        let rel = format!("iscrizioni/{}.csv", piano.corso.id);
        iscrizioni += g.scrivi_iscrizioni(&dest.join(&rel), &piano, &ruoli, i > 0)?;
        file.push(rel);
    }
    Ok(Riepilogo {
        corsi,
        iscrizioni,
        file,
    })
}

// ---------------------------------------------------------------------------
// Pseudo-random numbers
// ---------------------------------------------------------------------------

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn new(seme: u64) -> Self {
        Rng(seme ^ 0x6C61_7572_6561_6D21)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `a..=b`.
    fn tra(&mut self, a: u32, b: u32) -> u32 {
        a + self.below((b - a + 1) as u64) as u32
    }

    /// True with probability `per_mille`/1000.
    fn su_mille(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn scegli<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------------------
// Names and places
// ---------------------------------------------------------------------------

#[rustfmt::skip]
const NOMI_M: &[&str] = &[
    "Alessandro", "Andrea", "Antonio", "Marco", "Matteo", "Lorenzo", "Francesco", "Giovanni",
    "Luca", "Davide", "Simone", "Federico", "Riccardo", "Gabriele", "Tommaso", "Niccolò", "Nicolò",
    "Filippo", "Giacomo", "Edoardo", "Stefano", "Paolo", "Giuseppe", "Salvatore", "Michele",
    "Daniele", "Emanuele", "Pietro", "Roberto", "Massimo", "Fabio", "Claudio", "Vincenzo",
    "Enrico", "Alberto", "Giulio", "Jacopo", "Leonardo", "Mattia", "Elia", "Ugo", "Gianluca",
    "Pierluigi", "Carmelo", "Gaetano", "Raffaele", "Domenico", "Cristian", "Samuele", "Diego",
    "Ivo", "Dario", "Sergio", "Mirko", "Valerio", "Corrado", "Ettore",
];

#[rustfmt::skip]
const NOMI_F: &[&str] = &[
    "Giulia", "Francesca", "Chiara", "Sara", "Martina", "Valentina", "Alessia", "Federica",
    "Elena", "Silvia", "Laura", "Anna", "Sofia", "Aurora", "Beatrice", "Irene", "Marta", "Elisa",
    "Camilla", "Ilaria", "Serena", "Eleonora", "Giorgia", "Roberta", "Paola", "Monica", "Caterina",
    "Benedetta", "Rebecca", "Noemi", "Ginevra", "Ludovica", "Arianna", "Veronica", "Cristina",
    "Barbara", "Antonella", "Rosa", "Lucia", "Maria", "Ida", "Eva", "Agnese", "Margherita", "Gaia",
    "Asia", "Carlotta", "Costanza", "Vittoria", "Annalisa", "Debora", "Simona", "Teresa",
    "Nicoletta", "Emma", "Bianca", "Zoe",
];

#[rustfmt::skip]
const COGNOMI: &[&str] = &[
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
    "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo",
    "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso",
    "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo",
    "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti", "Parisi", "Villa", "Conte",
    "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso", "Valentini", "Messina", "Sala",
    "De Angelis", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina", "Rizzi", "Monti",
    "Cattaneo", "Morelli", "Amato", "Silvestri", "Mazza", "Testa", "Grassi", "Pellegrino",
    "Carbone", "Giuliani", "Benedetti", "Barone", "Rossetti", "Caputo", "Montanari", "Guerra",
    "Palmieri", "Bernardi", "Martino", "Fiore", "De Rosa", "Ferretti", "Bellini", "Basile", "Riva",
    "Donati", "Piras", "Vitali", "Battaglia", "Sartori", "Neri", "Costantini", "Milani", "Pagano",
    "Ruggiero", "Sorrentino", "D'Amico", "Orlando", "Damico", "Negri", "D'Agostino", "Dell'Acqua",
    "Dall'Olio", "Lo Russo", "Di Stefano", "La Rosa", "Li Causi", "Del Vecchio", "Degli Innocenti",
    "Sant'Elia", "Cantù", "Schirò", "Mannà", "Nardi", "Cini", "Bacci", "Fusco", "Baldi", "Sestini",
    "Guidi", "Papini", "Bartolucci", "Ceccarelli", "Nocentini", "Occhini", "Bellucci", "Porcu",
    "Melis", "Loiacono", "Pieri", "Cortesi", "Bigazzi", "Mugnai", "Bencini", "Innocenti",
    "Mazzoni", "Lenzi", "Tinti", "Vannucchi", "Ermini", "Fantoni", "Gori",
];

/// Places of birth as printed, with their Belfiore (cadastral) code.
const LUOGHI: &[(&str, &str)] = &[
    ("Roma", "H501"),
    ("Roma", "H501"),
    ("Milano", "F205"),
    ("Milano", "F205"),
    ("Napoli", "F839"),
    ("Napoli", "F839"),
    ("Torino", "L219"),
    ("Firenze", "D612"),
    ("Firenze", "D612"),
    ("Pisa", "G702"),
    ("Bologna", "A944"),
    ("Palermo", "G273"),
    ("Bari", "A662"),
    ("Genova", "D969"),
    ("Lecce", "E506"),
    ("Cagliari", "B354"),
    ("Arezzo", "A390"),
    ("Siena", "I726"),
    ("Venezia", "L736"),
    ("Verona", "L781"),
    ("Padova", "G224"),
    ("Trieste", "L424"),
    ("Perugia", "G478"),
    ("Ancona", "A271"),
    ("Pescara", "G482"),
    ("Catania", "C351"),
    ("Messina", "F158"),
    ("Salerno", "H703"),
    ("Livorno", "E625"),
    ("Lucca", "E715"),
    ("Prato", "G999"),
    ("Pistoia", "G713"),
    ("Grosseto", "E202"),
    ("Brescia", "B157"),
    ("Bergamo", "A794"),
    ("Trento", "L378"),
    ("Bolzano", "A952"),
    ("Parma", "G337"),
    ("Modena", "F257"),
    ("Rimini", "H294"),
    ("Ravenna", "H199"),
    ("Foggia", "D643"),
    ("Taranto", "L049"),
    ("Potenza", "G942"),
    ("Matera", "F052"),
    ("Campobasso", "B519"),
    ("L'Aquila", "A345"),
    ("Aosta", "A326"),
    ("Sassari", "I452"),
    ("Nuoro", "F979"),
    ("Cosenza", "D086"),
    ("Udine", "L483"),
    ("La Spezia", "E463"),
    ("Montevarchi (AR)", "F656"),
    ("Cortona (AR)", "D077"),
    ("Empoli (FI)", "D403"),
    ("Viareggio (LU)", "L833"),
    ("San Giuliano Terme (PI)", "A562"),
    ("Sant'Antioco (SU)", "I294"),
    ("Sesto San Giovanni (MI)", "I690"),
    ("Torre del Greco (NA)", "L259"),
];

/// People born abroad: places as printed, the State's code, and names.
struct Estero {
    luoghi: &'static [&'static str],
    codice: &'static str,
    cognomi: &'static [&'static str],
    nomi_m: &'static [&'static str],
    nomi_f: &'static [&'static str],
}

const ESTERO: &[Estero] = &[
    Estero {
        luoghi: &["Tirana (Albania)", "Durazzo (Albania)"],
        codice: "Z100",
        cognomi: &["Hoxha", "Shehu", "Dervishi", "Leka", "Kola"],
        nomi_m: &["Erion", "Arben", "Besnik", "Klodian"],
        nomi_f: &["Elira", "Anisa", "Jonida", "Ardita"],
    },
    Estero {
        luoghi: &["Bucarest (Romania)", "Cluj-Napoca (Romania)"],
        codice: "Z129",
        cognomi: &["Popescu", "Ionescu", "Constantin", "Stan", "Dumitru"],
        nomi_m: &["Andrei", "Mihai", "Cristian", "Vlad"],
        nomi_f: &["Ioana", "Elena", "Andreea", "Bianca"],
    },
    Estero {
        luoghi: &["Madrid (Spagna)", "Siviglia (Spagna)"],
        codice: "Z131",
        cognomi: &[
            "García Márquez",
            "Fernández",
            "López",
            "Martínez Ruiz",
            "Gómez",
        ],
        nomi_m: &["Javier", "Sergio", "Álvaro", "Íñigo"],
        nomi_f: &["Lucía", "María José", "Inés", "Carmen"],
    },
    Estero {
        luoghi: &["Casablanca (Marocco)", "Rabat (Marocco)"],
        codice: "Z330",
        cognomi: &["El Amrani", "Benali", "Idrissi", "Bennani"],
        nomi_m: &["Youssef", "Karim", "Hamza", "Omar"],
        nomi_f: &["Fatima", "Salma", "Imane", "Nadia"],
    },
    Estero {
        luoghi: &["Leopoli (Ucraina)", "Odessa (Ucraina)"],
        codice: "Z138",
        cognomi: &["Shevchenko", "Kovalenko", "Bondarenko", "Melnyk"],
        nomi_m: &["Oleksandr", "Dmytro", "Andrij"],
        nomi_f: &["Olena", "Iryna", "Oksana"],
    },
    Estero {
        luoghi: &["Monaco di Baviera (Germania)", "Berlino (Germania)"],
        codice: "Z112",
        cognomi: &["Müller", "Schmidt", "Weber", "Schäfer"],
        nomi_m: &["Lukas", "Jürgen", "Felix"],
        nomi_f: &["Anna", "Jana", "Sophie"],
    },
    Estero {
        luoghi: &["San Paolo (Brasile)", "Porto Alegre (Brasile)"],
        codice: "Z602",
        cognomi: &["Silva", "Oliveira", "Rossi Pereira", "Souza"],
        nomi_m: &["Lucas", "João", "Thiago"],
        nomi_f: &["Ana", "Luíza", "Fernanda"],
    },
];

/// The letters of a name as the tax code reads them: uppercase ASCII,
/// accents dropped, apostrophes and spaces removed.
fn lettere(s: &str) -> Vec<u8> {
    s.chars()
        .filter_map(|c| {
            let base = match c {
                'à' | 'á' | 'â' | 'ä' | 'ã' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' => 'A',
                'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'E',
                'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
                'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => 'O',
                'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
                'ñ' | 'Ñ' => 'N',
                'ç' | 'Ç' => 'C',
                c if c.is_ascii_alphabetic() => c.to_ascii_uppercase(),
                _ => return None,
            };
            Some(base as u8)
        })
        .collect()
}

fn vocale(c: u8) -> bool {
    matches!(c, b'A' | b'E' | b'I' | b'O' | b'U')
}

/// Consonants then vowels then X, first three: the surname's part.
fn parte_cognome(cognome: &str) -> [u8; 3] {
    let l = lettere(cognome);
    let mut v: Vec<u8> = l.iter().copied().filter(|&c| !vocale(c)).collect();
    v.extend(l.iter().copied().filter(|&c| vocale(c)));
    v.extend_from_slice(b"XXX");
    [v[0], v[1], v[2]]
}

/// Like the surname, but with four or more consonants the 1st, 3rd and 4th.
fn parte_nome(nome: &str) -> [u8; 3] {
    let l = lettere(nome);
    let cons: Vec<u8> = l.iter().copied().filter(|&c| !vocale(c)).collect();
    if cons.len() >= 4 {
        return [cons[0], cons[2], cons[3]];
    }
    parte_cognome(nome)
}

/// The tax code of a natural person (D.M. 23 dicembre 1976).
fn codice_fiscale(
    cognome: &str,
    nome: &str,
    nascita: NaiveDate,
    donna: bool,
    belfiore: &str,
) -> String {
    const MESI: &[u8; 12] = b"ABCDEHLMPRST";
    let mut b = Vec::with_capacity(16);
    b.extend_from_slice(&parte_cognome(cognome));
    b.extend_from_slice(&parte_nome(nome));
    b.extend_from_slice(format!("{:02}", nascita.year() % 100).as_bytes());
    b.push(MESI[nascita.month0() as usize]);
    let giorno = nascita.day() + if donna { 40 } else { 0 };
    b.extend_from_slice(format!("{giorno:02}").as_bytes());
    b.extend_from_slice(belfiore.as_bytes());
    let c = carattere_controllo(&b);
    b.push(c as u8);
    String::from_utf8(b).expect("ASCII")
}

/// `Niccolò D'Angelo` → `niccolo`, `dangelo`: for e-mail addresses.
fn ascii_minuscolo(s: &str) -> String {
    lettere(s)
        .into_iter()
        .map(|c| c.to_ascii_lowercase() as char)
        .collect()
}

/// A person enrolled: what a roster row says about them.
#[derive(Clone)]
struct Anagrafica {
    nome: String,
    cognome: String,
    codice_fiscale: String,
    nascita: NaiveDate,
    luogo: &'static str,
    /// "M", "F" or "X" as written in the roster.
    genere: &'static str,
    email: String,
    estero: bool,
}

fn firmatario(rng: &mut Rng, titoli: (&str, &str)) -> Firmatario {
    let donna = rng.su_mille(500);
    Firmatario {
        nome: rng.scegli(if donna { NOMI_F } else { NOMI_M }).to_string(),
        cognome: rng.scegli(COGNOMI).to_string(),
        titolo: Some(if donna { titoli.1 } else { titoli.0 }.to_string()),
        genere: Some(if donna {
            Genere::Femminile
        } else {
            Genere::Maschile
        }),
    }
}

fn docente(rng: &mut Rng, interno: bool) -> Docente {
    let f = if interno {
        firmatario(rng, ("Prof.", "Prof.ssa"))
    } else {
        let titoli = *rng.scegli(&[("Dott.", "Dott.ssa"), ("Ing.", "Ing."), ("Avv.", "Avv.")]);
        firmatario(rng, titoli)
    };
    Docente {
        nome: f.nome,
        cognome: f.cognome,
        titolo: f.titolo,
        interno,
        ente: (!interno).then(|| rng.scegli(ENTI).to_string()),
    }
}

const ENTI: &[&str] = &[
    "Regione Toscana",
    "Agenzia regionale per i servizi digitali",
    "Ordine degli Avvocati di Arezzo",
    "Camera di Commercio di Arezzo-Siena",
    "Azienda USL Toscana sud est",
    "Consorzio Intercomunale Valdarno Digitale",
    "Fondazione Ricerca e Innovazione del Casentino",
    "Soprintendenza Archeologia, Belle Arti e Paesaggio",
    "Ufficio Scolastico Regionale per la Toscana",
    "libero professionista",
];

// ---------------------------------------------------------------------------
// The university and its courses
// ---------------------------------------------------------------------------

const TIPI: [TipoCorso; 7] = [
    TipoCorso::MasterI,
    TipoCorso::MasterII,
    TipoCorso::Perfezionamento,
    TipoCorso::Formazione,
    TipoCorso::Aggiornamento,
    TipoCorso::SummerSchool,
    TipoCorso::WinterSchool,
];

/// Relative size of each kind's cohort, in the order of [`TIPI`].
const PESI: [u64; 7] = [6, 5, 3, 3, 2, 2, 2];

/// The first year of the academic year generated.
const ANNO: i32 = 2025;

const DIPARTIMENTI: &[&str] = &[
    "Dipartimento di Scienze Giuridiche",
    "Dipartimento di Ingegneria dell'Informazione e Scienze Matematiche",
    "Dipartimento di Scienze della Formazione e della Comunicazione",
    "Dipartimento di Economia e Management",
    "Dipartimento di Scienze Storiche e dei Beni Culturali",
    "Dipartimento di Scienze della Vita",
];

/// A subject area: how courses on it are named and what they teach.
struct Tema {
    slug: &'static str,
    sigla: &'static str,
    titolo: &'static str,
    dipartimento: usize,
    moduli: [(&'static str, &'static str); 6],
}

const TEMI: &[Tema] = &[
    Tema {
        slug: "dati-pa",
        sigla: "DPA",
        titolo: "Data Science e Intelligenza Artificiale per la Pubblica Amministrazione",
        dipartimento: 1,
        moduli: [
            (
                "Fondamenti di statistica per le decisioni pubbliche",
                "SECS-S/01",
            ),
            (
                "Programmazione in Python per l'analisi dei dati",
                "ING-INF/05",
            ),
            ("Basi di dati e open data", "ING-INF/05"),
            ("Apprendimento automatico", "ING-INF/05"),
            ("Protezione dei dati personali", "IUS/10"),
            ("Visualizzazione e comunicazione dei dati", "INF/01"),
        ],
    },
    Tema {
        slug: "diritto-energia",
        sigla: "DEN",
        titolo: "Diritto e regolazione dei mercati dell'energia",
        dipartimento: 0,
        moduli: [
            ("Diritto dell'energia", "IUS/10"),
            ("Diritto dell'Unione europea", "IUS/14"),
            ("Economia dell'energia", "SECS-P/06"),
            ("Regolazione dei servizi a rete", "IUS/05"),
            ("Contratti di fornitura", "IUS/01"),
            ("Fonti rinnovabili e comunità energetiche", "ING-IND/33"),
        ],
    },
    Tema {
        slug: "inclusione",
        sigla: "INC",
        titolo: "Didattica inclusiva e bisogni educativi speciali",
        dipartimento: 2,
        moduli: [
            ("Pedagogia speciale", "M-PED/03"),
            ("Didattica e tecnologie per l'inclusione", "M-PED/03"),
            ("Psicologia dello sviluppo", "M-PSI/04"),
            ("Legislazione scolastica", "IUS/09"),
            ("Neuropsichiatria infantile", "MED/39"),
            ("Progettazione educativa individualizzata", "M-PED/01"),
        ],
    },
    Tema {
        slug: "enoturismo",
        sigla: "ENO",
        titolo: "Enoturismo e valorizzazione del territorio",
        dipartimento: 3,
        moduli: [
            ("Marketing territoriale", "SECS-P/08"),
            ("Viticoltura ed enologia", "AGR/03"),
            ("Legislazione vitivinicola", "IUS/03"),
            ("Comunicazione digitale", "SPS/08"),
            ("Economia delle imprese turistiche", "SECS-P/07"),
            ("Geografia del paesaggio", "M-GGR/01"),
        ],
    },
    Tema {
        slug: "pelletteria",
        sigla: "PEL",
        titolo: "Innovazione e sostenibilità nella filiera della pelletteria",
        dipartimento: 3,
        moduli: [
            ("Materiali e processi conciari", "ING-IND/22"),
            ("Sostenibilità della filiera", "SECS-P/13"),
            ("Progettazione CAD del prodotto", "ING-IND/15"),
            ("Qualità e certificazioni", "ING-IND/16"),
            ("Organizzazione della produzione", "ING-IND/35"),
            ("Sicurezza nei luoghi di lavoro", "MED/44"),
        ],
    },
    Tema {
        slug: "paesaggi",
        sigla: "PAE",
        titolo: "Archeologia dei paesaggi del Valdarno",
        dipartimento: 4,
        moduli: [
            ("Archeologia dei paesaggi", "L-ANT/10"),
            ("Topografia antica", "L-ANT/09"),
            ("Rilievo e sistemi informativi geografici", "ICAR/06"),
            ("Storia medievale", "M-STO/01"),
            ("Geoarcheologia", "GEO/04"),
            ("Archeozoologia", "BIO/08"),
        ],
    },
    Tema {
        slug: "mediazione",
        sigla: "MED",
        titolo: "Mediazione dei conflitti e giustizia riparativa",
        dipartimento: 0,
        moduli: [
            ("Teorie del conflitto", "SPS/07"),
            ("Tecniche di mediazione", "M-PSI/05"),
            ("Diritto processuale civile", "IUS/15"),
            ("Giustizia riparativa", "IUS/16"),
            ("Diritto di famiglia", "IUS/01"),
            ("Comunicazione efficace", "M-PSI/01"),
        ],
    },
    Tema {
        slug: "biodiversita",
        sigla: "BIO",
        titolo: "Monitoraggio e tutela della biodiversità",
        dipartimento: 5,
        moduli: [
            ("Ecologia applicata", "BIO/07"),
            ("Botanica sistematica", "BIO/02"),
            ("Zoologia", "BIO/05"),
            ("Statistica ambientale", "SECS-S/02"),
            ("Telerilevamento", "GEO/11"),
            ("Diritto dell'ambiente", "IUS/10"),
        ],
    },
    Tema {
        slug: "sanita-digitale",
        sigla: "SAN",
        titolo: "Management della sanità digitale",
        dipartimento: 3,
        moduli: [
            ("Economia sanitaria", "SECS-P/07"),
            ("Sistemi informativi sanitari", "ING-INF/05"),
            ("Telemedicina", "MED/42"),
            ("Organizzazione aziendale", "SECS-P/10"),
            ("Diritto sanitario", "IUS/10"),
            ("Etica e bioetica", "M-FIL/03"),
        ],
    },
    Tema {
        slug: "italiano-l2",
        sigla: "ITA",
        titolo: "Didattica dell'italiano come lingua seconda",
        dipartimento: 2,
        moduli: [
            ("Linguistica italiana", "L-FIL-LET/12"),
            ("Glottodidattica", "L-LIN/02"),
            ("Sociolinguistica dell'immigrazione", "L-LIN/01"),
            ("Letteratura italiana contemporanea", "L-FIL-LET/11"),
            ("Valutazione e certificazione linguistica", "L-LIN/02"),
            ("Tecnologie per l'insegnamento delle lingue", "M-PED/03"),
        ],
    },
];

fn data(a: i32, m: u32, g: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(a, m, g).expect("data valida")
}

fn piu(d: NaiveDate, giorni: u64) -> NaiveDate {
    d.checked_add_days(Days::new(giorni)).expect("data valida")
}

fn meno(d: NaiveDate, giorni: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(giorni)).expect("data valida")
}

fn ufficio_di(nome: String, responsabile: Firmatario) -> Ufficio {
    Ufficio {
        nome,
        indirizzo: Some("Piazza San Francesco 3, 53045 Montepulciano (SI)".into()),
        email: None,
        pec: None,
        telefono: None,
        responsabile: Some(responsabile),
    }
}

fn ateneo(rng: &mut Rng) -> Ateneo {
    let rettore = firmatario(rng, ("Prof.", "Prof.ssa"));
    let direttore_generale = firmatario(rng, ("Dott.", "Dott.ssa"));
    let responsabile = firmatario(rng, ("Dott.", "Dott.ssa"));
    Ateneo {
        nome: "Università degli Studi di Valdichiana".into(),
        sigla: Some("UniValdichiana".into()),
        citta: "Montepulciano".into(),
        indirizzo: Some("Piazza Grande 1, 53045 Montepulciano (SI)".into()),
        sito_web: Some("https://www.univaldichiana.example".into()),
        logo: None,
        rettore,
        direttore_generale,
        ufficio_post_lauream: Ufficio {
            nome: "Ufficio Post Lauream e Alta Formazione".into(),
            indirizzo: Some("Via di Gracciano nel Corso 12, 53045 Montepulciano (SI)".into()),
            email: Some("postlauream@univaldichiana.example".into()),
            pec: Some("protocollo@pec.univaldichiana.example".into()),
            telefono: Some("+39 0578 000 210".into()),
            responsabile: Some(responsabile),
        },
        bollo: ImpostaBollo {
            importo: Importo(1600),
            virtuale: Some(BolloVirtuale {
                ufficio: "Ufficio territoriale di Siena".into(),
                autorizzazione_numero: "27519/2018".into(),
                autorizzazione_data: data(2018, 10, 3),
            }),
        },
        regolamento: ProfiloRegolamento {
            nome: "Regolamento dei corsi di Alta Formazione".into(),
            emanazione: Some("D.R. n. 902 del 14 settembre 2021".into()),
            prelievi: Prelievi {
                tassa_regionale: Some(Importo(14000)),
                ritenute: vec![Ritenuta {
                    descrizione: "quota destinata al bilancio di Ateneo".into(),
                    punti_base: 1000,
                    oltre: None,
                }],
            },
            finestre_proposta: vec![FinestraProposta {
                entro: "03-31".into(),
                avvio: "corsi con inizio delle attività tra il 1° ottobre e il 30 novembre".into(),
            }],
            formato_decreto: "D.R. n. {numero} del {data}".into(),
            frequenza_minima: 75,
            rateizzazione: false,
            crediti_senza_prova: false,
            titoli_posseduti_entro: Default::default(),
        },
        riferimenti_normativi: vec![
            "la Legge 9 maggio 1989, n. 168".into(),
            "lo Statuto dell'Università degli Studi di Valdichiana".into(),
        ],
        decreto_offerta: None,
        protezione_dati: Some(
            "I dati personali sono trattati dall'Università degli Studi di Valdichiana ai sensi \
             del Regolamento (UE) 2016/679 per le sole finalità della procedura."
                .into(),
        ),
        url_verifica: Some("https://verifica.univaldichiana.example/".into()),
        registro: None,
    }
}

/// How many enrolments of each role a course gets.
#[derive(Clone, Copy)]
struct ConteggioRuoli {
    allievi: usize,
    uditori: usize,
    singoli: usize,
}

impl ConteggioRuoli {
    fn per(tipo: TipoCorso, n: usize) -> Self {
        let quota = |ammessi: bool| {
            if ammessi && n >= 4 {
                (n * 6 / 100).max(1)
            } else {
                0
            }
        };
        let uditori = quota(ammette_uditori(tipo));
        let singoli = quota(tipo.is_master());
        ConteggioRuoli {
            allievi: n - uditori - singoli,
            uditori,
            singoli,
        }
    }
}

fn ammette_uditori(tipo: TipoCorso) -> bool {
    !matches!(tipo, TipoCorso::Aggiornamento | TipoCorso::WinterSchool)
}

/// A course and what its rows need to know about it.
struct PianoCorso {
    corso: Corso,
    /// Date of the final exam, or the end of the course when there is none.
    esame: NaiveDate,
    /// Exam of single-course enrolments.
    esame_singoli: NaiveDate,
    /// Certificates are issued on this date: stamped requests come before it.
    rilascio: NaiveDate,
    /// Whether the roster writes dates as `AAAA-MM-GG` (else `GG/MM/AAAA`):
    /// secretaries use both.
    date_iso: bool,
    /// The roster's CSV separator, `,` or `;` as spreadsheets export it.
    separatore: u8,
}

impl PianoCorso {
    /// A date as this course's roster writes it.
    fn data_testo(&self, d: NaiveDate) -> String {
        if self.date_iso {
            d.format("%Y-%m-%d").to_string()
        } else {
            d.format("%d/%m/%Y").to_string()
        }
    }
}

/// The course file of the `i`-th course and what its roster rows need to
/// know about it. Every draw from `rng` happens in a fixed order, so that a
/// seed always gives the same dataset.
fn piano_corso(
    rng: &mut Rng,
    i: usize,
    tipo: TipoCorso,
    tema: &Tema,
    ruoli: &ConteggioRuoli,
) -> PianoCorso {
    let moduli = piano_didattico(rng, tipo, tema);
    let cfu: u32 = moduli.iter().map(|m| m.cfu).sum();
    let prova_finale = prova_finale(tipo);
    let date = calendario(rng, tipo, prova_finale.is_some());
    let dipartimento_nome = DIPARTIMENTI[tema.dipartimento];
    let direttore = firmatario(rng, ("Prof.", "Prof.ssa"));
    let comitato = comitato(rng, &direttore);
    let quote = quote(rng, tipo);
    let finanziamento = finanziamento(rng, tipo);

    let corso = Corso {
        id: id_corso(i, tipo, tema),
        tipo,
        titolo: tema.titolo.to_string(),
        anno_accademico: format!("{}/{}", ANNO, ANNO + 1),
        dipartimento: dipartimento(rng, dipartimento_nome),
        direttore,
        comitato,
        sede: rng
            .scegli(&[
                "Polo didattico di Piazza San Francesco 3, Montepulciano (SI)",
                "Palazzo Ricci, Via Ricci 9, Montepulciano (SI)",
                "Polo didattico di Chiusi (SI) e in modalità telematica sincrona",
                "online",
            ])
            .to_string(),
        lingua: Some("italiano".into()),
        obiettivi: Some(format!(
            "Il corso forma professionisti con competenze avanzate nel campo «{}».",
            tema.titolo
        )),
        sbocchi: None,
        partner: Vec::new(),
        cfu: Some(cfu),
        moduli,
        posti: posti(tipo, ruoli),
        quote,
        selezione: selezione(tipo),
        date: DateCorso {
            bando: date.bando,
            scadenza: date.scadenza,
            proroghe: Vec::new(),
            inizio: date.inizio,
            fine: date.fine,
            esame_finale: date.esame_finale,
            rilascio_attestati: Some(date.rilascio),
        },
        frequenza_minima: if rng.su_mille(300) { 80 } else { 75 },
        prova_finale,
        ammette_uditori: ammette_uditori(tipo),
        ammette_corsi_singoli: tipo.is_master(),
        finanziamento,
        responsabile_procedimento: None,
        titoli_accesso: Vec::new(),
        domanda: None,
        delibere: vec![Delibera {
            organo: format!("Consiglio del {dipartimento_nome}"),
            data: meno(date.bando, 60 + rng.below(30)),
            oggetto: Some("proposta di attivazione del corso".into()),
        }],
        attivazione: None,
        graduatoria: None,
        commissione: None,
        commissione_finale: None,
        deroga_minimo: None,
        bando_allegato_al_decreto: false,
        decreto_bando: None,
        dossier: None,
        informazioni_bando: Default::default(),
    };
    PianoCorso {
        corso,
        esame: date.esame,
        esame_singoli: date.esame_singoli,
        rilascio: date.rilascio,
        date_iso: rng.su_mille(600),
        separatore: if rng.su_mille(300) { b';' } else { b',' },
    }
}

/// The identifier of the `i`-th course: its kind and theme, numbered from 2
/// when the themes come round again ("master-dati-pa-2").
fn id_corso(i: usize, tipo: TipoCorso, tema: &Tema) -> String {
    let prefisso = match tipo {
        TipoCorso::MasterI => "master",
        TipoCorso::MasterII => "master-ii",
        TipoCorso::Perfezionamento => "perfezionamento",
        TipoCorso::Formazione => "formazione",
        TipoCorso::Aggiornamento => "aggiornamento",
        TipoCorso::SummerSchool => "summer-school",
        TipoCorso::WinterSchool => "winter-school",
    };
    let giro = i / TEMI.len();
    if giro == 0 {
        format!("{prefisso}-{}", tema.slug)
    } else {
        format!("{prefisso}-{}-{}", tema.slug, giro + 1)
    }
}

/// The teaching plan: the theme's modules with CFU by kind (Art. 2, 17.6,
/// 25.3) and hours within 25 per CFU (Art. 36), enough of them taught by the
/// university's own staff (Art. 5, 34), then a Master's stage and the final
/// exam's credits where the kind has them.
fn piano_didattico(rng: &mut Rng, tipo: TipoCorso, tema: &Tema) -> Vec<Modulo> {
    // Teaching plan: CFU by kind (Art. 2, 17.6, 25.3), hours within 25 per CFU (Art. 36).
    let (n_moduli, cfu_possibili, ore_per_cfu): (usize, &[u32], u32) = match tipo {
        TipoCorso::MasterI | TipoCorso::MasterII => (6, &[6, 6, 6, 8, 6, 8], 6),
        TipoCorso::Perfezionamento => (5, &[3, 4, 5], 6),
        TipoCorso::Formazione => (4, &[2, 3], 8),
        TipoCorso::Aggiornamento => (3, &[2, 3], 8),
        TipoCorso::SummerSchool | TipoCorso::WinterSchool => (4, &[1, 2], 8),
    };
    let mut moduli = Vec::new();
    for (k, (titolo, ssd)) in tema.moduli.iter().take(n_moduli).enumerate() {
        let cfu = if tipo.is_master() {
            cfu_possibili[k]
        } else {
            *rng.scegli(cfu_possibili)
        };
        let tipo_att = match rng.below(10) {
            0..=5 => TipoAttivita::Lezione,
            6..=8 => TipoAttivita::Laboratorio,
            _ => TipoAttivita::Seminario,
        };
        let n_docenti = if rng.su_mille(700) { 1 } else { 2 };
        let docenti = (0..n_docenti)
            .map(|_| {
                let interno = rng.su_mille(550);
                docente(rng, interno)
            })
            .collect();
        // A school has no final test, so it awards no credits (Guidelines
        // §5); its hours are those of the credits it would have had.
        let scuola = matches!(tipo, TipoCorso::SummerSchool | TipoCorso::WinterSchool);
        moduli.push(Modulo {
            codice: format!("{}{:02}", tema.sigla, k + 1),
            titolo: titolo.to_string(),
            ssd: Some(ssd.to_string()),
            cfu: if scuola { 0 } else { cfu },
            ore: Ore::from_hours(cfu * ore_per_cfu),
            tipo: tipo_att,
            docenti,
        });
    }
    // Internal teaching at least 20% of the hours (Art. 5, 34): keep a margin.
    loop {
        let totale: u32 = moduli.iter().map(|m| m.ore.0).sum();
        let interne: u32 = moduli
            .iter()
            .filter(|m| m.docenti.iter().any(|d| d.interno))
            .map(|m| m.ore.0)
            .sum();
        if interne * 100 >= totale * 30 {
            break;
        }
        let m = moduli
            .iter_mut()
            .find(|m| !m.docenti.iter().any(|d| d.interno))
            .expect("un modulo senza docenti interni");
        m.docenti[0] = docente(rng, true);
    }
    if tipo.is_master() {
        moduli.push(Modulo {
            codice: "STAGE".into(),
            titolo: "Stage presso un ente partner".into(),
            ssd: None,
            cfu: 12,
            ore: Ore::from_hours(300),
            tipo: TipoAttivita::Stage,
            docenti: Vec::new(),
        });
    }
    let cfu_prova = match tipo {
        TipoCorso::MasterI | TipoCorso::MasterII => Some(8),
        TipoCorso::Perfezionamento => Some(3),
        _ => None,
    };
    if let Some(cfu) = cfu_prova {
        moduli.push(Modulo {
            codice: "PF".into(),
            titolo: "Prova finale".into(),
            ssd: None,
            cfu,
            ore: Ore(0),
            tipo: TipoAttivita::ProvaFinale,
            docenti: Vec::new(),
        });
    }
    moduli
}

/// The final exam on the scale the kind prescribes (Art. 11.1, 23.2, 31.2),
/// for the kinds that have one.
fn prova_finale(tipo: TipoCorso) -> Option<ProvaFinale> {
    tipo.scala_prevista().map(|scala| ProvaFinale {
        scala,
        minimo: None,
        descrizione: Some(if tipo.is_master() {
            "discussione di un elaborato sul project work o sullo stage".into()
        } else {
            "colloquio sugli argomenti del corso".into()
        }),
    })
}

/// The dates of a course, in order.
struct Calendario {
    /// Publication of the call.
    bando: NaiveDate,
    /// Deadline for applications.
    scadenza: NaiveDate,
    /// First day of teaching.
    inizio: NaiveDate,
    /// Last day of teaching.
    fine: NaiveDate,
    /// Final exam, for the kinds that have one.
    esame_finale: Option<NaiveDate>,
    /// Date of the final exam, or the end of the course when there is none.
    esame: NaiveDate,
    /// Exam of single-course enrolments.
    esame_singoli: NaiveDate,
    /// Certificates are issued on this date: stamped requests come before it.
    rilascio: NaiveDate,
}

/// Dates in order; Master exams by 31 March of the year after (Art. 11.2);
/// short courses within a year (Art. 17.6, 25.3).
fn calendario(rng: &mut Rng, tipo: TipoCorso, con_esame_finale: bool) -> Calendario {
    let (bando, durata) = match tipo {
        TipoCorso::MasterI | TipoCorso::MasterII => (data(ANNO, 6, 16), 300 + rng.below(40)),
        TipoCorso::Perfezionamento => (data(ANNO, 7, 1), 120 + rng.below(90)),
        TipoCorso::Formazione | TipoCorso::Aggiornamento => (data(ANNO, 9, 1), 40 + rng.below(60)),
        TipoCorso::SummerSchool => (data(ANNO + 1, 3, 2), 5 + rng.below(8)),
        TipoCorso::WinterSchool => (data(ANNO, 10, 1), 4 + rng.below(6)),
    };
    let bando = piu(bando, rng.below(30));
    let scadenza = piu(bando, 45 + rng.below(40));
    let inizio = piu(scadenza, 20 + rng.below(25));
    let fine = piu(inizio, durata);
    let esame_finale = con_esame_finale.then(|| piu(fine, 14 + rng.below(14)));
    let esame = esame_finale.unwrap_or(fine);
    let esame_singoli = piu(fine, 7);
    Calendario {
        bando,
        scadenza,
        inizio,
        fine,
        esame_finale,
        esame,
        esame_singoli,
        rilascio: piu(esame.max(esame_singoli), 30),
    }
}

/// The scientific committee: the director and two or three professors.
fn comitato(rng: &mut Rng, direttore: &Firmatario) -> Vec<Componente> {
    let mut comitato = vec![componente(direttore, "Direttore")];
    for _ in 0..2 + rng.below(2) {
        comitato.push(componente(
            &firmatario(rng, ("Prof.", "Prof.ssa")),
            "Componente",
        ));
    }
    comitato
}

/// Fees by kind, paid in one sum before the start (Art. 8.5: no
/// instalments); auditors pay half (Art. 13.4), single courses by the CFU
/// (Art. 12.3).
fn quote(rng: &mut Rng, tipo: TipoCorso) -> Quote {
    let euro = |e: u32| Importo(e as i64 * 100);
    let iscrizione = match tipo {
        TipoCorso::MasterI | TipoCorso::MasterII => rng.tra(20, 40) * 100,
        TipoCorso::Perfezionamento => rng.tra(8, 16) * 100,
        TipoCorso::Formazione => rng.tra(6, 16) * 50,
        TipoCorso::Aggiornamento => rng.tra(4, 12) * 50,
        TipoCorso::SummerSchool | TipoCorso::WinterSchool => rng.tra(5, 10) * 50,
    };
    Quote {
        iscrizione: euro(iscrizione),
        rate: Vec::new(),
        ammissione: tipo.is_master().then(|| euro(50)),
        uditore: ammette_uditori(tipo).then(|| euro(iscrizione / 2)),
        corso_singolo_per_cfu: tipo.is_master().then(|| euro(80)),
        agevolazioni: Vec::new(),
    }
}

/// Places that fit the planned allievi, in fives and at least ten; the
/// minimum to start is within reach of them (Art. 3.6.d).
fn posti(tipo: TipoCorso, ruoli: &ConteggioRuoli) -> Posti {
    let massimo = (ruoli.allievi.div_ceil(5) * 5).max(10) as u32;
    let minimo = (massimo * 2 / 5).min(ruoli.allievi.max(1) as u32).max(1);
    Posti {
        minimo,
        massimo,
        uditori: ammette_uditori(tipo).then_some((ruoli.uditori.max(2)) as u32),
        corsi_singoli: tipo.is_master().then_some((ruoli.singoli.max(2)) as u32),
    }
}

/// How each kind selects its candidates (Art. 7.3, 19.5, 27.4).
fn selezione(tipo: TipoCorso) -> Vec<ModalitaSelezione> {
    match tipo {
        TipoCorso::MasterI | TipoCorso::MasterII => {
            vec![ModalitaSelezione::Titoli, ModalitaSelezione::Colloquio]
        }
        TipoCorso::Perfezionamento => vec![ModalitaSelezione::Titoli],
        TipoCorso::Formazione | TipoCorso::Aggiornamento => {
            vec![ModalitaSelezione::OrdineCronologico]
        }
        _ => vec![ModalitaSelezione::Curriculum],
    }
}

/// European Social Fund money for some formazione courses, without
/// regional accreditation (so no dossier).
fn finanziamento(rng: &mut Rng, tipo: TipoCorso) -> Option<Finanziamento> {
    (tipo == TipoCorso::Formazione && rng.su_mille(300)).then(|| Finanziamento {
        fonte: "Fondo Sociale Europeo Plus – PR Toscana 2021-2027".into(),
        accreditamento_regionale: false,
        codice_progetto: Some(format!("FSE-{}-{:05}", ANNO, rng.below(100_000))),
        importo: None,
        fondo_ue: None,
        programma: None,
        cci: None,
        cup: None,
    })
}

/// The proposing department, with its director and teaching secretariat.
fn dipartimento(rng: &mut Rng, nome: &str) -> Dipartimento {
    Dipartimento {
        nome: nome.into(),
        direttore: firmatario(rng, ("Prof.", "Prof.ssa")),
        segreteria_didattica: ufficio_di(
            format!("Segreteria didattica del {nome}"),
            firmatario(rng, ("Dott.", "Dott.ssa")),
        ),
    }
}

fn componente(f: &Firmatario, ruolo: &str) -> Componente {
    Componente {
        nome: f.nome.clone(),
        cognome: f.cognome.clone(),
        titolo: f.titolo.clone(),
        genere: f.genere,
        ruolo: Some(ruolo.into()),
    }
}

/// Writes a model value as pretty JSON, leaving out absent optional fields.
fn scrivi_json<T: serde::Serialize>(percorso: &Path, valore: &T) -> anyhow::Result<()> {
    fn senza_null(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.retain(|_, x| !x.is_null());
                m.values_mut().for_each(senza_null);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(senza_null),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(valore)?;
    senza_null(&mut v);
    let mut w =
        BufWriter::new(File::create(percorso).with_context(|| format!("{}", percorso.display()))?);
    serde_json::to_writer_pretty(&mut w, &v)?;
    w.write_all(b"\n")?;
    w.flush()?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Rosters
// ---------------------------------------------------------------------------

const COLONNE: [&str; 22] = [
    "corso",
    "cognome",
    "nome",
    "codice_fiscale",
    "data_nascita",
    "luogo_nascita",
    "genere",
    "email",
    "laureato",
    "ruolo",
    "moduli",
    "ore_frequentate",
    "esito",
    "voto",
    "data_esame",
    "bollo",
    "bollo_numero",
    "bollo_data",
    "bollo_esenzione",
    "uso",
    "data_rilascio",
    "voti",
];

/// Identifiers of contrassegni are 14 digits: "01" and twelve more.
const MODULO_CONTRASSEGNO: u64 = 1_000_000_000_000;

/// Writes the rosters: the PRNG, and what it remembers from course to
/// course so that tax codes stay unique and people may enrol again.
struct Generatore {
    rng: Rng,
    /// Tax codes already given: a code names one person.
    codici: HashSet<String>,
    /// Some people of earlier courses, who enrol again.
    veterani: Vec<Anagrafica>,
    contrassegni: u64,
    offset_contrassegno: u64,
}

#[derive(Clone, Copy, PartialEq)]
enum Ruolo {
    Allievo,
    Uditore,
    Singolo,
}

/// What a course asks of the people in its roster.
struct ProfiloIscritti<'a> {
    /// Minimum attendance, percent of the planned hours.
    minimo: u32,
    /// Whole hours an allievo is expected to attend: the whole plan.
    ore_allievo: u32,
    /// Whole hours an auditor is expected to attend: all but stage and
    /// exams (Art. 13.2).
    ore_uditore: u32,
    /// The modules a single-course enrolment may choose: those taught, open
    /// to auditors too.
    insegnamenti: Vec<&'a Modulo>,
    /// First and last year of birth of its public.
    anni: (i32, i32),
    /// Whether its allievi hold a degree (Master and perfezionamento,
    /// Art. 6, 16), printed as dott./dott.ssa.
    laureati: bool,
}

impl<'a> ProfiloIscritti<'a> {
    /// What `corso` asks of the people in its roster.
    fn di(corso: &'a Corso) -> Self {
        let ore_allievo: u32 = corso.moduli.iter().map(|m| m.ore.0 / 60).sum();
        let ore_uditore: u32 = corso
            .moduli
            .iter()
            .filter(|m| m.tipo.aperta_agli_uditori())
            .map(|m| m.ore.0 / 60)
            .sum();
        let insegnamenti: Vec<&Modulo> = corso
            .moduli
            .iter()
            .filter(|m| m.tipo.aperta_agli_uditori() && m.ore.0 > 0)
            .collect();
        let anni = match corso.tipo {
            TipoCorso::MasterI | TipoCorso::MasterII | TipoCorso::Perfezionamento => {
                (ANNO - 48, ANNO - 24)
            }
            TipoCorso::SummerSchool | TipoCorso::WinterSchool => (ANNO - 35, ANNO - 21),
            _ => (ANNO - 62, ANNO - 21),
        };
        let laureati = matches!(
            corso.tipo,
            TipoCorso::MasterI | TipoCorso::MasterII | TipoCorso::Perfezionamento
        );
        ProfiloIscritti {
            minimo: corso.frequenza_minima,
            ore_allievo,
            ore_uditore,
            insegnamenti,
            anni,
            laureati,
        }
    }
}

/// The cells of a roster row about a participant's course, as written:
/// empty where the row says nothing.
#[derive(Default)]
struct Carriera {
    /// For a single course: its modules' codes, separated by `;`.
    moduli: String,
    /// Whole hours attended.
    ore: String,
    /// `superato`, `non superato`, `assente`, or empty: no exam sat.
    esito: &'static str,
    /// Grade, with "e lode" where due.
    voto: String,
    /// Date of the exam sat.
    data_esame: String,
    /// `contrassegno`, `virtuale`, or empty: no stamped request yet.
    bollo: &'static str,
    /// The contrassegno's 14 digits.
    bollo_numero: String,
    /// The contrassegno's date: after the exam, before the certificate.
    bollo_data: String,
}

impl Generatore {
    /// A new person, with a tax code nobody else has.
    fn persona(&mut self, anni: (i32, i32)) -> Anagrafica {
        loop {
            let r = &mut self.rng;
            let donna = r.su_mille(540);
            let (nome, cognome, luogo, belfiore, estero) = if r.su_mille(60) {
                let e = r.scegli(ESTERO);
                let nome = r
                    .scegli(if donna { e.nomi_f } else { e.nomi_m })
                    .to_string();
                let cognome = r.scegli(e.cognomi).to_string();
                (nome, cognome, *r.scegli(e.luoghi), e.codice, true)
            } else {
                let nomi = if donna { NOMI_F } else { NOMI_M };
                let mut nome = r.scegli(nomi).to_string();
                if r.su_mille(40) {
                    let secondo = r.scegli(nomi);
                    if *secondo != nome {
                        nome = format!("{nome} {secondo}");
                    }
                }
                let mut cognome = r.scegli(COGNOMI).to_string();
                if r.su_mille(30) {
                    let secondo = r.scegli(COGNOMI);
                    if *secondo != cognome {
                        cognome = format!("{cognome} {secondo}");
                    }
                }
                let (luogo, belfiore) = *r.scegli(LUOGHI);
                (nome, cognome, luogo, belfiore, false)
            };
            let inizio = data(anni.0, 1, 1);
            let giorni = (data(anni.1, 12, 31) - inizio).num_days() as u64;
            let nascita = piu(inizio, r.below(giorni + 1));
            let cf = codice_fiscale(&cognome, &nome, nascita, donna, belfiore);
            if self.codici.contains(&cf) {
                continue;
            }
            let genere = if r.su_mille(20) {
                "X"
            } else if donna {
                "F"
            } else {
                "M"
            };
            let email = format!(
                "{}.{}{}@example.com",
                ascii_minuscolo(&nome),
                ascii_minuscolo(&cognome),
                if r.su_mille(300) {
                    format!("{:02}", nascita.year() % 100)
                } else {
                    String::new()
                }
            );
            self.codici.insert(cf.clone());
            return Anagrafica {
                nome,
                cognome,
                codice_fiscale: cf,
                nascita,
                luogo,
                genere,
                email,
                estero,
            };
        }
    }

    fn contrassegno(&mut self) -> String {
        // An affine map modulo 10^12 with a multiplier prime to 10: distinct
        // numbers that do not look sequential.
        let k = self.contrassegni as u128;
        self.contrassegni += 1;
        let v =
            (k * 7_777_777_777 + self.offset_contrassegno as u128) % MODULO_CONTRASSEGNO as u128;
        format!("01{v:012}")
    }

    /// Hours attended out of `previste`: mostly at least the minimum, sometimes not.
    fn ore(&mut self, previste: u32, minimo: u32, sufficienti_per_mille: u64) -> (u32, bool) {
        let soglia = (previste * minimo).div_ceil(100);
        if previste == 0 || soglia == 0 || self.rng.su_mille(sufficienti_per_mille) {
            (self.rng.tra(soglia, previste), true)
        } else {
            let basso = (previste * 45 / 100).min(soglia - 1);
            (self.rng.tra(basso, soglia - 1), false)
        }
    }

    /// Writes the roster of one course: its people in random order of roles,
    /// in exactly the planned numbers, each with hours, exam and stamp duty
    /// as a secretary would record them. `riusa` lets people of earlier
    /// courses enrol again. Returns the number of rows.
    fn scrivi_iscrizioni(
        &mut self,
        percorso: &Path,
        piano: &PianoCorso,
        ruoli: &ConteggioRuoli,
        riusa: bool,
    ) -> anyhow::Result<usize> {
        let corso = &piano.corso;
        let file = File::create(percorso).with_context(|| format!("{}", percorso.display()))?;
        let mut w = csv::WriterBuilder::new()
            .delimiter(piano.separatore)
            .from_writer(BufWriter::with_capacity(1 << 16, file));
        w.write_record(COLONNE)?;
        let profilo = ProfiloIscritti::di(corso);
        let mut usati: HashSet<usize> = HashSet::new();
        // Only people of earlier courses: nobody enrols twice in the same one.
        let veterani = if riusa { self.veterani.len() } else { 0 };
        let mut restanti = *ruoli;
        let totale = ruoli.allievi + ruoli.uditori + ruoli.singoli;

        for _ in 0..totale {
            let ruolo = self.estrai_ruolo(&mut restanti);
            let p = self.iscritto(ruolo, veterani, &mut usati, profilo.anni);
            let r = self.carriera(ruolo, piano, &profilo);
            let laureato =
                if (ruolo == Ruolo::Allievo && profilo.laureati) || self.rng.su_mille(600) {
                    "sì"
                } else {
                    "no"
                };
            let uso = if r.bollo.is_empty() || !(p.estero && self.rng.su_mille(400)) {
                ""
            } else {
                "estero"
            };
            let ruolo_testo = match ruolo {
                Ruolo::Allievo => "allievo",
                Ruolo::Uditore => "uditore",
                Ruolo::Singolo => "corso_singolo",
            };
            let nascita = piano.data_testo(p.nascita);
            // A single course on several modules has one exam, and one
            // grade, per module (Art. 12).
            let (voto, voti) =
                if ruolo == Ruolo::Singolo && r.moduli.contains(';') && !r.voto.is_empty() {
                    let voti: Vec<String> = r
                        .moduli
                        .split(';')
                        .map(|m| format!("{m}: {}", r.voto))
                        .collect();
                    (String::new(), voti.join("; "))
                } else {
                    (r.voto.clone(), String::new())
                };
            w.write_record([
                corso.id.as_str(),
                &p.cognome,
                &p.nome,
                &p.codice_fiscale,
                &nascita,
                p.luogo,
                p.genere,
                &p.email,
                laureato,
                ruolo_testo,
                &r.moduli,
                &r.ore,
                r.esito,
                &voto,
                &r.data_esame,
                r.bollo,
                &r.bollo_numero,
                &r.bollo_data,
                "",
                uso,
                "",
                &voti,
            ])?;
        }
        w.flush()?;
        Ok(totale)
    }

    /// The role of the next row, drawn so that roles come in random order
    /// and in exactly the planned numbers: `restanti` counts them down.
    fn estrai_ruolo(&mut self, restanti: &mut ConteggioRuoli) -> Ruolo {
        let resto = (restanti.allievi + restanti.uditori + restanti.singoli) as u64;
        let x = self.rng.below(resto) as usize;
        if x < restanti.allievi {
            restanti.allievi -= 1;
            Ruolo::Allievo
        } else if x < restanti.allievi + restanti.uditori {
            restanti.uditori -= 1;
            Ruolo::Uditore
        } else {
            restanti.singoli -= 1;
            Ruolo::Singolo
        }
    }

    /// The person of the next row: now and then someone from an earlier
    /// course (one of the first `veterani`, each at most once per course,
    /// never as a single course), else a new person, some of whom are kept
    /// to enrol again later.
    fn iscritto(
        &mut self,
        ruolo: Ruolo,
        veterani: usize,
        usati: &mut HashSet<usize>,
        anni: (i32, i32),
    ) -> Anagrafica {
        if veterani > 0 && ruolo != Ruolo::Singolo && self.rng.su_mille(15) {
            let k = self.rng.below(veterani as u64) as usize;
            if usati.insert(k) {
                self.veterani[k].clone()
            } else {
                self.persona(anni)
            }
        } else {
            let p = self.persona(anni);
            if self.veterani.len() < 256 && self.rng.su_mille(50) {
                self.veterani.push(p.clone());
            }
            p
        }
    }

    /// What the row records of a participant's course: hours by role, the
    /// exam for those who sit one, and the stamp duty of those who earn a
    /// stamped certificate (auditors' is in carta libera, Art. 13.5).
    fn carriera(
        &mut self,
        ruolo: Ruolo,
        piano: &PianoCorso,
        profilo: &ProfiloIscritti,
    ) -> Carriera {
        let mut c = Carriera::default();
        let (merita_bollo, data_prova) = match ruolo {
            Ruolo::Allievo => (self.carriera_allievo(piano, profilo, &mut c), piano.esame),
            Ruolo::Uditore => {
                let (h, _) = self.ore(profilo.ore_uditore, profilo.minimo, 850);
                c.ore = h.to_string();
                (false, piano.esame)
            }
            Ruolo::Singolo => (
                self.carriera_singolo(piano, profilo, &mut c),
                piano.esame_singoli,
            ),
        };
        if merita_bollo {
            if self.rng.su_mille(870) {
                c.bollo = "contrassegno";
                c.bollo_numero = self.contrassegno();
                let massimo = (piano.rilascio - data_prova).num_days().clamp(1, 21) as u64;
                c.bollo_data = piano.data_testo(piu(data_prova, 1 + self.rng.below(massimo)));
            } else {
                c.bollo = "virtuale";
            }
        }
        c
    }

    /// An allievo: hours over the whole plan, then the final exam for those
    /// with enough attendance. Whether a stamped certificate is due.
    fn carriera_allievo(
        &mut self,
        piano: &PianoCorso,
        profilo: &ProfiloIscritti,
        c: &mut Carriera,
    ) -> bool {
        let (h, sufficiente) = self.ore(profilo.ore_allievo, profilo.minimo, 900);
        c.ore = h.to_string();
        match piano.corso.prova_finale.as_ref() {
            Some(pf) if sufficiente => {
                let r = self.rng.below(100);
                if r < 86 {
                    c.esito = "superato";
                    c.voto = self.voto(pf.scala, pf.minimo_superamento());
                    c.data_esame = piano.data_testo(piano.esame);
                    true
                } else {
                    if r < 94 {
                        c.esito = "non superato";
                        c.data_esame = piano.data_testo(piano.esame);
                    } else {
                        c.esito = "assente";
                    }
                    false
                }
            }
            Some(_) => false,
            None => sufficiente,
        }
    }

    /// A single-course enrolment: one module, or two, with their hours and
    /// exam, graded in thirtieths (Art. 10.2). Whether a stamped
    /// certificate is due.
    fn carriera_singolo(
        &mut self,
        piano: &PianoCorso,
        profilo: &ProfiloIscritti,
        c: &mut Carriera,
    ) -> bool {
        let insegnamenti = &profilo.insegnamenti;
        let a = self.rng.below(insegnamenti.len() as u64) as usize;
        let mut scelti = vec![a];
        if insegnamenti.len() > 1 && self.rng.su_mille(400) {
            let b = (a + 1 + self.rng.below(insegnamenti.len() as u64 - 1) as usize)
                % insegnamenti.len();
            scelti.push(b);
            scelti.sort_unstable();
        }
        c.moduli = scelti
            .iter()
            .map(|&k| insegnamenti[k].codice.as_str())
            .collect::<Vec<_>>()
            .join(";");
        let previste: u32 = scelti.iter().map(|&k| insegnamenti[k].ore.0 / 60).sum();
        let (h, sufficiente) = self.ore(previste, profilo.minimo, 880);
        c.ore = h.to_string();
        if !sufficiente {
            return false;
        }
        let r = self.rng.below(100);
        if r < 85 {
            c.esito = "superato";
            c.voto = self.voto(30, 18);
            c.data_esame = piano.data_testo(piano.esame_singoli);
            true
        } else {
            if r < 95 {
                c.esito = "non superato";
                c.data_esame = piano.data_testo(piano.esame_singoli);
            } else {
                c.esito = "assente";
            }
            false
        }
    }

    /// A passing grade on the scale, higher grades more likely; honours sometimes at the top.
    fn voto(&mut self, scala: u32, minimo: u32) -> String {
        let a = self.rng.tra(minimo, scala);
        let b = self.rng.tra(minimo, scala);
        let v = a.max(b);
        if v == scala && self.rng.su_mille(400) {
            format!("{v} e lode")
        } else {
            v.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::model::Ruolo as RuoloModello;
    use crate::rules::codice_fiscale::{concorda_con_nascita, dati_nascita, verifica};

    fn file_di(dir: &Path, r: &Riepilogo) -> Vec<(String, Vec<u8>)> {
        r.file
            .iter()
            .map(|f| (f.clone(), std::fs::read(dir.join(f)).unwrap()))
            .collect()
    }

    #[test]
    fn genera_un_dataset_valido() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("anno");
        let r = genera(300, 7, 42, &dest).unwrap();
        assert_eq!(r.corsi, 7);
        assert_eq!(r.iscrizioni, 300);
        assert_eq!(r.file.len(), 15);

        let (ds, problemi) = crate::controlla(&dest);
        let errori: Vec<String> = problemi.errori().map(|p| p.to_string()).collect();
        assert!(errori.is_empty(), "errori:\n{}", errori.join("\n"));
        let avvisi: Vec<String> = problemi.0.iter().map(|p| p.to_string()).collect();
        assert!(avvisi.is_empty(), "avvisi:\n{}", avvisi.join("\n"));
        let ds = ds.expect("dataset valido");
        assert_eq!(ds.iscrizioni.len(), 300);

        let tipi: HashSet<TipoCorso> = ds.corsi.iter().map(|(_, c)| c.tipo).collect();
        assert_eq!(tipi.len(), 7, "{tipi:?}");
        let ruoli: HashSet<RuoloModello> = ds.iscrizioni.iter().map(|i| i.ruolo).collect();
        assert_eq!(ruoli.len(), 3, "{ruoli:?}");

        // Some below the attendance minimum, some failed, both kinds of stamp duty.
        let valutazioni: Vec<_> = ds
            .iscrizioni
            .iter()
            .map(|i| crate::rules::valuta(ds.corso(&i.corso).unwrap(), i, &[]))
            .collect();
        assert!(valutazioni.iter().any(|v| !v.frequenza_sufficiente));
        assert!(valutazioni.iter().filter(|v| v.titolo.is_ok()).count() > 200);
        assert!(ds
            .iscrizioni
            .iter()
            .any(|i| i.esito == Some(crate::model::Esito::NonSuperato)));
        let bolli: BTreeSet<&str> = ds
            .iscrizioni
            .iter()
            .filter_map(|i| i.bollo.as_ref())
            .map(|b| match b {
                crate::model::Bollo::Contrassegno { .. } => "contrassegno",
                crate::model::Bollo::Virtuale => "virtuale",
                crate::model::Bollo::Esente { .. } => "esente",
            })
            .collect();
        assert_eq!(bolli, BTreeSet::from(["contrassegno", "virtuale"]));
        // Everyone who earns a stamped certificate asked for it.
        for (i, v) in ds.iscrizioni.iter().zip(&valutazioni) {
            if v.titolo.is_ok() && i.ruolo != RuoloModello::Uditore {
                assert!(
                    i.bollo.is_some(),
                    "{} senza bollo",
                    i.persona.codice_fiscale
                );
            }
        }
        // Names as people have them.
        assert!(ds
            .iscrizioni
            .iter()
            .any(|i| i.persona.cognome.contains(' ')));
        assert!(ds
            .iscrizioni
            .iter()
            .any(|i| i.persona.cognome.contains('\'')
                || i.persona.nome.contains('\'')
                || !i.persona.cognome.is_ascii()
                || !i.persona.nome.is_ascii()));
    }

    #[test]
    fn codici_fiscali_validi_e_coerenti() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("anno");
        genera(500, 7, 7, &dest).unwrap();
        let (ds, _) = crate::input::carica(&dest);
        let ds = ds.unwrap();
        assert_eq!(ds.iscrizioni.len(), 500);
        for i in &ds.iscrizioni {
            let p = &i.persona;
            verifica(&p.codice_fiscale).unwrap();
            assert!(
                concorda_con_nascita(&p.codice_fiscale, p.data_nascita),
                "{} {}",
                p.codice_fiscale,
                p.data_nascita
            );
            let (_, _, _, genere) = dati_nascita(&p.codice_fiscale).unwrap();
            assert!(p.genere == Genere::NonIndicato || p.genere == genere);
        }
    }

    #[test]
    fn codice_fiscale_come_l_agenzia() {
        let d = |a, m, g| NaiveDate::from_ymd_opt(a, m, g).unwrap();
        assert_eq!(
            codice_fiscale("Rossi", "Mario", d(1985, 12, 10), false, "A562"),
            "RSSMRA85T10A562S"
        );
        // The demo dataset's codes: apostrophes, accents, two surnames and names.
        assert_eq!(
            codice_fiscale("D'Angelo", "Francesca", d(1994, 3, 12), true, "F839"),
            "DNGFNC94C52F839U"
        );
        assert_eq!(
            codice_fiscale("Bartolucci", "Niccolò", d(1991, 7, 4), false, "D612"),
            "BRTNCL91L04D612P"
        );
        assert_eq!(
            codice_fiscale(
                "De Luca Bossi",
                "Andrea Salvatore",
                d(1988, 1, 30),
                false,
                "F205"
            ),
            "DLCNRS88A30F205N"
        );
        assert_eq!(
            codice_fiscale("García Márquez", "Lucía", d(1994, 10, 7), true, "Z131"),
            "GRCLCU94R47Z131Z"
        );
    }

    #[test]
    fn stesso_seme_stessi_byte() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b, c) = (
            tmp.path().join("a"),
            tmp.path().join("b"),
            tmp.path().join("c"),
        );
        let ra = genera(400, 9, 2025, &a).unwrap();
        let rb = genera(400, 9, 2025, &b).unwrap();
        let rc = genera(400, 9, 2026, &c).unwrap();
        assert_eq!(ra, rb);
        assert_eq!(file_di(&a, &ra), file_di(&b, &rb));
        let rosters = |d: &Path, r: &Riepilogo| {
            file_di(d, r)
                .into_iter()
                .filter(|(f, _)| f.starts_with("iscrizioni/"))
                .map(|(_, b)| b)
                .collect::<Vec<_>>()
        };
        assert_ne!(rosters(&a, &ra), rosters(&c, &rc));
    }

    #[test]
    fn rifiuta_una_cartella_non_vuota() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("x.txt"), "x").unwrap();
        assert!(genera(10, 2, 1, tmp.path()).is_err());
        // An empty existing directory is fine.
        let vuota = tmp.path().join("vuota");
        std::fs::create_dir(&vuota).unwrap();
        genera(10, 2, 1, &vuota).unwrap();
    }
}
