//! The what-if page: plain HTML, CSS and JavaScript compiled into the binary (no build step, no
//! CDN, works offline), served with a Content-Security-Policy that allows only these files.

use super::http::Response;

const INDEX: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/app.css");

/// Scripts and styles from this server only; no inline script, no other origin, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; \
    form-action 'none'; frame-ancestors 'none'";

/// The page's files by path; `None` for any other path.
pub fn asset(path: &str) -> Option<Response> {
    let (content_type, body) = match path {
        "/" | "/index.html" => ("text/html; charset=utf-8", INDEX),
        "/app.js" => ("text/javascript; charset=utf-8", SCRIPT),
        "/app.css" => ("text/css; charset=utf-8", STYLE),
        _ => return None,
    };
    Some(
        Response::new(200, content_type, body)
            .with_header(
                "Content-Security-Policy",
                CONTENT_SECURITY_POLICY.to_string(),
            )
            .with_header("Referrer-Policy", "no-referrer".to_string()),
    )
}
