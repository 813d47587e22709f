//! docs/tutorial.md stays true: every `$ claimsim ...` line in its console blocks is run, and
//! its standard output must equal the text printed under it. Run with
//! `CLAIMSIM_UPDATE_TUTORIAL=1 cargo test --release --test integration tutorial` to refresh
//! the outputs after an intended change, then read the diff.

use crate::util::root;

/// One command of the tutorial and the output printed under it.
struct Example {
    command: String,
    expected: String,
}

/// A console block: where its body starts and ends in the file's lines, and its examples.
struct Block {
    start: usize,
    end: usize,
    examples: Vec<Example>,
}

fn blocks(lines: &[&str]) -> Vec<Block> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "```console" {
            i += 1;
            continue;
        }
        let start = i + 1;
        let end = start
            + lines[start..]
                .iter()
                .position(|l| l.trim() == "```")
                .expect("closed block");
        found.push(Block {
            start,
            end,
            examples: examples(&lines[start..end]),
        });
        i = end + 1;
    }
    found
}

fn examples(body: &[&str]) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    for line in body {
        match line.strip_prefix("$ ") {
            Some(command) => examples.push(Example {
                command: command.to_string(),
                expected: String::new(),
            }),
            None => {
                let last = examples.last_mut().expect("a block starts with a command");
                last.expected.push_str(line);
                last.expected.push('\n');
            }
        }
    }
    examples
}

/// Splits a command line into words, honouring double quotes.
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// A working folder that sees the repository's scenarios and seeds, so commands that write
/// files (`new`) do not touch the repository.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["scenarios", "seeds"] {
        std::os::unix::fs::symlink(root().join(name), dir.path().join(name)).unwrap();
    }
    dir
}

fn run(command: &str, cwd: &std::path::Path) -> String {
    let words = words(command);
    assert_eq!(
        words[0], "claimsim",
        "tutorial commands start with claimsim: {command}"
    );
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_claimsim"))
        .args(&words[1..])
        .current_dir(cwd)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "`{command}` failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn tutorial_commands_print_what_the_tutorial_shows() {
    let path = root().join("docs/tutorial.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let found = blocks(&lines);
    assert!(
        found.iter().map(|b| b.examples.len()).sum::<usize>() >= 6,
        "the tutorial runs real commands"
    );
    let cwd = workspace();
    let update = std::env::var_os("CLAIMSIM_UPDATE_TUTORIAL").is_some();
    let mut rewritten: Vec<String> = Vec::new();
    let mut next_line = 0;
    for block in &found {
        rewritten.extend(lines[next_line..block.start].iter().map(|l| l.to_string()));
        for example in &block.examples {
            let actual = run(&example.command, cwd.path());
            if !update {
                assert_eq!(
                    actual, example.expected,
                    "output of `{}` differs from docs/tutorial.md",
                    example.command
                );
            }
            rewritten.push(format!("$ {}", example.command));
            rewritten.extend(actual.lines().map(str::to_string));
        }
        next_line = block.end;
    }
    rewritten.extend(lines[next_line..].iter().map(|l| l.to_string()));
    if update {
        std::fs::write(&path, rewritten.join("\n") + "\n").unwrap();
    }
}
