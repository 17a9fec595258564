//! Imports in `src-tauri/src` go one way: no file imports a file that
//! imports it back, directly or through others. Reads the sources as text
//! (every `use` and every `crate::`/`super::` path outside test code),
//! resolves each path to the file that defines it (following `pub use`
//! re-exports of a `mod.rs`), and fails with the cycle it finds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file and the module path it defines (`["provision", "engine"]`).
struct Module {
    path: Vec<String>,
    file: PathBuf,
    /// Child modules declared with `mod x;`.
    children: BTreeSet<String>,
    /// `pub use child::Name` (and `pub use child::{A, B}`): name → child.
    reexports: BTreeMap<String, Vec<String>>,
    /// The code without comments and `#[cfg(test)]` items.
    code: String,
}

fn src_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src")
}

/// Removes `//` comments (doc comments included) and string literals'
/// contents, so that paths in prose or strings are not read as imports.
fn strip_comments_and_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_string = false;
        let mut prev = ' ';
        let mut kept = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if !in_string && c == '/' && chars.get(i + 1) == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\\' {
                in_string = !in_string;
                kept.push('"');
            } else if !in_string {
                kept.push(c);
            }
            prev = if prev == '\\' && c == '\\' { ' ' } else { c };
            i += 1;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// Cuts every `#[cfg(test)]` item (the attribute and the braced block or
/// `;`-terminated item after it): test code may import what it likes.
fn without_test_items(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let brace = after.find('{');
        let semi = after.find(';');
        let end = match (brace, semi) {
            (Some(b), Some(s)) if s < b => s + 1,
            (Some(b), _) => {
                let mut depth = 0usize;
                let mut end = after.len();
                for (i, c) in after[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (None, Some(s)) => s + 1,
            (None, None) => after.len(),
        };
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Expands `a::{b, c::{d, e}}` into `a::b`, `a::c::d`, `a::c::e`.
fn expand_use_tree(tree: &str) -> Vec<String> {
    // `x as y` renames: only the path matters.
    let mut words = Vec::new();
    let mut skip = false;
    for w in tree
        .replace(',', " , ")
        .replace('{', " { ")
        .replace('}', " } ")
        .split_whitespace()
    {
        if skip {
            skip = false;
        } else if w == "as" {
            skip = true;
        } else {
            words.push(w.to_string());
        }
    }
    let tree: String = words.concat();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.len().saturating_sub(1)];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(expand_use_tree)
        .map(|p| {
            if p == "self" {
                prefix.trim_end_matches("::").to_string()
            } else {
                format!("{prefix}{p}")
            }
        })
        .collect()
}

fn segments(path: &str) -> Vec<String> {
    path.split("::")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && s != "*")
        .collect()
}

fn load_modules() -> Vec<Module> {
    let root = src_root();
    let mut files = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut modules = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&root).unwrap();
        let name = rel.file_stem().unwrap().to_string_lossy().to_string();
        // `#[path]` test modules and the binary are not part of the graph.
        if name.ends_with("_tests") || rel == Path::new("main.rs") {
            continue;
        }
        let mut path: Vec<String> = rel
            .parent()
            .into_iter()
            .flat_map(|p| p.components())
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect();
        if name != "mod" && name != "lib" {
            path.push(name);
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = without_test_items(&strip_comments_and_strings(&text));
        let mut children = BTreeSet::new();
        let mut reexports = BTreeMap::new();
        for stmt in code.split(';') {
            let stmt = stmt.trim();
            let words: Vec<&str> = stmt.split_whitespace().collect();
            if let Some(i) = words.iter().position(|w| *w == "mod") {
                if let Some(name) = words.get(i + 1) {
                    if !name.contains('{') && words.len() == i + 2 {
                        children.insert(name.to_string());
                    }
                }
            }
            if let Some(tree) = stmt.strip_prefix("pub use ") {
                for p in expand_use_tree(tree) {
                    let segs = segments(&p);
                    if let Some(last) = segs.last() {
                        reexports.insert(last.clone(), segs);
                    }
                }
            }
        }
        modules.push(Module {
            path,
            file: rel.to_path_buf(),
            children,
            reexports,
            code,
        });
    }
    modules
}

struct Graph<'a> {
    by_path: BTreeMap<Vec<String>, &'a Module>,
}

impl<'a> Graph<'a> {
    /// The file a path (relative to `from`'s module) lands in.
    fn resolve(&self, from: &Module, segs: &[String]) -> Option<&'a Module> {
        let mut current: Vec<String> = from.path.clone();
        let mut rest = segs;
        match rest.first().map(String::as_str) {
            Some("crate") => {
                current.clear();
                rest = &rest[1..];
            }
            Some("self") => rest = &rest[1..],
            Some("super") => {
                while rest.first().map(String::as_str) == Some("super") {
                    current.pop();
                    rest = &rest[1..];
                }
            }
            Some(first) if from.children.contains(first) => {}
            // An external crate (std, serde, aws_sdk_eks…).
            _ => return None,
        }
        self.descend(current, rest, 0)
    }

    fn descend(&self, mut current: Vec<String>, rest: &[String], hops: u32) -> Option<&'a Module> {
        let mut rest = rest;
        while let Some(next) = rest.first() {
            let mut child = current.clone();
            child.push(next.clone());
            if self.by_path.contains_key(&child) {
                current = child;
                rest = &rest[1..];
                continue;
            }
            // A name the module re-exports from one of its children.
            let module = self.by_path.get(&current)?;
            if let Some(target) = module.reexports.get(next) {
                if hops < 8 {
                    let target = target.clone();
                    return self
                        .resolve(module, &target)
                        .filter(|m| m.path != module.path)
                        .or(Some(module));
                }
            }
            break;
        }
        self.by_path.get(&current).copied()
    }
}

fn referenced_paths(code: &str, children: &BTreeSet<String>) -> Vec<String> {
    let mut paths = Vec::new();
    for stmt in code.split(';') {
        let stmt = stmt.trim_start();
        let tree = stmt
            .strip_prefix("pub use ")
            .or_else(|| stmt.strip_prefix("pub(crate) use "))
            .or_else(|| stmt.strip_prefix("use "));
        if let Some(tree) = tree {
            paths.extend(expand_use_tree(tree));
        }
    }
    // Paths written inline: `crate::a::b(...)`, `super::x::Y`, `child::f()`.
    let starts: Vec<String> = ["crate", "super"]
        .iter()
        .map(|s| s.to_string())
        .chain(children.iter().cloned())
        .map(|s| format!("{s}::"))
        .collect();
    for start in &starts {
        let start = start.as_str();
        let mut at = 0;
        while let Some(found) = code[at..].find(start) {
            let begin = at + found;
            let before = code[..begin].chars().last().unwrap_or(' ');
            let end = code[begin..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |e| begin + e);
            let path = &code[begin..end];
            // `super::{a, b}` is a use tree, read above.
            if !(before.is_alphanumeric() || before == '_' || before == ':' || path.ends_with("::"))
            {
                paths.push(path.to_string());
            }
            at = end.max(begin + start.len());
        }
    }
    paths
}

#[test]
fn imports_in_src_tauri_go_one_way() {
    let modules = load_modules();
    let graph = Graph {
        by_path: modules.iter().map(|m| (m.path.clone(), m)).collect(),
    };
    let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for m in &modules {
        let out = edges.entry(m.file.clone()).or_default();
        for path in referenced_paths(&m.code, &m.children) {
            if let Some(target) = graph.resolve(m, &segments(&path)) {
                if target.file != m.file {
                    out.insert(target.file.clone());
                }
            }
        }
    }
    assert!(
        edges.values().map(BTreeSet::len).sum::<usize>() > 50,
        "the reader found too few imports to be reading the sources right"
    );
    let cycles: Vec<String> = strongly_connected(&edges)
        .into_iter()
        .filter(|group| group.len() > 1)
        .map(|group| {
            group
                .iter()
                .map(|file| {
                    let uses: Vec<String> = edges[file]
                        .iter()
                        .filter(|t| group.contains(t))
                        .map(|t| t.display().to_string())
                        .collect();
                    format!("  {} uses {}", file.display(), uses.join(", "))
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "import cycles in src-tauri/src (each group imports itself through the others):\n{}",
        cycles.join("\n\n")
    );
}

/// Tarjan's strongly connected components: every group of files that
/// reach each other through imports.
fn strongly_connected(edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, usize>,
        low: BTreeMap<&'a PathBuf, usize>,
        on_stack: BTreeSet<&'a PathBuf>,
        stack: Vec<&'a PathBuf>,
        next: usize,
        groups: Vec<Vec<PathBuf>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, node: &'a PathBuf) {
            self.index.insert(node, self.next);
            self.low.insert(node, self.next);
            self.next += 1;
            self.stack.push(node);
            self.on_stack.insert(node);
            let edges = self.edges;
            for next in edges.get(node).into_iter().flatten() {
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut group = Vec::new();
                while let Some(top) = self.stack.pop() {
                    self.on_stack.remove(top);
                    group.push(top.clone());
                    if top == node {
                        break;
                    }
                }
                self.groups.push(group);
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        on_stack: BTreeSet::new(),
        stack: Vec::new(),
        next: 0,
        groups: Vec::new(),
    };
    for node in edges.keys() {
        if !walk.index.contains_key(node) {
            walk.visit(node);
        }
    }
    walk.groups
}

#[test]
fn the_reader_resolves_re_exports_and_brace_groups() {
    assert_eq!(
        expand_use_tree("super::{a, b::{C, d}}"),
        ["super::a", "super::b::C", "super::b::d"]
    );
    assert_eq!(
        expand_use_tree("crate::x::{self, Y}"),
        ["crate::x", "crate::x::Y"]
    );
    assert_eq!(
        expand_use_tree("crate::m::AccessScope as SpecScope"),
        ["crate::m::AccessScope"]
    );
    let code =
        without_test_items("use a::b;\n#[cfg(test)]\nmod tests { use super::*; }\nfn f() {}");
    assert!(!code.contains("tests") && code.contains("fn f"));
    let stripped = strip_comments_and_strings("let x = \"crate::y\"; // super::z\n");
    assert!(!stripped.contains("crate::y") && !stripped.contains("super::z"));
}
