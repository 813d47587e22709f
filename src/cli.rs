//! Command-line definitions (clap derive) and nothing else: help texts with examples live next
//! to each flag; `main.rs` hands the parsed values to the library.

use claimsim::interop::Format;
use claimsim::pipeline::RunOptions;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "claimsim",
    version,
    about = "Turn qualitative claims from cancer-biology reviews into numbers",
    long_about = "claimsim reads scenario files that encode review claims as a signed influence \
                  network (A raises B, A lowers B), perturbs them (deliver an exosome cargo, add a \
                  drug, knock out a node) under Monte Carlo uncertainty, and reports how likely \
                  each node is to go up or down and whether each claim is supported.",
    after_help = "Examples:\n  claimsim check scenarios\n  claimsim graph scenarios/glioblastoma/anti-mir9-temozolomide.toml -o gbm.dot"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files (or folders of them, recursively) and report every problem.
    #[command(
        after_help = "Prints one line per valid file with its counts, and every problem of \
                            the others with file:line:column and a fix. Exits 2 if any file is invalid."
    )]
    Check(CheckArgs),
    /// Run a scenario: sample, solve, and report node changes and claim verdicts.
    #[command(
        after_help = "Examples:\n  claimsim run scenarios/leukemia/cml-mir365-imatinib.toml\n  claimsim run FILE --samples 100000 --seed 7 -o out/cml\n  claimsim run FILE --format json > result.json"
    )]
    Run(RunArgs),
    /// Run every scenario under folders (recursively) and summarise which claims hold.
    #[command(
        after_help = "Writes one folder per scenario (summary.json, outcomes.csv, charts) and, at the top, \
                            summary.csv, claims.csv, conflicts.csv (scenarios that move one node in opposite directions \
                            under one agent), index.html and, unless --no-atlas, the literature atlas of their claims \
                            catalogue in atlas/. Every folder gets manifest.json last (version, command line, each file's \
                            size and hash); a rerun removes the files the previous run listed there and did not rewrite, \
                            and a folder another claimsim is writing (.claimsim.lock) is refused. A file that fails is reported and skipped; \
                            the exit status is then 2 (invalid input) or 1 (a run failed).\n\n\
                            Example:\n  claimsim batch scenarios -o out && xdg-open out/index.html"
    )]
    Batch(BatchArgs),
    /// Check that an output folder holds one finished run's files, as its manifest.json lists them.
    #[command(
        after_help = "Prints \"complete\" or \"incomplete\" with every problem: no manifest, a run that was \
                            interrupted, a file missing or changed since it was written. Exits 1 if incomplete.\n\n\
                            Example:\n  claimsim check-output out"
    )]
    CheckOutput(CheckOutputArgs),
    /// Knock out every node and block every link, one at a time, in every scenario under
    /// folders, and list which claims' verdicts flip (docs/sweep.md).
    #[command(
        after_help = "Writes fragility.csv (every expectation under every perturbation: verdict and \
                      probability before and after), fragility-claims.csv (per expectation: how many \
                      single perturbations flip it, most fragile first) and skipped.csv (what did not run, \
                      and why). Runs 1000 samples per unit unless -n says otherwise; a knockout of a \
                      node an intervention presses is skipped (it would cancel the press). Overrides \
                      such as --no-evidence apply to every unit.\n\n\
                      Example:\n  claimsim sweep scenarios -o out/sweep -m press"
    )]
    Sweep(SweepArgs),
    /// Merge the part files of a sharded sweep (`--shard K/N`) into the output one process would
    /// have written (docs/cluster.md).
    #[command(
        after_help = "Checks that the parts are every shard of one job, once, computed by this claimsim \
                      version from the same settings and the same file contents (it reads the scenario files \
                      again, from the paths the shards were given, so run it in the folder they ran in), and \
                      names the missing shards otherwise.\n\n\
                      Example:\n  claimsim merge parts/*.json -o out/sweep"
    )]
    Merge(MergeArgs),
    /// Compare interventions and their combinations side by side ("A+B" merges presses).
    #[command(
        after_help = "Example:\n  claimsim compare scenarios/glioblastoma/anti-mir9-temozolomide.toml \"TMZ alone\" \"anti-miR-9 exosomes + TMZ\""
    )]
    Compare(CompareArgs),
    /// Explain why a node moves: the signed paths from the perturbed nodes, the feedback loops
    /// they cross, and a plain-language account backed by a press run.
    #[command(
        after_help = "The account is backed by a press run of 10000 samples unless --method and -n say \
                      otherwise.\n\nExamples:\n  claimsim explain FILE --from miR-100 --to angiogenesis\n  claimsim explain FILE --expect 1"
    )]
    Explain(ExplainArgs),
    /// Write a commented template scenario to start from.
    New(NewArgs),
    /// Print a shell completion script, e.g. `claimsim completions bash > ~/.local/share/bash-completion/completions/claimsim`.
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `claimsim man > claimsim.1`, or write every
    /// subcommand's page into a folder with `-o DIR`.
    #[command(
        after_help = "Examples:\n  claimsim man > claimsim.1\n  claimsim man run > claimsim-run.1\n  claimsim man -o man/   # claimsim.1, claimsim-run.1, claimsim-batch.1, ..."
    )]
    Man(ManArgs),
    /// Export a scenario's network as Graphviz DOT (*.dot), Cytoscape SIF (*.sif), or a drawing (*.png, *.svg).
    Graph(GraphArgs),
    /// Convert a QPress (text or Dia), SIF, SBML qual, Netflux or Mental Modeler network into a scenario file.
    #[command(
        after_help = "The format comes from the file's extension or content; --from forces it. The scenario \
                      lists what could not be carried over in its header, and so does standard error.\n\n\
                      Examples:\n  claimsim import model.txt --from qpress -o model.toml\n  claimsim import Lake-a.dia -o lake.toml\n  claimsim import network.sif -o net.toml\n  claimsim import model.xlsx > model.toml"
    )]
    Import(ImportArgs),
    /// Write a scenario's network as QPress, SIF, SBML qual or Graphviz DOT.
    #[command(
        after_help = "Examples:\n  claimsim export scenario.toml --to sbml -o model.sbml\n  claimsim export scenario.toml -o net.sif"
    )]
    Export(ExportArgs),
    /// Build one signed network from the whole claims catalogue and test every claim against
    /// the rest of it; list conflicting claims.
    #[command(
        after_help = "Every claim with sign + or - becomes a link regulator -> target between canonical \
                      names (seeds/aliases.toml); ? and ± become links of unknown sign. Each claim is tested \
                      by removing it and pressing its regulator: corroborated, contradicted, ambivalent, or \
                      independent (no other path). Prints the counts; with -o writes atlas.csv, \
                      atlas-conflicts.csv, atlas.json, atlas.png and atlas.html.\n\n\
                      Examples:\n  claimsim atlas -o out/atlas\n  claimsim atlas seeds/claims.toml --cancer glioma --model animal -o out/glioma\n  claimsim atlas --check-aliases"
    )]
    Atlas(AtlasArgs),
    /// Serve the what-if page: pick a scenario, click a node to press or knock it out, and see
    /// the claims' verdicts change (docs/serve.md).
    #[command(
        after_help = "Serves the scenarios found under DIR at start-up, on 127.0.0.1 unless --host says \
                      otherwise, and prints the address. It reads files and writes nothing; requests can \
                      run only the scenarios found, within the caps below. Stop it with Ctrl-C.\n\n\
                      Examples:\n  claimsim serve\n  claimsim serve scenarios/breast-cancer --port 0\n  \
                      claimsim serve --host 0.0.0.0 --port 8321   # a classroom network"
    )]
    Serve(ServeArgs),
}

/// Where claim ids resolve.
#[derive(Debug, Args)]
pub struct ClaimsArg {
    /// Claims catalogue to resolve claim ids against [default: the nearest seeds/claims.toml
    /// in a folder above each scenario]
    #[arg(long, value_name = "FILE")]
    pub claims: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario files or folders (searched recursively for *.toml)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also flag links that cite no claim
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub claims: ClaimsArg,
}

#[derive(Debug, Args)]
pub struct CheckOutputArgs {
    /// Output folder written by run -o, compare -o or batch -o
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// Output formats of `run` on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// A table and the claim verdicts, for people
    Text,
    /// The JSON output contract, for scripts
    Json,
    /// outcomes.csv rows
    Csv,
}

/// The methods `--method` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    Press,
    Ode,
    Fcm,
    All,
}

impl MethodArg {
    pub fn method(self) -> claimsim::scenario::Method {
        use claimsim::scenario::Method;
        match self {
            MethodArg::Press => Method::Press,
            MethodArg::Ode => Method::Ode,
            MethodArg::Fcm => Method::Fcm,
            MethodArg::All => Method::All,
        }
    }
}

/// What-if changes applied on top of a scenario file.
#[derive(Debug, Args, Default)]
pub struct OverrideArgs {
    /// Add a sustained press to every intervention, e.g. --press "miR-16=1" (repeatable)
    #[arg(long, value_name = "NODE=LEVEL")]
    pub press: Vec<String>,
    /// Knock a node out in every intervention (repeatable)
    #[arg(long, value_name = "NODE")]
    pub knockout: Vec<String>,
    /// Remove a link in every intervention, e.g. --block "miR-9 -> P-glycoprotein" (repeatable)
    #[arg(long, value_name = "LINK")]
    pub block: Vec<String>,
    /// Set a link's weight distribution, e.g. --weight "A -> B=uniform(0.5, 1)" (repeatable)
    #[arg(long, value_name = "LINK=DIST")]
    pub weight: Vec<String>,
    /// Run only this intervention (and the ones its expectations compare with)
    #[arg(long, value_name = "NAME")]
    pub intervention: Option<String>,
    /// Switch the evidence rules off: every link present always, whatever its claims' grades
    #[arg(long)]
    pub no_evidence: bool,
}

impl OverrideArgs {
    pub fn to_overrides(&self) -> claimsim::scenario::overrides::Overrides {
        claimsim::scenario::overrides::Overrides {
            press: self.press.clone(),
            knockout: self.knockout.clone(),
            block: self.block.clone(),
            weight: self.weight.clone(),
            intervention: self.intervention.clone(),
            no_evidence: self.no_evidence,
        }
    }
}

/// How scenarios are simulated: the same options, meaning the same, for run, compare, explain
/// and batch.
#[derive(Debug, Args, Default)]
pub struct SimulationArgs {
    /// Method, overriding [simulation] method
    #[arg(short, long, value_enum)]
    pub method: Option<MethodArg>,
    /// Accepted samples, overriding [simulation] samples
    #[arg(short = 'n', long, value_name = "N")]
    pub samples: Option<u64>,
    /// Random seed, overriding [simulation] seed
    #[arg(short, long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads [default: all cores]; results do not depend on it
    #[arg(short = 'j', long, value_name = "THREADS")]
    pub threads: Option<usize>,
    /// Memory press's matrices may take, in MB [default: 4096]; a bigger network is refused
    /// before anything is allocated
    #[arg(long, value_name = "MB")]
    pub max_memory: Option<u64>,
    #[command(flatten)]
    pub overrides: OverrideArgs,
}

impl SimulationArgs {
    pub fn options(&self) -> RunOptions {
        RunOptions {
            method: self.method.map(MethodArg::method),
            samples: self.samples,
            seed: self.seed,
            threads: self.threads,
            overrides: self.overrides.to_overrides(),
            max_memory_mb: self.max_memory,
        }
    }
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub simulation: SimulationArgs,
    /// Folder to write summary.json, outcomes.csv and the charts into; with --shard, the part
    /// file to write (e.g. parts/run-3.json)
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// What to print on standard output
    #[arg(short, long, value_enum, default_value = "text")]
    pub format: OutputFormat,
    /// Write every accepted sample's responses to this CSV file (one row per sample)
    #[arg(long, value_name = "FILE.csv")]
    pub samples_out: Option<PathBuf>,
    /// Do not write charts into the output folder
    #[arg(long)]
    pub no_plots: bool,
    /// Write the charts as SVG instead of PNG
    #[arg(long)]
    pub svg: bool,
    /// Make exactly draws 0..N (a draw budget) and report the accepted ones among them, instead
    /// of drawing until --samples are accepted; the way to shard a run
    #[arg(long, value_name = "N")]
    pub draws: Option<u64>,
    /// With --draws: run only the K-th of N parts of the draws (K from 0) and write a part file
    /// to -o for `claimsim merge`
    #[arg(long, value_name = "K/N", value_parser = claimsim::shard::Shard::parse, requires = "draws", conflicts_with = "samples_out")]
    pub shard: Option<claimsim::shard::Shard>,
    #[command(flatten)]
    pub claims: ClaimsArg,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Folders or scenario files
    #[arg(required = true, value_name = "DIR")]
    pub paths: Vec<PathBuf>,
    /// Output folder
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// Do not write charts
    #[arg(long)]
    pub no_plots: bool,
    /// Write the charts as SVG instead of PNG (the atlas picture too: atlas/atlas.svg)
    #[arg(long)]
    pub svg: bool,
    /// Do not build the literature atlas of the scenarios' claims catalogue (atlas/)
    #[arg(long)]
    pub no_atlas: bool,
    /// Run only the scenarios of the K-th of N parts (K from 0) and write a part file to -o for
    /// `claimsim merge`
    #[arg(long, value_name = "K/N", value_parser = claimsim::shard::Shard::parse)]
    pub shard: Option<claimsim::shard::Shard>,
    #[command(flatten)]
    pub simulation: SimulationArgs,
    #[command(flatten)]
    pub claims: ClaimsArg,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Folders or scenario files
    #[arg(required = true, value_name = "DIR")]
    pub paths: Vec<PathBuf>,
    /// Output folder; with --shard, the part file to write (e.g. parts/sweep-3.json)
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// Run only the K-th of N parts (K from 0) and write a part file for `claimsim merge`
    #[arg(long, value_name = "K/N", value_parser = claimsim::shard::Shard::parse)]
    pub shard: Option<claimsim::shard::Shard>,
    /// Also sweep every pair of single perturbations of a scenario (knockout/knockout,
    /// knockout/block, block/block); their number is printed before they run
    #[arg(long)]
    pub pairs: bool,
    /// With --pairs: refuse a sweep of more pairs than this (default 20000; n singles give
    /// n(n-1)/2 pairs per method)
    #[arg(long, value_name = "N", requires = "pairs")]
    pub max_pairs: Option<u64>,
    #[command(flatten)]
    pub simulation: SimulationArgs,
    #[command(flatten)]
    pub claims: ClaimsArg,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Part files written by the shards
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// Output folder, as the unsharded command's -o
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Folder of scenarios to offer (searched recursively for *.toml)
    #[arg(default_value = "scenarios", value_name = "DIR")]
    pub dir: PathBuf,
    /// Address to listen on; 0.0.0.0 opens the page to the whole network (a warning is printed)
    #[arg(long, default_value = "127.0.0.1", value_name = "HOST")]
    pub host: String,
    /// Port to listen on; 0 picks a free one
    #[arg(long, default_value_t = 8321, value_name = "PORT")]
    pub port: u16,
    /// Most samples one request may ask for (the page's default is the file's, up to this)
    #[arg(long, default_value_t = 5000, value_name = "N")]
    pub max_samples: u64,
    /// Longest one request waits for its run, in seconds, before it is answered "too long"
    #[arg(long, default_value_t = 20.0, value_name = "SECONDS")]
    pub time_limit: f64,
    /// Requests handled at once; more wait in a queue of 64 and beyond that get "busy, retry"
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub workers: usize,
    #[command(flatten)]
    pub claims: ClaimsArg,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Interventions to compare; join names with + to combine them
    #[arg(required = true, value_name = "INTERVENTION")]
    pub interventions: Vec<String>,
    /// In a combination, add the levels of a node several parts press (default: press it once
    /// at the larger level, as the same drug given in two arms is one drug)
    #[arg(long)]
    pub sum: bool,
    /// Folder to write summary.json, outcomes.csv and the comparison chart into
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// What to print on standard output
    #[arg(short, long, value_enum, default_value = "text")]
    pub format: OutputFormat,
    #[command(flatten)]
    pub simulation: SimulationArgs,
    #[command(flatten)]
    pub claims: ClaimsArg,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("question").required(true).args(["from", "expect"])))]
pub struct ExplainArgs {
    /// Scenario file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Node that is pushed up (a press of 1)
    #[arg(long, value_name = "NODE", requires = "to")]
    pub from: Option<String>,
    /// Node whose change is explained
    #[arg(long, value_name = "NODE", requires = "from")]
    pub to: Option<String>,
    /// Explain the scenario's N-th expectation (1 = the first in the file)
    #[arg(long, value_name = "N", conflicts_with_all = ["from", "to"])]
    pub expect: Option<usize>,
    // The run behind the account: press unless --method names another, 10000 samples unless
    // -n says otherwise.
    #[command(flatten)]
    pub simulation: SimulationArgs,
    #[command(flatten)]
    pub claims: ClaimsArg,
}

#[derive(Debug, Args)]
// The template cites no claims, so a catalogue only matters when copying a scenario.
#[command(group(clap::ArgGroup::new("catalogue").args(["claims"]).requires("from")))]
pub struct NewArgs {
    /// File to create (not overwritten if it exists)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Write a self-contained copy of this scenario instead of the template: its text as
    /// written, with every claim it cites appended as a [[claim]] table, so the copy runs
    /// anywhere without the catalogue
    #[arg(long, value_name = "SCENARIO")]
    pub from: Option<PathBuf>,
    #[command(flatten)]
    pub claims: ClaimsArg,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Print this subcommand's page instead of the main one (e.g. run)
    #[arg(value_name = "SUBCOMMAND", conflicts_with = "output")]
    pub subcommand: Option<String>,
    /// Write every page (claimsim.1 and one claimsim-NAME.1 per subcommand) into this folder
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Scenario file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output file; the format follows the extension: .dot/.gv, .sif, or .png/.svg (a drawing)
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    #[command(flatten)]
    pub claims: ClaimsArg,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Network file: QPress text or Dia diagram, SIF, SBML qual, Netflux .xlsx/.xls or Mental Modeler .mmp
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The format of FILE [default: from its extension or content]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub from: Option<Format>,
    /// Scenario file to write [default: standard output]
    #[arg(short, long, value_name = "OUT.toml")]
    pub output: Option<PathBuf>,
    /// Largest file, or unpacked .xlsx workbook or gzipped Dia diagram, to read, in MB
    #[arg(long, value_name = "MB", default_value_t = 64)]
    pub max_size: u64,
    /// Most cells one spreadsheet sheet may span, from its first used cell to its last
    #[arg(long, value_name = "N", default_value_t = 250_000)]
    pub max_cells: u64,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Scenario file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Format to write [default: from the extension of OUT]
    #[arg(long, value_name = "FORMAT", value_parser = export_formats())]
    pub to: Option<Format>,
    /// File to write [default: standard output]
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub claims: ClaimsArg,
}

/// `export --to`: every format parses, so a read-only one gets `export`'s clear refusal, but the
/// help lists only the formats claimsim writes, each with its one-line description.
fn export_formats() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::ValueEnum;
    use clap::builder::TypedValueParser;
    let values = Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value().map(|v| v.hide(!f.can_export())));
    clap::builder::PossibleValuesParser::new(values).try_map(|name| Format::from_str(&name, true))
}

/// Model systems `--model` accepts, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModelArg {
    Inferred,
    TitleOnly,
    Review,
    InVitro,
    Animal,
    Clinical,
}

impl ModelArg {
    pub fn model(self) -> claimsim::scenario::catalogue::ModelSystem {
        use claimsim::scenario::catalogue::ModelSystem;
        match self {
            ModelArg::Inferred => ModelSystem::Inferred,
            ModelArg::TitleOnly => ModelSystem::TitleOnly,
            ModelArg::Review => ModelSystem::Review,
            ModelArg::InVitro => ModelSystem::InVitro,
            ModelArg::Animal => ModelSystem::Animal,
            ModelArg::Clinical => ModelSystem::Clinical,
        }
    }
}

#[derive(Debug, Args)]
pub struct AtlasArgs {
    /// Claims catalogue [default: the nearest seeds/claims.toml in the current folder or above]
    #[arg(value_name = "CATALOGUE")]
    pub catalogue: Option<PathBuf>,
    /// Folder to write atlas.csv, atlas-conflicts.csv, atlas.json, atlas.png and atlas.html into
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Canonical-name table [default: aliases.toml next to the catalogue, when there is one]
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,
    /// Only list names that look alike and are not merged in the alias table, then stop
    #[arg(long)]
    pub check_aliases: bool,
    /// Only claims of this cancer, and general ones, e.g. --cancer glioma
    #[arg(long, value_name = "CANCER")]
    pub cancer: Option<String>,
    /// Only claims from this model system or a stronger one (clinical > animal > in-vitro > review >
    /// title-only > inferred)
    #[arg(long, value_enum, value_name = "MODEL")]
    pub model: Option<ModelArg>,
    /// Only claims from this seed review (its file name, or the start of it, e.g. 001)
    #[arg(long, value_name = "FILE")]
    pub seed: Option<String>,
    /// Accepted samples per claim
    #[arg(short = 'n', long, value_name = "N", default_value_t = 2_000)]
    pub samples: u64,
    /// Random seed of the press runs
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub random_seed: u64,
    /// Largest part of the network a claim is tested on; larger ones are reported as too large
    #[arg(long, value_name = "N", default_value_t = 24)]
    pub max_nodes: usize,
    /// Worker threads [default: all cores]; results do not depend on it
    #[arg(short = 'j', long, value_name = "THREADS")]
    pub threads: Option<usize>,
    /// Do not draw atlas.png
    #[arg(long)]
    pub no_plots: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    /// A help text continued over source lines without a trailing `\\` keeps the indentation:
    /// as a run of spaces inside a sentence, or as an indented line that is not an example.
    #[test]
    fn help_texts_have_no_stray_indentation() {
        let mut pending = vec![Cli::command()];
        while let Some(command) = pending.pop() {
            let texts = [
                command.get_about(),
                command.get_long_about(),
                command.get_after_help(),
            ]
            .into_iter()
            .flatten()
            .map(|text| text.to_string())
            .chain(
                command
                    .get_arguments()
                    .filter_map(|arg| arg.get_help().map(|text| text.to_string())),
            );
            for line in texts.flat_map(|text| text.lines().map(str::to_owned).collect::<Vec<_>>()) {
                let example = line.trim_start().starts_with("claimsim ");
                let stray = if line.starts_with(' ') {
                    !example && !line.trim().is_empty()
                } else {
                    line.contains("   ")
                };
                assert!(
                    !stray,
                    "`{}` help: stray indentation in {line:?}",
                    command.get_name()
                );
            }
            pending.extend(command.get_subcommands().cloned());
        }
    }
}
