//! The few HTML pages the emulated websites show: sign-in and consent, errors, meeting links. Self-contained
//! (no external resources), escaped, and never framed.

use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};

pub use launcher_core::html::escape;

/// A complete page; the real authorization pages refuse to be framed, and so does this one.
pub fn page(title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem;color:#222}}\
         label{{display:block;margin:.6rem 0 .2rem}}input{{width:100%;padding:.4rem;box-sizing:border-box}}\
         button{{margin:1rem .5rem 0 0;padding:.5rem 1.2rem}}.error{{color:#b00020}}.hint{{color:#666;font-size:.9rem}}\
         </style></head><body><h1>{title}</h1>{body}<p class=\"hint\">Meeting Launcher sandbox: an emulator, \
         not the real service.</p></body></html>",
        title = escape(title)
    );
    let mut response = Html(html).into_response();
    let headers = response.headers_mut();
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// What a sign-in and consent page needs to know.
pub struct Consent<'a> {
    pub title: &'a str,
    /// Where the form posts.
    pub action: &'a str,
    pub app_name: &'a str,
    /// What the app asks for, one line each.
    pub asks: Vec<String>,
    /// Hidden fields that carry the original request.
    pub hidden: Vec<(&'a str, String)>,
    pub login_label: &'a str,
    pub login_hint: &'a str,
    pub error: Option<&'a str>,
}

pub fn consent(c: &Consent<'_>) -> Response {
    let mut body = String::new();
    body.push_str(&format!("<p><strong>{}</strong> would like to:</p><ul>", escape(c.app_name)));
    for ask in &c.asks {
        body.push_str(&format!("<li>{}</li>", escape(ask)));
    }
    body.push_str("</ul>");
    if let Some(error) = c.error {
        body.push_str(&format!("<p class=\"error\" role=\"alert\">{}</p>", escape(error)));
    }
    body.push_str(&format!("<form method=\"post\" action=\"{}\">", escape(c.action)));
    for (name, value) in &c.hidden {
        body.push_str(&format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", escape(name), escape(value)));
    }
    body.push_str(&format!(
        "<label for=\"login\">{}</label><input id=\"login\" name=\"login\" autocomplete=\"username\" value=\"{}\">\
         <label for=\"password\">Password</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\">\
         <button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>\
         <button type=\"submit\" name=\"decision\" value=\"deny\" formnovalidate>Deny</button></form>",
        escape(c.login_label),
        escape(c.login_hint)
    ));
    page(c.title, &body)
}
