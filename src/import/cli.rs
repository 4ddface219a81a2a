//! The `import`, `export` and `merge` subcommands: their arguments and handlers. Writes go
//! through the store's lock and atomic save; a dry run writes nothing; a bad input is one
//! line and leaves the library untouched.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::export::ExportFormat;
use super::{Options, apply, parse, plan, read_inputs};
use crate::commands;
use crate::model::Library;
use crate::store;

/// Errors here are already worded for the user; `main` prints them as they are.
type Result<T> = std::result::Result<T, String>;

#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// Export files or their ZIPs: Trakt (watched-history.json, watched-shows.json,
    /// ratings-*.json), TV Time (tracking-prod-records-v2.csv, …), SeriesGuide
    /// (seriesguide-shows-backup.json), fantrack (export --format json)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Show the report without writing anything
    #[arg(long)]
    pub dry_run: bool,
    /// Add the shows the library lacks: each looked up on TVmaze by its TheTVDB, IMDb or
    /// TVmaze id and added whole; built from the export's titles and numbers when TVmaze
    /// cannot be reached or does not know it (the report says which, per show)
    #[arg(long)]
    pub add_missing: bool,
    /// With --add-missing: never ask TVmaze; the missing shows are built from the export's
    /// titles and numbers
    #[arg(long, requires = "add_missing")]
    pub offline: bool,
    /// What --add-missing does by default now (TVmaze first); still accepted, hidden, so older
    /// scripts keep working
    #[arg(
        long,
        requires = "add_missing",
        conflicts_with = "offline",
        hide = true
    )]
    pub tvmaze: bool,
    /// The password of a password-protected ZIP; without it, one is asked for on the
    /// terminal (not echoed) when there is one
    #[arg(long, value_name = "PASSWORD")]
    pub password: Option<String>,
    /// Print the report as one JSON document
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// json: the whole library (what `import` reads back); csv: one row per viewing;
    /// ics: upcoming episodes with a known air date
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --output: print what was written as one JSON document
    #[arg(long, requires = "output")]
    pub json: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct MergeArgs {
    /// The other copy (a sync tool's conflict copy, a backup); it is only read
    #[arg(value_name = "OTHER", required_unless_present = "driver")]
    pub other: Option<PathBuf>,
    /// Show what would change without writing anything
    #[arg(long)]
    pub dry_run: bool,
    /// Run as a git merge driver: `merge --driver %O %A %B` writes the merge to %A; exit 0
    /// when clean, 1 when facts conflict (this side's value is kept and listed)
    #[arg(
        long,
        num_args = 3,
        value_names = ["BASE", "OURS", "THEIRS"],
        conflicts_with_all = ["other", "dry_run", "json"]
    )]
    pub driver: Option<Vec<PathBuf>>,
    /// Print the report as one JSON document
    #[arg(long)]
    pub json: bool,
}

/// The library at `path` for reading only: the shipped catalog when there is no file yet
/// (nothing is created).
fn read_library(path: &Path) -> Result<Library> {
    if path.exists() {
        store::load(path).map_err(|e| e.to_string())
    } else {
        Ok(store::shipped_catalog())
    }
}

/// Refuses to write a library that would not load back (a merge of two copies where a show
/// moved between franchises, say): the file on disk stays as it was.
fn check_loads(library: &Library, what: &str) -> Result<()> {
    let text = store::to_text(library).map_err(|e| format!("{what}: {e}"))?;
    store::validate(library, &text)
        .map_err(|(m, _)| format!("{what}: the result would not load ({m}); nothing written"))
}

pub fn import(path: &Path, args: &ImportArgs) -> Result<String> {
    let lookup = super::lookup::Lookup::from_env(crate::model::today());
    let mut options = Options::new(jiff::tz::TimeZone::system());
    options.add_missing = args.add_missing;
    options.password = args.password.clone();
    // The missing shows come from TVmaze unless --offline (bare shows from the export).
    let online = args.add_missing && !args.offline;
    let plan = |library: &Library, parsed: &super::Parsed| {
        if online {
            lookup.plan(library, parsed, &options)
        } else {
            plan(library, parsed, &options)
        }
    };
    // Every input is read and parsed before the library is touched: a bad file changes nothing.
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let mut on_tty = |prompt: &str| rpassword::prompt_password(prompt);
    let mut inputs = Vec::new();
    for file in &args.files {
        let ask: Option<&mut AskPassword> = if interactive { Some(&mut on_tty) } else { None };
        inputs.extend(read_asking(file, options.password.as_deref(), ask)?);
    }
    let parsed = parse(&inputs, &options.tz)?;
    if args.dry_run {
        let library = read_library(path)?;
        let plan = plan(&library, &parsed);
        if args.json {
            return Ok(import_json(&plan.report, path, true, plan.changes.len()));
        }
        return Ok(format!(
            "{}dry run: {} change(s) would be made; nothing written to {}\n",
            plan.report,
            plan.changes.len(),
            path.display()
        ));
    }
    if !path.exists() {
        commands::open(path).map_err(|e| e.to_string())?; // first run: create it from the shipped catalog
    }
    let _lock =
        store::lock(path, store::LOCK_WAIT).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut library = store::load(path).map_err(|e| e.to_string())?;
    let plan = plan(&library, &parsed);
    let changed = apply(&mut library, &plan);
    if changed > 0 {
        check_loads(&library, "import")?;
        store::save(path, &library).map_err(|e| e.to_string())?;
    }
    if args.json {
        return Ok(import_json(&plan.report, path, false, changed));
    }
    Ok(format!(
        "{}{changed} change(s) saved to {}\n",
        plan.report,
        path.display()
    ))
}

/// Asks for a password with this prompt; what was typed (`rpassword` on the terminal).
pub type AskPassword<'a> = dyn FnMut(&str) -> std::io::Result<String> + 'a;

/// How many passwords a password-protected ZIP is asked for before the import gives up.
pub const PASSWORD_TRIES: usize = 3;

/// [`read_inputs`], asking for a password-protected ZIP's password through `ask` (given the
/// prompt, it returns what was typed; `None` when there is no terminal to ask on), up to
/// [`PASSWORD_TRIES`] times. A `password` given (`--password`) is not asked again: a wrong one
/// is the error. The password is only handed to the ZIP reader, never kept or written.
pub fn read_asking(
    file: &Path,
    password: Option<&str>,
    ask: Option<&mut AskPassword>,
) -> Result<Vec<super::Input>> {
    let name = file.display();
    let first = match read_inputs(file, password) {
        Ok(inputs) => return Ok(inputs),
        Err(e) => e,
    };
    match (first.locked(), password, ask) {
        (None, _, _) => Err(first.0),
        (Some(_), Some(_), _) => Err(format!("{first} (--password); nothing imported")),
        (Some(_), None, None) => Err(format!(
            "{first}; give the password with --password (no terminal to ask on); nothing imported"
        )),
        (Some(_), None, Some(ask)) => {
            let mut prompt = format!("Password for {name}: ");
            for _ in 0..PASSWORD_TRIES {
                let typed = ask(&prompt)
                    .map_err(|e| format!("{name}: no password read ({e}); nothing imported"))?;
                match read_inputs(file, Some(&typed)) {
                    Ok(inputs) => return Ok(inputs),
                    Err(e) if e.locked().is_some() => {
                        prompt = format!("Wrong password. Password for {name}: ");
                    }
                    Err(e) => return Err(e.0),
                }
            }
            Err(format!(
                "{name}: wrong password {PASSWORD_TRIES} times; nothing imported"
            ))
        }
    }
}

pub fn export(path: &Path, args: &ExportArgs) -> Result<String> {
    let library = read_library(path)?;
    let text = super::export::export(&library, args.format, crate::model::today())?;
    match &args.output {
        None => Ok(text),
        Some(out) => {
            store::write_atomic(out, text.as_bytes(), false)
                .map_err(|e| format!("{}: cannot write: {e}", out.display()))?;
            if !args.json {
                return Ok(String::new());
            }
            let format = match args.format {
                ExportFormat::Json => "json",
                ExportFormat::Csv => "csv",
                ExportFormat::Ics => "ics",
            };
            Ok(commands::to_json(&serde_json::json!({
                "format": format,
                "path": out.display().to_string(),
                "bytes": text.len(),
            })))
        }
    }
}

pub fn merge(path: &Path, args: &MergeArgs) -> Result<String> {
    if let Some(files) = &args.driver {
        return driver(files);
    }
    let Some(other) = &args.other else {
        return Err("merge needs the other copy's path, or --driver %O %A %B".into());
    };
    let theirs = store::load(other).map_err(|e| e.to_string())?;
    if !path.exists() {
        return Err(format!(
            "{}: no library file to merge into (copy {} there instead)",
            path.display(),
            other.display()
        ));
    }
    let _lock = (!args.dry_run)
        .then(|| store::lock(path, store::LOCK_WAIT))
        .transpose()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let ours = store::load(path).map_err(|e| e.to_string())?;
    let (merged, report) = super::merge::merge(&ours, &theirs, None)?;
    let json = |saved: bool| merge_json(&report, other, path, args.dry_run, saved);
    if args.json {
        if args.dry_run || merged == ours {
            return Ok(json(false));
        }
        check_loads(&merged, "merge")?;
        store::save(path, &merged).map_err(|e| e.to_string())?;
        return Ok(json(true));
    }
    let head = format!(
        "merging {} into {}: {report}",
        other.display(),
        path.display()
    );
    if args.dry_run {
        return Ok(format!("{head}dry run: nothing written\n"));
    }
    if merged == ours {
        return Ok(format!(
            "{head}nothing new; {} is unchanged\n",
            path.display()
        ));
    }
    check_loads(&merged, "merge")?;
    store::save(path, &merged).map_err(|e| e.to_string())?;
    Ok(format!(
        "{head}saved; {} is left as it was (delete it once you are happy)\n",
        other.display()
    ))
}

/// `merge --driver %O %A %B`: git's base, ours and theirs; the result replaces %A.
fn driver(files: &[PathBuf]) -> Result<String> {
    let [base, ours, theirs] = files else {
        return Err("--driver takes three files: %O %A %B".into());
    };
    // An add/add conflict has an empty base: then there is no common ancestor.
    let base = match std::fs::metadata(base) {
        Ok(m) if m.len() > 0 => Some(store::load(base).map_err(|e| e.to_string())?),
        _ => None,
    };
    let o = store::load(ours).map_err(|e| e.to_string())?;
    let t = store::load(theirs).map_err(|e| e.to_string())?;
    let (merged, report) = super::merge::merge(&o, &t, base.as_ref())?;
    check_loads(&merged, "merge")?;
    let text = store::to_text(&merged).map_err(|e| format!("merge: {e}"))?;
    store::write_atomic(ours, text.as_bytes(), false)
        .map_err(|e| format!("{}: cannot write: {e}", ours.display()))?;
    if report.conflicts.is_empty() {
        Ok(format!("fantrack merge: {report}"))
    } else {
        Err(format!(
            "merge conflict: {} fact(s) differ on both sides; this side's values are kept in {}: {}",
            report.conflicts.len(),
            ours.display(),
            report.conflicts.join("; ")
        ))
    }
}

/// `import --json`: the report, the library, whether it was a dry run and how many changes
/// were (or, dry, would be) made.
fn import_json(report: &super::Report, path: &Path, dry_run: bool, changes: usize) -> String {
    let mut doc = report.to_json();
    if let Some(map) = doc.as_object_mut() {
        map.insert("library".into(), path.display().to_string().into());
        map.insert("dry_run".into(), dry_run.into());
        map.insert("changes".into(), changes.into());
    }
    commands::to_json(&doc)
}

/// `merge --json`: what the other copy brought and whether the library was saved.
fn merge_json(
    report: &super::merge::MergeReport,
    other: &Path,
    path: &Path,
    dry_run: bool,
    saved: bool,
) -> String {
    commands::to_json(&serde_json::json!({
        "other": other.display().to_string(),
        "library": path.display().to_string(),
        "dry_run": dry_run,
        "saved": saved,
        "new_dates": report.new_dates,
        "new_items": report.new_items,
        "taken": report.taken,
        "notes": report.notes,
        "conflicts": report.conflicts,
        "deleted": report.deleted,
        "kept": report.kept,
    }))
}
