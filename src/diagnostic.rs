//! Problems found in an input file, each pinned to a line and column, rendered the way
//! compilers do: what is wrong, where, the offending line with a caret, and how to fix it.
//!
//! Checks collect every problem they find instead of stopping at the first, so a user fixes a
//! file in one pass.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    /// Width of the underlined region, in characters (at least 1 when shown).
    pub width: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem at a known place.
    pub fn at(pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            line: pos.line,
            column: pos.column,
            width: pos.width.max(1),
            message: message.into(),
            help: None,
        }
    }

    /// A problem about the file as a whole.
    pub fn whole_file(message: impl Into<String>) -> Self {
        Diagnostic::at(Pos::default(), message)
    }

    /// Adds the sentence that tells the user how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A place in a file: 1-based line and column (in characters) and the width to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

impl Pos {
    pub fn new(line: usize, column: usize, width: usize) -> Self {
        Pos {
            line,
            column,
            width,
        }
    }

    /// Moves a position found inside a sub-string that starts at `self`, on the same line.
    pub fn shifted(self, extra_columns: usize, width: usize) -> Self {
        Pos::new(self.line, self.column + extra_columns, width)
    }
}

/// Maps byte offsets of a source text to lines and columns, and gives lines back for display.
#[derive(Debug, Clone)]
pub struct SourceMap {
    text: String,
    line_starts: Vec<usize>,
}

impl SourceMap {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceMap {
            text: text.to_string(),
            line_starts,
        }
    }

    /// Line and column (1-based, column in characters) of a byte offset.
    pub fn pos(&self, offset: usize, width_bytes: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line_index = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line_index];
        let column = self.text[start..offset].chars().count() + 1;
        let end = (offset + width_bytes).min(self.line_end(line_index));
        let width = self.text.get(offset..end).map_or(1, |s| s.chars().count());
        Pos::new(line_index + 1, column, width)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line(&self, line: usize) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self.line_end(line - 1);
        self.text.get(start..end).map(|s| s.trim_end_matches('\r'))
    }

    /// The line of the nearest table header (`[...]` or `[[...]]`) at or above `line`: where
    /// a message about a whole entry points; `line` itself when no header precedes it.
    pub fn table_line(&self, line: usize) -> usize {
        (1..=line)
            .rev()
            .find(|&l| {
                self.line(l)
                    .is_some_and(|t| t.trim_start().starts_with('['))
            })
            .unwrap_or(line)
    }

    fn line_end(&self, line_index: usize) -> usize {
        self.line_starts
            .get(line_index + 1)
            .map_or(self.text.len(), |&next| next - 1)
    }
}

/// All the problems of one file, ready to print.
#[derive(Debug, Clone)]
pub struct FileDiagnostics {
    pub path: PathBuf,
    pub source: Option<SourceMap>,
    pub problems: Vec<Diagnostic>,
    /// `error` or `warning`, printed before each problem.
    pub severity: &'static str,
}

impl FileDiagnostics {
    pub fn new(path: &Path, source: Option<SourceMap>, problems: Vec<Diagnostic>) -> Self {
        FileDiagnostics {
            path: path.to_path_buf(),
            source,
            problems,
            severity: "error",
        }
    }

    /// Problems that do not make the file invalid (`check` lint).
    pub fn warnings(path: &Path, source: Option<SourceMap>, problems: Vec<Diagnostic>) -> Self {
        FileDiagnostics {
            severity: "warning",
            ..FileDiagnostics::new(path, source, problems)
        }
    }
}

/// Problems shown per file; the rest are counted ("… and N more"), so a file with thousands
/// of mistakes gives a page to read, not megabytes.
pub const MAX_SHOWN: usize = 50;

/// Characters of a source line shown around the caret; longer lines are cut to a window.
const EXCERPT_CHARS: usize = 120;

impl fmt::Display for FileDiagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().take(MAX_SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            render(f, self, problem)?;
        }
        let hidden = self.problems.len().saturating_sub(MAX_SHOWN);
        if hidden > 0 {
            write!(
                f,
                "\n… and {hidden} more {} in {}: fix these and check again",
                if hidden == 1 { "problem" } else { "problems" },
                self.path.display()
            )?;
        }
        Ok(())
    }
}

fn render(f: &mut fmt::Formatter<'_>, file: &FileDiagnostics, problem: &Diagnostic) -> fmt::Result {
    let (path, source) = (&file.path, file.source.as_ref());
    writeln!(f, "{}: {}", file.severity, problem.message)?;
    if problem.line == 0 {
        writeln!(f, "  --> {}", path.display())?;
    } else {
        writeln!(
            f,
            "  --> {}:{}:{}",
            path.display(),
            problem.line,
            problem.column
        )?;
        if let Some(text) = source.and_then(|s| s.line(problem.line)) {
            render_excerpt(f, problem, text)?;
        }
    }
    if let Some(help) = &problem.help {
        writeln!(f, "   = help: {help}")?;
    }
    Ok(())
}

fn render_excerpt(f: &mut fmt::Formatter<'_>, problem: &Diagnostic, text: &str) -> fmt::Result {
    let number = problem.line.to_string();
    let gutter = " ".repeat(number.len());
    let (shown, column, width) = excerpt_window(text, problem.column, problem.width);
    let chars: Vec<char> = shown.chars().collect();
    let displayed: String = chars.iter().map(|&c| display_char(c)).collect();
    writeln!(f, "{gutter} |")?;
    writeln!(f, "{number} | {displayed}")?;
    if column > 0 {
        let before = (column - 1).min(chars.len());
        let under = &chars[before..(before + width).min(chars.len())];
        let indent = " ".repeat(columns(&chars[..before]));
        writeln!(
            f,
            "{gutter} | {indent}{}",
            "^".repeat(columns(under).max(1))
        )?;
    }
    Ok(())
}

/// How a character of an excerpt is shown: a tab as spaces, so the caret line can match it.
fn display_char(c: char) -> String {
    if c == '\t' {
        " ".repeat(TAB_COLUMNS)
    } else {
        c.to_string()
    }
}

const TAB_COLUMNS: usize = 4;

/// The terminal columns `chars` take as [`display_char`] shows them: 2 for a wide (CJK)
/// character, 0 for a combining mark, so carets stand under what they point at.
fn columns(chars: &[char]) -> usize {
    chars
        .iter()
        .map(|&c| {
            if c == '\t' {
                TAB_COLUMNS
            } else {
                unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
            }
        })
        .sum()
}

/// At most [`EXCERPT_CHARS`] characters of `text` around the 1-based `column`, with `…` where
/// it was cut, and the caret's column and width within what is shown.
fn excerpt_window(text: &str, column: usize, width: usize) -> (String, usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= EXCERPT_CHARS {
        return (text.to_string(), column, width);
    }
    let caret = column.saturating_sub(1).min(chars.len());
    let start = caret.saturating_sub(EXCERPT_CHARS / 3);
    let end = (start + EXCERPT_CHARS).min(chars.len());
    let mut shown = String::new();
    let lead = if start > 0 { "…" } else { "" };
    shown.push_str(lead);
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    let column = if column == 0 {
        0
    } else {
        caret - start + 1 + lead.chars().count()
    };
    (shown, column, width.min(end.saturating_sub(caret)).max(1))
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // Bounded work whatever the input: a typo is short, and the distance of two words whose
    // lengths differ by more than the allowed distance need not be computed.
    if word.chars().count() > MAX_SUGGESTED_CHARS {
        return None;
    }
    let word_lower = word.to_lowercase();
    let length = word_lower.chars().count();
    candidates
        .into_iter()
        .take(MAX_CANDIDATES)
        .filter(|c| {
            let other = c.chars().count();
            other <= MAX_SUGGESTED_CHARS && other.abs_diff(length) <= (other.max(length) / 3).max(1)
        })
        .map(|c| (edit_distance(&word_lower, &c.to_lowercase()), c))
        .filter(|&(d, c)| {
            let longest = c.chars().count().max(word.chars().count());
            d < longest && d <= (longest / 3).max(1)
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Words longer than this get no suggestion (no node name is that long by mistake).
const MAX_SUGGESTED_CHARS: usize = 64;
/// Candidates compared at the most.
const MAX_CANDIDATES: usize = 10_000;

/// Levenshtein distance in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_map_counts_characters_not_bytes() {
        let map = SourceMap::new("a = 1\nHIF-1α -> VEGF\n");
        let offset = "a = 1\nHIF-1α ".len();
        let pos = map.pos(offset, 2);
        assert_eq!(pos, Pos::new(2, 8, 2));
        assert_eq!(map.line(2), Some("HIF-1α -> VEGF"));
    }

    #[test]
    fn suggestions_find_close_names_only() {
        let names = ["miR-100", "VEGF", "angiogenesis"];
        assert_eq!(did_you_mean("miR100", names), Some("miR-100"));
        assert_eq!(did_you_mean("vegf", names), Some("VEGF"));
        assert_eq!(did_you_mean("Q", names), None);
    }
}
