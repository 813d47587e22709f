//! Writing run results: a text table for people, JSON and CSV for scripts (the output contract
//! of scenario-format-v1.md). Each format is a pure function from reports to text.

pub mod atlas;
pub mod batch;
pub mod csv;
pub mod explain;
pub mod html;
pub mod json;
pub mod numbers;
pub mod sweep;
pub mod sweep_html;
pub mod text;
pub mod words;
