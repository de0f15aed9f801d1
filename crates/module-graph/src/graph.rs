//! Which module depends on which: each path resolved to the module it leads to, then
//! reduced to the siblings it connects, and the cycles among them.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

use crate::syntax::Reference;
use crate::tree::Crate;

/// Import chains longer than this are taken to loop.
const MAX_DEPTH: usize = 32;

/// Where a path leads: a module, or an item in it.
struct Target {
    module: usize,
    item: Option<String>,
}

/// The dependencies among the children of each module, and references from a module to
/// what its crate root defines.
pub struct Graph {
    /// For each module (by path) whose children depend on each other: (from, to) → the
    /// first reference that makes the dependency.
    levels: BTreeMap<Vec<String>, BTreeMap<(String, String), Reference>>,
    upward: Vec<Upward>,
}

/// A module using an item its crate root defines: the root declares the module, so the two
/// depend on each other.
#[derive(Debug)]
pub struct Upward {
    pub module: String,
    pub item: String,
    pub reference: Reference,
}

/// Siblings (children of `level`) that reach each other: `modules[0]` depends on
/// `modules[1]` … and the last on the first, each through `references[i]`.
#[derive(Debug)]
pub struct Cycle {
    pub level: Vec<String>,
    pub modules: Vec<String>,
    pub references: Vec<Reference>,
}

impl Graph {
    pub fn of(krate: &Crate) -> Graph {
        let mut graph = Graph { levels: BTreeMap::new(), upward: Vec::new() };
        let mut upward_seen = BTreeSet::new();
        for (id, module) in krate.modules.iter().enumerate() {
            for reference in &module.references {
                let Some(target) = resolve(krate, id, &reference.segments, 0) else { continue };
                let from = &module.path;
                let to = &krate.modules[target.module].path;
                let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
                if common == from.len() {
                    // The module itself or one of its descendants.
                    continue;
                }
                if common == to.len() {
                    if let Some(item) = target.item.filter(|i| to.is_empty() && krate.modules[0].scope.items.contains(i))
                        && upward_seen.insert((module.name(), item.clone()))
                    {
                        graph.upward.push(Upward { module: module.name(), item, reference: reference.clone() });
                    }
                    continue;
                }
                graph
                    .levels
                    .entry(from[..common].to_vec())
                    .or_default()
                    .entry((from[common].clone(), to[common].clone()))
                    .or_insert_with(|| reference.clone());
            }
        }
        graph
    }

    /// Whether module `from` depends on its sibling `to`, both given by path
    /// (`backup::otpauth_lines`).
    pub fn depends(&self, from: &str, to: &str) -> bool {
        let split = |path: &str| {
            let mut segments: Vec<String> = path.split("::").map(str::to_owned).collect();
            let last = segments.pop().unwrap_or_default();
            (segments, last)
        };
        let ((level, from), (to_level, to)) = (split(from), split(to));
        level == to_level && self.levels.get(&level).is_some_and(|edges| edges.contains_key(&(from, to)))
    }

    pub fn upward(&self) -> &[Upward] {
        &self.upward
    }

    /// Cycles that together take in every dependency that is part of one: for each such
    /// dependency `a -> b`, the shortest way back from `b` to `a`, unless an earlier cycle
    /// already showed that dependency.
    pub fn cycles(&self) -> Vec<Cycle> {
        let mut cycles = Vec::new();
        for (level, edges) in &self.levels {
            let mut shown = BTreeSet::new();
            for pair in edges.keys() {
                if shown.contains(pair) {
                    continue;
                }
                let Some(back) = shortest_path(edges, &pair.1, &pair.0) else { continue };
                let modules: Vec<String> = std::iter::once(pair.0.clone()).chain(back[..back.len() - 1].iter().cloned()).collect();
                let pairs: Vec<(String, String)> =
                    (0..modules.len()).map(|i| (modules[i].clone(), modules[(i + 1) % modules.len()].clone())).collect();
                let references = pairs.iter().map(|p| edges[p].clone()).collect();
                shown.extend(pairs);
                cycles.push(Cycle { level: level.clone(), modules, references });
            }
        }
        cycles
    }
}

/// The modules from `from` to `to` (both included) along the fewest dependencies.
fn shortest_path(edges: &BTreeMap<(String, String), Reference>, from: &str, to: &str) -> Option<Vec<String>> {
    let mut previous: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([from]);
    while let Some(at) = queue.pop_front() {
        if at == to {
            let mut path = vec![to.to_owned()];
            let mut step = to;
            while step != from {
                step = previous[step];
                path.push(step.to_owned());
            }
            path.reverse();
            return Some(path);
        }
        for (_, next) in edges.keys().filter(|(a, _)| a == at) {
            if next != from && !previous.contains_key(next.as_str()) {
                previous.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    None
}

/// What `segments`, written in module `from`, leads to inside the crate; `None` for other
/// crates, local variables and the like.
fn resolve(krate: &Crate, from: usize, segments: &[String], depth: usize) -> Option<Target> {
    let (first, rest) = segments.split_first()?;
    let mut at = match first.as_str() {
        "crate" => Target { module: 0, item: None },
        "self" => Target { module: from, item: None },
        "super" => Target { module: krate.modules[from].parent?, item: None },
        _ => lookup(krate, from, first, depth)?,
    };
    for segment in rest {
        if at.item.is_some() {
            // `Type::method`, `Enum::Variant`: inside an item, no further module.
            break;
        }
        at = match segment.as_str() {
            "super" => Target { module: krate.modules[at.module].parent?, item: None },
            _ => lookup(krate, at.module, segment, depth).unwrap_or(Target { module: at.module, item: Some(segment.clone()) }),
        };
    }
    Some(at)
}

/// A name as module `module` sees it: a child module, an item of its own, an import, or a
/// name a glob import brings in.
fn lookup(krate: &Crate, module: usize, name: &str, depth: usize) -> Option<Target> {
    if depth > MAX_DEPTH {
        return None;
    }
    let m = &krate.modules[module];
    if let Some(&child) = m.children.get(name) {
        return Some(Target { module: child, item: None });
    }
    if m.scope.items.contains(name) {
        return Some(Target { module, item: Some(name.to_owned()) });
    }
    if let Some(path) = m.scope.imports.get(name) {
        return resolve(krate, module, path, depth + 1);
    }
    m.scope.globs.iter().find_map(|glob| match resolve(krate, module, glob, depth + 1) {
        Some(Target { module: source, item: None }) if source != module => lookup(krate, source, name, depth + 1),
        _ => None,
    })
}

fn qualified(level: &[String], name: &str) -> String {
    level.iter().map(String::as_str).chain([name]).collect::<Vec<_>>().join("::")
}

impl fmt::Display for Cycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.modules.iter().map(|m| qualified(&self.level, m)).collect();
        write!(f, "modules in a cycle: {} -> {}", names.join(" -> "), names[0])?;
        for (i, reference) in self.references.iter().enumerate() {
            write!(f, "\n  {} -> {}: {reference}", names[i], names[(i + 1) % names.len()])?;
        }
        Ok(())
    }
}

impl fmt::Display for Upward {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} looks up to crate::{}, which the crate root defines: {}", self.module, self.item, self.reference)
    }
}
