//! Just enough HTTP/1.1 for a local classroom server: requests read with hard limits (header
//! size, body size, time), persistent connections (bounded by the caller: see `serve`), and
//! chunked answers for a run that streams its progress. Anything outside these limits gets a
//! clear 4xx instead of a buffer that grows.

use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Longest request line plus headers accepted.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Largest request body accepted (a what-if is a few hundred bytes).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// How long a client may take to send its request: a slow or silent client cannot hold a
/// worker for longer.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// A parsed request.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// The path, percent-decoded, without the query.
    pub path: String,
    /// Query parameters, percent-decoded, in order.
    pub query: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The client wants the connection kept open (HTTP/1.1 unless `Connection: close`;
    /// HTTP/1.0 only with `Connection: keep-alive`).
    pub keep_alive: bool,
}

impl Request {
    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A response to send.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Extra headers (name, value).
    pub headers: Vec<(&'static str, String)>,
    /// Content-Length when it is not the body's (a HEAD answer).
    length: Option<usize>,
    /// Already written to the client piece by piece ([`Chunks`]); nothing more to send.
    streamed: bool,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            content_type,
            body: body.into(),
            headers: Vec::new(),
            length: None,
            streamed: false,
        }
    }

    /// Stands for an answer already streamed to the client.
    pub fn streamed() -> Self {
        Response {
            streamed: true,
            ..Response::new(200, "application/x-ndjson", Vec::new())
        }
    }

    /// A JSON body.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Response::new(status, "application/json; charset=utf-8", body)
    }

    /// An error as `{"error": message}`; the message says what to change.
    pub fn error(status: u16, message: &str) -> Self {
        let body = serde_json::json!({ "error": message }).to_string();
        let response = Response::json(status, body);
        if status == 503 {
            response.with_header("Retry-After", "1".to_string())
        } else {
            response
        }
    }

    pub fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The response to a HEAD request: the headers of the GET, with its length, and no body.
    pub fn head_only(self) -> Self {
        let length = self.body.len();
        Response {
            body: Vec::new(),
            ..self
        }
        .with_length(length)
    }

    fn with_length(mut self, length: usize) -> Self {
        self.length = Some(length);
        self
    }

    /// Writes the response, saying whether the connection stays open; a client that went away
    /// is not an error worth reporting.
    pub fn send(&self, stream: &mut impl Write, keep_alive: bool) {
        if self.streamed {
            return;
        }
        let length = format!("Content-Length: {}", self.length.unwrap_or(self.body.len()));
        let head = self.head(&length, keep_alive);
        let _ = stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(&self.body))
            .and_then(|()| stream.flush());
    }

    /// The status line and headers, with `framing` (the length or the transfer coding).
    fn head(&self, framing: &str, keep_alive: bool) -> String {
        let connection = if keep_alive {
            format!(
                "keep-alive\r\nKeep-Alive: timeout={}",
                IDLE_TIMEOUT.as_secs()
            )
        } else {
            "close".to_string()
        };
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\n{framing}\r\nConnection: {connection}\r\n\
             X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n",
            self.status,
            reason(self.status),
            self.content_type,
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        head
    }
}

/// How long a kept-open connection may sit idle before the server closes it. The server
/// closes it sooner when other connections are waiting for a worker (see `serve`).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(5);

/// A response written in pieces as they are ready (chunked transfer coding): a run's progress
/// lines, then its result. A write that fails means the client has gone.
pub struct Chunks<'a> {
    stream: &'a TcpStream,
}

impl<'a> Chunks<'a> {
    /// Sends the head of a 200 answer of `content_type` whose body follows in chunks.
    pub fn begin(
        stream: &'a TcpStream,
        content_type: &'static str,
        keep_alive: bool,
    ) -> std::io::Result<Self> {
        let head = Response::new(200, content_type, Vec::new())
            .head("Transfer-Encoding: chunked", keep_alive);
        (&mut &*stream).write_all(head.as_bytes())?;
        Ok(Chunks { stream })
    }

    /// Sends one piece at once.
    pub fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if bytes.is_empty() {
            return Ok(()); // an empty chunk would end the body
        }
        let out = &mut &*self.stream;
        write!(out, "{:x}\r\n", bytes.len())?;
        out.write_all(bytes)?;
        out.write_all(b"\r\n")?;
        out.flush()
    }

    /// Ends the body.
    pub fn finish(self) -> std::io::Result<()> {
        (&mut &*self.stream).write_all(b"0\r\n\r\n")
    }
}

/// True when the client has closed its end of the connection: nobody will read an answer.
/// Looks without waiting and without taking anything the client sent.
pub fn client_gone(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let gone = match stream.peek(&mut [0u8; 1]) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    let _ = stream.set_nonblocking(false);
    gone
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        499 => "Client Closed Request",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Reads one request within the limits; a request that breaks them gets the response to send.
/// Reads nothing past the request's body, so the next request on the connection stays whole.
pub fn read_request(reader: &mut impl BufRead) -> Result<Request, Response> {
    let mut head_bytes = 0;
    let request_line = read_line(reader, &mut head_bytes)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Response::error(400, "malformed request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(Response::error(400, "only HTTP/1.x is spoken here"));
    }
    let mut content_length = 0;
    let mut keep_alive = version == "HTTP/1.1";
    loop {
        let line = read_line(reader, &mut head_bytes)?;
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(Response::error(400, "malformed header line"));
        };
        let name = name.trim().to_ascii_lowercase();
        if name == "transfer-encoding" {
            return Err(Response::error(
                411,
                "chunked bodies are not accepted: send a Content-Length",
            ));
        }
        if name == "connection" {
            let value = value.trim().to_ascii_lowercase();
            keep_alive = match value.as_str() {
                "close" => false,
                "keep-alive" => true,
                _ => keep_alive,
            };
        }
        if name == "content-length" {
            content_length = value
                .trim()
                .parse()
                .map_err(|_| Response::error(400, "Content-Length is not a number"))?;
        }
    }
    if content_length > MAX_BODY_BYTES {
        return Err(Response::error(
            413,
            &format!("the body is larger than {MAX_BODY_BYTES} bytes; a what-if needs far less"),
        ));
    }
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body).map_err(read_failure)?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Request {
        method: method.to_string(),
        path: percent_decode(path).ok_or_else(bad_encoding)?,
        query: parse_query(query).ok_or_else(bad_encoding)?,
        body,
        keep_alive,
    })
}

fn bad_encoding() -> Response {
    Response::error(400, "the address is not valid percent-encoded UTF-8")
}

fn read_failure(error: std::io::Error) -> Response {
    match error.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
            Response::error(408, "the request took too long to arrive")
        }
        _ => Response::error(400, "the request ended early"),
    }
}

/// One header line without its line ending, counting towards the head limit.
fn read_line(reader: &mut impl BufRead, used: &mut usize) -> Result<String, Response> {
    let mut line = Vec::new();
    let limit = (MAX_HEAD_BYTES - *used) as u64 + 1;
    reader
        .take(limit)
        .read_until(b'\n', &mut line)
        .map_err(read_failure)?;
    *used += line.len();
    if *used > MAX_HEAD_BYTES {
        return Err(Response::error(
            431,
            &format!("the request head is larger than {MAX_HEAD_BYTES} bytes"),
        ));
    }
    if !line.ends_with(b"\n") {
        return Err(Response::error(400, "the request ended early"));
    }
    let text =
        String::from_utf8(line).map_err(|_| Response::error(400, "headers must be UTF-8"))?;
    Ok(text.trim_end_matches(['\r', '\n']).to_string())
}

fn parse_query(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(key)?, percent_decode(value)?))
        })
        .collect()
}

/// Decodes `%XX` escapes and `+` (a space in queries); `None` for a bad escape or bad UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_and_rejects_bad_ones() {
        assert_eq!(percent_decode("HIF-1%CE%B1+x").as_deref(), Some("HIF-1α x"));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%4"), None);
    }

    #[test]
    fn reads_a_post_with_its_body() {
        let raw = b"POST /api/run/a/b?x=1 HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}";
        let request = read_request(&mut &raw[..]).unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/api/run/a/b");
        assert_eq!(request.param("x"), Some("1"));
        assert_eq!(request.body, b"{}");
        assert!(
            request.keep_alive,
            "HTTP/1.1 keeps the connection by default"
        );
    }

    #[test]
    fn refuses_oversized_heads_and_bodies() {
        let big_head = format!(
            "GET / HTTP/1.1\r\nX: {}\r\n\r\n",
            "a".repeat(MAX_HEAD_BYTES)
        );
        assert_eq!(
            read_request(&mut big_head.as_bytes()).unwrap_err().status,
            431
        );
        let big_body = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY_BYTES + 1
        );
        assert_eq!(
            read_request(&mut big_body.as_bytes()).unwrap_err().status,
            413
        );
        let chunked = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(
            read_request(&mut chunked.as_bytes()).unwrap_err().status,
            411
        );
    }

    #[test]
    fn reads_requests_one_after_another_on_one_connection() {
        let raw = b"GET /a HTTP/1.1\r\nConnection: close\r\n\r\nGET /b HTTP/1.0\r\n\r\n";
        let mut reader = &raw[..];
        let first = read_request(&mut reader).unwrap();
        assert_eq!((first.path.as_str(), first.keep_alive), ("/a", false));
        let second = read_request(&mut reader).unwrap();
        assert_eq!((second.path.as_str(), second.keep_alive), ("/b", false));
        let raw = b"GET /c HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n";
        assert!(read_request(&mut &raw[..]).unwrap().keep_alive);
    }
}
