//! Ids for new shows and franchises: slugs of their titles that never collide.

/// A slug of a title: `Slow Horses` → `slow-horses`, `Bosch: Legacy` → `bosch-legacy`;
/// non-ASCII letters are kept, and a title with no letters or digits is `show`.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "show".into() } else { out }
}

/// `base`, or `base-2`, `base-3`, … : the first that `taken` does not hold.
pub fn unique_id(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or_else(|| base.to_string())
}
