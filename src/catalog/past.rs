//! The catalogs earlier fantrack versions shipped, kept to tell corrected facts from hand edits.

use crate::model::Library;

/// Every earlier catalog this build ships, by `catalog_version`. Only for telling a corrected
/// fact from a hand edit when updating a library made from one of them.
const PAST_CATALOGS: &[(u32, &str, &str)] = &[(
    1,
    include_str!("../../assets/catalog-v1.ron"),
    "assets/catalog-v1.ron",
)];

/// The catalog an earlier fantrack shipped as `version`, if this build carries it.
pub fn past_catalog(version: u32) -> Option<Library> {
    let (_, text, name) = PAST_CATALOGS.iter().find(|(v, ..)| *v == version)?;
    // A test parses every past catalog, so `None` here means "not carried", never "broken".
    crate::store::parse(text, std::path::Path::new(name)).ok()
}
