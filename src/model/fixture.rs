//! The library unit tests start from: the shipped Bosch catalog, parsed with `ron` alone, so
//! the model's (and the tree's) tests do not go through `store`, which depends on the model.

use super::Library;

/// The shipped catalog as a library (the same file `store::shipped_catalog` reads).
pub fn shipped_catalog() -> Library {
    #[allow(clippy::expect_used)] // test-only: the asset is checked by store's own tests
    super::put::shipped_catalog().expect("the shipped catalog parses")
}
