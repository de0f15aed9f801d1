//! What one module's source says: the names it defines and imports, the modules it declares,
//! and every path in it that may lead to another module of the crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{Spacing, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Attribute, Item, Meta, Token, UseTree};

/// The names a module makes visible to paths, as written (not yet resolved).
#[derive(Debug, Default)]
pub struct Scope {
    /// Functions, types, traits, constants, statics and macros it defines.
    pub items: BTreeSet<String>,
    /// `use a::b as c;`: `c` → `a::b`.
    pub imports: BTreeMap<String, Vec<String>>,
    /// `use a::*;`: `a`.
    pub globs: Vec<Vec<String>>,
}

/// A path as written in a module, and where.
#[derive(Debug, Clone)]
pub struct Reference {
    pub segments: Vec<String>,
    pub file: PathBuf,
    pub line: usize,
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{} `{}`", self.file.display(), self.line, self.segments.join("::"))
    }
}

/// `mod name;` or `mod name { … }`.
pub struct ModDecl<'a> {
    pub name: String,
    /// Its `#[path]`, if any.
    pub path: Option<String>,
    /// The items of an inline module.
    pub items: Option<&'a [Item]>,
}

#[derive(Default)]
pub struct Contents<'a> {
    pub scope: Scope,
    pub references: Vec<Reference>,
    pub mods: Vec<ModDecl<'a>>,
}

/// Reads a module's items. Test-only code is left out: a `tests` module that uses `super::*`
/// belongs to the module it tests.
pub fn read<'a>(items: &'a [Item], file: &Path) -> Contents<'a> {
    let mut contents = Contents::default();
    let mut collector = Collector { file, references: Vec::new() };
    for item in items {
        let (name, attrs) = name_and_attrs(item);
        if test_only(attrs) {
            continue;
        }
        match item {
            Item::Mod(m) => {
                contents.mods.push(ModDecl {
                    name: m.ident.to_string(),
                    path: path_attr(&m.attrs),
                    items: m.content.as_ref().map(|(_, items)| items.as_slice()),
                });
                continue;
            }
            Item::Use(u) if u.leading_colon.is_none() => {
                for leaf in use_leaves(&u.tree) {
                    match leaf.binds {
                        Binds::Name(name) => _ = contents.scope.imports.insert(name, leaf.path),
                        Binds::Glob => contents.scope.globs.push(leaf.path),
                        Binds::Nothing => {}
                    }
                }
            }
            _ => {}
        }
        if let Some(name) = name {
            contents.scope.items.insert(name);
        }
        collector.visit_item(item);
    }
    contents.references = collector.references;
    contents
}

/// The name an item defines (none for `impl`, `use` and the like) and its attributes.
fn name_and_attrs(item: &Item) -> (Option<String>, &[Attribute]) {
    let (ident, attrs): (_, &[Attribute]) = match item {
        Item::Const(i) => (Some(&i.ident), &i.attrs),
        Item::Enum(i) => (Some(&i.ident), &i.attrs),
        Item::ExternCrate(i) => (None, &i.attrs),
        Item::Fn(i) => (Some(&i.sig.ident), &i.attrs),
        Item::ForeignMod(i) => (None, &i.attrs),
        Item::Impl(i) => (None, &i.attrs),
        Item::Macro(i) => (i.ident.as_ref(), &i.attrs),
        Item::Mod(i) => (None, &i.attrs),
        Item::Static(i) => (Some(&i.ident), &i.attrs),
        Item::Struct(i) => (Some(&i.ident), &i.attrs),
        Item::Trait(i) => (Some(&i.ident), &i.attrs),
        Item::TraitAlias(i) => (Some(&i.ident), &i.attrs),
        Item::Type(i) => (Some(&i.ident), &i.attrs),
        Item::Union(i) => (Some(&i.ident), &i.attrs),
        Item::Use(i) => (None, &i.attrs),
        _ => (None, &[]),
    };
    (ident.map(ToString::to_string), attrs)
}

/// `#[cfg(test)]` (also inside `all(…)`, or in every branch of `any(…)`) or `#[test]`.
fn test_only(attrs: &[Attribute]) -> bool {
    fn requires_test(meta: &Meta) -> bool {
        match meta {
            Meta::Path(p) => p.is_ident("test"),
            Meta::List(list) => {
                let Ok(nested) = list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) else { return false };
                if list.path.is_ident("all") {
                    nested.iter().any(requires_test)
                } else if list.path.is_ident("any") {
                    !nested.is_empty() && nested.iter().all(requires_test)
                } else {
                    false
                }
            }
            Meta::NameValue(_) => false,
        }
    }
    attrs.iter().any(|a| a.path().is_ident("test") || (a.path().is_ident("cfg") && a.parse_args::<Meta>().is_ok_and(|m| requires_test(&m))))
}

fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find(|a| a.path().is_ident("path")).and_then(|a| match &a.meta {
        Meta::NameValue(nv) => match &nv.value {
            syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// One path a `use` imports, what it binds, and where it is.
struct UseLeaf {
    binds: Binds,
    path: Vec<String>,
    span: proc_macro2::Span,
}

enum Binds {
    Name(String),
    /// `a::*`: every name of `a`.
    Glob,
    /// `a::Trait as _`: only the trait's methods.
    Nothing,
}

fn use_leaves(tree: &UseTree) -> Vec<UseLeaf> {
    fn walk(tree: &UseTree, prefix: &mut Vec<String>, out: &mut Vec<UseLeaf>) {
        let with = |prefix: &[String], ident: &syn::Ident| {
            // `use a::{self}` stands for `a` itself.
            if ident == "self" { prefix.to_vec() } else { [prefix, &[ident.to_string()]].concat() }
        };
        match tree {
            UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                walk(&p.tree, prefix, out);
                prefix.pop();
            }
            UseTree::Name(n) => {
                let path = with(prefix, &n.ident);
                out.push(UseLeaf { binds: Binds::Name(path.last().cloned().unwrap_or_default()), path, span: n.ident.span() });
            }
            UseTree::Rename(r) => {
                let path = with(prefix, &r.ident);
                let binds = if r.rename == "_" { Binds::Nothing } else { Binds::Name(r.rename.to_string()) };
                out.push(UseLeaf { binds, path, span: r.ident.span() });
            }
            UseTree::Glob(g) => out.push(UseLeaf { binds: Binds::Glob, path: prefix.clone(), span: g.star_token.span }),
            UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, prefix, out)),
        }
    }
    let mut out = Vec::new();
    walk(tree, &mut Vec::new(), &mut out);
    out
}

/// Gathers the paths of one module's code, leaving out nested modules (they are modules of
/// their own), attributes (doc comments and derives are not dependencies) and test code.
struct Collector<'a> {
    file: &'a Path,
    references: Vec<Reference>,
}

impl Collector<'_> {
    fn push(&mut self, segments: Vec<String>, span: proc_macro2::Span) {
        self.references.push(Reference { segments, file: self.file.to_owned(), line: span.start().line });
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item(&mut self, item: &'ast Item) {
        if test_only(name_and_attrs(item).1) {
            return;
        }
        match item {
            Item::Mod(_) => {}
            Item::Use(u) if u.leading_colon.is_some() => {}
            Item::Use(u) => {
                for leaf in use_leaves(&u.tree) {
                    self.push(leaf.path, leaf.span);
                }
            }
            _ => visit::visit_item(self, item),
        }
    }

    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        let attrs = match item {
            syn::ImplItem::Const(i) => &i.attrs,
            syn::ImplItem::Fn(i) => &i.attrs,
            syn::ImplItem::Type(i) => &i.attrs,
            syn::ImplItem::Macro(i) => &i.attrs,
            _ => return visit::visit_impl_item(self, item),
        };
        if !test_only(attrs) {
            visit::visit_impl_item(self, item);
        }
    }

    fn visit_trait_item(&mut self, item: &'ast syn::TraitItem) {
        let attrs = match item {
            syn::TraitItem::Const(i) => &i.attrs,
            syn::TraitItem::Fn(i) => &i.attrs,
            syn::TraitItem::Type(i) => &i.attrs,
            syn::TraitItem::Macro(i) => &i.attrs,
            _ => return visit::visit_trait_item(self, item),
        };
        if !test_only(attrs) {
            visit::visit_trait_item(self, item);
        }
    }

    fn visit_attribute(&mut self, _: &'ast Attribute) {}

    // `pub(crate)`, `pub(in crate::a)`: who may see an item, not what it uses.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none()
            && let Some(first) = path.segments.first()
        {
            self.push(path.segments.iter().map(|s| s.ident.to_string()).collect(), first.ident.span());
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        self.scan_tokens(mac.tokens.clone());
    }
}

impl Collector<'_> {
    /// A macro's input is not parsed as code: every run of `ident :: ident …` in it is taken
    /// as a path (`generate_handler![commands::add]`, `format!("{}", crate::NAME)`).
    fn scan_tokens(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let path_separator = |i: usize| {
            matches!((tokens.get(i), tokens.get(i + 1)), (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':')
        };
        // The identifiers of `a :: b :: c` from `i`, and the index after them.
        let run = |mut i: usize| {
            let mut segments = Vec::new();
            while let Some(TokenTree::Ident(ident)) = tokens.get(i) {
                segments.push(ident.clone());
                if !(path_separator(i + 1) && matches!(tokens.get(i + 3), Some(TokenTree::Ident(_)))) {
                    return (segments, i + 1);
                }
                i += 3;
            }
            (segments, i)
        };
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Group(group) => {
                    self.scan_tokens(group.stream());
                    i += 1;
                }
                // `::a::b` names another crate.
                TokenTree::Punct(_) if path_separator(i) => i = run(i + 2).1,
                // A lifetime, not a name.
                TokenTree::Punct(p) if p.as_char() == '\'' => i += 2,
                TokenTree::Ident(_) => {
                    let (segments, next) = run(i);
                    self.push(segments.iter().map(ToString::to_string).collect(), segments[0].span());
                    i = next;
                }
                _ => i += 1,
            }
        }
    }
}
