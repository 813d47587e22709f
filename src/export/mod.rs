//! Network exports: Graphviz DOT and Cytoscape SIF, chosen by the output file's extension.

pub mod dot;
pub mod sif;

use crate::error::Error;
use crate::scenario::Scenario;
use std::path::Path;

/// A text format the network can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkFormat {
    Dot,
    Sif,
}

impl NetworkFormat {
    /// The format for an output path, from its extension.
    pub fn from_path(path: &Path) -> Result<NetworkFormat, Error> {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "dot" | "gv" => Ok(NetworkFormat::Dot),
            "sif" => Ok(NetworkFormat::Sif),
            _ => Err(Error::Usage(format!(
                "cannot tell the graph format of '{}' from its extension\n   = help: name the output *.dot (Graphviz) or *.sif (Cytoscape), or *.png or *.svg for a drawing",
                path.display()
            ))),
        }
    }

    /// Writes the scenario's network in this format.
    pub fn render(self, scenario: &Scenario) -> String {
        match self {
            NetworkFormat::Dot => dot::to_dot(scenario),
            NetworkFormat::Sif => sif::to_sif(scenario),
        }
    }
}
