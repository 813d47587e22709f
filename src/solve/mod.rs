//! The solvers: each turns a validated scenario into per-node results under Monte Carlo
//! uncertainty. `lu` and `stability` are the dense kernels the press method is built on;
//! `dopri` and `hill` those of the ode method; `outcome` and `presence` are shared by ode and fcm.
//! Running a scenario's method and building its report is the pipeline's job.

pub mod blocks;
pub mod dopri;
pub mod fcm;
pub mod fixed;
pub mod hill;
pub mod lu;
pub mod ode;
pub mod outcome;
pub mod presence;
pub mod press;
mod sized;
pub mod stability;
