//! `claimsim serve`: load the scenarios, bind, print the address, and serve until stopped.

use crate::cli::ServeArgs;
use claimsim::error::Error;
use claimsim::scenario::catalogue::CatalogueFinder;
use claimsim::serve::shelf::Shelf;
use claimsim::serve::{Limits, Server};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

pub fn run(args: &ServeArgs) -> Result<ExitCode, Error> {
    let limits = limits(args)?;
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let shelf = Shelf::load(&args.dir, &claims)?;
    for problem in &shelf.skipped {
        eprintln!("warning: left out of the page:\n{problem}\n");
    }
    let count = shelf.len();
    let server = Server::bind(shelf, &args.host, args.port, limits)?;
    let address = server.address()?;
    if !address.ip().is_loopback() {
        eprintln!(
            "warning: listening on {} — anyone who can reach this machine on port {} can open the page and run the scenarios (it reads them and writes nothing)\n",
            address.ip(),
            address.port()
        );
    }
    let shown = if address.ip().is_unspecified() {
        format!("http://127.0.0.1:{}/", address.port())
    } else {
        format!("http://{address}/")
    };
    // Printed and flushed before serving, so a script (or test) can read the address.
    let mut stdout = std::io::stdout();
    let _ = writeln!(
        stdout,
        "claimsim serve: {count} scenarios from {} at {shown}  (Ctrl-C stops it)",
        args.dir.display()
    );
    let _ = stdout.flush();
    server.run();
    Ok(ExitCode::SUCCESS)
}

fn limits(args: &ServeArgs) -> Result<Limits, Error> {
    let usage = |text: &str| Err(Error::usage(text, "see claimsim serve --help"));
    if args.max_samples == 0 {
        return usage("--max-samples must be at least 1");
    }
    if args.workers == 0 {
        return usage("--workers must be at least 1");
    }
    if !(args.time_limit.is_finite() && args.time_limit > 0.0) {
        return usage("--time-limit must be a positive number of seconds, e.g. 20");
    }
    Ok(Limits {
        max_samples: args.max_samples,
        time_cap: Duration::from_secs_f64(args.time_limit),
        workers: args.workers,
        ..Limits::default()
    })
}
