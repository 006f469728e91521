//! The command line in Italian: clap writes help pages and argument errors
//! in English, so this module gives every command an Italian help template,
//! Italian headings and `-h/--help`, `-V/--version` flags of its own, and
//! rewrites each argument error from its kind and context (the offending
//! option, the value, the values allowed, clap's suggestion) rather than
//! from clap's English text.
//!
//! Also here: the parsers of numeric options, which accept a decimal comma
//! and say in Italian what they expected.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use super::args::Comando;

/// Every help page: summary, usage, then the options under Italian headings
/// (see [`italianizza`]) and what follows the options.
const MODELLO: &str = "{about-with-newline}\nUso: {usage}\n\n{all-args}{after-help}";

/// The name of the help pseudo-command (`lauream help build`).
const AIUTO: &str = "help";

/// The whole command line, Italian throughout.
pub fn comando() -> Command {
    let radice = super::Cli::command()
        .disable_version_flag(true)
        .arg(
            Arg::new("versione")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Mostra la versione del programma"),
        )
        .subcommand(
            Command::new(AIUTO)
                .about("Mostra l'aiuto del programma o di un comando")
                .arg(Arg::new("comando").value_name("COMANDO").help("Il comando")),
        );
    italianizza(radice)
}

/// One command and, recursively, its subcommands: the template, the
/// headings, the help flag, and the defaults and allowed values written in
/// Italian into each option's help (clap's own "[default: …]" and
/// "[possible values: …]" are hidden).
fn italianizza(cmd: Command) -> Command {
    cmd.help_template(MODELLO)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_help_heading("Comandi")
        .subcommand_value_name("COMANDO")
        .arg(
            Arg::new("aiuto")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Mostra questo aiuto"),
        )
        .mut_args(|a| {
            let intestazione = if a.is_positional() {
                "Argomenti"
            } else {
                "Opzioni"
            };
            let mut aiuto = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            let valori: Vec<String> = a
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            if !valori.is_empty() && a.get_action().takes_values() {
                aiuto.push_str(&format!(" [valori: {}]", valori.join(", ")));
            }
            let predefiniti: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !predefiniti.is_empty() && a.get_action().takes_values() {
                aiuto.push_str(&format!(" [predefinito: {}]", predefiniti.join(", ")));
            }
            a.help_heading(intestazione)
                .help(aiuto)
                .hide_default_value(true)
                .hide_possible_values(true)
        })
        .mut_subcommands(italianizza)
}

/// clap's usage line has one English word of its own.
fn ripulisci(testo: &str) -> String {
    testo
        .replace("[OPTIONS]", "[OPZIONI]")
        .replace("Usage: ", "")
}

/// Reads the arguments into a command; or prints help, the version or an
/// argument error in Italian and returns the exit code: 0 for help and
/// version, 2 for arguments the program cannot take.
pub fn analizza(args: impl IntoIterator<Item = OsString>) -> Result<Comando, ExitCode> {
    let args: Vec<OsString> = args.into_iter().collect();
    let mut cmd = comando();
    cmd.build();
    // The command the arguments name, for the usage line and the pointer to
    // its help when clap's error carries neither.
    let sotto: Option<String> = args
        .iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .find(|a| cmd.find_subcommand(a).is_some())
        .map(str::to_string);
    let mut sotto_cmd = sotto
        .as_deref()
        .and_then(|n| cmd.find_subcommand(n))
        .cloned()
        .unwrap_or_else(|| cmd.clone());
    let corrispondenze = match cmd.try_get_matches_from_mut(&args) {
        Ok(m) => m,
        Err(e) => return Err(mostra(&e, &mut sotto_cmd)),
    };
    if let Some((AIUTO, sotto)) = corrispondenze.subcommand() {
        let nome = sotto.get_one::<String>("comando");
        let pagina = match nome {
            None => Some(cmd.render_help()),
            Some(n) => cmd.find_subcommand_mut(n).map(|c| c.render_help()),
        };
        return Err(match pagina {
            Some(p) => {
                print!("{}", ripulisci(&p.to_string()));
                ExitCode::SUCCESS
            }
            None => {
                eprintln!(
                    "errore: comando «{}» sconosciuto\n\nPer l'elenco dei comandi: lauream --help",
                    nome.map(String::as_str).unwrap_or_default()
                );
                ExitCode::from(2)
            }
        });
    }
    match super::Cli::from_arg_matches(&corrispondenze) {
        Ok(cli) => Ok(cli.comando),
        Err(e) => Err(mostra(&e, &mut sotto_cmd)),
    }
}

/// Prints what clap stopped at: help and version on standard output (exit
/// 0), anything else as an Italian error on standard error (exit 2).
/// `cmd` is the command the arguments named (or the whole program).
fn mostra(e: &clap::Error, cmd: &mut Command) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            print!("{}", ripulisci(&e.render().to_string()));
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprint!("{}", ripulisci(&e.render().to_string()));
            ExitCode::from(2)
        }
        _ => {
            eprintln!("{}", errore_argomenti(e, cmd));
            ExitCode::from(2)
        }
    }
}

/// A context value as text: one string, or several joined by commas.
fn testo(e: &clap::Error, k: ContextKind) -> Option<String> {
    match e.get(k)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An argument error as an Italian message: what is wrong, what was meant
/// (clap's suggestion), the usage line of `cmd` (the command the arguments
/// named) and where to read more.
pub fn errore_argomenti(e: &clap::Error, cmd: &mut Command) -> String {
    let t = |k| testo(e, k).unwrap_or_default();
    let mut m = String::from("errore: ");
    m.push_str(&match e.kind() {
        ErrorKind::InvalidValue if t(ContextKind::InvalidValue).is_empty() => {
            format!("l'opzione «{}» vuole un valore", t(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let mut s = format!(
                "valore «{}» non valido per «{}»",
                t(ContextKind::InvalidValue),
                t(ContextKind::InvalidArg)
            );
            if let Some(ammessi) = testo(e, ContextKind::ValidValue) {
                s.push_str(&format!("; valori ammessi: {ammessi}"));
            }
            if let Some(causa) = std::error::Error::source(e) {
                s.push_str(&format!(": {causa}"));
            }
            s
        }
        ErrorKind::UnknownArgument => {
            format!("opzione «{}» sconosciuta", t(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidSubcommand => {
            format!(
                "comando «{}» sconosciuto",
                t(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::MissingRequiredArgument => {
            format!(
                "manca un argomento obbligatorio: {}",
                t(ContextKind::InvalidArg)
            )
        }
        ErrorKind::MissingSubcommand => "indicare un comando".to_string(),
        ErrorKind::ArgumentConflict => {
            let a = t(ContextKind::InvalidArg);
            match testo(e, ContextKind::PriorArg) {
                Some(b) if b == a => format!("l'opzione «{a}» è indicata più volte"),
                Some(b) => format!("«{a}» e «{b}» non si possono usare insieme"),
                None => format!("«{a}» non si può usare con le altre opzioni indicate"),
            }
        }
        ErrorKind::NoEquals => format!(
            "l'opzione «{}» vuole il valore dopo un segno =",
            t(ContextKind::InvalidArg)
        ),
        ErrorKind::TooManyValues => format!(
            "valore «{}» in più per «{}»",
            t(ContextKind::InvalidValue),
            t(ContextKind::InvalidArg)
        ),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!(
            "numero di valori sbagliato per «{}»",
            t(ContextKind::InvalidArg)
        ),
        ErrorKind::InvalidUtf8 => "un argomento non è testo UTF-8 valido".to_string(),
        _ => "argomenti non validi".to_string(),
    });
    for (k, cosa) in [
        (ContextKind::SuggestedSubcommand, "il comando"),
        (ContextKind::SuggestedArg, "l'opzione"),
        (ContextKind::SuggestedValue, "il valore"),
    ] {
        if let Some(s) = testo(e, k) {
            m.push_str(&format!("\n\n  forse intendevi {cosa} «{s}»?"));
        }
    }
    let uso = ripulisci(&cmd.render_usage().to_string());
    m.push_str(&format!("\n\nUso: {}", uso.trim()));
    m.push_str(&format!(
        "\n\nPer saperne di più: {} --help",
        cmd.get_bin_name().unwrap_or("lauream")
    ));
    m
}

/// A whole number of zero or more (threads, people, courses).
pub fn numero_naturale(s: &str) -> Result<usize, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("indicare un numero intero, zero o più, non «{s}»"))
}

/// A seed: any whole number of zero or more.
pub fn seme(s: &str) -> Result<u64, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("indicare un numero intero, zero o più, non «{s}»"))
}

/// A decimal number, with a comma or a point: "0,5", "2.5", "60".
pub fn numero_decimale(s: &str) -> Result<f64, String> {
    let normale = s.trim().replace(',', ".");
    normale
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .ok_or_else(|| format!("indicare un numero, come 60 o 2,5, non «{s}»"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every help page of every command, as the user reads it.
    fn pagine() -> Vec<String> {
        let mut cmd = comando();
        cmd.build();
        let mut v = vec![cmd.render_help().to_string()];
        let nomi: Vec<String> = cmd
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        for n in nomi {
            v.push(
                cmd.find_subcommand_mut(&n)
                    .unwrap()
                    .render_help()
                    .to_string(),
            );
        }
        v.into_iter().map(|p| ripulisci(&p)).collect()
    }

    #[test]
    fn l_aiuto_non_ha_parole_inglesi_di_clap() {
        for p in pagine() {
            for inglese in [
                "Usage:",
                "Options:",
                "Arguments:",
                "Commands:",
                "Print help",
                "Print version",
                "[default:",
                "possible values",
                "[OPTIONS]",
                "<COMMAND>",
            ] {
                assert!(!p.contains(inglese), "«{inglese}» in:\n{p}");
            }
            assert!(p.contains("Uso: lauream"), "{p}");
        }
    }

    #[test]
    fn i_numeri_si_scrivono_anche_con_la_virgola() {
        assert_eq!(numero_decimale("2,5"), Ok(2.5));
        assert_eq!(numero_decimale("60"), Ok(60.0));
        assert!(numero_decimale("tanto").unwrap_err().contains("«tanto»"));
        assert!(numero_naturale("-1").is_err());
    }
}
