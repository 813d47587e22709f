//! `claimsim serve`: a small local web server for the what-if page (docs/serve.md).
//!
//! Built on `std::net` with a fixed pool of worker threads, no async runtime: a classroom
//! server answers a few dozen students, and each answer is a press run of milliseconds. The
//! safety rules live here: only scenarios found at start-up ([`shelf`]), bounded requests
//! ([`http`]), a cap on samples and on run time, a bounded queue that answers "busy, retry"
//! (503) when full, and 127.0.0.1 unless the caller asks for more.
//!
//! A connection is kept open for the client's next request, but it holds a worker while it
//! does, so it is bounded: at most [`MAX_REQUESTS_PER_CONNECTION`] requests, closed after
//! [`http::IDLE_TIMEOUT`] idle, and closed at once (within [`IDLE_POLL`]) when another
//! connection is waiting for a worker, so idle connections never keep new ones out.

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
use std::io::{BufReader, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Most requests one kept-open connection may make before the server closes it.
pub const MAX_REQUESTS_PER_CONNECTION: usize = 100;
/// How often an idle kept-open connection looks for its next request or for waiting ones.
pub const IDLE_POLL: Duration = Duration::from_millis(50);

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
        let queue = Arc::new(Queue {
            receiver: Mutex::new(receiver),
            waiting: AtomicUsize::new(0),
        });
        for _ in 0..limits.workers.max(1) {
            let queue = Arc::clone(&queue);
            let app = Arc::clone(&self.app);
            std::thread::spawn(move || work(&app, &queue));
        }
        for stream in self.listener.incoming() {
            // A failed accept (the client gave up, too many open files) concerns one
            // connection; the server goes on.
            let Ok(stream) = stream else { continue };
            queue.waiting.fetch_add(1, Ordering::SeqCst);
            if let Err(TrySendError::Full(stream)) = sender.try_send(stream) {
                queue.waiting.fetch_sub(1, Ordering::SeqCst);
                refuse_busy(stream);
            }
        }
    }
}

/// Connections accepted and not yet taken by a worker.
struct Queue {
    receiver: Mutex<Receiver<TcpStream>>,
    waiting: AtomicUsize,
}

impl Queue {
    fn someone_waits(&self) -> bool {
        self.waiting.load(Ordering::SeqCst) > 0
    }
}

/// A worker: takes connections from the queue and answers each.
fn work(app: &Arc<App>, queue: &Queue) {
    loop {
        let next = match queue.receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(stream) = next else { return };
        queue.waiting.fetch_sub(1, Ordering::SeqCst);
        serve_connection(app, queue, &stream);
        let _ = stream.shutdown(std::net::Shutdown::Write);
    }
}

/// Answers the requests of one connection, keeping it open within the bounds above.
fn serve_connection(app: &Arc<App>, queue: &Queue, stream: &TcpStream) {
    let _ = stream.set_write_timeout(Some(http::READ_TIMEOUT));
    let mut reader = BufReader::new(stream);
    for answered in 0..MAX_REQUESTS_PER_CONNECTION {
        if answered > 0 && !next_request_comes(&reader, queue) {
            return;
        }
        let _ = stream.set_read_timeout(Some(http::READ_TIMEOUT));
        let request = http::read_request(&mut reader);
        let keep_alive = request.as_ref().is_ok_and(|r| r.keep_alive)
            && answered + 1 < MAX_REQUESTS_PER_CONNECTION
            && !queue.someone_waits();
        let response = match request {
            Ok(request) => {
                let response = api::respond(app, &request, &api::Client { stream, keep_alive });
                if request.method == "HEAD" {
                    response.head_only()
                } else {
                    response
                }
            }
            Err(response) => response,
        };
        response.send(&mut &*stream, keep_alive);
        if !keep_alive {
            return;
        }
    }
}

/// Waits, at most [`http::IDLE_TIMEOUT`], for the next request on a kept-open connection;
/// false when the client closes it, the time is up, or another connection waits for a worker.
fn next_request_comes(reader: &BufReader<&TcpStream>, queue: &Queue) -> bool {
    if !reader.buffer().is_empty() {
        return true;
    }
    let stream = *reader.get_ref();
    let _ = stream.set_read_timeout(Some(IDLE_POLL));
    let deadline = Instant::now() + http::IDLE_TIMEOUT;
    while Instant::now() < deadline && !queue.someone_waits() {
        match stream.peek(&mut [0u8; 1]) {
            Ok(n) => return n > 0,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return false,
        }
    }
    false
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
    .send(&mut stream, false);
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
