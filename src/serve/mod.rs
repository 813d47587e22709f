//! `claimsim serve`: a small local web server for the what-if page (docs/serve.md).
//!
//! Built on `std::net` with a fixed pool of worker threads, no async runtime: a classroom
//! server answers a few dozen students, and each answer is a press run of milliseconds. The
//! safety rules live here: only scenarios found at start-up ([`shelf`]), bounded requests
//! ([`http`]), a cap on samples and on run time, a bounded queue that answers "busy, retry"
//! (503) when full, and 127.0.0.1 unless the caller asks for more.

pub mod api;
pub mod describe;
pub mod download;
pub mod http;
pub mod page;
pub mod shelf;

use crate::error::Error;
use api::App;
use http::Response;
use shelf::Shelf;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What one server allows; the server chooses these, not its clients.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Most accepted samples a request may ask for (and the default's ceiling).
    pub max_samples: u64,
    /// Longest a request waits for its run before answering 503.
    pub time_cap: Duration,
    /// Requests handled at once; each may run one simulation.
    pub workers: usize,
    /// Connections waiting for a worker; beyond this they are answered 503 at once.
    pub queue: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_samples: 5_000,
            time_cap: Duration::from_secs(20),
            workers: 4,
            queue: 64,
        }
    }
}

/// Counts simulations in progress, including those whose request gave up at the time cap.
pub struct Slots {
    taken: Arc<AtomicUsize>,
    max: usize,
}

/// A held slot, given back when dropped.
pub struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Slots {
    pub fn new(max: usize) -> Self {
        Slots {
            taken: Arc::new(AtomicUsize::new(0)),
            max,
        }
    }

    /// A slot, or `None` when all are taken.
    pub fn try_take(&self) -> Option<Slot> {
        self.taken
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < self.max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(Arc::clone(&self.taken)))
    }
}

/// A bound, not yet running, server.
pub struct Server {
    listener: TcpListener,
    app: Arc<App>,
}

impl Server {
    /// Listens on `host:port` (port 0: a free one) for the scenarios on `shelf`.
    pub fn bind(shelf: Shelf, host: &str, port: u16, limits: Limits) -> Result<Server, Error> {
        let address = format!("{host}:{port}");
        let listener = TcpListener::bind(&address).map_err(|e| {
            Error::usage(
                format!("could not listen on {address}: {e}"),
                "choose another --port, or --port 0 for a free one",
            )
        })?;
        let slots = Slots::new(limits.workers.max(1));
        Ok(Server {
            listener,
            app: Arc::new(App {
                shelf,
                limits,
                slots,
            }),
        })
    }

    /// The address actually bound (with the real port when 0 was asked for).
    pub fn address(&self) -> Result<SocketAddr, Error> {
        self.listener.local_addr().map_err(|e| {
            Error::run_failed(
                format!("the server has no address: {e}"),
                "start the server again",
            )
        })
    }

    /// Serves until the process ends.
    pub fn run(self) {
        let limits = &self.app.limits;
        let (sender, receiver) = sync_channel::<TcpStream>(limits.queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for _ in 0..limits.workers.max(1) {
            let receiver = Arc::clone(&receiver);
            let app = Arc::clone(&self.app);
            std::thread::spawn(move || work(&app, &receiver));
        }
        for stream in self.listener.incoming() {
            // A failed accept (the client gave up, too many open files) concerns one
            // connection; the server goes on.
            let Ok(stream) = stream else { continue };
            if let Err(TrySendError::Full(stream)) = sender.try_send(stream) {
                refuse_busy(stream);
            }
        }
    }
}

/// A worker: takes connections from the queue and answers each.
fn work(app: &Arc<App>, queue: &Mutex<Receiver<TcpStream>>) {
    loop {
        let next = match queue.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(stream) = next else { return };
        answer(app, stream);
    }
}

fn answer(app: &Arc<App>, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(http::READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(http::READ_TIMEOUT));
    let response = match http::read_request(&stream) {
        Ok(request) => {
            let response = api::respond(app, &request);
            if request.method == "HEAD" {
                response.head_only()
            } else {
                response
            }
        }
        Err(response) => response,
    };
    response.send(&mut stream);
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

/// Answers a connection the queue has no room for. The request is read briefly first, so the
/// client sees the answer rather than a reset connection.
fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let mut scratch = [0u8; 4096];
    let _ = stream.read(&mut scratch);
    Response::error(
        503,
        "busy: too many requests are waiting; retry in a moment",
    )
    .send(&mut stream);
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_run_out_and_come_back() {
        let slots = Slots::new(2);
        let first = slots.try_take().expect("a free slot");
        let _second = slots.try_take().expect("a second slot");
        assert!(slots.try_take().is_none(), "a third run must be refused");
        drop(first);
        assert!(slots.try_take().is_some(), "a finished run frees its slot");
    }
}
