//! joind.in's output quirk: every scalar string PHP's `is_numeric` accepts becomes a JSON number, except under a
//! few keys; whole numbers print as integers.

use serde_json::{Number, Value};

const EXEMPT_KEYS: &[&str] = &["stub", "track_name", "comment", "username"];

/// PHP 8's `is_numeric` for strings: optional surrounding white space, a sign, digits with an optional point,
/// and an optional exponent.
pub fn is_numeric(s: &str) -> bool {
    let t = s.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}'));
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty()) && !mantissa.is_empty();
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

fn to_number(s: &str) -> Option<Value> {
    let value: f64 = s.trim().parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    if value.fract() == 0.0 && value.abs() < 9.007_199_254_740_992e15 {
        return Some(Value::Number(Number::from(value as i64)));
    }
    Number::from_f64(value).map(Value::Number)
}

pub fn coerce(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) if EXEMPT_KEYS.contains(&k.as_str()) => Value::String(s),
                        other => coerce(other),
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(coerce).collect()),
        Value::String(s) if is_numeric(&s) => to_number(&s).unwrap_or(Value::String(s)),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn php_is_numeric() {
        for yes in ["1", "007", "-3.5", ".5", "5.", "12e34", " 42 ", "+1E-2"] {
            assert!(is_numeric(yes), "{yes}");
        }
        for no in ["", ".", "e5", "0x1A", "1e", "abc", "1 2", "1.2.3", "12e3.4"] {
            assert!(!is_numeric(no), "{no}");
        }
    }

    #[test]
    fn coerces_except_exempt_keys() {
        let out = coerce(json!({"full_name": "1337", "username": "1337", "lat": "52.5", "n": ["07"], "name": "x"}));
        assert_eq!(out, json!({"full_name": 1337, "username": "1337", "lat": 52.5, "n": [7], "name": "x"}));
    }
}
