//! Commands about claimsim itself: a template scenario, shell completions and the man page,
//! all generated from the same clap definitions as `--help`.

use crate::cli::{Cli, CompletionsArgs, ManArgs, NewArgs};
use claimsim::error::Error;
use claimsim::scenario::catalogue::CatalogueFinder;
use claimsim::scenario::{self, ClaimLookup};
use clap::CommandFactory;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// The template written by `claimsim new`; a test checks that it is a valid scenario.
pub const TEMPLATE: &str = include_str!("../templates/new.toml");

pub fn new(args: &NewArgs) -> Result<ExitCode, Error> {
    let (contents, note) = match &args.from {
        None => (TEMPLATE.to_string(), "edit it, then".to_string()),
        Some(from) => copy_of(from, args)?,
    };
    let write_error = |source| Error::Write {
        path: args.file.clone(),
        source,
    };
    // create_new refuses to overwrite: a new file must never replace someone's work.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&args.file)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::usage(
                format!("'{}' already exists", args.file.display()),
                "choose a new file name; claimsim new never overwrites",
            ),
            _ => write_error(e),
        })?;
    file.write_all(contents.as_bytes()).map_err(write_error)?;
    eprintln!(
        "wrote {}: {note} `claimsim check {0}` and `claimsim run {0}`",
        args.file.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The self-contained copy of `from`, and what to say about it.
fn copy_of(from: &Path, args: &NewArgs) -> Result<(String, String), Error> {
    let finder = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let catalogue = finder.for_scenario(from)?;
    let text = scenario::read_scenario_text(from)?;
    let lookup = catalogue.as_deref().map(|c| c as &dyn ClaimLookup);
    let copy = scenario::embed::self_contained(from, &text, lookup)?;
    let embedded = scenario::parse(&args.file, &copy, None)?.claims.len();
    let note = format!(
        "a copy of {} with its {embedded} cited claim{} embedded, to run anywhere:",
        from.display(),
        if embedded == 1 { "" } else { "s" }
    );
    Ok((copy, note))
}

pub fn completions(args: &CompletionsArgs) -> Result<ExitCode, Error> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "claimsim", &mut script);
    super::emit(script)?;
    Ok(ExitCode::SUCCESS)
}

/// `claimsim man`: the main page, or one subcommand's, on standard output; with `-o DIR` every
/// page written into DIR (atomically, each file named as man expects: `claimsim-run.1`).
pub fn man(args: &ManArgs) -> Result<ExitCode, Error> {
    // Built, so subcommands carry their display names ("claimsim-run") and full usage.
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    if let Some(dir) = &args.output {
        claimsim::output::create_dir(dir)?;
        let mut written = 0;
        for page in pages(&root) {
            let path = dir.join(page.get_filename());
            claimsim::output::write_atomically(&path, &rendered(page)?)?;
            written += 1;
        }
        eprintln!("wrote {written} man pages into {}", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    let command = match &args.subcommand {
        None => root,
        Some(name) => root.find_subcommand(name).cloned().ok_or_else(|| {
            let names: Vec<&str> = root.get_subcommands().map(|c| c.get_name()).collect();
            Error::usage(
                format!("claimsim has no subcommand '{name}'"),
                format!("give one of: {}", names.join(", ")),
            )
        })?,
    };
    super::emit(rendered(clap_mangen::Man::new(command))?)?;
    Ok(ExitCode::SUCCESS)
}

/// The main page and one per (visible) subcommand, in the order `--help` lists them.
fn pages(root: &clap::Command) -> Vec<clap_mangen::Man> {
    let subcommands = root.get_subcommands().filter(|c| !c.is_hide_set());
    std::iter::once(root)
        .chain(subcommands)
        .map(|c| clap_mangen::Man::new(c.clone()))
        .collect()
}

fn rendered(page: clap_mangen::Man) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    page.render(&mut out).map_err(|e| {
        Error::run_failed(
            format!("could not render the man page: {e}"),
            "report this as a bug",
        )
    })?;
    Ok(out)
}
