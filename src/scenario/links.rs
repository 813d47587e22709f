//! The network line language: one link per line.
//!
//! ```text
//! A -> B                 A raises B
//! A -| B                 A lowers B
//! A -? B                 sign unknown or disputed
//! A & !B -> C            AND gate; `!` negates an input
//! X -| X                 self-link (explicit self-limitation)
//! miR-100 -| mTOR  [B205, B206]   # claim ids, then a comment
//! ```
//!
//! Node names may hold letters of any script, digits, spaces, hyphens, dots, slashes, plus
//! signs and similar; arrows are recognised only with a space on each side, which is what lets
//! `miR-100` and `anti-miR-9 exosomes` be names.

use std::fmt;

/// The effect a link's source has on its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arrow {
    /// `->`: raises.
    Raises,
    /// `-|`: lowers.
    Lowers,
    /// `-?`: affects, sign unknown or disputed.
    Unknown,
}

impl Arrow {
    pub const ALL: [Arrow; 3] = [Arrow::Raises, Arrow::Lowers, Arrow::Unknown];

    pub fn symbol(self) -> &'static str {
        match self {
            Arrow::Raises => "->",
            Arrow::Lowers => "-|",
            Arrow::Unknown => "-?",
        }
    }

    /// +1, -1, or 0 for an unknown sign.
    pub fn sign(self) -> i8 {
        match self {
            Arrow::Raises => 1,
            Arrow::Lowers => -1,
            Arrow::Unknown => 0,
        }
    }

    /// The arrow after passing through a `!` (negated) gate input.
    pub fn negated(self) -> Arrow {
        match self {
            Arrow::Raises => Arrow::Lowers,
            Arrow::Lowers => Arrow::Raises,
            Arrow::Unknown => Arrow::Unknown,
        }
    }
}

/// A name with the column (0-based, in characters, within the parsed line) where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub text: String,
    pub column: usize,
}

/// One input of a link: a node, possibly negated with `!`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkInput {
    pub node: Located,
    pub negated: bool,
}

/// One parsed network line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkLine {
    pub inputs: Vec<LinkInput>,
    pub arrow: Arrow,
    pub target: Located,
    pub claims: Vec<Located>,
}

impl LinkLine {
    /// True for `A & B -> C` style lines.
    pub fn is_gate(&self) -> bool {
        self.inputs.len() > 1 || self.inputs.iter().any(|i| i.negated)
    }

    /// The link text in canonical form (single spaces, no claims or comment), used to match
    /// `[[link]]` settings and `block` entries whatever their spacing.
    pub fn canonical(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for LinkLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, input) in self.inputs.iter().enumerate() {
            if i > 0 {
                f.write_str(" & ")?;
            }
            if input.negated {
                f.write_str("!")?;
            }
            f.write_str(&input.node.text)?;
        }
        write!(f, " {} {}", self.arrow.symbol(), self.target.text)
    }
}

/// Why a line could not be read, with the 0-based character column and width to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSyntaxError {
    pub column: usize,
    pub width: usize,
    pub message: String,
    pub help: String,
}

impl LinkSyntaxError {
    fn new(column: usize, width: usize, message: String, help: &str) -> Self {
        LinkSyntaxError {
            column,
            width,
            message,
            help: help.to_string(),
        }
    }
}

const ARROW_HELP: &str = "write one link per line as 'A -> B' (A raises B), 'A -| B' (A lowers B) \
                          or 'A -? B' (sign unknown), with a space on each side of the arrow";

/// Look-alikes of arrows that users type by mistake, longest first.
const MISTAKEN_ARROWS: [&str; 11] = [
    "-->", "==>", "=>", "<-", "|-", "->", "-|", "-?", "→", "⊣", "--",
];

/// Parses one line of the network. Returns `Ok(None)` for blank and comment-only lines.
pub fn parse_link_line(line: &str) -> Result<Option<LinkLine>, LinkSyntaxError> {
    let content = strip_comment(line);
    if content.trim().is_empty() {
        return Ok(None);
    }
    let (body, claims) = split_claims(content)?;
    let (arrow, arrow_at) = find_arrow(body)?;
    let left = &body[..arrow_at];
    let right = &body[arrow_at + 4..];
    let inputs = parse_inputs(left, 0)?;
    let target = parse_target(right, char_column(body, arrow_at + 4))?;
    Ok(Some(LinkLine {
        inputs,
        arrow,
        target,
        claims,
    }))
}

/// Parses a link given as text elsewhere (a `[[link]]` or `block` entry); claims are not allowed
/// there but a surrounding blank or comment is tolerated.
pub fn parse_link_reference(text: &str) -> Result<LinkLine, LinkSyntaxError> {
    match parse_link_line(text)? {
        Some(link) if link.claims.is_empty() => Ok(link),
        Some(link) => Err(LinkSyntaxError::new(
            link.claims[0].column,
            link.claims[0].text.chars().count(),
            "claim ids are not part of a link's text".to_string(),
            "cite claims on the link in `network`; here give only the link, e.g. \"A -> B\"",
        )),
        None => Err(LinkSyntaxError::new(
            0,
            1,
            "empty link text".to_string(),
            "give the link as it appears in `network`, e.g. \"miR-9 -> P-glycoprotein\"",
        )),
    }
}

/// Node names cannot contain '#', so the first '#' starts a comment.
fn strip_comment(line: &str) -> &str {
    line.find('#').map_or(line, |i| &line[..i])
}

/// Splits a trailing `[A1, B2]` claim list off the line.
fn split_claims(content: &str) -> Result<(&str, Vec<Located>), LinkSyntaxError> {
    let trimmed = content.trim_end();
    if !trimmed.ends_with(']') {
        if let Some(i) = trimmed.find('[') {
            return Err(LinkSyntaxError::new(
                char_column(content, i),
                1,
                "unclosed claim list: '[' without a closing ']'".to_string(),
                "close the claim ids with ']' at the end of the line, e.g. [A131, B205]",
            ));
        }
        return Ok((content, Vec::new()));
    }
    let Some(open) = trimmed.rfind('[') else {
        return Err(LinkSyntaxError::new(
            char_column(content, trimmed.len() - 1),
            1,
            "']' without an opening '['".to_string(),
            "cite claims as [A131, B205] at the end of the line",
        ));
    };
    let inner_start = open + 1;
    let mut claims = Vec::new();
    let mut offset = inner_start;
    for part in trimmed[inner_start..trimmed.len() - 1].split(',') {
        let id = part.trim();
        let lead = part.len() - part.trim_start().len();
        if id.is_empty() {
            return Err(LinkSyntaxError::new(
                char_column(content, offset),
                1,
                "empty claim id in the claim list".to_string(),
                "separate claim ids with commas, e.g. [A131, B205]",
            ));
        }
        if let Some(bad) = id
            .chars()
            .find(|c| !(c.is_alphanumeric() || "-_.".contains(*c)))
        {
            return Err(LinkSyntaxError::new(
                char_column(content, offset + lead),
                id.chars().count(),
                format!("claim id '{id}' contains '{bad}'"),
                "claim ids are letters, digits, '-', '_' or '.', separated by commas",
            ));
        }
        claims.push(Located {
            text: id.to_string(),
            column: char_column(content, offset + lead),
        });
        offset += part.len() + 1;
    }
    Ok((&content[..open], claims))
}

/// Finds the single arrow, reporting look-alikes and doubled arrows precisely.
fn find_arrow(body: &str) -> Result<(Arrow, usize), LinkSyntaxError> {
    let mut found: Vec<(usize, Arrow)> = Arrow::ALL
        .iter()
        .flat_map(|&a| {
            let pattern = format!(" {} ", a.symbol());
            body.match_indices(&pattern)
                .map(move |(i, _)| (i, a))
                .collect::<Vec<_>>()
        })
        .collect();
    found.sort_by_key(|&(at, _)| at);
    match found.as_slice() {
        [(at, arrow)] => Ok((*arrow, *at)),
        [] => Err(missing_arrow(body)),
        [_, (second, _), ..] => Err(LinkSyntaxError::new(
            char_column(body, second + 1),
            2,
            "more than one arrow on a line".to_string(),
            "write one link per line; for a chain A -> B -> C write 'A -> B' and 'B -> C'",
        )),
    }
}

fn missing_arrow(body: &str) -> LinkSyntaxError {
    for mistake in MISTAKEN_ARROWS {
        if let Some(i) = body.find(mistake) {
            let spaced = body[..i].ends_with(' ') && body[i + mistake.len()..].starts_with(' ');
            let message = if Arrow::ALL.iter().any(|a| a.symbol() == mistake) && !spaced {
                format!("arrow '{mistake}' needs a space on each side")
            } else {
                format!("malformed arrow '{mistake}'")
            };
            return LinkSyntaxError::new(
                char_column(body, i),
                mistake.chars().count(),
                message,
                ARROW_HELP,
            );
        }
    }
    let start = body.len() - body.trim_start().len();
    LinkSyntaxError::new(
        char_column(body, start),
        body.trim().chars().count(),
        "no arrow in this link".to_string(),
        ARROW_HELP,
    )
}

fn parse_inputs(left: &str, base: usize) -> Result<Vec<LinkInput>, LinkSyntaxError> {
    let mut inputs = Vec::new();
    let mut offset = 0;
    for part in left.split('&') {
        let column = char_column(left, offset) + base;
        let lead = part.len() - part.trim_start().len();
        let trimmed = part.trim();
        let (negated, name) = match trimmed.strip_prefix('!') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, trimmed),
        };
        let name_column = column + part[..lead].chars().count() + usize::from(negated);
        if name.is_empty() {
            let what = if left.contains('&') {
                "a gate input"
            } else {
                "the source node"
            };
            return Err(LinkSyntaxError::new(
                name_column,
                1,
                format!("missing name for {what}"),
                "every link needs a node before the arrow; gates join inputs with ' & ', e.g. 'A & !B -> C'",
            ));
        }
        inputs.push(LinkInput {
            node: checked_name(name, name_column)?,
            negated,
        });
        offset += part.len() + 1;
    }
    Ok(inputs)
}

fn parse_target(right: &str, column: usize) -> Result<Located, LinkSyntaxError> {
    let lead = right.len() - right.trim_start().len();
    let name = right.trim();
    let name_column = column + right[..lead].chars().count();
    if name.is_empty() {
        return Err(LinkSyntaxError::new(
            name_column,
            1,
            "missing target node after the arrow".to_string(),
            "name the node the link acts on, e.g. 'miR-100 -| mTOR'",
        ));
    }
    if name.contains('&') || name.starts_with('!') {
        return Err(LinkSyntaxError::new(
            name_column,
            name.chars().count(),
            format!("the target '{name}' is a gate expression"),
            "gates go before the arrow ('A & !B -> C'); a link acts on exactly one node",
        ));
    }
    checked_name(name, name_column)
}

/// Characters that would make a name ambiguous in the line language or in TOML keys.
const FORBIDDEN_IN_NAMES: &str = "#[]&!\"=<>|,;{}`";

fn checked_name(name: &str, column: usize) -> Result<Located, LinkSyntaxError> {
    if let Some((i, bad)) = name
        .char_indices()
        .find(|(_, c)| FORBIDDEN_IN_NAMES.contains(*c) || c.is_control())
    {
        return Err(LinkSyntaxError::new(
            column + name[..i].chars().count(),
            1,
            format!("node name '{name}' contains '{bad}'"),
            "node names may hold letters, digits, spaces, '-', '.', '/', '+', '(', ')' and \
             similar, but not # [ ] & ! \" = < > | , ; { } `",
        ));
    }
    Ok(Located {
        text: normalize_name(name),
        column,
    })
}

/// Collapses runs of white space so that names and link texts compare whitespace-insensitively.
pub fn normalize_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Character column of a byte offset within `text`.
fn char_column(text: &str, byte_offset: usize) -> usize {
    text[..byte_offset.min(text.len())].chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> LinkLine {
        parse_link_line(line).expect("valid").expect("not blank")
    }

    fn error(line: &str) -> LinkSyntaxError {
        parse_link_line(line).expect_err("should be rejected")
    }

    #[test]
    fn reads_the_three_arrows() {
        assert_eq!(parse("A -> B").arrow, Arrow::Raises);
        assert_eq!(parse("A -| B").arrow, Arrow::Lowers);
        assert_eq!(parse("A -? B").arrow, Arrow::Unknown);
    }

    #[test]
    fn names_with_hyphens_spaces_greek_and_plus_survive() {
        let link = parse("anti-miR-9 exosomes -| miR-9");
        assert_eq!(link.inputs[0].node.text, "anti-miR-9 exosomes");
        assert_eq!(link.target.text, "miR-9");
        assert_eq!(parse("HIF-1α -> VEGF").inputs[0].node.text, "HIF-1α");
        assert_eq!(
            parse("CD20+ exosomes -| rituximab").inputs[0].node.text,
            "CD20+ exosomes"
        );
        assert_eq!(parse("5-FU -> apoptosis").inputs[0].node.text, "5-FU");
    }

    #[test]
    fn gates_claims_and_comments() {
        let link = parse("  drug & !P-gp   -> apoptosis [A1, B22] # why");
        assert_eq!(link.inputs.len(), 2);
        assert!(link.inputs[1].negated);
        assert_eq!(link.inputs[1].node.text, "P-gp");
        assert_eq!(
            link.claims
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>(),
            ["A1", "B22"]
        );
        assert_eq!(link.canonical(), "drug & !P-gp -> apoptosis");
        assert!(link.is_gate());
    }

    #[test]
    fn blank_and_comment_lines_are_skipped() {
        assert_eq!(parse_link_line("   ").unwrap(), None);
        assert_eq!(parse_link_line("  # a note").unwrap(), None);
    }

    #[test]
    fn whitespace_does_not_change_the_canonical_text() {
        assert_eq!(
            parse("miR-9   ->  P-glycoprotein").canonical(),
            "miR-9 -> P-glycoprotein"
        );
    }

    #[test]
    fn malformed_arrow_is_located() {
        let e = error("C => => D");
        assert_eq!(e.column, 2);
        assert!(e.message.contains("'=>'"), "{}", e.message);
    }

    #[test]
    fn unspaced_arrow_says_so() {
        let e = error("A->B");
        assert!(e.message.contains("needs a space"), "{}", e.message);
        assert_eq!(e.column, 1);
    }

    #[test]
    fn two_arrows_are_rejected() {
        assert!(error("A -> B -> C").message.contains("more than one arrow"));
    }

    #[test]
    fn missing_names_and_bad_characters() {
        assert!(error(" -> B").message.contains("source node"));
        assert!(error("A -> ").message.contains("missing target"));
        assert!(error("A & -> B").message.contains("gate input"));
        assert!(error("A = B -> C").message.contains("contains '='"));
        assert!(error("A -> B & C").message.contains("gate expression"));
        assert!(error("A -> B [A1").message.contains("unclosed"));
        assert!(error("A -> B [A1,,B2]").message.contains("empty claim id"));
    }
}
