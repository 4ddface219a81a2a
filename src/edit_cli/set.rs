//! `set SHOW [S01|S01E03] FIELD VALUE…`: one fact of a show, a season or an episode.

use super::*;

/// The form `cast` takes, for its errors.
const CAST_FORM: &str = "cast takes add NAME [--as ROLE] or remove NAME";

/// `cast add NAME [--as ROLE]` (a new actor at the end, or a new role for one in the cast) or
/// `cast remove NAME`; a name matches whatever its case and punctuation. Returns (old, new).
fn set_cast(
    show: &mut Show,
    values: &[String],
    role: Option<&str>,
) -> std::result::Result<(String, String), String> {
    let Some((verb, name)) = values.split_first() else {
        return Err(CAST_FORM.into());
    };
    let verb = verb.to_ascii_lowercase();
    if !matches!(verb.as_str(), "add" | "remove") {
        return Err(CAST_FORM.into());
    }
    let name = validate::line(&name.join(" "), "an actor's name")?;
    let at = show
        .cast
        .iter()
        .position(|r| normalize(&r.actor) == normalize(&name));
    let without = |actor: &str| format!("without {actor}");
    if verb == "remove" {
        if role.is_some() {
            return Err("--as goes with cast add".into());
        }
        let Some(at) = at else {
            return Err(format!("{} has no \"{name}\" in its cast", show.title));
        };
        let gone = show.cast.remove(at);
        return Ok((present::role(&gone), without(&gone.actor)));
    }
    let character = match role {
        None => None,
        Some(r) if none(r) && !r.trim().is_empty() => Some(None),
        Some(r) => Some(Some(validate::line(r, "a role")?)),
    };
    Ok(match at.and_then(|i| show.cast.get_mut(i)) {
        Some(existing) => {
            let old = present::role(existing);
            if let Some(character) = character {
                existing.character = character;
            }
            (old, present::role(existing))
        }
        None => {
            let added = Role {
                actor: name,
                character: character.flatten(),
            };
            let new = present::role(&added);
            let old = without(&added.actor);
            show.cast.push(added);
            (old, new)
        }
    })
}

fn unknown_field(field: &str, of: &str, valid: &[&str]) -> String {
    format!(
        "unknown field \"{field}\" for {of}; the fields are: {}",
        valid.join(", ")
    )
}

/// Sets `field` of the show; returns (old, new) in words.
fn set_show(
    library: &Library,
    show: &mut Show,
    franchise: &str,
    field: &str,
    values: &[String],
    announced: Option<&str>,
    role: Option<&str>,
) -> std::result::Result<(String, String), String> {
    let (old, new) = match field {
        "title" => {
            let old = format!("\"{}\"", show.title);
            show.title = validate::title(&one(field, values)?)?;
            (old, format!("\"{}\"", show.title))
        }
        "network" => {
            let old = opt_text(&show.network);
            show.network = text_or_none(field, values)?;
            (old, opt_text(&show.network))
        }
        "status" => {
            let old = show.status.to_string();
            show.status = validate::status(&one(field, values)?)?;
            (old, show.status.to_string())
        }
        "premiere" => {
            let old = opt_date(show.premiere);
            show.premiere = date_or_none(field, values)?;
            (old, opt_date(show.premiere))
        }
        "finale" => {
            let old = opt_date(show.finale);
            show.finale = date_or_none(field, values)?;
            (old, opt_date(show.finale))
        }
        "renewal" => {
            let text = |r: &Option<Renewal>| match r {
                None => "none".to_string(),
                Some(r) => match r.announced {
                    Some(d) => format!("season {} (announced {d})", r.season),
                    None => format!("season {}", r.season),
                },
            };
            let old = text(&show.renewal);
            let v = one(field, values)?;
            show.renewal = if none(&v) {
                None
            } else {
                let season = validate::number(&v, "season")?;
                let announced = announced.map(validate::date).transpose()?;
                Some(Renewal { season, announced })
            };
            (old, text(&show.renewal))
        }
        "rt" => {
            let old = score_text(&show.rotten_tomatoes);
            show.rotten_tomatoes = scores(values, &show.rotten_tomatoes)?;
            (old, score_text(&show.rotten_tomatoes))
        }
        "creators" => {
            let old = list_text(&show.creators);
            show.creators = list_or_none(values)?;
            (old, list_text(&show.creators))
        }
        "cast" => set_cast(show, values, role)?,
        "based-on" => {
            let old = opt_text(&show.based_on);
            show.based_on = text_or_none(field, values)?;
            (old, opt_text(&show.based_on))
        }
        "origin" => {
            let text = |o: &Option<Origin>| match o {
                None => "none".to_string(),
                Some(o) => format!("{} of {}", o.kind, o.show),
            };
            let old = text(&show.origin);
            show.origin = match values {
                [v] if none(v) => None,
                [kind, parent @ ..] if !parent.is_empty() => {
                    let kind = validate::origin_kind(kind)?;
                    let (pf, parent) = named(library, &parent.join(" "))?;
                    if pf != franchise {
                        return Err(format!(
                            "{} is in another franchise; a show grows out of one in its own",
                            parent.title
                        ));
                    }
                    Some(Origin {
                        show: parent.id,
                        kind,
                    })
                }
                _ => return Err("origin takes spin-off|sequel|prequel SHOW, or none".into()),
            };
            (old, text(&show.origin))
        }
        other => return Err(unknown_field(other, "a show", SHOW_FIELDS)),
    };
    if announced.is_some() && field != "renewal" {
        return Err("--announced goes with the renewal field".into());
    }
    if role.is_some() && field != "cast" {
        return Err("--as goes with cast add".into());
    }
    Ok((old, new))
}

fn set_season(
    season: &mut Season,
    field: &str,
    values: &[String],
) -> std::result::Result<(String, String), String> {
    Ok(match field {
        "premiere" => {
            let old = opt_date(season.premiere);
            season.premiere = date_or_none(field, values)?;
            (old, opt_date(season.premiere))
        }
        "rt" => {
            let old = score_text(&season.rotten_tomatoes);
            season.rotten_tomatoes = scores(values, &season.rotten_tomatoes)?;
            (old, score_text(&season.rotten_tomatoes))
        }
        "adapts" => {
            let old = list_text(&season.adapts);
            season.adapts = list_or_none(values)?;
            (old, list_text(&season.adapts))
        }
        other => return Err(unknown_field(other, "a season", SEASON_FIELDS)),
    })
}

fn set_episode(
    episode: &mut Episode,
    field: &str,
    values: &[String],
) -> std::result::Result<(String, String), String> {
    Ok(match field {
        "title" => {
            let old = opt_text(&episode.title);
            let v = one(field, values)?;
            episode.title = if none(&v) {
                None
            } else {
                Some(validate::title(&v)?)
            };
            (old, opt_text(&episode.title))
        }
        "aired" => {
            let old = opt_date(episode.air_date);
            episode.air_date = date_or_none(field, values)?;
            (old, opt_date(episode.air_date))
        }
        "runtime" => {
            let text = |r: Option<u32>| r.map_or_else(|| "unknown".into(), |r| format!("{r} min"));
            let old = text(episode.runtime);
            let v = one(field, values)?;
            episode.runtime = if none(&v) {
                None
            } else {
                Some(validate::runtime(&v)?)
            };
            (old, text(episode.runtime))
        }
        "directed" => {
            let old = opt_text(&episode.directed_by);
            episode.directed_by = text_or_none(field, values)?;
            (old, opt_text(&episode.directed_by))
        }
        "written" => {
            let old = opt_text(&episode.written_by);
            episode.written_by = text_or_none(field, values)?;
            (old, opt_text(&episode.written_by))
        }
        other => return Err(unknown_field(other, "an episode", EPISODE_FIELDS)),
    })
}

/// True when `word` is an `S01` / `S01E03` code rather than a field name.
fn is_code(word: &str) -> bool {
    let mut chars = word.chars();
    matches!(chars.next(), Some('s' | 'S')) && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// `set SHOW [S01|S01E03] FIELD VALUE…`.
pub fn set(path: &Path, args: &SetArgs) -> Result<String> {
    run(path, |library| {
        let (franchise, mut show) = named(library, &args.show)?;
        let (code, rest) = match args.what.split_first() {
            Some((first, rest)) if is_code(first) => (Some(first.as_str()), rest),
            _ => (None, args.what.as_slice()),
        };
        let Some((field, values)) = rest.split_first() else {
            return Err("say which field to set, then its value".into());
        };
        let field = field.to_ascii_lowercase();
        if values.is_empty() {
            return Err(if field == "cast" {
                CAST_FORM.into()
            } else {
                format!("{field} needs a value")
            });
        }
        let (label, (old, new)) = match code {
            None => {
                let changed = set_show(
                    library,
                    &mut show,
                    &franchise,
                    &field,
                    values,
                    args.announced.as_deref(),
                    args.role.as_deref(),
                )?;
                (show.title.clone(), changed)
            }
            Some(code) => {
                if args.announced.is_some() {
                    return Err("--announced goes with the show's renewal field".into());
                }
                if args.role.is_some() {
                    return Err("--as goes with the show's cast field".into());
                }
                let (n, e) = validate::season_or_episode(code)?;
                let title = show.title.clone();
                let season = show
                    .season_mut(n)
                    .ok_or_else(|| format!("{title} has no season {n}"))?;
                match e {
                    None => (
                        format!("{title} season {n}"),
                        set_season(season, &field, values)?,
                    ),
                    Some(e) => {
                        let code = episode_code(n, e);
                        let episode = season
                            .episode_mut(e)
                            .ok_or_else(|| format!("{title} has no {code}"))?;
                        (
                            format!("{title} {code}"),
                            set_episode(episode, &field, values)?,
                        )
                    }
                }
            }
        };
        let (f, s) = library
            .find_show(&show.id)
            .ok_or_else(|| format!("no show \"{}\"", args.show))?;
        if library.show_at(f, s) == Some(&show) {
            return Ok((format!("{label}: {field} is already {new}\n"), false));
        }
        apply(library, &put(&franchise, show))?;
        Ok((format!("{label}: {field} {old} → {new}\n"), true))
    })
}
