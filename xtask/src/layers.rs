//! `cargo xtask layers`: the architecture's layering rules, checked instead of only written down.
//!
//! The crates form layers (core 0, sandbox 1, engine 2, desktop and ui 3, the `meeting-launcher` binary 4), so
//! each can be understood, tested and replaced from the bottom up. Nothing in the compiler stops a crate from
//! depending sideways or upwards, nor modules of one crate from importing each other in a circle, so this check
//! does, before `cargo xtask test` spends minutes on clippy and the tests:
//!
//! 1. crate dependencies: a normal or build dependency between our packages goes to a strictly lower layer;
//!    `launcher-test-support` is a dev-dependency only; nothing depends on `meeting-launcher` or `xtask`;
//! 2. the emulator stands alone: `launcher-sandbox`'s tree holds nothing that draws (egui, eframe, wgpu, winit);
//! 3. code names only the crates its package may depend on (`launcher_x::` paths; tests and benches may also
//!    name their dev-dependencies and their own crate);
//! 4. the files of one crate import one another without cycles (`crate::`, `super::`, `self::` and child-module
//!    paths, followed through re-exports to the file that defines the item).
//!
//! It reads the manifests and the sources as text (std only): see `Crate::defining_file` for what it resolves.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

/// Our packages and their layer; a dependency goes to a lower number.
const LAYERS: &[(&str, u8)] = &[
    ("launcher-core", 0),
    ("launcher-sandbox", 1),
    ("launcher-engine", 2),
    ("launcher-desktop", 3),
    ("launcher-ui", 3),
    ("meeting-launcher", 4),
];
const ROOT_PACKAGE: &str = "meeting-launcher";
/// Helpers for tests: any package's dev-dependency, nobody's dependency.
const DEV_ONLY: &str = "launcher-test-support";
const IGNORED: &str = "xtask";
/// Crates that draw: the emulator runs headless, in tests and in demo mode.
const DRAWING: &[&str] = &["egui", "eframe", "wgpu", "winit"];
/// How many imports or re-exports one path is followed through before giving up (a loop of `use`s).
const MAX_HOPS: usize = 16;

pub fn check() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf();
    let packages = packages(&root)?;
    let mut sections = vec![
        (
            "crate dependencies (a normal or build dependency goes to a lower layer: core 0 < sandbox 1 < engine 2 < \
             desktop, ui 3 < meeting-launcher 4; launcher-test-support only as a dev-dependency)",
            dependency_problems(&packages),
        ),
        ("the emulator stands alone (launcher-sandbox must not pull in a drawing crate)", sandbox_problems(&root)?),
        (
            "crate paths in code (code may name only the crates its package may depend on; move the code down a \
             layer or invert the dependency with a port)",
            path_problems(&root, &packages)?,
        ),
        (
            "the UI's model draws nothing (crates/ui/src/model/ names no egui or eframe: views draw, the model is \
             tested without a window)",
            model_problems(&root)?,
        ),
    ];
    let mut cycles = Vec::new();
    for package in &packages {
        if let Some(krate) = Crate::load(&root, package)? {
            cycles.extend(krate.cycle_problems());
        }
    }
    sections.push((
        "import cycles between the files of a crate (imports go one way: move what the files share into a module \
         they both import, or pass it in)",
        cycles,
    ));
    let count: usize = sections.iter().map(|(_, problems)| problems.len()).sum();
    if count == 0 {
        eprintln!("xtask: layers: {} packages, no problems", packages.len());
        return Ok(());
    }
    let mut message = format!("the layering rules are broken ({count} problems; the rules: xtask/src/layers.rs)");
    for (title, problems) in sections.iter().filter(|(_, problems)| !problems.is_empty()) {
        message.push_str(&format!("\n\n{title}:"));
        for problem in problems {
            message.push_str(&format!("\n  - {}", problem.replace('\n', "\n    ")));
        }
    }
    Err(message)
}

// ---------------------------------------------------------------------------------------------------------------
// Rules 1 and 2: the manifests and the sandbox's dependency tree.

#[derive(Clone, Copy, Debug, PartialEq)]
enum DepKind {
    Normal,
    Dev,
    Build,
}

#[derive(Debug, PartialEq)]
struct Dep {
    name: String,
    kind: DepKind,
    line: usize,
}

struct Package {
    name: String,
    /// The package's folder, relative to the workspace root ("" for the root package).
    dir: String,
    deps: Vec<Dep>,
}

fn packages(root: &Path) -> Result<Vec<Package>, String> {
    let mut dirs = vec![String::new()];
    let crates = fs::read_dir(root.join("crates")).map_err(|e| format!("cannot list crates/: {e}"))?;
    let mut members: Vec<String> =
        crates.filter_map(Result::ok).map(|entry| format!("crates/{}", entry.file_name().to_string_lossy())).collect();
    members.sort();
    dirs.extend(members.into_iter().filter(|dir| root.join(dir).join("Cargo.toml").is_file()));
    let mut packages = Vec::new();
    for dir in dirs {
        let manifest = root.join(&dir).join("Cargo.toml");
        let text = fs::read_to_string(&manifest).map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
        let name = package_name(&text).ok_or_else(|| format!("{}: no [package] name", manifest.display()))?;
        packages.push(Package { name, dir, deps: manifest_deps(&text) });
    }
    Ok(packages)
}

fn layer(package: &str) -> Option<u8> {
    LAYERS.iter().find(|(name, _)| *name == package).map(|&(_, rank)| rank)
}

/// Whether `from` may have a normal or build dependency on `to` (both ours).
fn may_depend(from: &str, to: &str) -> bool {
    match (from, to) {
        (_, ROOT_PACKAGE | IGNORED | DEV_ONLY) => false,
        (DEV_ONLY, to) => to != DEV_ONLY,
        (from, to) => matches!((layer(from), layer(to)), (Some(a), Some(b)) if b < a),
    }
}

fn dependency_problems(packages: &[Package]) -> Vec<String> {
    let ours: BTreeSet<&str> = packages.iter().map(|p| p.name.as_str()).chain([IGNORED]).collect();
    let mut problems = Vec::new();
    for package in packages.iter().filter(|p| p.name != IGNORED) {
        let manifest = display_path(&package.dir, "Cargo.toml");
        if layer(&package.name).is_none() && package.name != DEV_ONLY {
            problems.push(format!(
                "{manifest}: package {} has no layer: add it to LAYERS in xtask/src/layers.rs",
                package.name
            ));
        }
        for dep in package.deps.iter().filter(|d| ours.contains(d.name.as_str()) && d.name != package.name) {
            let why = match (dep.kind, dep.name.as_str()) {
                (_, ROOT_PACKAGE | IGNORED) => "nothing may depend on it",
                (DepKind::Dev, _) => continue,
                (_, DEV_ONLY) => "it is for tests: make it a [dev-dependencies] entry",
                _ if may_depend(&package.name, &dep.name) => continue,
                _ => "a dependency must go to a lower layer",
            };
            let rank = |name: &str| layer(name).map_or("dev-only".to_string(), |r| format!("layer {r}"));
            problems.push(format!(
                "{manifest}:{}: {} ({}) has a {} dependency on {} ({}): {why}",
                dep.line,
                package.name,
                rank(&package.name),
                format!("{:?}", dep.kind).to_lowercase(),
                dep.name,
                rank(&dep.name)
            ));
        }
    }
    problems
}

/// The `name` in a manifest's `[package]` table.
fn package_name(toml: &str) -> Option<String> {
    let mut in_package = false;
    for line in toml.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == "name"
        {
            return Some(value.trim().trim_matches('"').to_string());
        }
    }
    None
}

/// What a manifest table header (without brackets) holds, as far as dependencies go.
enum Table {
    /// `[dependencies]`, `[target.'cfg(unix)'.dev-dependencies]`: one dependency a line.
    Deps(DepKind),
    /// `[dependencies.launcher-core]`: one dependency, the table.
    Dep(DepKind, String),
    Other,
}

fn table(header: &str) -> Table {
    let mut rest = header.trim();
    if let Some(target) = rest.strip_prefix("target.") {
        // The target is a quoted cfg(...) (with dots and quotes inside) or a bare triple.
        let end = match target.chars().next() {
            Some(quote @ ('\'' | '"')) => target[1..].find(quote).map(|i| i + 2),
            _ => target.find('.'),
        };
        rest = end.and_then(|end| target[end..].strip_prefix('.')).unwrap_or("");
    }
    let (table, dep) = rest.split_once('.').map_or((rest, None), |(t, d)| (t, Some(d)));
    let kind = match table {
        "dependencies" => DepKind::Normal,
        "dev-dependencies" => DepKind::Dev,
        "build-dependencies" => DepKind::Build,
        _ => return Table::Other,
    };
    match dep {
        Some(dep) => Table::Dep(kind, dep.trim().trim_matches('"').to_string()),
        None => Table::Deps(kind),
    }
}

/// Every dependency a manifest declares (not `[workspace.dependencies]`): `x.workspace = true`, `x = { … }`.
fn manifest_deps(toml: &str) -> Vec<Dep> {
    let mut deps = Vec::new();
    let mut current = Table::Other;
    for (index, line) in toml.lines().enumerate() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.split(']').next()) {
            current = table(header);
            if let Table::Dep(kind, name) = &current {
                deps.push(Dep { name: name.clone(), kind: *kind, line: index + 1 });
            }
        } else if let Table::Deps(kind) = current
            && let Some((key, _)) = line.split_once('=')
            && !line.starts_with('#')
        {
            let name = key.split('.').next().unwrap_or_default().trim().trim_matches('"');
            deps.push(Dep { name: name.to_string(), kind, line: index + 1 });
        }
    }
    deps
}

fn sandbox_problems(root: &Path) -> Result<Vec<String>, String> {
    let args = ["tree", "-p", "launcher-sandbox", "-e", "normal,build", "--prefix", "none", "--target", "all"];
    let output =
        crate::cargo().args(args).current_dir(root).output().map_err(|e| format!("cannot run cargo tree: {e}"))?;
    if !output.status.success() {
        return Err(format!("`cargo {}` failed:\n{}", args.join(" "), String::from_utf8_lossy(&output.stderr)));
    }
    Ok(drawing_crates(&String::from_utf8_lossy(&output.stdout))
        .into_iter()
        .map(|found| {
            let name = found.split(' ').next().unwrap_or_default();
            format!(
                "launcher-sandbox depends on {found}: see what pulls it in with \
                 `cargo tree -p launcher-sandbox -e normal,build --target all -i {name}`"
            )
        })
        .collect())
}

/// The drawing crates in `cargo tree --prefix none` output (`egui v0.37.0`, `wgpu-core v…`), once each.
fn drawing_crates(tree: &str) -> Vec<String> {
    let mut found = BTreeSet::new();
    for line in tree.lines() {
        let mut words = line.split_whitespace();
        let (Some(name), Some(version)) = (words.next(), words.next()) else { continue };
        let draws = DRAWING.iter().any(|d| {
            name == *d || name.strip_prefix(d).is_some_and(|rest| rest.starts_with('-') || rest.starts_with('_'))
        });
        if draws {
            found.insert(format!("{name} {version}"));
        }
    }
    found.into_iter().collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Rule 3: crate paths in code.

fn path_problems(root: &Path, packages: &[Package]) -> Result<Vec<String>, String> {
    let names: BTreeMap<String, &str> = packages.iter().map(|p| (p.name.replace('-', "_"), p.name.as_str())).collect();
    let mut problems = Vec::new();
    for package in packages.iter().filter(|p| p.name != IGNORED) {
        let in_src: BTreeSet<&str> =
            packages.iter().map(|p| p.name.as_str()).filter(|to| may_depend(&package.name, to)).collect();
        let mut in_tests = in_src.clone();
        let dev = package.deps.iter().filter(|d| d.kind == DepKind::Dev && names.values().any(|n| *n == d.name));
        in_tests.extend(dev.map(|d| d.name.as_str()));
        if package.name != ROOT_PACKAGE {
            in_tests.insert(&package.name); // integration tests and benches use the crate they test
        }
        in_tests.retain(|name| !matches!(*name, ROOT_PACKAGE | IGNORED));
        for (folder, allowed) in [("src", &in_src), ("tests", &in_tests), ("benches", &in_tests)] {
            for file in rust_files(&root.join(&package.dir).join(folder)) {
                let shown = display_path(&package.dir, &relative(&root.join(&package.dir), &file));
                let code = code_only(&read(&file)?);
                for (line, name) in crate_mentions(&code) {
                    let Some(package_name) = names.get(&name) else { continue }; // not ours
                    if !allowed.contains(package_name) {
                        let may: Vec<&str> = allowed.iter().copied().collect();
                        problems.push(format!(
                            "{shown}:{line}: `{name}::` in {}'s {folder}/, which may name only: {}",
                            package.name,
                            if may.is_empty() { "none of our crates".to_string() } else { may.join(", ") }
                        ));
                    }
                }
            }
        }
    }
    Ok(problems)
}

/// Each `launcher_x::` / `meeting_launcher::` path root in code, with its line.
fn crate_mentions(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, line) in code.lines().enumerate() {
        for (start, word) in words(line) {
            let follows = line[start + word.len()..].starts_with("::");
            // A path's first segment, also after a leading `::` (`::launcher_core::x`), but not `a::launcher_x`.
            let before = &line[..start];
            let rooted = match before.strip_suffix("::") {
                Some(prefix) => !prefix.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '>'),
                None => !before.ends_with('$'),
            };
            if follows && rooted && (word.starts_with("launcher_") || word == "meeting_launcher") {
                found.push((index + 1, word.to_string()));
            }
        }
    }
    found
}

/// The identifiers of a line (ASCII), with their byte offsets.
fn words(line: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = line.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let start = i;
            while i < bytes.len() && is_ident(bytes[i]) {
                i += 1;
            }
            if i > start {
                return Some((start, &line[start..i]));
            }
            i += 1;
        }
        None
    })
}

fn is_ident(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

// ---------------------------------------------------------------------------------------------------------------
// Reading Rust as text.

/// The source with comments and the contents of string and char literals blanked (newlines kept, so line numbers
/// hold): what is left is code, and its braces balance.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let at = |i: usize, text: &str| text.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c));
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if at(i, "//") {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if at(i, "/*") {
            let mut depth = 0;
            while i < chars.len() {
                if at(i, "/*") || at(i, "*/") {
                    depth += if chars[i] == '/' { 1 } else { -1 };
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_hashes(&chars, i) {
            // A raw string: r"…", r#"…"#, br##"…"##.
            let close: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            out.push('r');
            out.extend(std::iter::repeat_n('#', hashes));
            out.push('"');
            i += hashes + 2;
            while i < chars.len() && !at(i, &close) {
                out.push(blank(chars[i]));
                i += 1;
            }
            out.push_str(&close);
            i += close.len();
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                let skip = if chars[i] == '\\' { 2 } else { 1 };
                chars[i..chars.len().min(i + skip)].iter().for_each(|&c| out.push(blank(c)));
                i += skip;
            }
            out.push('"');
            i += 1;
        } else if c == '\'' && (chars.get(i + 1) == Some(&'\\') || chars.get(i + 2) == Some(&'\'')) {
            // A char literal ('x', '\n', '\u{1F600}'); a lifetime ('a) has no closing quote and stays.
            out.push('\'');
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                let skip = if chars[i] == '\\' { 2 } else { 1 };
                (0..skip).for_each(|_| out.push(' '));
                i += skip;
            }
            out.push('\'');
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The number of `#`s when a raw string (`r"`, `r#"`, `br#"`) starts at `i`.
fn raw_string_hashes(chars: &[char], i: usize) -> Option<usize> {
    let word = |i: usize| chars[i].is_alphanumeric() || chars[i] == '_';
    let starts_word = i == 0 || !word(i - 1) || (chars[i - 1] == 'b' && (i == 1 || !word(i - 2)));
    let hashes = chars.iter().skip(i + 1).take_while(|&&c| c == '#').count();
    (chars[i] == 'r' && starts_word && chars.get(i + 1 + hashes) == Some(&'"')).then_some(hashes)
}

/// A line without its leading attributes and visibility: `#[cfg(x)] pub(crate) use a;` → `use a;`.
fn strip_prefixes(line: &str) -> &str {
    let mut rest = line.trim_start();
    loop {
        if rest.starts_with("#[") {
            let mut depth = 0;
            let Some(end) = rest.find(|c| {
                depth += match c {
                    '[' => 1,
                    ']' => -1,
                    _ => 0,
                };
                c == ']' && depth == 0
            }) else {
                return rest;
            };
            rest = rest[end + 1..].trim_start();
        } else if let Some(after) = rest.strip_prefix("pub")
            && !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
        {
            let after = after.trim_start();
            rest = match after.strip_prefix('(') {
                Some(inside) => inside.split_once(')').map_or(after, |(_, r)| r.trim_start()),
                None => after,
            };
        } else {
            return rest;
        }
    }
}

/// The name a line's item defines: `pub(crate) async fn x(` → `x`, `macro_rules! m {` → `m`.
fn item_name(line: &str) -> Option<&str> {
    let mut rest = strip_prefixes(line);
    loop {
        let word = rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or_default();
        let after = rest[word.len()..].trim_start();
        let qualifier = match word {
            "async" | "unsafe" | "default" => true,
            "extern" => {
                rest = after.strip_prefix('"').and_then(|a| a.split_once('"')).map_or(after, |(_, r)| r.trim_start());
                continue;
            }
            "const" => ["fn", "unsafe", "async", "extern"].iter().any(|q| after.starts_with(q)),
            _ => false,
        };
        if !qualifier {
            break;
        }
        rest = after;
    }
    let keyword = ["struct", "enum", "fn", "trait", "type", "const", "static", "mod", "union", "macro_rules!"]
        .into_iter()
        .find(|k| rest.strip_prefix(k).is_some_and(|r| r.starts_with(char::is_whitespace)))?;
    let mut rest = rest[keyword.len()..].trim_start();
    if keyword == "static" {
        rest = rest.strip_prefix("mut ").map_or(rest, str::trim_start);
    }
    let name = rest.split(|c: char| !c.is_alphanumeric() && c != '_').next()?;
    (!name.is_empty()).then_some(name)
}

/// A `use` tree (what follows `use`, without the `;`) as one path per imported name: `a::{b::C, d as E, self}`
/// → `a::b::C`, `a::d` (as `E`), `a`.
fn expand_use(tree: &str) -> Vec<UsePath> {
    let compact = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = Vec::new();
    expand_into(&[], &compact, &mut out);
    out
}

#[derive(Debug, PartialEq)]
struct UsePath {
    segments: Vec<String>,
    alias: Option<String>,
}

fn expand_into(prefix: &[String], tree: &str, out: &mut Vec<UsePath>) {
    let split = |path: &str| -> Vec<String> {
        prefix
            .iter()
            .cloned()
            .chain(path.split("::").map(str::trim).filter(|s| !s.is_empty()).map(String::from))
            .collect()
    };
    let tree = tree.trim();
    if let (Some(open), Some(close)) = (tree.find('{'), tree.rfind('}')) {
        let head = split(&tree[..open]);
        let mut depth = 0;
        let mut start = open + 1;
        for (i, c) in tree.char_indices().take(close).skip(open + 1) {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand_into(&head, &tree[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand_into(&head, &tree[start..close], out);
    } else if !tree.is_empty() {
        let (path, alias) = tree.split_once(" as ").map_or((tree, None), |(p, a)| (p, Some(a.trim().to_string())));
        let mut segments = split(path);
        if segments.last().is_some_and(|s| s == "self") {
            segments.pop();
        }
        out.push(UsePath { segments, alias });
    }
}

/// The paths of two segments or more in a line of code: `super::fail(x)` → `super::fail`. Stops at `::{`, `::*`
/// and `::<`.
fn paths_in(line: &str) -> Vec<Vec<String>> {
    let bytes = line.as_bytes();
    let mut paths = Vec::new();
    let mut skip_to = 0;
    for (start, word) in words(line) {
        let rooted = start == 0 || !matches!(bytes[start - 1], b':' | b'$' | b'\'');
        if start < skip_to || !rooted || word.as_bytes()[0].is_ascii_digit() {
            continue;
        }
        let mut segments = vec![word.to_string()];
        let mut end = start + word.len();
        while bytes[end..].starts_with(b"::") && bytes.get(end + 2).is_some_and(|&b| is_ident(b)) {
            let next =
                line[end + 2..].split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next().unwrap_or_default();
            segments.push(next.to_string());
            end += 2 + next.len();
        }
        skip_to = end;
        if segments.len() > 1 {
            paths.push(segments);
        }
    }
    paths
}

/// What one file says, as far as imports go.
#[derive(Default)]
struct Scan {
    /// Items defined at the top of the file (inline `mod x { … }` blocks count as items).
    defs: BTreeSet<String>,
    /// The file's top-level `use`s, by the name they bring in (globs left out): followed to resolve re-exports.
    imports: Vec<(String, Vec<String>)>,
    /// Every path that may point into the crate: where, written inside which inline modules, and what.
    refs: Vec<Ref>,
}

struct Ref {
    line: usize,
    inline: Vec<String>,
    segments: Vec<String>,
}

/// Reads a file's code (see `code_only`) line by line, tracking braces to know what is at the top of the file and
/// which inline `mod x {` block a line is in.
fn scan(code: &str) -> Scan {
    let mut scan = Scan::default();
    let mut depth = 0usize;
    let mut inline: Vec<(String, usize)> = Vec::new(); // inline module and the depth of its body
    // A `use` not finished yet: its first line, whether it is at the top of the file, and its text so far.
    let mut pending: Option<(usize, bool, String)> = None;
    for (index, line) in code.lines().enumerate() {
        while inline.last().is_some_and(|&(_, body)| depth < body) {
            inline.pop();
        }
        let names: Vec<String> = inline.iter().map(|(name, _)| name.clone()).collect();
        let statement = match pending.take() {
            Some((first, top, text)) => Some((first, top, text + " " + line)),
            None => strip_prefixes(line)
                .strip_prefix("use")
                .filter(|rest| rest.starts_with(char::is_whitespace))
                .map(|rest| (index + 1, depth == 0, rest.to_string())),
        };
        if let Some((first, top, text)) = statement {
            match text.split_once(';') {
                Some((tree, _)) => {
                    for path in expand_use(tree) {
                        let name = path.alias.clone().or_else(|| path.segments.last().cloned()).unwrap_or_default();
                        if top && name != "*" {
                            scan.imports.push((name, path.segments.clone()));
                        }
                        scan.refs.push(Ref { line: first, inline: names.clone(), segments: path.segments });
                    }
                }
                None => pending = Some((first, top, text)),
            }
        } else {
            for segments in paths_in(line) {
                scan.refs.push(Ref { line: index + 1, inline: names.clone(), segments });
            }
            if let Some(name) = item_name(line) {
                if depth == 0 {
                    scan.defs.insert(name.to_string());
                }
                if strip_prefixes(line).starts_with("mod ") && line.trim_end().ends_with('{') {
                    inline.push((name.to_string(), depth + 1));
                }
            }
        }
        depth = (depth + line.matches('{').count()).saturating_sub(line.matches('}').count());
    }
    scan
}

// ---------------------------------------------------------------------------------------------------------------
// Rule 4: import cycles between the files of a crate.

/// The module a file is, from its path under `src/`: `lib.rs` → the root, `a/mod.rs` and `a.rs` → `a`,
/// `a/x.rs` → `a::x`. `None` for files that are no module of the crate rooted at `root_file`.
fn module_path(relative: &str, root_file: &str) -> Option<Vec<String>> {
    let stem = relative.strip_suffix(".rs")?;
    if relative == root_file {
        return Some(Vec::new());
    }
    let mut parts: Vec<String> = stem.split('/').map(String::from).collect();
    if parts.len() == 1 && matches!(stem, "lib" | "main") || parts[0] == "bin" {
        return None; // the other crate root of the package, or a binary
    }
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    Some(parts)
}

struct SourceFile {
    path: String,
    module: Vec<String>,
    scan: Scan,
}

/// One crate's files and the modules they are.
struct Crate {
    package: String,
    files: Vec<SourceFile>,
    by_module: HashMap<Vec<String>, usize>,
}

impl Crate {
    /// The library (`src/lib.rs`) or else the binary (`src/main.rs`) of a package, if it has one.
    fn load(root: &Path, package: &Package) -> Result<Option<Crate>, String> {
        let src = root.join(&package.dir).join("src");
        let Some(root_file) = ["lib.rs", "main.rs"].into_iter().find(|f| src.join(f).is_file()) else {
            return Ok(None);
        };
        let mut sources = Vec::new();
        for file in rust_files(&src) {
            let relative = relative(&src, &file);
            sources.push((display_path(&package.dir, &format!("src/{relative}")), relative, read(&file)?));
        }
        Ok(Some(Crate::new(&package.name, root_file, sources)))
    }

    /// From (shown path, path under src/, source) triples.
    fn new(package: &str, root_file: &str, sources: Vec<(String, String, String)>) -> Crate {
        let mut files = Vec::new();
        for (path, relative, source) in sources {
            if let Some(module) = module_path(&relative, root_file) {
                files.push(SourceFile { path, module, scan: scan(&code_only(&source)) });
            }
        }
        let by_module = files.iter().enumerate().map(|(i, f)| (f.module.clone(), i)).collect();
        Crate { package: package.to_string(), files, by_module }
    }

    /// The absolute module path a path written in `file` (inside its inline modules `inline`) means, or `None`
    /// when it leads out of the crate (`std::`, `launcher_core::`, a local name).
    fn absolute(&self, file: usize, inline: &[String], segments: &[String], hops: usize) -> Option<Vec<String>> {
        let own = &self.files[file];
        let (first, rest) = segments.split_first()?;
        let mut base = match first.as_str() {
            "crate" => Vec::new(),
            "self" | "super" => {
                // `self::x` is here; each `super` of `super::super::x` climbs once.
                let mut here: Vec<String> = own.module.iter().chain(inline).cloned().collect();
                let climbs = segments.iter().take_while(|s| *s == "super").count();
                for _ in 0..climbs {
                    here.pop()?;
                }
                return Some([here, segments[climbs.max(1)..].to_vec()].concat());
            }
            name => {
                let child = [own.module.clone(), vec![name.to_string()]].concat();
                if self.by_module.contains_key(&child) {
                    child // a module this file declares with `mod name;`
                } else {
                    // A name this file imports: what the import names.
                    let (_, target) = own.scan.imports.iter().find(|(n, _)| n == name)?;
                    if hops >= MAX_HOPS || target.first() == Some(first) && target.len() == 1 {
                        return None;
                    }
                    self.absolute(file, &[], target, hops + 1)?
                }
            }
        };
        base.extend(rest.iter().cloned());
        Some(base)
    }

    /// The file that defines what an absolute path names. The longest prefix of the path that is a module gives a
    /// file; when the next segment is no item that file defines but one it imports (a re-export, or a private
    /// `use` its children reach through `super::`), the import is followed, so a facade is no false dependency.
    /// `None` when the item comes from another crate.
    fn defining_file(&self, path: &[String], hops: usize) -> Option<usize> {
        let (len, file) = (0..=path.len()).rev().find_map(|n| self.by_module.get(&path[..n]).map(|&f| (n, f)))?;
        let Some(name) = path.get(len) else { return Some(file) };
        let scan = &self.files[file].scan;
        if scan.defs.contains(name) || hops >= MAX_HOPS {
            return Some(file);
        }
        match scan.imports.iter().find(|(n, _)| n == name) {
            Some((_, target)) => {
                let target = self.absolute(file, &[], target, hops + 1)?;
                self.defining_file(&[target, path[len + 1..].to_vec()].concat(), hops + 1)
            }
            None => Some(file), // unknown (a glob, a macro's item): the module itself
        }
    }

    /// Each import between two files, with the first line that makes it and what it names there.
    fn edges(&self) -> BTreeMap<(usize, usize), (usize, String)> {
        let mut edges = BTreeMap::new();
        for (from, file) in self.files.iter().enumerate() {
            file.scan.refs.iter().for_each(|r| {
                let target = self.absolute(from, &r.inline, &r.segments, 0).and_then(|p| self.defining_file(&p, 0));
                if let Some(to) = target.filter(|&to| to != from) {
                    edges.entry((from, to)).or_insert_with(|| (r.line, r.segments.join("::")));
                }
            });
        }
        edges
    }

    fn cycle_problems(&self) -> Vec<String> {
        let edges = self.edges();
        let mut problems = Vec::new();
        for component in cycles(self.files.len(), edges.keys().copied()) {
            let names: Vec<&str> = component.iter().map(|&f| self.files[f].path.as_str()).collect();
            let mut problem = format!("{} ({} files): {}", self.package, component.len(), names.join(", "));
            let mut inside: Vec<_> =
                edges.iter().filter(|((a, b), _)| component.contains(a) && component.contains(b)).collect();
            inside.sort_by_key(|((from, _), (line, _))| (&self.files[*from].path, *line));
            for ((from, to), (line, path)) in inside {
                problem.push_str(&format!("\n{}:{line}: `{path}` → {}", self.files[*from].path, self.files[*to].path));
            }
            problems.push(problem);
        }
        problems
    }
}

/// The strongly connected components of more than one node (Tarjan), each sorted, in order of their first node.
fn cycles(nodes: usize, edges: impl Iterator<Item = (usize, usize)>) -> Vec<Vec<usize>> {
    struct Tarjan {
        next: Vec<Vec<usize>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        counter: usize,
        found: Vec<Vec<usize>>,
    }
    impl Tarjan {
        fn visit(&mut self, v: usize) {
            self.index[v] = Some(self.counter);
            self.low[v] = self.counter;
            self.counter += 1;
            self.stack.push(v);
            self.on_stack[v] = true;
            for w in self.next[v].clone() {
                match self.index[w] {
                    None => {
                        self.visit(w);
                        self.low[v] = self.low[v].min(self.low[w]);
                    }
                    Some(i) if self.on_stack[w] => self.low[v] = self.low[v].min(i),
                    Some(_) => {}
                }
            }
            if Some(self.low[v]) == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut next = vec![Vec::new(); nodes];
    edges.for_each(|(a, b)| next[a].push(b));
    let mut t = Tarjan {
        next,
        index: vec![None; nodes],
        low: vec![0; nodes],
        on_stack: vec![false; nodes],
        stack: Vec::new(),
        counter: 0,
        found: Vec::new(),
    };
    for v in 0..nodes {
        if t.index[v].is_none() {
            t.visit(v);
        }
    }
    t.found.sort();
    t.found
}

// ---------------------------------------------------------------------------------------------------------------
// Files.

/// The `.rs` files under a folder (none if it does not exist), sorted.
/// Every mention of a drawing crate in the UI's model, as `file:line`.
fn model_problems(root: &Path) -> Result<Vec<String>, String> {
    let mut problems = Vec::new();
    for file in rust_files(&root.join("crates/ui/src/model")) {
        let code = code_only(&read(&file)?);
        for (number, line) in code.lines().enumerate() {
            if words(line).any(|(_, word)| matches!(word, "egui" | "eframe" | "egui_extras")) {
                problems.push(format!("{}:{}: names a drawing crate", relative(root, &file), number + 1));
            }
        }
    }
    Ok(problems)
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return files };
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// `path` relative to `base`, with `/`.
fn relative(base: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// A path for messages, from the workspace root.
fn display_path(dir: &str, file: &str) -> String {
    if dir.is_empty() { file.to_string() } else { format!("{dir}/{file}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn use_lists_expand_into_one_path_per_name() {
        let paths = expand_use("crate::a::{\n    b::C,\n    d as E, self, f::{g, h::{self, I}},\n}");
        let shown: Vec<(String, Option<String>)> =
            paths.into_iter().map(|p| (p.segments.join("::"), p.alias)).collect();
        let expected = [
            ("crate::a::b::C", None),
            ("crate::a::d", Some("E")),
            ("crate::a", None),
            ("crate::a::f::g", None),
            ("crate::a::f::h", None),
            ("crate::a::f::h::I", None),
        ];
        let expected: Vec<(String, Option<String>)> =
            expected.iter().map(|(p, a)| (p.to_string(), a.map(String::from))).collect();
        assert_eq!(shown, expected);
        assert_eq!(expand_use("super::*")[0].segments, strings(&["super", "*"]));
        assert_eq!(expand_use("x::Y as Z")[0].alias.as_deref(), Some("Z"));
    }

    #[test]
    fn comments_and_literals_are_blanked_but_lines_kept() {
        let source = "use crate::a; // crate::b\n/* crate::c\n crate::d */ let s = \"http://x crate::e {\";\n\
                      let c = '{'; fn f<'a>(x: &'a str) {}\nlet r = r#\"crate::f\"#; /// crate::g\nlet q = '\\'';";
        let code = code_only(source);
        assert_eq!(code.lines().count(), source.lines().count());
        assert!(code.contains("use crate::a;"));
        for hidden in ["crate::b", "crate::c", "crate::d", "crate::e", "crate::f", "crate::g"] {
            assert!(!code.contains(hidden), "{hidden} left in {code:?}");
        }
        assert!(code.contains("let s = \""), "{code:?}");
        assert!(code.contains("fn f<'a>(x: &'a str) {}"), "{code:?}");
        assert_eq!(code.matches('{').count(), code.matches('}').count(), "{code:?}");
    }

    #[test]
    fn files_map_to_modules() {
        let module = |path| module_path(path, "lib.rs").map(|m| m.join("::"));
        assert_eq!(module("lib.rs").as_deref(), Some(""));
        assert_eq!(module("a.rs").as_deref(), Some("a"));
        assert_eq!(module("a/mod.rs").as_deref(), Some("a"));
        assert_eq!(module("a/x.rs").as_deref(), Some("a::x"));
        assert_eq!(module("a/b/mod.rs").as_deref(), Some("a::b"));
        assert_eq!(module("main.rs"), None);
        assert_eq!(module("bin/tool.rs"), None);
        assert_eq!(module_path("main.rs", "main.rs"), Some(Vec::new()));
    }

    #[test]
    fn items_and_uses_are_recognised() {
        assert_eq!(item_name("pub(crate) async fn run(x: u8) {"), Some("run"));
        assert_eq!(item_name("#[derive(Debug)] pub struct Thing {"), Some("Thing"));
        assert_eq!(item_name("pub const unsafe fn f()"), Some("f"));
        assert_eq!(item_name("pub const LIMIT: usize = 3;"), Some("LIMIT"));
        assert_eq!(item_name("static mut COUNT: u8 = 0;"), Some("COUNT"));
        assert_eq!(item_name("macro_rules! check {"), Some("check"));
        assert_eq!(item_name("let x = 3;"), None);
        assert_eq!(
            paths_in("super::fail(crate::a::B::<u8>::new(), x::{y})"),
            [strings(&["super", "fail"]), strings(&["crate", "a", "B"]),]
        );
        assert!(paths_in("pub(crate) fn f(&'static self) { $crate::x::y }").is_empty());
    }

    /// A crate in memory: (path under src/, source).
    fn krate(files: &[(&str, &str)]) -> Crate {
        let sources = files.iter().map(|(p, s)| (p.to_string(), p.to_string(), s.to_string())).collect();
        Crate::new("test", "lib.rs", sources)
    }

    fn edges(krate: &Crate) -> Vec<String> {
        let name = |f: usize| krate.files[f].path.clone();
        krate.edges().into_iter().map(|((a, b), (line, _))| format!("{}:{line} -> {}", name(a), name(b))).collect()
    }

    #[test]
    fn re_exports_are_followed_to_the_defining_file() {
        let krate = krate(&[
            ("lib.rs", "mod a;\nmod b;\npub use a::Facade;\n"),
            (
                "a/mod.rs",
                "mod x;\npub use x::{Thing as Alias, Other};\npub use self::x::Thing as Facade;\npub use std::sync::Arc;\n",
            ),
            ("a/x.rs", "pub struct Thing;\npub struct Other;\n"),
            ("b.rs", "use crate::a::Alias;\nuse crate::{a::Arc, Facade};\nfn f() { let _ = crate::a::Other; }\n"),
        ]);
        assert_eq!(edges(&krate), ["lib.rs:3 -> a/x.rs", "a/mod.rs:2 -> a/x.rs", "b.rs:1 -> a/x.rs",]);
    }

    #[test]
    fn super_in_an_inline_test_module_is_the_file_itself() {
        let krate = krate(&[
            ("lib.rs", "mod a;\npub fn top() {}\n"),
            ("a.rs", "pub fn f() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    fn g() { super::f(); }\n}\n"),
            ("b.rs", "fn h() {\n    super::top();\n}\n#[cfg(test)]\nmod tests {\n    use super::super::a::f;\n}\n"),
        ]);
        assert_eq!(edges(&krate), ["b.rs:2 -> lib.rs", "b.rs:6 -> a.rs"]);
    }

    #[test]
    fn cycles_are_the_strongly_connected_components() {
        let graph = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 3), (4, 5), (5, 6), (6, 5)];
        assert_eq!(cycles(7, graph.into_iter()), [vec![0, 1, 2], vec![5, 6]]);
        let krate = krate(&[
            ("lib.rs", "mod a;\nuse a::Child;\npub struct Parent;\n"),
            ("a.rs", "use super::Parent;\npub struct Child;\n"),
        ]);
        let problems = krate.cycle_problems();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("lib.rs:2: `a::Child` → a.rs"), "{}", problems[0]);
        assert!(problems[0].contains("a.rs:1: `super::Parent` → lib.rs"), "{}", problems[0]);
    }

    #[test]
    fn manifests_list_dependencies_by_kind() {
        let toml = "[package]\nname = \"launcher-x\"\n[dependencies]\nlauncher-core.workspace = true\n\
                    serde = { version = \"1\" }\n[target.'cfg(target_os = \"linux\")'.dependencies]\n\
                    launcher-ui = { workspace = true }\n[dev-dependencies]\nlauncher-test-support.workspace = true\n\
                    [build-dependencies.launcher-engine]\nworkspace = true\n[workspace.dependencies]\n\
                    launcher-desktop = { path = \"x\" }\n";
        let deps: Vec<(String, DepKind, usize)> =
            manifest_deps(toml).into_iter().map(|d| (d.name, d.kind, d.line)).collect();
        let expected = [
            ("launcher-core", DepKind::Normal, 4),
            ("serde", DepKind::Normal, 5),
            ("launcher-ui", DepKind::Normal, 7),
            ("launcher-test-support", DepKind::Dev, 9),
            ("launcher-engine", DepKind::Build, 10),
        ];
        assert_eq!(deps, expected.map(|(name, kind, line)| (name.to_string(), kind, line)));
        assert_eq!(package_name(toml).as_deref(), Some("launcher-x"));
    }

    #[test]
    fn layers_allow_only_downward_dependencies() {
        assert!(may_depend("launcher-engine", "launcher-core"));
        assert!(!may_depend("launcher-desktop", "launcher-ui"));
        assert!(!may_depend("launcher-core", "launcher-sandbox"));
        assert!(!may_depend("launcher-ui", "launcher-test-support"));
        assert!(!may_depend("launcher-ui", "meeting-launcher"));
        assert!(may_depend("launcher-test-support", "launcher-engine"));
    }

    #[test]
    fn drawing_crates_are_found_in_cargo_tree_output() {
        let tree = "launcher-sandbox v0.1.0 (/w)\negui v0.37.0\negui_glow v0.37.0 (*)\negui v0.37.0\n\
                    wgpu-core v27.0.0\nwinit v0.30.0\neguilike v1.0.0\nserde v1.0.0\n";
        assert_eq!(drawing_crates(tree), ["egui v0.37.0", "egui_glow v0.37.0", "wgpu-core v27.0.0", "winit v0.30.0"]);
        assert_eq!(
            crate_mentions("use launcher_ui::X;\nlet y = self::launcher_core::x; meeting_launcher::z"),
            [(1, "launcher_ui".to_string()), (2, "meeting_launcher".to_string()),]
        );
    }
}
