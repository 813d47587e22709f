//! The docs-link audit: every relative link in README.md and docs/*.md names a file that exists,
//! and every `#anchor` names a heading of that file under GitHub's anchor rules.

use crate::util::root;
use std::path::{Path, PathBuf};

/// README.md and every docs/*.md, sorted.
fn documents() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    let docs = std::fs::read_dir(root().join("docs")).expect("docs folder");
    let mut markdown: Vec<PathBuf> = docs
        .map(|entry| entry.expect("docs entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    markdown.sort();
    files.extend(markdown);
    files
}

/// The lines of `text` outside fenced code blocks.
fn prose_lines(text: &str) -> Vec<&str> {
    let mut in_fence = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence {
            lines.push(line);
        }
    }
    lines
}

/// The targets of the inline links `[text](target)` in `text`, outside code.
fn link_targets(text: &str) -> Vec<String> {
    let prose = prose_lines(text).join("\n");
    let without_code = strip_inline_code(&prose);
    let mut targets = Vec::new();
    let mut rest = without_code.as_str();
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let Some(end) = after.find(')') else { break };
        let target = after[..end].split_whitespace().next().unwrap_or("");
        targets.push(target.to_string());
        rest = &after[end..];
    }
    targets
}

/// `text` with inline code spans (`...`) removed, so code that looks like a link is not one.
fn strip_inline_code(text: &str) -> String {
    text.split('`').step_by(2).collect::<Vec<_>>().join(" ")
}

/// GitHub's anchor for a heading: lowercase, punctuation dropped (letters, digits, `-`, `_`
/// kept), spaces to `-`.
fn anchor_of(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of every heading in `text`; a repeated heading gets GitHub's `-1`, `-2` suffix.
fn anchors(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for line in prose_lines(text) {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if hashes == 0 || hashes > 6 || !line[hashes..].starts_with(' ') {
            continue;
        }
        let base = anchor_of(&line[hashes..]);
        let mut anchor = base.clone();
        let mut repeat = 0;
        while found.contains(&anchor) {
            repeat += 1;
            anchor = format!("{base}-{repeat}");
        }
        found.push(anchor);
    }
    found
}

/// What is wrong with `target` linked from `document`, if anything.
fn broken(document: &Path, target: &str) -> Option<String> {
    let external = ["http://", "https://", "mailto:"];
    if target.is_empty() || external.iter().any(|p| target.starts_with(p)) {
        return None;
    }
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (target, None),
    };
    let file = if path.is_empty() {
        document.to_path_buf()
    } else {
        document.parent().expect("document folder").join(path)
    };
    if !file.exists() {
        return Some(format!("{target}: no file {}", file.display()));
    }
    let anchor = anchor?;
    let text = std::fs::read_to_string(&file).ok()?;
    if anchors(&text).iter().any(|a| a == anchor) {
        None
    } else {
        Some(format!(
            "{target}: no heading with anchor #{anchor} in {path}"
        ))
    }
}

#[test]
fn anchors_follow_github_rules() {
    assert_eq!(anchor_of(" Where things are"), "where-things-are");
    assert_eq!(
        anchor_of("`claimsim run`: the table (v1.0)"),
        "claimsim-run-the-table-v10"
    );
    assert_eq!(
        anchors("# A\n## A\n#nope\n### A\n```\n# not\n```\n"),
        vec!["a", "a-1", "a-2"]
    );
    assert_eq!(
        link_targets("[x](a.md#b) `[y](code.md)` [z](https://e.org \"t\")"),
        vec!["a.md#b", "https://e.org"]
    );
}

#[test]
fn relative_links_in_readme_and_docs_resolve() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for document in documents() {
        let text = std::fs::read_to_string(&document).expect("readable document");
        for target in link_targets(&text) {
            checked += 1;
            if let Some(problem) = broken(&document, &target) {
                let name = document.strip_prefix(root()).unwrap_or(&document);
                problems.push(format!("{}: {problem}", name.display()));
            }
        }
    }
    assert!(checked > 0, "no links found: the audit reads nothing");
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}
