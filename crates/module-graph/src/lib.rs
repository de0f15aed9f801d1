//! Finds the cycles among a crate's modules, so that each module can be read, changed and
//! tested with only what is below it in mind.
//!
//! Every path in a module's code (`use`, types, expressions, patterns, macro input) that
//! leads into the crate is resolved to the module it reaches. A dependency of `a::x` on
//! `b::y` is one of sibling `a` on sibling `b`; siblings must not reach each other in a
//! circle, at any level. A module's dependency on its own descendants is how modules are
//! built and never counts; one on an item its crate root defines (a function in `lib.rs`
//! called from below) is reported, since the root declares, and so depends on, every module.
//! Test code (`#[cfg(test)]`, `#[test]`) is left out: tests may look anywhere.

mod graph;
mod syntax;
mod tree;

#[cfg(test)]
mod tests;

pub use graph::{Cycle, Graph, Upward};
pub use syntax::Reference;
pub use tree::{Crate, LoadError, Module, roots};
