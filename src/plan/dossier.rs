//! Dossiers of Regione-accredited courses (Guidelines §8): the index of the
//! ten sections with the documents filed under each, the documents the
//! secretariat adds by hand, and the completeness check.
//!
//! For every course with `finanziamento.accreditamento_regionale` the
//! secretariat keeps an electronic dossier with ten sections, in the order
//! the guidelines list them ([`SEZIONI`]). The dossier files:
//!
//! - the documents lauream itself produces for the course (call, decrees,
//!   certificates), each in its section;
//! - the documents the office supplies as they are (letters of appointment,
//!   agreements, communications to the Regione), placed by the secretary under
//!   `DATASET/dossier/<course-id>/<NN>-<anything>/`, where `NN` is the
//!   section's number: they are copied byte for byte, never rendered;
//! - the index, `00-indice-dossier.pdf`, listing the ten sections and what
//!   each holds, with the teaching programme as its annex (section 4).
//!
//! A section with nothing in it makes the dossier incomplete: one warning per
//! course, and `build --strict` refuses to go on.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::dati::{
    Condiviso, Dati, DatiAteneo, DatiCorso, DatiFirmatario, DatiUfficio, Intestazione, Testo,
    TipoAtto,
};
use super::{italiano, percorsi, Comuni, Documento, Piano, TipoDocumento};
use crate::diag::Posizione;
use crate::model::{Corso, Dataset, TipoAttivita};

/// What the dossier index template receives.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatiIndiceDossier {
    /// The heading.
    pub documento: Intestazione,
    /// The university, shared by every document of the year.
    pub ateneo: Condiviso<DatiAteneo>,
    /// The department's secretariat, which keeps the dossier.
    pub emittente: DatiUfficio,
    /// The course with its funding and programme.
    pub corso: CorsoDossier,
    /// Who keeps the dossier, and since when.
    pub dossier: TestataDossier,
    /// The ten sections, each with what it holds.
    pub sezioni: Vec<SezioneIndice>,
    /// The sections with nothing in them: "2. Comunicazioni di variazione…".
    pub mancanti: Vec<String>,
    /// Whether every section holds something.
    pub completo: bool,
}

/// The course, with its funding and its teaching programme (the index's annex).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorsoDossier {
    /// The course, shared by every document of the course.
    #[serde(flatten)]
    pub corso: Condiviso<DatiCorso>,
    /// The funding.
    pub finanziamento: FinanziamentoDossier,
    /// The teaching programme, module by module.
    pub programma: Vec<ModuloProgramma>,
}

/// The public funding that requires the dossier.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinanziamentoDossier {
    /// Where the money comes from.
    pub fonte: Option<String>,
    /// The project's code.
    pub codice_progetto: Option<String>,
    /// In euro as printed.
    pub importo: Option<String>,
}

/// A module of the teaching programme, with its teachers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuloProgramma {
    /// The module's code.
    pub codice: String,
    /// The module's title.
    pub titolo: String,
    /// Its scientific-disciplinary sector.
    pub ssd: Option<String>,
    /// The activity in words: "lezione", "project work".
    pub tipo: Testo,
    /// Its credits.
    pub cfu: u32,
    /// Its planned hours.
    pub ore: String,
    /// "Prof.ssa Sara Bigazzi", "Dott. Ugo Neri (Consorzio …)".
    pub docenti: Vec<String>,
}

/// Who keeps the dossier, and since when.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestataDossier {
    /// The area's administrative head, who opens and closes the dossier.
    pub responsabile: Option<DatiFirmatario>,
    /// When it was opened: "15 dicembre 2025".
    pub apertura: Option<String>,
    /// When it was closed, once it is.
    pub chiusura: Option<String>,
    /// The dossier's folder in the output.
    pub cartella: String,
    /// The rule the dossier answers to.
    pub regola: Testo,
}

/// A section of the index, with the documents filed in it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SezioneIndice {
    /// 1–10.
    pub numero: u8,
    /// "lettere-incarico".
    pub chiave: Testo,
    /// "05-lettere-incarico".
    pub cartella: String,
    /// "Lettere d'incarico".
    pub titolo: Testo,
    /// What the section gathers, when the guidelines spell it out.
    pub contenuto: Option<Testo>,
    /// What is filed in it.
    pub documenti: Vec<VoceSezione>,
}

/// A document filed in a section.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoceSezione {
    /// The document's title, without the course.
    pub titolo: String,
    /// Where it is in the output.
    pub percorso: String,
    /// Identifier of a document lauream renders.
    pub identificativo: Option<String>,
    /// For a document filed as it is: where it is in the dataset.
    pub origine: Option<String>,
    /// Whether it was supplied rather than rendered.
    pub acquisito: bool,
}

/// What a supplied file filed in the dossier says of itself in the plan:
/// its section and where it came from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatiAllegato {
    /// The section it is filed in.
    pub sezione: SezioneAllegato,
    /// The file in the dataset.
    pub origine: String,
}

/// The section a supplied file is filed in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SezioneAllegato {
    /// 1–10.
    pub numero: u8,
    /// "Lettere d'incarico".
    pub titolo: Testo,
}

/// The rule every dossier problem cites.
const REGOLA: &str = "Linee guida §8";

/// Name of the dataset folder holding the documents supplied as they are.
pub const CARTELLA_DATASET: &str = "dossier";

/// One of the ten sections of a dossier, in the order of Guidelines §8.
/// A planned document that a dossier files carries its section
/// ([`Documento::sezione_dossier`]); the section's folder lays out the
/// course's archive bag. In the plan it is written by its key
/// (`lettere-incarico`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SezioneDossier {
    /// 1. Communications at the start: the call, the activation decree.
    ComunicazioniInizioCorso = 1,
    /// 2. Changes to the programme: deadline extensions.
    VariazioniProgrammaFormativo,
    /// 3. The selection's outcome: the ranking.
    EsitiSelezione,
    /// 4. The teaching programme: the index's own annex.
    ProgrammaDidattico,
    /// 5. Letters of appointment.
    LettereIncarico,
    /// 6. Other communications.
    AltreComunicazioni,
    /// 7. Communications at the end of the course.
    ComunicazioniFineCorso,
    /// 8. Exams: the examining committee.
    ComunicazioniEsami,
    /// 9. Accounts.
    ComunicazioniRendicontazione,
    /// 10. Certificates and titles.
    Attestati,
}

/// The ten sections of the dossier, in the order of Guidelines §8.
pub const SEZIONI: [SezioneDossier; 10] = [
    SezioneDossier::ComunicazioniInizioCorso,
    SezioneDossier::VariazioniProgrammaFormativo,
    SezioneDossier::EsitiSelezione,
    SezioneDossier::ProgrammaDidattico,
    SezioneDossier::LettereIncarico,
    SezioneDossier::AltreComunicazioni,
    SezioneDossier::ComunicazioniFineCorso,
    SezioneDossier::ComunicazioniEsami,
    SezioneDossier::ComunicazioniRendicontazione,
    SezioneDossier::Attestati,
];

impl SezioneDossier {
    /// 1–10, the order of Guidelines §8.
    pub fn numero(self) -> u8 {
        self as u8
    }

    /// The section with this number (1–10).
    pub fn da_numero(numero: u8) -> Option<SezioneDossier> {
        SEZIONI.into_iter().find(|s| s.numero() == numero)
    }

    /// File-name fragment: the section's folder is `NN-<chiave>`.
    pub fn chiave(self) -> &'static str {
        match self {
            SezioneDossier::ComunicazioniInizioCorso => "comunicazioni-inizio-corso",
            SezioneDossier::VariazioniProgrammaFormativo => "variazioni-programma-formativo",
            SezioneDossier::EsitiSelezione => "esiti-selezione",
            SezioneDossier::ProgrammaDidattico => "programma-didattico",
            SezioneDossier::LettereIncarico => "lettere-incarico",
            SezioneDossier::AltreComunicazioni => "altre-comunicazioni",
            SezioneDossier::ComunicazioniFineCorso => "comunicazioni-fine-corso",
            SezioneDossier::ComunicazioniEsami => "comunicazioni-esami",
            SezioneDossier::ComunicazioniRendicontazione => "comunicazioni-rendicontazione",
            SezioneDossier::Attestati => "attestati",
        }
    }

    /// The title as the guidelines word it.
    pub fn titolo(self) -> &'static str {
        match self {
            SezioneDossier::ComunicazioniInizioCorso => "Comunicazioni d'inizio corso",
            SezioneDossier::VariazioniProgrammaFormativo => {
                "Comunicazioni di variazione del programma formativo"
            }
            SezioneDossier::EsitiSelezione => "Esiti della selezione",
            SezioneDossier::ProgrammaDidattico => "Programma didattico",
            SezioneDossier::LettereIncarico => "Lettere d'incarico",
            SezioneDossier::AltreComunicazioni => "Altre comunicazioni",
            SezioneDossier::ComunicazioniFineCorso => "Comunicazioni di fine corso",
            SezioneDossier::ComunicazioniEsami => "Comunicazioni degli esami",
            SezioneDossier::ComunicazioniRendicontazione => "Comunicazioni della rendicontazione",
            SezioneDossier::Attestati => "Attestati",
        }
    }

    /// What the section gathers, when the guidelines spell it out.
    pub fn contenuto(self) -> Option<&'static str> {
        match self {
            SezioneDossier::AltreComunicazioni => Some(
                "convenzioni, preventivi, report delle schede di valutazione, pubblicità, stage, \
                 verbale di consegna del materiale didattico, esami, borse di studio",
            ),
            _ => None,
        }
    }

    /// The section's folder inside the course's dossier: `05-lettere-incarico`.
    pub fn cartella(self) -> String {
        format!("{:02}-{}", self.numero(), self.chiave())
    }

    /// "5. Lettere d'incarico", as warnings and summaries name it.
    pub fn nome(self) -> String {
        format!("{}. {}", self.numero(), self.titolo())
    }
}

/// One entry of the index.
#[derive(Debug, Clone)]
struct Voce {
    sezione: SezioneDossier,
    titolo: String,
    percorso: String,
    /// Identifier of a document lauream renders; `None` for one filed as it is.
    identificativo: Option<String>,
    /// For a document filed as it is: where it is in the dataset.
    origine: Option<String>,
}

impl Voce {
    /// The entry of a document lauream renders, in `sezione`.
    fn di(d: &Documento, sezione: SezioneDossier) -> Voce {
        Voce {
            sezione,
            titolo: d.titolo.clone(),
            percorso: d.percorso.clone(),
            identificativo: Some(d.identificativo.clone()),
            origine: None,
        }
    }
}

/// Plans the dossier of one course: the documents supplied in the dataset,
/// the index, and the completeness warning.
pub(super) fn pianifica_corso(
    ds: &Dataset,
    corso: &Corso,
    comuni: Comuni,
    documenti_del_corso: &[Documento],
    piano: &mut Piano,
) {
    // Folders of `dossier/` that belong to no accredited course are checked
    // once per dataset, while planning its first course.
    if ds.corsi.first().is_some_and(|(_, c)| c.id == corso.id) {
        controlla_cartelle(ds, piano);
    }
    if !corso.accreditato() {
        return;
    }
    let dove_indice = percorsi::indice_dossier(corso);
    let mut voci = voci_prodotte(corso, documenti_del_corso, &piano.documenti);
    // Section 4: the teaching programme is the index's own annex.
    voci.push(Voce {
        sezione: SezioneDossier::ProgrammaDidattico,
        titolo: "Programma didattico del corso (allegato A al presente indice)".into(),
        percorso: dove_indice.percorso.clone(),
        identificativo: Some(dove_indice.identificativo.clone()),
        origine: None,
    });
    // The documents supplied in the dataset, copied as they are.
    let allegati = documenti_forniti(ds, corso, piano);
    for (voce, doc) in allegati {
        voci.push(voce);
        piano.documenti.push(doc);
    }
    // The course is in the heading: entries need not repeat it.
    let suffisso = format!(" – {}", corso.titolo);
    for v in &mut voci {
        if let Some(t) = v.titolo.strip_suffix(&suffisso) {
            v.titolo = t.to_string();
        }
    }
    // Stable order: by section, then as planned (rendered first, then supplied by path).
    voci.sort_by_key(|v| v.sezione);

    let mancanti: Vec<SezioneDossier> = SEZIONI
        .into_iter()
        .filter(|s| !voci.iter().any(|v| v.sezione == *s))
        .collect();
    avvisa_se_incompleto(ds, corso, &mancanti, piano);

    piano.documenti.push(indice(
        ds,
        corso,
        comuni,
        &voci,
        &mancanti,
        documenti_del_corso,
        dove_indice,
    ));
}

/// The entries of the documents lauream renders for the course, each in
/// the section it carries. `gia_pianificati` may hold the year's
/// documents: when the course has no activation decree of its own, the
/// decree activating the year's whole offer is the one that started it.
fn voci_prodotte(
    corso: &Corso,
    documenti_del_corso: &[Documento],
    gia_pianificati: &[Documento],
) -> Vec<Voce> {
    let mut voci: Vec<Voce> = documenti_del_corso
        .iter()
        .filter_map(|d| Some(Voce::di(d, d.sezione_dossier?)))
        .collect();
    let ha_attivazione = documenti_del_corso
        .iter()
        .any(|d| d.dati.atto() == Some(TipoAtto::DecretoAttivazione));
    if !ha_attivazione {
        let offerta = gia_pianificati.iter().filter(|d| {
            d.corso.is_none()
                && d.dati.atto() == Some(TipoAtto::DecretoOfferta)
                && d.dati.anno_accademico() == Some(corso.anno_accademico.as_str())
        });
        voci.extend(offerta.map(|d| Voce::di(d, SezioneDossier::ComunicazioniInizioCorso)));
    }
    voci
}

/// One warning for a dossier with empty sections (and the list `build
/// --strict` refuses), one for a course that lacks the dossier's data.
fn avvisa_se_incompleto(
    ds: &Dataset,
    corso: &Corso,
    mancanti: &[SezioneDossier],
    piano: &mut Piano,
) {
    let file_corso = ds
        .corsi
        .iter()
        .find(|(_, c)| c.id == corso.id)
        .map(|(f, _)| f.clone())
        .unwrap_or_else(|| format!("corsi/{}.json", corso.id));
    if !mancanti.is_empty() {
        let nomi: Vec<String> = mancanti.iter().map(|s| s.nome()).collect();
        piano.avvisi.avviso(
            Posizione::json(&file_corso, "$.dossier"),
            format!(
                "dossier incompleto: nessun documento nelle sezioni {}; aggiungerli in {CARTELLA_DATASET}/{}/NN-…/ (NN = numero della sezione)",
                nomi.join("; "),
                corso.id
            ),
            Some(REGOLA),
        );
        piano.dossier_incompleti.push((corso.id.clone(), nomi));
    }
    if corso.dossier.is_none() {
        piano.avvisi.avviso(
            Posizione::json(&file_corso, "$.dossier"),
            "corso con accreditamento regionale senza i dati del dossier: indicare il responsabile dell'apertura e della chiusura e la data di apertura",
            Some(REGOLA),
        );
    }
}

/// Files that are not documents: the system's and office programs' leftovers.
fn da_ignorare(nome: &str) -> bool {
    nome.starts_with('.')
        || nome.starts_with("~$")
        || nome.eq_ignore_ascii_case("thumbs.db")
        || nome.eq_ignore_ascii_case("desktop.ini")
}

/// Path of a dataset file relative to the dataset, with `/`.
fn relativo(radice: &Path, p: &Path) -> String {
    p.strip_prefix(radice)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The section number a folder name starts with: `05-lettere` → 5.
fn numero_cartella(nome: &str) -> Option<u32> {
    let cifre: String = nome.chars().take_while(char::is_ascii_digit).collect();
    if cifre.is_empty() || cifre.len() > 3 {
        return None;
    }
    let resto = &nome[cifre.len()..];
    if !(resto.is_empty() || resto.starts_with(['-', '_', ' ', '.'])) {
        return None;
    }
    cifre.parse().ok()
}

/// A human title from a file name: "Lettera d'incarico - Gori" stays as it
/// is; "lettera_incarico_gori" becomes "Lettera incarico gori".
fn titolo_da_nome(stem: &str) -> String {
    let mut t = stem.replace('_', " ");
    if !t.contains(' ') {
        t = t.replace('-', " ");
    }
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        "Documento".into()
    } else {
        italiano::maiuscola(&t)
    }
}

/// The documents the secretariat supplies for a course under
/// `dossier/<course-id>/NN-…/`: one [`Documento`] each, filed as it is.
/// Files outside a numbered section folder are reported, not filed.
fn documenti_forniti(ds: &Dataset, corso: &Corso, piano: &mut Piano) -> Vec<(Voce, Documento)> {
    let dir = ds.radice.join(CARTELLA_DATASET).join(&corso.id);
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    let mut usati: HashSet<String> = HashSet::new();
    let walker = walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e
                    .path()
                    .map(|p| relativo(&ds.radice, p))
                    .unwrap_or_else(|| relativo(&ds.radice, &dir));
                piano.avvisi.errore_regola(
                    Posizione::file(rel),
                    format!("non leggibile: {e}"),
                    REGOLA,
                );
                continue;
            }
        };
        let nome = entry.file_name().to_string_lossy().into_owned();
        if da_ignorare(&nome) || entry.file_type().is_dir() {
            continue;
        }
        let rel = relativo(&ds.radice, entry.path());
        match fornito(corso, &dir, &entry, &rel, &mut usati) {
            Ok(v) => out.push(v),
            Err(msg) => piano
                .avvisi
                .errore_regola(Posizione::file(&rel), msg, REGOLA),
        }
    }
    out
}

/// One file supplied for the course's dossier (`rel` in the dataset), in
/// its section under a name no other file of the section has (`usati`);
/// or why it is not filed.
fn fornito(
    corso: &Corso,
    dir: &Path,
    entry: &walkdir::DirEntry,
    rel: &str,
    usati: &mut HashSet<String>,
) -> Result<(Voce, Documento), String> {
    if !entry.file_type().is_file() {
        return Err("non è un file ordinario (collegamento simbolico?): non archiviato nel dossier; copiare qui il documento".into());
    }
    // Components below the course folder: the section folder, any
    // subfolders, the file.
    let parti: Vec<String> = entry
        .path()
        .strip_prefix(dir)
        .unwrap_or(entry.path())
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parti.len() < 2 {
        return Err(format!(
            "file fuori da una cartella di sezione: non archiviato nel dossier; spostarlo in {CARTELLA_DATASET}/{}/NN-…/, dove NN è il numero della sezione (da 01 a 10)",
            corso.id
        ));
    }
    let Some(numero) = numero_cartella(&parti[0]) else {
        return Err(format!(
            "la cartella «{}» non inizia con il numero di una sezione (da 01 a 10): file non archiviato nel dossier",
            parti[0]
        ));
    };
    let Some(sez) = u8::try_from(numero)
        .ok()
        .and_then(SezioneDossier::da_numero)
    else {
        return Err(format!(
            "la sezione {numero:02} non esiste: le sezioni del dossier vanno da 01 a 10; file non archiviato"
        ));
    };
    if entry.metadata().map(|m| m.len() == 0).unwrap_or(false) {
        return Err("file vuoto: non archiviato nel dossier".into());
    }
    let nome = entry.file_name().to_string_lossy().into_owned();
    let p = Path::new(&nome);
    let stem = p
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| nome.clone());
    let ext = p.extension().map(|e| e.to_string_lossy());
    // Subfolders inside the section become part of the name.
    let sottocartelle = &parti[1..parti.len() - 1];
    let mut n = 1;
    let mut nome_file = percorsi::nome_allegato(sottocartelle, &stem, ext.as_deref(), n);
    while !usati.insert(format!("{}/{nome_file}", sez.numero())) {
        n += 1;
        nome_file = percorsi::nome_allegato(sottocartelle, &stem, ext.as_deref(), n);
    }
    let dove = percorsi::allegato_dossier(corso, sez, &nome_file);
    let titolo = titolo_da_nome(&stem);
    let Ok(assoluto) = std::path::absolute(entry.path()) else {
        return Err("percorso non risolvibile: file non archiviato".into());
    };
    let voce = Voce {
        sezione: sez,
        titolo: titolo.clone(),
        percorso: dove.percorso.clone(),
        identificativo: None,
        origine: Some(rel.to_string()),
    };
    let documento = Documento {
        tipo: TipoDocumento::Dossier,
        corso: Some(corso.id.clone()),
        persona: None,
        template: String::new(),
        percorso: dove.percorso,
        titolo: format!("{titolo} – {}", corso.titolo),
        identificativo: dove.identificativo,
        serie: None,
        // Its path already sits in its section's folder.
        sezione_dossier: None,
        dati: Dati::Allegato(Box::new(DatiAllegato {
            sezione: SezioneAllegato {
                numero: sez.numero(),
                titolo: sez.titolo().into(),
            },
            origine: rel.to_string(),
        })),
        allegato: Some(assoluto),
    };
    Ok((voce, documento))
}

/// Reports what under `dossier/` belongs to no Regione-accredited course.
fn controlla_cartelle(ds: &Dataset, piano: &mut Piano) {
    let dir = ds.radice.join(CARTELLA_DATASET);
    let Ok(voci) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut voci: Vec<_> = voci.filter_map(Result::ok).collect();
    voci.sort_by_key(|e| e.file_name());
    for e in voci {
        let nome = e.file_name().to_string_lossy().into_owned();
        if da_ignorare(&nome) {
            continue;
        }
        let rel = relativo(&ds.radice, &e.path());
        let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if !is_dir {
            piano.avvisi.errore_regola(
                Posizione::file(rel),
                format!("file fuori dalla cartella di un corso: non archiviato; i documenti vanno in {CARTELLA_DATASET}/<id del corso>/NN-…/"),
                REGOLA,
            );
            continue;
        }
        match ds.corso(&nome) {
            Some(c) if c.accreditato() => {}
            Some(_) => piano.avvisi.avviso(
                Posizione::file(format!("{rel}/")),
                format!("il corso «{nome}» non ha accreditamento regionale (finanziamento.accreditamento_regionale): non ha un dossier e i file della cartella non sono archiviati"),
                Some(REGOLA),
            ),
            None => piano.avvisi.errore_regola(
                Posizione::file(format!("{rel}/")),
                format!("nessun corso con id «{nome}»: i file della cartella non sono archiviati"),
                REGOLA,
            ),
        }
    }
}

/// The date of the index: the closing date of a closed dossier, otherwise
/// that of the latest document generated for it (never the clock).
fn data_indice(corso: &Corso, documenti_del_corso: &[Documento]) -> chrono::NaiveDate {
    if let Some(c) = corso.dossier.as_ref().and_then(|d| d.chiusura) {
        return c;
    }
    let apertura = corso
        .dossier
        .as_ref()
        .map(|d| d.apertura)
        .unwrap_or(corso.date.bando);
    documenti_del_corso
        .iter()
        .filter(|d| d.sezione_dossier.is_some())
        .filter_map(|d| d.dati.data())
        .chain(std::iter::once(apertura))
        .max()
        .unwrap_or(apertura)
}

fn tipo_attivita(t: TipoAttivita) -> &'static str {
    match t {
        TipoAttivita::Lezione => "lezione",
        TipoAttivita::Laboratorio => "laboratorio",
        TipoAttivita::Seminario => "seminario",
        TipoAttivita::Stage => "stage",
        TipoAttivita::ProjectWork => "project work",
        TipoAttivita::ProvaFinale => "prova finale",
    }
}

/// The ten sections of the index, each with the documents filed in it.
fn sezioni(voci: &[Voce]) -> Vec<SezioneIndice> {
    SEZIONI
        .into_iter()
        .map(|s| SezioneIndice {
            numero: s.numero(),
            chiave: s.chiave().into(),
            cartella: s.cartella(),
            titolo: s.titolo().into(),
            contenuto: s.contenuto().map(Testo::Borrowed),
            documenti: voci
                .iter()
                .filter(|v| v.sezione == s)
                .map(|v| VoceSezione {
                    titolo: v.titolo.clone(),
                    percorso: v.percorso.clone(),
                    identificativo: v.identificativo.clone(),
                    origine: v.origine.clone(),
                    acquisito: v.origine.is_some(),
                })
                .collect(),
        })
        .collect()
}

/// The teaching programme, the index's annex: each module with its
/// teachers, the external ones with where they come from.
fn programma(corso: &Corso) -> Vec<ModuloProgramma> {
    corso
        .moduli
        .iter()
        .map(|m| {
            let docenti = m
                .docenti
                .iter()
                .map(|d| {
                    let nome = italiano::nome_con_titolo(d.titolo.as_deref(), &d.nome, &d.cognome);
                    match (&d.ente, d.interno) {
                        (_, true) => nome,
                        (Some(e), false) => format!("{nome} ({e})"),
                        (None, false) => format!("{nome} (esterno)"),
                    }
                })
                .collect();
            ModuloProgramma {
                codice: m.codice.clone(),
                titolo: m.titolo.clone(),
                ssd: m.ssd.clone(),
                tipo: tipo_attivita(m.tipo).into(),
                cfu: m.cfu,
                ore: m.ore.to_string(),
                docenti,
            }
        })
        .collect()
}

fn indice(
    ds: &Dataset,
    corso: &Corso,
    comuni: Comuni,
    voci: &[Voce],
    mancanti: &[SezioneDossier],
    documenti_del_corso: &[Documento],
    dove: percorsi::Collocazione,
) -> Documento {
    let data = data_indice(corso, documenti_del_corso);
    let intestazione = "Indice del dossier";
    let titolo = format!("{intestazione} – {}", corso.titolo);
    let responsabile = corso.dossier.as_ref().map(|d| {
        let qualifica = super::qualifica(&d.responsabile, italiano::Carica::ResponsabileDossier);
        DatiFirmatario::new(&d.responsabile, qualifica)
    });
    let fin = corso.finanziamento.as_ref();
    let dati = DatiIndiceDossier {
        documento: Intestazione::new(
            TipoAtto::IndiceDossier,
            intestazione,
            titolo,
            dove.identificativo,
            data,
            &ds.ateneo,
        ),
        ateneo: comuni.ateneo.clone(),
        // Guidelines §8: the secretariat of the proposing structure keeps the dossier.
        emittente: (&corso.dipartimento.segreteria_didattica).into(),
        corso: CorsoDossier {
            corso: comuni.corso.clone(),
            finanziamento: FinanziamentoDossier {
                fonte: fin.map(|f| f.fonte.clone()),
                codice_progetto: fin.and_then(|f| f.codice_progetto.clone()),
                importo: fin.and_then(|f| f.importo).map(|i| i.to_string()),
            },
            programma: programma(corso),
        },
        dossier: TestataDossier {
            responsabile,
            apertura: corso.dossier.as_ref().map(|d| italiano::data(d.apertura)),
            chiusura: corso
                .dossier
                .as_ref()
                .and_then(|d| d.chiusura)
                .map(italiano::data),
            cartella: percorsi::cartella_dossier(corso),
            regola: REGOLA.into(),
        },
        sezioni: sezioni(voci),
        mancanti: mancanti.iter().map(|s| s.nome()).collect(),
        completo: mancanti.is_empty(),
    };
    Documento::da_rendere(Some(corso), None, dove.percorso, dati)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dieci_sezioni_in_ordine() {
        assert_eq!(SEZIONI.len(), 10);
        for (i, s) in SEZIONI.into_iter().enumerate() {
            assert_eq!(usize::from(s.numero()), i + 1);
            assert_eq!(SezioneDossier::da_numero(s.numero()), Some(s));
            assert_eq!(italiano::slug(s.chiave()), s.chiave());
            // The plan writes a section by its key.
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::Value::from(s.chiave())
            );
        }
        assert_eq!(SezioneDossier::da_numero(0), None);
        assert_eq!(SezioneDossier::da_numero(11), None);
        assert_eq!(SEZIONI[4].cartella(), "05-lettere-incarico");
        assert_eq!(SEZIONI[9].cartella(), "10-attestati");
    }

    /// A document's section is its kind's, whatever words its number or
    /// the course's id put in its path; only an accredited course's
    /// documents have one.
    #[test]
    fn la_sezione_viene_dal_tipo_non_dal_percorso() {
        let radice = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
        let (ds, problemi) = crate::input::carica(&radice);
        let mut ds = ds.unwrap_or_else(|| panic!("{problemi}"));
        for (_, c) in ds.corsi.iter_mut().filter(|(_, c)| c.accreditato()) {
            if let Some(dr) = c.attivazione.as_mut() {
                dr.numero = "12-proroga-graduatoria".into();
            }
        }
        let piano = super::super::pianifica(&ds, &Default::default(), None);
        let mut attivazioni = 0;
        for d in &piano.documenti {
            let accreditato = d
                .corso
                .as_deref()
                .and_then(|c| ds.corso(c))
                .is_some_and(Corso::accreditato);
            let attesa = match d.dati.atto() {
                Some(a) if accreditato => a.sezione_dossier(),
                _ => None,
            };
            assert_eq!(d.sezione_dossier, attesa, "{}", d.percorso);
            if accreditato && d.dati.atto() == Some(TipoAtto::DecretoAttivazione) {
                assert!(d.percorso.contains("proroga-graduatoria"));
                assert_eq!(
                    d.sezione_dossier,
                    Some(SezioneDossier::ComunicazioniInizioCorso)
                );
                attivazioni += 1;
            }
        }
        assert_eq!(attivazioni, 1);
    }

    #[test]
    fn numeri_delle_cartelle() {
        assert_eq!(numero_cartella("05-lettere d'incarico"), Some(5));
        assert_eq!(numero_cartella("10"), Some(10));
        assert_eq!(numero_cartella("7 fine corso"), Some(7));
        assert_eq!(numero_cartella("11-altro"), Some(11));
        assert_eq!(numero_cartella("00-varie"), Some(0));
        assert_eq!(numero_cartella("lettere"), None);
        assert_eq!(numero_cartella("2025-relazioni"), None);
        assert_eq!(numero_cartella("5a-bis"), None);
    }

    #[test]
    fn titoli_dai_nomi() {
        assert_eq!(
            titolo_da_nome("Lettera d'incarico - Gori"),
            "Lettera d'incarico - Gori"
        );
        assert_eq!(
            titolo_da_nome("lettera_incarico_gori"),
            "Lettera incarico gori"
        );
        assert_eq!(
            titolo_da_nome("convenzione-consorzio"),
            "Convenzione consorzio"
        );
    }
}
