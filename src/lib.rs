//! fantrack as a library: the model and store the binary, tests and benches share.

pub mod model;
