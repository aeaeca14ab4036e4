//! The layers of `docs/architecture.md` hold in `src/`: every module imports only from
//! the modules listed below it, no two files import each other, integrations use only
//! public modules, and the core never names an integration's feature.
//!
//! It reads the source as text: every `crate::`, `super::` and `self::` path outside
//! comments and `#[cfg(test)]` modules (unit tests may import from anywhere).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Where the layers are listed, top first, one module a line.
const ARCHITECTURE: &str = "docs/architecture.md";
/// The line before the fenced block of layers.
const LAYERS_MARKER: &str = "<!-- layers: read by tests/architecture.rs -->";
/// Features of the core, which any module may name; every other feature is an
/// integration's and is named only under `src/integrations/`.
const CORE_FEATURES: [&str; 3] = ["default", "std", "serde"];
/// Names at the crate root that are not modules, and the layer that defines them: the
/// exported macros (`tags/macros.rs`) and the prelude (`lib.rs`).
const ROOT_ITEMS: [(&str, &str); 3] = [("key", "tags"), ("tag", "tags"), ("prelude", "lib")];
/// Files outside `src/integrations/` that may name an integration's feature: the guide
/// holds only the pages of `docs/`, and its `cfg`s choose which pages' doctests need
/// which features (no code of the crate depends on them).
const FEATURE_NAMING_DOCS: [&str; 1] = ["guide.rs"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The layers, top first.
fn layers() -> Vec<String> {
    let text = fs::read_to_string(root().join(ARCHITECTURE)).expect("docs/architecture.md");
    let after = text
        .split_once(LAYERS_MARKER)
        .unwrap_or_else(|| panic!("{ARCHITECTURE} has no `{LAYERS_MARKER}` line"))
        .1;
    let block = after
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .unwrap_or_else(|| panic!("{ARCHITECTURE}: no ```text block after the layers marker"))
        .0;
    block
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(|name| {
            name.trim_end_matches(".rs")
                .trim_end_matches('/')
                .to_owned()
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("readable src/")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// A source file: its path under `src/`, its module path and its code.
struct Source {
    rel: String,
    module: Vec<String>,
    /// The module `super::` starts from.
    parent: Vec<String>,
    code: String,
}

fn module_of(rel: &str) -> (Vec<String>, Vec<String>) {
    let stem = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = stem.split('/').map(str::to_owned).collect();
    let is_dir_module = matches!(parts.last().map(String::as_str), Some("mod" | "lib"));
    if is_dir_module {
        parts.pop();
    }
    let mut parent = parts.clone();
    parent.pop();
    (parts, parent)
}

/// The code without comments and without the `#[cfg(test)]` module at the end.
fn code_of(text: &str) -> String {
    let mut code = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let line = line.split_once(" //").map_or(line, |(code, _)| code);
        code.push_str(line);
        code.push('\n');
    }
    code
}

fn sources() -> Vec<Source> {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .map(|path| {
            let rel = path
                .strip_prefix(&src)
                .expect("under src/")
                .to_string_lossy()
                .replace('\\', "/");
            let (module, parent) = module_of(&rel);
            let code = code_of(&fs::read_to_string(&path).expect("readable source"));
            Source {
                rel,
                module,
                parent,
                code,
            }
        })
        .collect()
}

/// Every path that starts with `crate::`, `super::` or `self::`, with `use` groups
/// (`a::{b, c::{d}}`) expanded. Paths are split into segments.
fn paths(code: &str) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(found) = code[from..].find(start) {
            let at = from + found;
            from = at + start.len();
            let before = at.checked_sub(1).map(|i| bytes[i]);
            if before
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b':')
            {
                continue;
            }
            let head = start.trim_end_matches("::");
            expand(code, at + start.len(), vec![head.to_owned()], &mut out);
        }
    }
    out
}

/// Expands the path that continues at `at` after `prefix`.
fn expand(code: &str, at: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let rest = &code[at..];
    if rest.starts_with('{') {
        let mut depth = 0;
        let mut item_start = 1;
        for (i, c) in rest.char_indices() {
            match c {
                '{' => depth += 1,
                '}' | ',' if depth == 1 => {
                    let item = rest[item_start..i].trim();
                    if !item.is_empty() {
                        let item_at = at + item_start + rest[item_start..i].find(item).unwrap_or(0);
                        expand(code, item_at, prefix.clone(), out);
                    }
                    item_start = i + 1;
                    if c == '}' {
                        return;
                    }
                }
                '}' => depth -= 1,
                _ => {}
            }
        }
        return;
    }
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(rest.len());
    let written = &rest[..len];
    let mut path = prefix;
    path.extend(
        written
            .split("::")
            .filter(|segment| !segment.is_empty())
            .map(str::to_owned),
    );
    if written.ends_with("::") && rest[len..].starts_with('{') {
        expand(code, at + len, path, out);
    } else {
        out.push(path);
    }
}

/// The crate's files by module path, and what each directory module re-exports from
/// which child (`pub use child::{A, B}`), to follow an import to the file that defines it.
struct Tree {
    files: BTreeMap<Vec<String>, String>,
    reexports: BTreeMap<(Vec<String>, String), Vec<String>>,
}

impl Tree {
    fn new(sources: &[Source]) -> Self {
        let files = sources
            .iter()
            .map(|source| (source.module.clone(), source.rel.clone()))
            .collect::<BTreeMap<_, _>>();
        let mut reexports = BTreeMap::new();
        for source in sources {
            for line in source.code.lines() {
                let line = line.trim();
                let Some(rest) = line
                    .strip_prefix("pub use ")
                    .or_else(|| line.strip_prefix("pub(crate) use "))
                else {
                    continue;
                };
                let Some((child, names)) = rest.split_once("::") else {
                    continue;
                };
                let mut child_module = source.module.clone();
                child_module.push(child.to_owned());
                if !files.contains_key(&child_module) {
                    continue;
                }
                for name in names
                    .trim_end_matches(';')
                    .trim_matches(|c| c == '{' || c == '}')
                    .split(',')
                {
                    let name = name.trim().rsplit("::").next().unwrap_or("").to_owned();
                    if !name.is_empty() {
                        reexports.insert((source.module.clone(), name), child_module.clone());
                    }
                }
            }
        }
        Self { files, reexports }
    }

    /// The file an absolute path (`["escalation", "root", "X"]`) is defined in: the
    /// longest prefix that is a file, followed through one re-export of a directory
    /// module.
    fn file_of(&self, path: &[String]) -> Option<&String> {
        let mut module: Vec<String> = Vec::new();
        let mut found = None;
        for (i, segment) in path.iter().enumerate() {
            module.push(segment.clone());
            if self.files.contains_key(&module) {
                found = Some(module.clone());
                continue;
            }
            if let Some(child) = found
                .as_ref()
                .and_then(|parent| self.reexports.get(&(parent.clone(), segment.clone())))
            {
                return self.files.get(child);
            }
            let _ = i;
            break;
        }
        found.and_then(|module| self.files.get(&module))
    }
}

/// The absolute module path of an import written in `source`.
fn absolute(source: &Source, path: &[String]) -> Vec<String> {
    let mut segments = path.iter().peekable();
    let mut base = match segments.next().map(String::as_str) {
        Some("crate") => Vec::new(),
        Some("self") => source.module.clone(),
        Some("super") => source.parent.clone(),
        _ => unreachable!("paths start with crate, self or super"),
    };
    while segments.peek().is_some_and(|segment| *segment == "super") {
        segments.next();
        base.pop();
    }
    base.extend(segments.cloned());
    base
}

/// The layer of a module path: its first segment (`lib` for the crate root itself).
fn layer_of(module: &[String]) -> String {
    let first = module.first().map_or("lib", String::as_str);
    ROOT_ITEMS
        .iter()
        .find(|(name, _)| *name == first)
        .map_or(first, |(_, layer)| layer)
        .to_owned()
}

#[test]
fn every_module_imports_only_from_the_layers_below_it() {
    let layers = layers();
    let rank = |layer: &str| layers.iter().position(|name| name == layer);
    let mut problems = Vec::new();
    for source in sources() {
        let from = layer_of(&source.module);
        if from == "lib" {
            // The crate root names its own re-exports (`crate::ActorId` in the prelude).
            continue;
        }
        let Some(from_rank) = rank(&from) else {
            problems.push(format!(
                "src/{}: its module `{from}` is not listed in {ARCHITECTURE}'s layers",
                source.rel
            ));
            continue;
        };
        for path in paths(&source.code) {
            let target = absolute(&source, &path);
            let to = layer_of(&target);
            if to == from {
                continue;
            }
            let written = path.join("::");
            match rank(&to) {
                None => problems.push(format!(
                    "src/{} imports `{written}`: `{to}` is not a layer in {ARCHITECTURE}; import \
                     through the module that defines it, not a crate-root re-export",
                    source.rel
                )),
                Some(to_rank) if to_rank < from_rank => problems.push(format!(
                    "src/{} imports `{written}`: layer `{from}` may import only from the \
                     layers below it in {ARCHITECTURE}, and `{to}` is above it",
                    source.rel
                )),
                Some(_) => {}
            }
        }
    }
    assert!(
        problems.is_empty(),
        "imports that go up the layers:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn no_two_files_import_each_other() {
    let sources = sources();
    let tree = Tree::new(&sources);
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for source in &sources {
        for path in paths(&source.code) {
            let target = absolute(source, &path);
            if let Some(file) = tree.file_of(&target)
                && *file != source.rel
            {
                edges
                    .entry(source.rel.clone())
                    .or_default()
                    .entry(file.clone())
                    .or_insert_with(|| path.join("::"));
            }
        }
    }
    let mut problems = BTreeSet::new();
    for (a, targets) in &edges {
        for (b, a_imports) in targets {
            if let Some(b_imports) = edges.get(b).and_then(|back| back.get(a))
                && a < b
            {
                problems.insert(format!(
                    "src/{a} imports `{a_imports}` and src/{b} imports `{b_imports}`"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "files that import each other (move what both need into one of them, or below \
         both):\n  {}",
        problems.into_iter().collect::<Vec<_>>().join("\n  ")
    );
}

#[test]
fn integrations_import_only_public_modules() {
    let lib = fs::read_to_string(root().join("src/lib.rs")).expect("src/lib.rs");
    let private: BTreeSet<String> = lib
        .lines()
        .filter_map(|line| line.trim().strip_prefix("mod "))
        .map(|name| name.trim_end_matches(';').to_owned())
        .collect();
    let mut problems = Vec::new();
    for source in sources()
        .iter()
        .filter(|s| s.rel.starts_with("integrations/"))
    {
        for path in paths(&source.code) {
            let target = absolute(source, &path);
            let to = layer_of(&target);
            if private.contains(&to) {
                problems.push(format!(
                    "src/{} imports `{}`: `{to}` is a private module; an integration uses \
                     only the crate's public API",
                    source.rel,
                    path.join("::")
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_core_never_names_an_integration_feature() {
    let manifest = fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml");
    let features: Vec<String> = manifest
        .split_once("[features]")
        .expect("Cargo.toml has features")
        .1
        .lines()
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once(" = "))
        .map(|(name, _)| name.trim().to_owned())
        .filter(|name| !name.starts_with('#') && !CORE_FEATURES.contains(&name.as_str()))
        .collect();
    assert!(
        features.iter().any(|name| name == "cluster"),
        "{features:?}"
    );
    let mut problems = Vec::new();
    for source in sources() {
        if source.rel.starts_with("integrations/")
            || FEATURE_NAMING_DOCS.contains(&source.rel.as_str())
        {
            continue;
        }
        for feature in &features {
            if source.code.contains(&format!("feature = \"{feature}\"")) {
                problems.push(format!(
                    "src/{} names the integration feature `{feature}`: only \
                     src/integrations/ may",
                    source.rel
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_reader_sees_imports_in_groups_and_skips_comments() {
    let code = code_of(
        "use crate::a::{b::{C, D}, e::F};\n// use crate::zz::Hidden;\nuse super::g::H;\n\
         fn f() { crate::i::J::new(); }\n#[cfg(test)]\nmod tests {\n    use crate::up::Up;\n}\n",
    );
    let found: Vec<String> = paths(&code).iter().map(|path| path.join("::")).collect();
    assert_eq!(
        found,
        [
            "crate::a::b::C",
            "crate::a::b::D",
            "crate::a::e::F",
            "crate::i::J::new",
            "super::g::H"
        ]
    );
}
