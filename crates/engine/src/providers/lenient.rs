//! Tolerant reading of what the services send: numbers as strings and strings as numbers, durations in either
//! form, dates with or without a zone.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A JSON string, or a number printed as one (joind.in turns numeric-looking strings into numbers).
pub fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Seconds given as a number or a numeric string (MeetingBooster's `"expires_in": "1200"`).
pub fn seconds(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse::<f64>().ok().map(|f| f as i64),
        _ => None,
    }
}

/// A boolean written as `true` or `"true"`.
pub fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// ISO-8601 with `Z`, with an offset, or with neither (then UTC); or Unix seconds as a number or string.
pub fn datetime(value: &Value) -> Option<DateTime<Utc>> {
    match value {
        Value::Number(n) => n.as_i64().and_then(|s| DateTime::from_timestamp(s, 0)),
        Value::String(s) => {
            if let Ok(secs) = s.trim().parse::<i64>() {
                return DateTime::from_timestamp(secs, 0);
            }
            launcher_core::timefmt::parse_datetime(s)
        }
        _ => None,
    }
}

/// Serde adapter for a string field that may arrive as a number.
pub fn de_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let value = Value::deserialize(d)?;
    text(&value).ok_or_else(|| serde::de::Error::custom("expected a string or a number"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tolerant_scalars() {
        assert_eq!(seconds(&json!("1200")), Some(1200));
        assert_eq!(seconds(&json!(60)), Some(60));
        assert_eq!(seconds(&json!("soon")), None);
        assert_eq!(text(&json!(1337)), Some("1337".into()));
        assert_eq!(boolean(&json!("true")), Some(true));
        let t = datetime(&json!("2015-06-02T09:00:00")).unwrap();
        assert_eq!(datetime(&json!("2015-06-02T11:00:00+02:00")), Some(t));
        assert_eq!(datetime(&json!(t.timestamp())), Some(t));
        assert_eq!(datetime(&json!(t.timestamp().to_string())), Some(t));
    }
}
