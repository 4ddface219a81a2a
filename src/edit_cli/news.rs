//! `news SHOW`: a dated event of the user's on the show's timeline, and the fact it changes.

use super::*;

/// Where an event dated `date` goes among `events`: after the last one dated on or before it.
fn event_position(events: &[Event], date: Option<Date>) -> usize {
    match date {
        Some(d) => events
            .iter()
            .rposition(|e| e.date.is_some_and(|x| x <= d))
            .map_or_else(
                // Before every dated event, but after undated ones that open the list.
                || events.iter().take_while(|e| e.date.is_none()).count(),
                |i| i + 1,
            ),
        None => events.len(),
    }
}

/// The season news is about: --season, else the renewed one, else the one after the last.
fn news_season(show: &Show, season: Option<&str>) -> std::result::Result<u32, String> {
    match season {
        Some(s) => validate::number(s, "season"),
        None => Ok(show.renewal.as_ref().map_or_else(
            || show.seasons.iter().map(|s| s.number).max().unwrap_or(0) + 1,
            |r| r.season,
        )),
    }
}

/// `news SHOW "text" --date D --kind K [--source URL] [--apply]`.
pub fn news(path: &Path, args: &NewsArgs) -> Result<String> {
    run(path, |library| {
        let (franchise, mut show) = named(library, &args.show)?;
        let text = validate::line(&args.text, "the news")?;
        let date = args.date.as_deref().map(validate::date).transpose()?;
        let date = date.unwrap_or_else(today);
        let kind = validate::event_kind(&args.kind)?;
        let sources = args
            .source
            .iter()
            .map(|s| validate::url(s))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        if !args.apply && (args.season.is_some() || args.premiere.is_some() || !args.rt.is_empty())
        {
            return Err("--season, --premiere and --rt go with --apply".into());
        }
        let mut applied = Vec::new();
        if args.apply {
            match kind {
                EventKind::Renewed => {
                    let season = news_season(&show, args.season.as_deref())?;
                    if show.status != Status::Renewed {
                        applied.push(format!("status {} → renewed", show.status));
                    }
                    show.status = Status::Renewed;
                    show.renewal = Some(Renewal {
                        season,
                        announced: Some(date),
                    });
                    applied.push(format!("renewal season {season} (announced {date})"));
                }
                EventKind::Cancelled => {
                    if show.status != Status::Cancelled {
                        applied.push(format!("status {} → cancelled", show.status));
                    }
                    show.status = Status::Cancelled;
                }
                EventKind::PremiereDateSet => {
                    let premiere = args
                        .premiere
                        .as_deref()
                        .ok_or("premiere-date-set with --apply needs --premiere DATE")?;
                    let premiere = validate::date(premiere)?;
                    let n = news_season(&show, args.season.as_deref())?;
                    let first = show.seasons.iter().map(|s| s.number).min().unwrap_or(n) == n;
                    if show.season(n).is_none() {
                        let at = show.seasons.iter().take_while(|s| s.number < n).count();
                        show.seasons.insert(at, Season::new(n));
                        applied.push(format!("season {n} added"));
                    }
                    if let Some(season) = show.season_mut(n) {
                        season.premiere = Some(premiere);
                    }
                    applied.push(format!("season {n} premiere {premiere}"));
                    if first && show.premiere.is_none() {
                        show.premiere = Some(premiere);
                        applied.push(format!("premiere {premiere}"));
                    }
                }
                EventKind::Score => {
                    if args.rt.is_empty() {
                        return Err(
                            "score with --apply needs --rt TOMATOMETER [POPCORNMETER]".into()
                        );
                    }
                    match args.season.as_deref() {
                        None => {
                            show.rotten_tomatoes = scores(&args.rt, &show.rotten_tomatoes)?;
                            applied.push(format!("rt {}", score_text(&show.rotten_tomatoes)));
                        }
                        Some(s) => {
                            let n = validate::number(s, "season")?;
                            let title = show.title.clone();
                            let season = show
                                .season_mut(n)
                                .ok_or_else(|| format!("{title} has no season {n}"))?;
                            season.rotten_tomatoes = scores(&args.rt, &season.rotten_tomatoes)?;
                            applied.push(format!(
                                "season {n} rt {}",
                                score_text(&season.rotten_tomatoes)
                            ));
                        }
                    }
                }
                other => {
                    return Err(format!(
                        "news of kind \"{other}\" changes no fact; leave out --apply"
                    ));
                }
            }
        }
        let at = event_position(&show.events, Some(date));
        show.events.insert(
            at,
            Event {
                kind,
                date: Some(date),
                when: None,
                what: text.clone(),
                sources: sources.clone(),
                yours: true,
            },
        );
        let title = show.title.clone();
        apply(library, &Edit::Batch(vec![put(&franchise, show)]))?;
        let mut out = format!("{title}: news recorded, {date} {kind}: \"{text}\"");
        if let Some(first) = sources.first() {
            let _ = write!(out, " ({first})");
        }
        out.push('\n');
        if !applied.is_empty() {
            let _ = writeln!(out, "{title}: {}", applied.join("; "));
        }
        Ok((out, true))
    })
}
