//! Just enough HTTP/1.1 for a local classroom server: one request per connection, read with
//! hard limits (header size, body size, time), and answered with `Connection: close`.
//! Anything outside these limits gets a clear 4xx instead of a buffer that grows.

use std::io::{BufRead, BufReader, Read, Write};
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
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            content_type,
            body: body.into(),
            headers: Vec::new(),
            length: None,
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

    /// Writes the response; a client that went away is not an error worth reporting.
    pub fn send(&self, stream: &mut impl Write) {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\
             X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.length.unwrap_or(self.body.len())
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let _ = stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(&self.body))
            .and_then(|()| stream.flush());
    }
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
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Reads one request within the limits; a request that breaks them gets the response to send.
pub fn read_request(stream: impl Read) -> Result<Request, Response> {
    let mut reader = BufReader::new(stream.take((MAX_HEAD_BYTES + MAX_BODY_BYTES + 1) as u64));
    let mut head_bytes = 0;
    let request_line = read_line(&mut reader, &mut head_bytes)?;
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
    loop {
        let line = read_line(&mut reader, &mut head_bytes)?;
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
        let request = read_request(&raw[..]).unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/api/run/a/b");
        assert_eq!(request.param("x"), Some("1"));
        assert_eq!(request.body, b"{}");
    }

    #[test]
    fn refuses_oversized_heads_and_bodies() {
        let big_head = format!(
            "GET / HTTP/1.1\r\nX: {}\r\n\r\n",
            "a".repeat(MAX_HEAD_BYTES)
        );
        assert_eq!(read_request(big_head.as_bytes()).unwrap_err().status, 431);
        let big_body = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY_BYTES + 1
        );
        assert_eq!(read_request(big_body.as_bytes()).unwrap_err().status, 413);
        let chunked = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(read_request(chunked.as_bytes()).unwrap_err().status, 411);
    }
}
