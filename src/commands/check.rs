//! `claimsim check`: validate scenario files and report counts or every problem.

use super::emit;
use crate::cli::CheckArgs;
use claimsim::diagnostic::{FileDiagnostics, SourceMap};
use claimsim::discover::scenario_files;
use claimsim::error::{EXIT_INVALID_INPUT, Error};
use claimsim::report::text::terminal_safe;
use claimsim::scenario::catalogue::CatalogueFinder;
use claimsim::scenario::{self, Scenario};
use std::process::ExitCode;

pub fn run(args: &CheckArgs) -> Result<ExitCode, Error> {
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let found = scenario_files(&args.paths)?;
    for note in &found.notes {
        eprintln!("{}", terminal_safe(note));
    }
    let files = found.files;
    let mut invalid = 0;
    for file in &files {
        let checked = scenario::load(file, &claims).and_then(|s| {
            let warning = claims.missing_warning(&s)?;
            strict_check(s, args.strict, warning.is_none()).map(|s| (s, warning))
        });
        match checked {
            Ok((s, warning)) => {
                if let Some(warning) = warning {
                    eprintln!("{warning}");
                }
                emit(
                    terminal_safe(&format!("ok  {}: {}\n", file.display(), counts(&s))).as_bytes(),
                )?;
                warn(&s);
            }
            Err(error) => {
                invalid += 1;
                eprintln!("{}", terminal_safe(&error.to_string()));
            }
        }
    }
    let total = files.len();
    if invalid == 0 {
        emit(format!(
            "{total} scenario{} checked, all valid\n",
            plural(total)
        ))?;
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{total} scenario{} checked, {invalid} with problems",
            plural(total)
        );
        Ok(ExitCode::from(EXIT_INVALID_INPUT))
    }
}

/// Lint warnings go to standard error and leave the exit status alone.
fn warn(scenario: &Scenario) {
    let warnings = claimsim::analysis::lint::warnings(scenario);
    if warnings.is_empty() {
        return;
    }
    let text = std::fs::read_to_string(&scenario.path).unwrap_or_default();
    let source = Some(SourceMap::new(&text));
    eprintln!(
        "{}",
        FileDiagnostics::warnings(&scenario.path, source, warnings)
    );
}

fn strict_check(
    scenario: Scenario,
    strict: bool,
    catalogue_found: bool,
) -> Result<Scenario, Error> {
    let problems = if strict {
        scenario::validate::strict_problems(&scenario, catalogue_found)
    } else {
        Vec::new()
    };
    if problems.is_empty() {
        return Ok(scenario);
    }
    // The file was just read successfully; show its lines beside the problems.
    let text = std::fs::read_to_string(&scenario.path).unwrap_or_default();
    Err(Error::invalid(
        &scenario.path,
        &SourceMap::new(&text),
        problems,
    ))
}

fn counts(s: &Scenario) -> String {
    format!(
        "{} nodes, {} links, {} intervention{}, {} expectation{}",
        s.nodes.len(),
        s.links.len(),
        s.interventions.len(),
        plural(s.interventions.len()),
        s.expectations.len(),
        plural(s.expectations.len())
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
