//! The one e-mail address check: good enough to catch typos in a form, and the same in the app and the sandbox.

pub fn is_valid(email: &str) -> bool {
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || matches!(c, ',' | '<' | '>' | ';'))
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses() {
        assert!(super::is_valid("a.b@example.com"));
        for bad in ["", "a", "a@b", "@x.com", "a@.com", "a@x.", "a b@x.com", "a@x.com,b@y.com"] {
            assert!(!super::is_valid(bad), "{bad}");
        }
    }
}
