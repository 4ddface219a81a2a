//! `restore-backup`: the backup put back, the replaced file kept aside.

use std::path::Path;

use crate::error::{Error, Result};
use crate::store;

/// `restore-backup`: puts `library.ron.bak` back, after confirmation. The file it replaces is
/// kept as `library.ron.before-restore-<time>`, so even this step loses nothing.
pub fn restore_backup(path: &Path, yes: bool) -> Result<String> {
    let backup = store::backup_path(path);
    if !backup.exists() {
        return Err(Error::Other(format!("no backup at {}", backup.display())));
    }
    let library =
        store::load(&backup).map_err(|e| Error::Other(format!("the backup does not load: {e}")))?;
    let p = library.progress();
    // Which file the counts describe and how old it is: the user is choosing between two.
    let described = format!(
        "{}, saved {}: {} episodes, {} watched",
        backup.display(),
        age(&backup),
        p.total,
        p.watched
    );
    if !yes {
        use std::io::{BufRead, IsTerminal};
        if !std::io::stdin().is_terminal() {
            return Err("restore-backup asks for confirmation; add --yes to run it without".into());
        }
        eprint!(
            "Replace {} with its backup ({described})? [y/N] ",
            path.display()
        );
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !answer.trim().eq_ignore_ascii_case("y") {
            return Ok("nothing changed\n".into());
        }
    }
    let _lock = store::lock(path, store::LOCK_WAIT).map_err(Error::Lock)?;
    let bytes = std::fs::read(&backup).map_err(Error::file(&backup))?;
    // Restore exactly what was confirmed: a save meanwhile rotates the backup.
    if store::parse(
        std::str::from_utf8(&bytes).map_err(|e| Error::Other(e.to_string()))?,
        &backup,
    )
    .ok()
    .as_ref()
        != Some(&library)
    {
        return Err(
            "the backup changed meanwhile (fantrack saved); nothing restored, run it again".into(),
        );
    }
    let mut kept = String::new();
    let mut replaced_stamp = None;
    if path.exists() {
        // A name of its own each time: restoring twice never loses the first replaced file.
        let aside = before_restore_path(path);
        let (replaced, stamp) = store::read_stamped(path).map_err(Error::file(path))?;
        store::write_atomic(&aside, &replaced, false).map_err(Error::file(&aside))?;
        kept = format!("; the replaced file is kept as {}", aside.display());
        replaced_stamp = Some(stamp);
    }
    // Checked like every save: an editor's save landing since the file was read is kept.
    match store::write_checked(path, &bytes, replaced_stamp.as_ref(), false)
        .map_err(|e| Error::Other(e.to_string()))?
    {
        store::Saved::Written(_) | store::Saved::Recreated(_) => {}
        store::Saved::ChangedOnDisk(_) => {
            return Err(format!(
                "{} changed on disk while restoring; nothing restored, run it again",
                store::shown(path)
            )
            .into());
        }
    }
    Ok(format!(
        "restored {} from its backup ({described}){kept}\n",
        path.display(),
    ))
}

/// `library.ron.before-restore-2026-12-01T23-05-10` (local time, no colons so every file
/// system takes it); `-2`, `-3` … when a restore in the same second already used the name.
fn before_restore_path(path: &Path) -> std::path::PathBuf {
    let stamp = jiff::ZonedDateTime::now()
        .strftime("%Y-%m-%dT%H-%M-%S")
        .to_string();
    let mut n = 1;
    loop {
        let mut aside = path.as_os_str().to_owned();
        aside.push(format!(".before-restore-{stamp}"));
        if n > 1 {
            aside.push(format!("-{n}"));
        }
        let aside = std::path::PathBuf::from(aside);
        if !aside.exists() {
            return aside;
        }
        n += 1;
    }
}

/// "2026-12-01 23:05, 3 hours ago" from the file's modification time; "at an unknown time"
/// when the file system does not say.
fn age(path: &Path) -> String {
    let Some(modified) = std::fs::metadata(path).and_then(|m| m.modified()).ok() else {
        return "at an unknown time".into();
    };
    let Ok(when) = jiff::Timestamp::try_from(modified) else {
        return "at an unknown time".into();
    };
    let local = when.to_zoned_datetime(jiff::tz::TimeZone::system());
    let seconds = jiff::Timestamp::now().as_second() - when.as_second();
    let ago = match seconds {
        s if s < 0 => "in the future".to_string(),
        s if s < 60 => "just now".to_string(),
        s if s < 3600 => plural(s / 60, "minute"),
        s if s < 86_400 => plural(s / 3600, "hour"),
        s => plural(s / 86_400, "day"),
    };
    format!("{}, {ago}", local.strftime("%Y-%m-%d %H:%M"))
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit} ago")
    } else {
        format!("{n} {unit}s ago")
    }
}
