//! `claimsim atlas`: build the literature atlas from a claims catalogue, test every claim
//! against the rest, print the counts and conflicts, and write the atlas's files.

use super::{command_line, emit};
use crate::cli::AtlasArgs;
use claimsim::error::Error;
use claimsim::manifest::{MANIFEST, RunFolder};
use claimsim::output::write_atomically;
use claimsim::pipeline::atlas::aliases::{self, Aliases, near_duplicates};
use claimsim::pipeline::atlas::{self, Atlas, AtlasReport, AtlasSettings, ClaimFilter};
use claimsim::plot::atlas::{AtlasChart, ConflictPanel, MAX_PANELS};
use claimsim::plot::{self, ChartFormat};
use claimsim::report::atlas::{
    atlas_conflicts_csv, atlas_csv, atlas_json, atlas_page, atlas_text, near_duplicates_text,
};
use claimsim::scenario::catalogue::Catalogue;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub fn run(args: &AtlasArgs) -> Result<ExitCode, Error> {
    let catalogue_path = match &args.catalogue {
        Some(path) => path.clone(),
        None => Catalogue::find_above(Path::new(".")).ok_or_else(|| {
            Error::usage(
                format!(
                    "no {} found in the current folder or above",
                    claimsim::scenario::catalogue::CATALOGUE_PATH
                ),
                "give the catalogue: claimsim atlas path/to/claims.toml",
            )
        })?,
    };
    let catalogue = Catalogue::load(&catalogue_path)?;
    let aliases_path = args
        .aliases
        .clone()
        .or_else(|| aliases::beside(&catalogue_path));
    let aliases = load_aliases(aliases_path.as_deref())?;
    if args.check_aliases {
        let everything = Atlas::build(&catalogue, &aliases, &ClaimFilter::default());
        let names: Vec<&str> = everything.nodes.iter().map(String::as_str).collect();
        let (pairs, truncated) = near_duplicates(&names, &aliases);
        emit(near_duplicates_text(&pairs, truncated, names.len()))?;
        return Ok(ExitCode::SUCCESS);
    }
    let settings = AtlasSettings {
        samples: args.samples,
        seed: args.random_seed,
        max_nodes: args.max_nodes,
        filter: ClaimFilter {
            cancer: args.cancer.clone(),
            model: args.model.map(|m| m.model()),
            seed: args.seed.clone(),
        },
        threads: args.threads,
        ..AtlasSettings::default()
    };
    let started = Instant::now();
    let (built, report) = atlas::run(&catalogue, &aliases, aliases_path.as_deref(), &settings)?;
    let elapsed = started.elapsed().as_secs_f64();
    emit(atlas_text(&report))?;
    if let Some(dir) = &args.output {
        let _lock = super::lock_output(dir)?;
        let picture = super::chart_format(args.no_plots, false);
        write_atlas_outputs(dir, &built, &report, &catalogue, picture, None)?;
        eprintln!(
            "atlas in {elapsed:.1} s; see {}",
            dir.join("atlas.html").display()
        );
    } else {
        eprintln!("atlas in {elapsed:.1} s");
    }
    Ok(ExitCode::SUCCESS)
}

/// The alias table at `path`, or an empty one.
pub(crate) fn load_aliases(path: Option<&Path>) -> Result<Aliases, Error> {
    path.map(Aliases::load)
        .transpose()
        .map(Option::unwrap_or_default)
}

/// Writes atlas.csv, atlas-conflicts.csv, atlas.json, atlas.html and (in the format `picture`
/// says, unless `None`) atlas.png or atlas.svg into `dir`, then its manifest.json; each file is
/// claimed in `dir`'s manifest, and in `parent`'s (the batch folder holding `dir`), before it
/// is written. Returns the paths written, the manifest last.
pub(crate) fn write_atlas_outputs(
    dir: &Path,
    built: &Atlas,
    report: &AtlasReport,
    catalogue: &Catalogue,
    picture: Option<ChartFormat>,
    parent: Option<&RunFolder>,
) -> Result<Vec<PathBuf>, Error> {
    let picture_name = picture.map(picture_file);
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        ("atlas.csv", atlas_csv(report).into_bytes()),
        (
            "atlas-conflicts.csv",
            atlas_conflicts_csv(report).into_bytes(),
        ),
        ("atlas.json", atlas_json(report).into_bytes()),
        (
            "atlas.html",
            atlas_page(report, picture_name.as_deref()).into_bytes(),
        ),
    ];
    if let (Some(format), Some(name)) = (picture, &picture_name) {
        files.push((name, atlas_picture(built, report, catalogue, format)?));
    }
    let mut written: Vec<PathBuf> = files.iter().map(|(name, _)| dir.join(name)).collect();
    if let Some(parent) = parent {
        parent.claim(&[dir.join(MANIFEST)])?;
        parent.claim(&written)?;
    }
    let folder = RunFolder::begin(dir, &command_line())?;
    folder.claim(&written)?;
    for ((_, bytes), path) in files.iter().zip(&written) {
        write_atomically(path, bytes)?;
    }
    folder.finish(&written)?;
    written.push(dir.join(MANIFEST));
    Ok(written)
}

/// The atlas picture's file name in `format`: atlas.png or atlas.svg.
pub(crate) fn picture_file(format: ChartFormat) -> String {
    format!("atlas.{}", format.extension())
}

/// Nodes drawn around each conflicting pair.
const NEIGHBOURHOOD_NODES: usize = 8;

fn atlas_picture(
    built: &Atlas,
    report: &AtlasReport,
    catalogue: &Catalogue,
    format: ChartFormat,
) -> Result<Vec<u8>, Error> {
    let panels = report
        .conflicts
        .iter()
        .take(MAX_PANELS)
        .filter_map(|conflict| {
            let neighbourhood = atlas::neighbourhood(
                built,
                &conflict.regulator,
                &conflict.target,
                NEIGHBOURHOOD_NODES,
                catalogue,
            )?;
            Some(ConflictPanel {
                conflict,
                neighbourhood,
            })
        })
        .collect();
    let chart = AtlasChart {
        panels,
        total: report.conflicts.len(),
        subtitle: format!(
            "Each panel: a canonical regulator → target pair that claims give opposite signs (dashed: the merged link has no single sign), with the nodes on the shortest routes between them; below, each claim with its cancer, model system and seed review. {} claims, {} names.",
            report.claims, report.nodes
        ),
    };
    plot::render(&chart, format, chart.size()).map_err(|e| {
        Error::run_failed(
            format!("could not draw atlas.{}: {e}", format.extension()),
            "run again with --no-plots to skip it, and report this as a bug",
        )
    })
}
