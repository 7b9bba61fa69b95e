//! The crate's top-level modules depend on each other without cycles: shared model types live
//! in leaf modules (`model`, `span`, `registry`, `trigger`, …), and nothing a module uses
//! reaches back to it. Read from the `crate::module` paths in `src/`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// `module → modules it names as crate::module`, for the top-level modules of `src/`.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let module_of = |path: &Path| -> Option<String> {
        let first = path.strip_prefix(&src).ok()?.components().next()?;
        let name = first.as_os_str().to_str()?.trim_end_matches(".rs");
        (!matches!(name, "lib" | "main")).then(|| name.to_string())
    };
    let mut files = Vec::new();
    let mut pending = vec![src.clone()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let modules: BTreeSet<String> = files.iter().filter_map(|p| module_of(p)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(me) = module_of(file) else { continue };
        let text = fs::read_to_string(file).unwrap();
        let used = graph.entry(me.clone()).or_default();
        for (at, _) in text.match_indices("crate::") {
            let name: String = text[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if name != me && modules.contains(&name) {
                used.insert(name);
            }
        }
    }
    graph
}

/// A cycle through `start`, if there is one: the path back to it.
fn cycle_through(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![start.to_string()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().unwrap();
        for next in graph.get(last).into_iter().flatten() {
            if next == start {
                let mut cycle = path.clone();
                cycle.push(next.clone());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn top_level_modules_have_no_cycles() {
    let graph = dependencies();
    assert!(graph.len() > 10, "read {} modules", graph.len());
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|m| cycle_through(&graph, m))
        .map(|c| c.join(" → "))
        .collect();
    assert!(cycles.is_empty(), "cycles:\n{}", cycles.join("\n"));
    // The rewrite computes one rule's Action: cross-rule facts and the migration's own types
    // are outside it.
    let rewrite = &graph["rewrite"];
    for outside in ["migrate", "pipeline", "facts", "layout", "verify", "cli"] {
        assert!(!rewrite.contains(outside), "rewrite uses {outside}");
    }
}
