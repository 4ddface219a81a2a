//! `add show|season|episode`: new items, with ids that never collide.

use super::*;

/// `add show|season|episode`.
pub fn add(path: &Path, item: &AddItem) -> Result<String> {
    match item {
        AddItem::Show(args) => add_show(path, args),
        AddItem::Season(args) => add_season(path, args),
        AddItem::Episode(args) => add_episode(path, args),
    }
}

/// The franchise named `name` (id, or title ignoring case and punctuation).
fn franchise_named<'a>(library: &'a Library, name: &str) -> Option<&'a Franchise> {
    let wanted = normalize(name);
    library
        .franchises
        .iter()
        .find(|f| f.id == name)
        .or_else(|| {
            library
                .franchises
                .iter()
                .find(|f| normalize(&f.title) == wanted || normalize(&f.id) == wanted)
        })
}

fn add_show(path: &Path, args: &AddShowArgs) -> Result<String> {
    run(path, |library| {
        let title = validate::title(&args.title)?;
        let status = validate::status(&args.status)?;
        let premiere = args.premiere.as_deref().map(validate::date).transpose()?;
        let network = args
            .network
            .as_deref()
            .map(|n| validate::line(n, "the network"))
            .transpose()?;
        let origin = [
            (&args.spin_off_of, OriginKind::SpinOff),
            (&args.sequel_of, OriginKind::Sequel),
            (&args.prequel_of, OriginKind::Prequel),
        ]
        .into_iter()
        .find_map(|(key, kind)| key.as_ref().map(|k| (k, kind)));
        let origin = match origin {
            Some((key, kind)) => {
                let (f, parent) = named(library, key)?;
                Some((
                    f,
                    Origin {
                        show: parent.id,
                        kind,
                    },
                ))
            }
            None => None,
        };
        let mut edits = Vec::new();
        let (franchise_id, franchise_title, new_franchise) = match (
            args.franchise.as_deref(),
            &origin,
        ) {
            (Some(name), _) => match franchise_named(library, name) {
                Some(f) => {
                    if let Some((of, o)) = &origin
                        && *of != f.id
                    {
                        return Err(format!(
                            "\"{}\" is in another franchise than \"{}\"; a show grows out of one in its own",
                            o.show, f.title
                        ));
                    }
                    (f.id.clone(), f.title.clone(), false)
                }
                None => {
                    if let Some((_, o)) = &origin {
                        return Err(format!(
                            "no franchise \"{name}\"; \"{}\" is in another one",
                            o.show
                        ));
                    }
                    let ftitle = validate::title(name)?;
                    let id = unique_id(&slug(&ftitle), |id| {
                        library.franchises.iter().any(|f| f.id == id)
                    });
                    edits.push(Edit::PutFranchise {
                        id: id.clone(),
                        at: None,
                        franchise: Some(Box::new(Franchise {
                            id: id.clone(),
                            title: ftitle.clone(),
                            based_on: None,
                            notes: String::new(),
                            shows: Vec::new(),
                            watch_order: Vec::new(),
                        })),
                    });
                    (id, ftitle, true)
                }
            },
            (None, Some((f, _))) => {
                let t = franchise_named(library, f).map(|x| x.title.clone());
                (f.clone(), t.unwrap_or_default(), false)
            }
            (None, None) => {
                return Err(
                        "say which franchise: --franchise F (a new one is made when none has that name)"
                            .into(),
                    );
            }
        };
        let id = unique_id(&slug(&title), |id| library.find_show(id).is_some());
        let show = Show {
            origin: origin.map(|(_, o)| o),
            network,
            status,
            premiere,
            ..Show::new(id.clone(), title.clone())
        };
        edits.push(put(&franchise_id, show));
        apply(library, &Edit::Batch(edits))?;
        let made = if new_franchise { " (new)" } else { "" };
        Ok((
            format!("added \"{title}\" ({id}) to the franchise \"{franchise_title}\"{made}\n"),
            true,
        ))
    })
}

fn add_season(path: &Path, args: &AddSeasonArgs) -> Result<String> {
    run(path, |library| {
        let (franchise, mut show) = named(library, &args.show)?;
        let n = match args.number.as_deref() {
            Some(n) => validate::number(n, "season")?,
            None => show.seasons.iter().map(|s| s.number).max().unwrap_or(0) + 1,
        };
        if show.season(n).is_some() {
            return Err(format!("{} already has season {n}", show.title));
        }
        let mut season = Season::new(n);
        season.premiere = args.premiere.as_deref().map(validate::date).transpose()?;
        let at = show.seasons.iter().take_while(|s| s.number < n).count();
        show.seasons.insert(at, season);
        let title = show.title.clone();
        apply(library, &put(&franchise, show))?;
        Ok((format!("{title}: season {n} added\n"), true))
    })
}

fn add_episode(path: &Path, args: &AddEpisodeArgs) -> Result<String> {
    run(path, |library| {
        let (franchise, mut show) = named(library, &args.show)?;
        let (n, e) = validate::season_or_episode(&args.code)?;
        let title = validate_opt(args.title.as_deref(), validate::title)?;
        let aired = validate_opt(args.aired.as_deref(), validate::date)?;
        let runtime = validate_opt(args.runtime.as_deref(), validate::runtime)?;
        let name = show.title.clone();
        let season = show.season_mut(n).ok_or_else(|| {
            format!("{name} has no season {n}; `fantrack add season` makes it first")
        })?;
        let e = match e {
            Some(e) => validate::number(&e.to_string(), "episode")?,
            None => season.episodes.iter().map(|x| x.number).max().unwrap_or(0) + 1,
        };
        let code = episode_code(n, e);
        if let Some(there) = season.episode(e) {
            return Err(format!(
                "{name} {code} already exists (\"{}\"); episode numbers are unique in a season",
                there.display_title()
            ));
        }
        let mut episode = Episode::new(e);
        episode.title = title;
        episode.air_date = aired;
        episode.runtime = runtime;
        let at = season.episodes.iter().take_while(|x| x.number < e).count();
        season.episodes.insert(at, episode);
        apply(library, &put(&franchise, show))?;
        Ok((format!("{name}: {code} added\n"), true))
    })
}

fn validate_opt<T>(
    text: Option<&str>,
    check: impl Fn(&str) -> std::result::Result<T, String>,
) -> std::result::Result<Option<T>, String> {
    text.map(check).transpose()
}
