//! A crate's modules, read from its root file by following every `mod` declaration, as
//! rustc would, under every `cfg`: a module only Windows builds is still a module.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::syntax::{self, Reference, Scope};

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("{}:{line}: {message}", path.display())]
    Parse { path: PathBuf, line: usize, message: String },
    #[error("module {module} has no file: looked for {}", tried.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" and "))]
    NoFile { module: String, tried: Vec<PathBuf> },
    #[error("{} holds no crate root (src/lib.rs, src/main.rs or src/bin/)", dir.display())]
    NoRoot { dir: PathBuf },
}

pub struct Module {
    /// From the crate root: `["backup", "aegis"]`; empty for the root itself.
    pub path: Vec<String>,
    pub parent: Option<usize>,
    pub children: BTreeMap<String, usize>,
    /// Where the module is defined: more than one when `cfg` branches declare it twice.
    pub files: Vec<PathBuf>,
    pub scope: Scope,
    pub references: Vec<Reference>,
}

impl Module {
    pub fn name(&self) -> String {
        if self.path.is_empty() { "crate".into() } else { self.path.join("::") }
    }
}

/// The modules of one crate; the root comes first.
pub struct Crate {
    pub modules: Vec<Module>,
}

/// Where a module's `mod x;` and `#[path]` look for files.
struct Dirs {
    children: PathBuf,
    path_attr: PathBuf,
}

impl Dirs {
    /// A crate root, a `mod.rs` or a file given by `#[path]` owns its directory; `a.rs` keeps
    /// its children in `a/`.
    fn of(file: &Path, owns_dir: bool) -> Dirs {
        let dir = file.parent().unwrap_or(Path::new("")).to_owned();
        let children = if owns_dir { dir.clone() } else { dir.join(file.file_stem().unwrap_or_default()) };
        Dirs { children, path_attr: dir }
    }

    fn inline(&self, name: &str) -> Dirs {
        let dir = self.children.join(name);
        Dirs { children: dir.clone(), path_attr: dir }
    }
}

impl Crate {
    pub fn load(root: &Path) -> Result<Crate, LoadError> {
        Crate::load_with(root, |path| std::fs::read_to_string(path))
    }

    /// Reads the files through `read`, so that tests can give sources from memory.
    pub fn load_with(root: &Path, read: impl Fn(&Path) -> io::Result<String>) -> Result<Crate, LoadError> {
        let mut krate = Crate { modules: Vec::new() };
        krate.add_module(Vec::new(), None);
        let text = read(root).map_err(|source| LoadError::Read { path: root.to_owned(), source })?;
        krate.add_file(0, root, &text, &Dirs::of(root, true), &read)?;
        Ok(krate)
    }

    fn add_module(&mut self, path: Vec<String>, parent: Option<usize>) -> usize {
        self.modules.push(Module { path, parent, children: BTreeMap::new(), files: Vec::new(), scope: Scope::default(), references: Vec::new() });
        self.modules.len() - 1
    }

    fn add_file(
        &mut self,
        module: usize,
        file: &Path,
        text: &str,
        dirs: &Dirs,
        read: &impl Fn(&Path) -> io::Result<String>,
    ) -> Result<(), LoadError> {
        let parsed =
            syn::parse_file(text).map_err(|e| LoadError::Parse { path: file.to_owned(), line: e.span().start().line, message: e.to_string() })?;
        self.modules[module].files.push(file.to_owned());
        self.add_items(module, file, &parsed.items, dirs, read)
    }

    fn add_items(
        &mut self,
        module: usize,
        file: &Path,
        items: &[syn::Item],
        dirs: &Dirs,
        read: &impl Fn(&Path) -> io::Result<String>,
    ) -> Result<(), LoadError> {
        let contents = syntax::read(items, file);
        let m = &mut self.modules[module];
        m.scope.items.extend(contents.scope.items);
        m.scope.imports.extend(contents.scope.imports);
        m.scope.globs.extend(contents.scope.globs);
        m.references.extend(contents.references);
        for decl in contents.mods {
            let child = match self.modules[module].children.get(&decl.name) {
                Some(&child) => child,
                None => {
                    let mut path = self.modules[module].path.clone();
                    path.push(decl.name.clone());
                    let child = self.add_module(path, Some(module));
                    self.modules[module].children.insert(decl.name.clone(), child);
                    child
                }
            };
            if let Some(items) = decl.items {
                self.modules[child].files.push(file.to_owned());
                self.add_items(child, file, items, &dirs.inline(&decl.name), read)?;
                continue;
            }
            let tried = match &decl.path {
                Some(path) => vec![dirs.path_attr.join(path)],
                None => vec![dirs.children.join(format!("{}.rs", decl.name)), dirs.children.join(&decl.name).join("mod.rs")],
            };
            let mut found = None;
            for candidate in &tried {
                match read(candidate) {
                    Ok(text) => {
                        found = Some((candidate.clone(), text));
                        break;
                    }
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(source) => return Err(LoadError::Read { path: candidate.clone(), source }),
                }
            }
            let Some((child_file, text)) = found else {
                return Err(LoadError::NoFile { module: self.modules[child].name(), tried });
            };
            let owns_dir = decl.path.is_some() || child_file.file_name().is_some_and(|n| n == "mod.rs");
            self.add_file(child, &child_file, &text, &Dirs::of(&child_file, owns_dir), read)?;
        }
        Ok(())
    }
}

/// The crate roots of a package directory, as Cargo finds them without a `[lib]` or
/// `[[bin]]` path: `src/lib.rs`, `src/main.rs`, `src/bin/*.rs` and `src/bin/*/main.rs`.
pub fn roots(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let src = dir.join("src");
    let mut roots: Vec<PathBuf> = ["lib.rs", "main.rs"].iter().map(|f| src.join(f)).filter(|p| p.is_file()).collect();
    if let Ok(entries) = std::fs::read_dir(src.join("bin")) {
        let mut bins: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter_map(|p| {
                if p.is_dir() {
                    Some(p.join("main.rs")).filter(|m| m.is_file())
                } else {
                    Some(p).filter(|p| p.extension().is_some_and(|e| e == "rs"))
                }
            })
            .collect();
        bins.sort();
        roots.extend(bins);
    }
    if roots.is_empty() {
        return Err(LoadError::NoRoot { dir: dir.to_owned() });
    }
    Ok(roots)
}
