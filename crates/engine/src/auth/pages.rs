//! The pages the loopback listener shows in the browser tab. They tell the truth (success only once the app has
//! really signed in), escape everything they echo, and load nothing from elsewhere.

use axum::http::StatusCode;

use launcher_core::html::escape;

/// A page for the browser tab.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: StatusCode,
    pub html: String,
}

fn page(status: StatusCode, title: &str, body: &str) -> Page {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} - Meeting Launcher</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#222}}\
         @media (prefers-color-scheme: dark){{body{{background:#1e1e1e;color:#ddd}}}}</style></head>\
         <body><h1>{t}</h1>{body}</body></html>",
        t = escape(title)
    );
    Page { status, html }
}

pub fn success(provider: &str, who: &str) -> Page {
    page(
        StatusCode::OK,
        "Signed in",
        &format!(
            "<p>Meeting Launcher is signed in to {} as <strong>{}</strong>.</p><p>You can close this tab.</p>",
            escape(provider),
            escape(who)
        ),
    )
}

pub fn failure(provider: &str, message: &str) -> Page {
    page(
        StatusCode::BAD_REQUEST,
        "Sign-in failed",
        &format!(
            "<p>Meeting Launcher could not sign in to {}.</p><p>{}</p><p>Return to the app to try again.</p>",
            escape(provider),
            escape(message)
        ),
    )
}

/// The service said no: its `error`, `error_description` and `error_uri`, shown as text, never as markup.
pub fn provider_error(provider: &str, error: &str, description: Option<&str>, uri: Option<&str>) -> Page {
    let mut body = format!("<p>{} answered: <code>{}</code></p>", escape(provider), escape(error));
    if let Some(d) = description.filter(|d| !d.is_empty()) {
        body.push_str(&format!("<p>{}</p>", escape(d)));
    }
    if let Some(u) = uri.filter(|u| !u.is_empty()) {
        body.push_str(&format!("<p>More: {}</p>", escape(u)));
    }
    body.push_str("<p>Return to Meeting Launcher to try again.</p>");
    page(StatusCode::BAD_REQUEST, "Sign-in did not complete", &body)
}

pub fn state_mismatch() -> Page {
    page(
        StatusCode::BAD_REQUEST,
        "This answer does not match",
        "<p>This sign-in answer does not belong to the sign-in Meeting Launcher is waiting for. It may be an old \
         link, or someone may be trying to sign you in to their account.</p><p>Nothing was changed. Start the \
         sign-in again from the app.</p>",
    )
}

pub fn no_longer_waiting() -> Page {
    page(
        StatusCode::GONE,
        "Not waiting for a sign-in",
        "<p>Meeting Launcher is not waiting for this sign-in any more. Start again from the app.</p>",
    )
}

/// Reads the URL fragment (which never reaches a server) and posts it back to the listener.
pub fn fragment_relay(path: &str) -> Page {
    let path = escape(path);
    page(
        StatusCode::OK,
        "Finishing sign-in…",
        &format!(
            "<form id=\"relay\" method=\"post\" action=\"{path}\"><input type=\"hidden\" name=\"fragment\" \
             id=\"fragment\"><noscript><p>Turn on JavaScript for this page, or copy this page's full address \
             into Meeting Launcher.</p></noscript></form><script>document.getElementById('fragment').value=\
             location.hash.slice(1);history.replaceState(null,'',location.pathname);\
             document.getElementById('relay').submit();</script>"
        ),
    )
}
