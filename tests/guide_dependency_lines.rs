//! What the guide tells a reader to put in `Cargo.toml` resolves for a reader of this
//! repository, and every page of the guide is compiled.
//!
//! - Every ```` ```toml ```` block of the README, `docs/*.md` and the rustdoc of `src/`
//!   and `examples/` that names `escalation-telemetry` opens with `[dependencies]`
//!   (or another dependency table) and depends on it by `path` or `git`: the crate is
//!   not on crates.io, so a `version`-only line (`escalation-telemetry = "0.1"`) fails
//!   with "no matching package". The features it names exist in `Cargo.toml`.
//! - Every other dependency in those blocks is one this repository builds with (in
//!   `Cargo.lock`), at a version its requirement accepts: a snippet tested against the
//!   lock's version then builds for the reader too.
//! - Every `docs/*.md` page is included by `src/guide.rs` (named by its path there),
//!   so its Rust blocks are doctests.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const CRATE: &str = "escalation-telemetry";

/// One dependency line of a toml block.
#[derive(Debug)]
struct Dependency {
    name: String,
    version: Option<String>,
    path: Option<String>,
    git: Option<String>,
    features: Vec<String>,
}

/// Where a toml block was found, and its lines.
struct Block {
    origin: String,
    lines: Vec<String>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The markdown pages: the README and every `docs/*.md`.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = fs::read_dir(root().join("docs"))
        .expect("docs/ is readable")
        .map(|entry| entry.expect("a docs/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The rustdoc text of a source file: its `//!` and `///` lines without the marker.
fn rustdoc_text(source: &str) -> String {
    source
        .lines()
        .filter_map(|line| {
            let line = line.trim_start();
            line.strip_prefix("//!")
                .or_else(|| line.strip_prefix("///"))
                .map(|rest| rest.strip_prefix(' ').unwrap_or(rest).to_owned())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The ```` ```toml ```` blocks of a markdown text.
fn toml_blocks(origin: &str, text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    for (number, line) in text.lines().enumerate() {
        let fence = line.trim_start();
        match &mut current {
            None if fence.starts_with("```toml") => {
                current = Some(Block {
                    origin: format!("{origin}:{}", number + 1),
                    lines: Vec::new(),
                });
            }
            Some(_) if fence.starts_with("```") => blocks.extend(current.take()),
            Some(block) => block.lines.push(line.to_owned()),
            None => {}
        }
    }
    blocks
}

fn all_blocks() -> Vec<Block> {
    let mut blocks = Vec::new();
    for page in pages() {
        let origin = page
            .strip_prefix(root())
            .unwrap_or(&page)
            .display()
            .to_string();
        blocks.extend(toml_blocks(&origin, &read(&page)));
    }
    let mut sources = Vec::new();
    rust_files(&root().join("src"), &mut sources);
    rust_files(&root().join("examples"), &mut sources);
    for source in sources {
        let origin = source
            .strip_prefix(root())
            .unwrap_or(&source)
            .display()
            .to_string();
        blocks.extend(toml_blocks(&origin, &rustdoc_text(&read(&source))));
    }
    blocks
}

/// The line without a trailing `# comment` (outside strings).
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    for (index, c) in line.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '#' if !in_string => return &line[..index],
            _ => {}
        }
    }
    line
}

/// The string value of `key = "..."` inside an inline table.
fn string_field(table: &str, key: &str) -> Option<String> {
    let mut rest = table;
    while let Some(at) = rest.find(key) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + key.len()..].trim_start();
        if matches!(before, None | Some(' ' | '{' | ',')) && after.starts_with('=') {
            let value = after[1..].trim_start().strip_prefix('"')?;
            return value.split('"').next().map(str::to_owned);
        }
        rest = &rest[at + key.len()..];
    }
    None
}

/// The strings of `features = [...]` inside an inline table.
fn features_field(table: &str) -> Vec<String> {
    let Some(at) = table.find("features") else {
        return Vec::new();
    };
    let rest = &table[at..];
    let (Some(open), Some(close)) = (rest.find('['), rest.find(']')) else {
        return Vec::new();
    };
    rest[open + 1..close]
        .split(',')
        .map(|feature| feature.trim().trim_matches('"').to_owned())
        .filter(|feature| !feature.is_empty())
        .collect()
}

/// A dependency line, `None` for anything else (headers, blank lines, comments).
fn dependency(line: &str) -> Option<Dependency> {
    let line = strip_comment(line).trim();
    if line.is_empty() || line.starts_with('[') {
        return None;
    }
    let (name, value) = line.split_once('=')?;
    let (name, value) = (name.trim().to_owned(), value.trim());
    if let Some(version) = value.strip_prefix('"') {
        return Some(Dependency {
            name,
            version: version.split('"').next().map(str::to_owned),
            path: None,
            git: None,
            features: Vec::new(),
        });
    }
    Some(Dependency {
        name,
        version: string_field(value, "version"),
        path: string_field(value, "path"),
        git: string_field(value, "git"),
        features: features_field(value),
    })
}

/// This crate's feature names, from `Cargo.toml`'s `[features]` table.
fn crate_features() -> Vec<String> {
    let manifest = read(&root().join("Cargo.toml"));
    let mut in_features = false;
    let mut features = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_features = line == "[features]";
        } else if in_features
            && let Some((name, _)) = line.split_once('=')
            && !line.starts_with('#')
        {
            features.push(name.trim().to_owned());
        }
    }
    features
}

/// Every version of every package in `Cargo.lock`.
fn locked_versions() -> BTreeMap<String, Vec<String>> {
    let lock = read(&root().join("Cargo.lock"));
    let mut versions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"').to_owned());
        } else if let Some(value) = line.strip_prefix("version = ")
            && let Some(name) = name.take()
        {
            versions
                .entry(name)
                .or_default()
                .push(value.trim_matches('"').to_owned());
        }
    }
    versions
}

fn numbers(version: &str) -> Vec<u64> {
    version
        .split(['.', '-', '+'])
        .take(3)
        .map_while(|part| part.parse().ok())
        .collect()
}

/// Whether `version` satisfies the cargo requirement `requirement` (caret, the default,
/// or tilde with `~`).
fn accepts(requirement: &str, version: &str) -> bool {
    let (tilde, requirement) = match requirement.strip_prefix('~') {
        Some(rest) => (true, rest),
        None => (false, requirement.strip_prefix('^').unwrap_or(requirement)),
    };
    let wanted = numbers(requirement);
    let mut have = numbers(version);
    have.resize(3, 0);
    if wanted.is_empty() {
        return false;
    }
    let mut padded = wanted.clone();
    padded.resize(3, 0);
    if have < padded {
        return false;
    }
    // The components that must be equal: tilde keeps major.minor (or major); caret
    // keeps everything up to and including the first non-zero component given.
    let fixed = if tilde {
        wanted.len().min(2)
    } else {
        wanted
            .iter()
            .position(|&part| part != 0)
            .map_or(wanted.len(), |first| first + 1)
    };
    have[..fixed] == wanted[..fixed]
}

#[test]
fn every_dependency_line_the_guide_shows_resolves() {
    let features = crate_features();
    let locked = locked_versions();
    let blocks = all_blocks();
    let mut problems = Vec::new();
    let mut crate_lines = 0;

    for block in &blocks {
        let mut table: Option<String> = None;
        let mut names_crate = false;
        for line in &block.lines {
            let trimmed = strip_comment(line).trim();
            if trimmed.starts_with('[') {
                table = Some(trimmed.to_owned());
                continue;
            }
            let in_dependencies = table
                .as_deref()
                .is_some_and(|table| table.ends_with("dependencies]"));
            let Some(dependency) = dependency(line) else {
                continue;
            };
            if dependency.name == CRATE {
                names_crate = true;
                crate_lines += 1;
                if !in_dependencies {
                    problems.push(format!(
                        "{}: `{CRATE}` outside a `[dependencies]` table: open the block with `[dependencies]`",
                        block.origin
                    ));
                }
                match (&dependency.path, &dependency.git) {
                    (Some(path), _) if path.trim_end_matches('/').ends_with(CRATE) => {}
                    (None, Some(_)) => {}
                    _ => problems.push(format!(
                        "{}: `{}` does not resolve: the crate is not published; use `{{ path = \"../{CRATE}\" }}` as the README does",
                        block.origin,
                        line.trim()
                    )),
                }
                for feature in &dependency.features {
                    if !features.contains(feature) {
                        problems.push(format!(
                            "{}: feature `{feature}` is not a feature of {CRATE}",
                            block.origin
                        ));
                    }
                }
            } else if in_dependencies {
                let Some(requirement) = &dependency.version else {
                    problems.push(format!(
                        "{}: `{}` has no version",
                        block.origin, dependency.name
                    ));
                    continue;
                };
                match locked.get(&dependency.name) {
                    None => problems.push(format!(
                        "{}: `{}` is not a dependency this repository builds with, so no test covers it",
                        block.origin, dependency.name
                    )),
                    Some(versions) if !versions.iter().any(|v| accepts(requirement, v)) => {
                        problems.push(format!(
                            "{}: `{} = \"{requirement}\"` does not accept the tested version(s) {versions:?}",
                            block.origin, dependency.name
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        if names_crate && table.is_none() {
            problems.push(format!(
                "{}: a toml block without a table header",
                block.origin
            ));
        }
    }

    assert!(
        crate_lines >= 10,
        "the guide's dependency lines were found ({crate_lines})"
    );
    assert!(
        problems.is_empty(),
        "dependency lines a reader cannot use:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_docs_page_is_a_module_of_the_guide() {
    let guide = read(&root().join("src/guide.rs"));
    let missing: Vec<String> = pages()
        .iter()
        .filter_map(|page| {
            let relative = page.strip_prefix(root()).ok()?.display().to_string();
            let included = format!("\"../{relative}\"");
            (!guide.contains(&included)).then_some(relative)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "pages not included in src/guide.rs (their Rust blocks are not doctests): {missing:?}"
    );
}

#[test]
fn the_version_check_follows_cargo() {
    assert!(accepts("0.16", "0.16.5"));
    assert!(!accepts("0.16", "0.17.0"));
    assert!(!accepts("0.16.6", "0.16.5"));
    assert!(accepts("1", "1.54.1"));
    assert!(!accepts("1", "2.0.0"));
    assert!(accepts("1.43", "1.44.0"));
    assert!(!accepts("1.43", "1.42.9"));
    assert!(accepts("~1.2", "1.2.3"));
    assert!(!accepts("~1.2", "1.3.0"));
    assert!(accepts("0.0.3", "0.0.3"));
    assert!(!accepts("0.0.3", "0.0.4"));
}

#[test]
fn a_version_only_line_is_caught() {
    let unpublished = dependency(r#"escalation-telemetry = "0.1""#).expect("a dependency");
    assert_eq!(unpublished.version.as_deref(), Some("0.1"));
    assert_eq!(unpublished.path, None);
    let local = dependency(
        r#"escalation-telemetry = { path = "../escalation-telemetry", features = ["ractor", "kameo"] } # comment"#,
    )
    .expect("a dependency");
    assert_eq!(local.path.as_deref(), Some("../escalation-telemetry"));
    assert_eq!(local.features, ["ractor", "kameo"]);
    let exporter = dependency(
        r#"metrics-exporter-prometheus = { version = "0.18", default-features = false, features = ["http-listener"] }"#,
    )
    .expect("a dependency");
    assert_eq!(exporter.version.as_deref(), Some("0.18"));
    assert_eq!(exporter.features, ["http-listener"]);
    assert!(dependency("[dependencies]").is_none());
}
