use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use super::*;

/// A crate whose root is `src/lib.rs`, from (path, source) pairs.
fn krate(files: &[(&str, &str)]) -> Crate {
    let files: BTreeMap<PathBuf, String> = files.iter().map(|(p, s)| (PathBuf::from(p), s.to_string())).collect();
    Crate::load_with(Path::new("src/lib.rs"), |p| files.get(p).cloned().ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))).unwrap()
}

fn cycles(files: &[(&str, &str)]) -> Vec<String> {
    Graph::of(&krate(files)).cycles().iter().map(|c| c.to_string().lines().next().unwrap().to_owned()).collect()
}

#[test]
fn two_modules_using_each_other_are_a_cycle() {
    let graph = Graph::of(&krate(&[
        ("src/lib.rs", "mod a; mod b;"),
        ("src/a.rs", "pub fn f() { crate::b::g() }"),
        ("src/b.rs", "use super::a;\npub fn g() {}\npub fn h() { a::f() }"),
    ]));
    let cycles = graph.cycles();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert_eq!(cycles[0].to_string(), "modules in a cycle: a -> b -> a\n  a -> b: src/a.rs:1 `crate::b::g`\n  b -> a: src/b.rs:1 `super::a`");
}

#[test]
fn a_longer_cycle_is_found() {
    let found = cycles(&[
        ("src/lib.rs", "mod a; mod b; mod c; mod d;"),
        ("src/a.rs", "use crate::b::B;"),
        ("src/b.rs", "pub struct B(crate::c::C);"),
        ("src/c.rs", "pub struct C; impl C { fn f() -> crate::d::D { crate::a::make() } }"),
        ("src/d.rs", "pub struct D;"),
    ]);
    assert_eq!(found, ["modules in a cycle: a -> b -> c -> a"]);
}

#[test]
fn references_downward_and_to_other_crates_pass() {
    let files = [
        ("src/lib.rs", "mod a; mod b; pub use a::A; fn run() { a::inner::go(); b::B::new(); }"),
        ("src/a.rs", "pub mod inner; pub struct A(crate::b::B, std::fmt::Error); use inner::go;"),
        ("src/a/inner.rs", "pub fn go() { let b: super::super::b::B = todo!(); }"),
        (
            "src/b.rs",
            "pub struct B; impl B { pub fn new() -> Self { B } } impl std::fmt::Display for B { fn fmt(&self, _: &mut std::fmt::Formatter) -> std::fmt::Result { Ok(()) } }",
        ),
    ];
    let graph = Graph::of(&krate(&files));
    assert!(graph.cycles().is_empty() && graph.upward().is_empty(), "{:?} {:?}", graph.cycles(), graph.upward());
    assert!(graph.depends("a", "b"), "a::inner's use of b counts as a's");
    assert!(!graph.depends("b", "a"));
}

#[test]
fn using_what_the_root_defines_is_reported_but_its_reexports_are_not() {
    let graph = Graph::of(&krate(&[
        ("src/lib.rs", "mod a; mod shortcut; pub use a::Account; pub fn show_main() {}"),
        ("src/a.rs", "pub struct Account;"),
        ("src/shortcut.rs", "fn pressed() { crate::show_main(); let _: crate::Account = todo!(); }"),
    ]));
    let upward: Vec<String> = graph.upward().iter().map(ToString::to_string).collect();
    assert_eq!(upward, ["shortcut looks up to crate::show_main, which the crate root defines: src/shortcut.rs:1 `crate::show_main`"]);
    assert!(graph.depends("shortcut", "a"), "crate::Account is a's");
}

#[test]
fn a_cycle_through_a_macro_body_is_found() {
    let found = cycles(&[
        ("src/lib.rs", "mod commands; mod state;"),
        ("src/commands.rs", "pub fn list() {}\npub fn handlers() { let _ = tauri::generate_handler![crate::state::get]; }"),
        ("src/state.rs", "pub fn get() { println!(\"{}\", format!(\"{:?}\", super::commands::list())); }"),
    ]);
    assert_eq!(found, ["modules in a cycle: commands -> state -> commands"]);
}

#[test]
fn doc_comments_and_test_code_are_not_dependencies() {
    let graph = Graph::of(&krate(&[
        ("src/lib.rs", "mod a; mod b;"),
        ("src/a.rs", "pub fn f() { crate::b::g() }"),
        (
            "src/b.rs",
            "/// Called by [`crate::a::f`].\npub fn g() {}\n#[cfg(test)]\nmod tests { use super::*; use crate::a::f; }\n\
             #[cfg(all(test, unix))]\nfn helper() { crate::a::f() }\n#[test]\nfn t() { crate::a::f() }",
        ),
    ]));
    assert!(graph.cycles().is_empty(), "{:?}", graph.cycles());
    assert!(!graph.depends("b", "a"));
}

#[test]
fn test_modules_in_their_own_file_are_not_read() {
    // The file does not exist: a test module is not even loaded.
    let graph = Graph::of(&krate(&[("src/lib.rs", "mod a;"), ("src/a.rs", "#[cfg(test)]\nmod tests;")]));
    assert!(graph.cycles().is_empty());
}

#[test]
fn cycles_among_nested_siblings_are_found() {
    let found = cycles(&[
        ("src/lib.rs", "pub mod backup;"),
        ("src/backup/mod.rs", "mod a; mod b; pub use a::Entry;"),
        ("src/backup/a.rs", "pub struct Entry; pub fn read() -> Entry { super::b::parse() }"),
        ("src/backup/b.rs", "use super::Entry;\npub fn parse() -> Entry { Entry }"),
    ]);
    assert_eq!(found, ["modules in a cycle: backup::a -> backup::b -> backup::a"]);
}

#[test]
fn every_cfg_branch_and_path_attribute_is_followed() {
    let found = cycles(&[
        ("src/lib.rs", "mod a; mod platform;"),
        ("src/a.rs", "pub fn f() {}"),
        ("src/platform/mod.rs", "#[cfg(windows)]\n#[path = \"win.rs\"]\nmod imp;\n#[cfg(not(windows))]\nmod imp;\nmod inline { mod deep; }"),
        ("src/platform/win.rs", "fn g() { crate::a::f() }"),
        ("src/platform/imp.rs", ""),
        ("src/platform/inline/deep.rs", "use crate::a;"),
        ("src/a/unused.rs", ""),
    ]);
    assert!(found.is_empty(), "{found:?}");
    let graph = Graph::of(&krate(&[
        ("src/lib.rs", "mod a; mod platform;"),
        ("src/a.rs", "pub fn f() { crate::platform::g() }"),
        ("src/platform/mod.rs", "#[cfg(windows)]\n#[path = \"win.rs\"]\nmod imp;\n#[cfg(not(windows))]\nmod imp;\npub use imp::g;"),
        ("src/platform/win.rs", "pub fn g() { crate::a::f() }"),
        ("src/platform/imp.rs", "pub fn g() {}"),
    ]));
    assert!(graph.depends("platform", "a"), "the Windows-only file is read");
    assert_eq!(graph.cycles().len(), 1);
}

#[test]
fn names_from_a_glob_import_are_resolved() {
    let graph = Graph::of(&krate(&[
        ("src/lib.rs", "mod a; mod b; mod c;"),
        ("src/a.rs", "use crate::c::*;\nfn f() -> Thing { make() }"),
        ("src/b.rs", "pub fn make() {}"),
        ("src/c.rs", "pub use crate::b::make; pub struct Thing;"),
    ]));
    assert!(graph.depends("a", "c") && graph.depends("a", "b") && graph.depends("c", "b"));
}

/// The checker sees the core's real dependencies (a format reads Google's payload through
/// the shared codec below it), and the core has no cycle.
#[test]
fn the_core_is_read_and_has_no_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src/lib.rs");
    let graph = Graph::of(&Crate::load(&root).unwrap());
    assert!(graph.depends("backup::otpauth_lines", "backup::migration_payload"));
    assert!(graph.depends("vault", "account"));
    assert!(graph.cycles().is_empty(), "{:#?}", graph.cycles());
    assert!(graph.upward().is_empty(), "{:#?}", graph.upward());
}
