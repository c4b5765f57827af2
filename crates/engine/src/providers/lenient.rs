//! Tolerant reading of what the services send: numbers as strings and strings as numbers, durations in either
//! form, dates with or without a zone, keys in any casing, lists that are null or missing, items that cannot be
//! read. The services' objects are `#[derive(Deserialize)]` structs whose fields name the `de_*` adapters below;
//! [`parse`] reads a body into one and says which field did not fit.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use serde::{Deserialize, Serializer};
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
    sane(match value {
        Value::Number(n) => n.as_i64().and_then(|s| DateTime::from_timestamp(s, 0)),
        Value::String(s) => {
            if let Ok(secs) = s.trim().parse::<i64>() {
                return DateTime::from_timestamp(secs, 0);
            }
            launcher_core::timefmt::parse_datetime(s)
        }
        _ => None,
    })
}

/// Dates from 1970 to the end of 9999 only: chrono reads years up to 262143, and a date near that edge makes
/// "ten minutes after the start" overflow. Such a date is as unreadable as garbage.
fn sane(date: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    use chrono::Datelike;
    date.filter(|d| (1970..=9999).contains(&d.year()))
}

// ---------------------------------------------------------------------------------------------------------------
// Field adapters, for `#[serde(deserialize_with = "…")]`. Those of optional fields never fail (pair them with
// `default`); those of required fields fail with what they expected and what kind of value came, never the value.

/// What kind of value came, for an error message: never the value itself (bodies can echo tokens).
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn expected<E: de::Error>(what: &str, value: &Value) -> E {
    E::custom(format_args!("expected {what}, found {}", kind(value)))
}

/// [`text`], taking the string rather than copying it (it may be a token, wiped where it ends up).
fn into_text(value: Value) -> Result<String, Value> {
    match value {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(other),
    }
}

/// A required string that may arrive as a number.
pub fn de_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    into_text(Value::deserialize(d)?).map_err(|value| expected("a string or a number", &value))
}

/// An optional string: a number is printed, anything else (null, a boolean, an object) is `None`.
pub fn de_opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(into_text(Value::deserialize(d)?).ok())
}

/// [`de_opt_text`], with an empty string taken as absent.
pub fn de_opt_nonempty_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(de_opt_text(d)?.filter(|s| !s.is_empty()))
}

/// A string shown as is, empty when it is not text.
pub fn de_text_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(de_opt_text(d)?.unwrap_or_default())
}

/// A list of strings (numbers printed); `None` when it is no list, and items that are not text are left out.
pub fn de_opt_texts<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    Ok(Value::deserialize(d)?.as_array().map(|items| items.iter().filter_map(text).collect()))
}

/// A required id: a non-negative integer, as a number or a numeric string.
pub fn de_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let value = Value::deserialize(d)?;
    text(&value).and_then(|t| t.parse().ok()).ok_or_else(|| expected("a non-negative integer", &value))
}

/// An optional non-negative integer, as a number or a numeric string; `None` when it is neither.
pub fn de_opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(de_opt_text(d)?.and_then(|t| t.parse().ok()))
}

/// A count or a duration as a number or a numeric string (fractions cut off); 0 when it is neither.
pub fn de_int_or_zero<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(de_opt_seconds(d)?.unwrap_or(0))
}

/// Seconds as a number or a numeric string (`"expires_in": "1200"`); `None` when it is neither.
pub fn de_opt_seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(seconds(&Value::deserialize(d)?))
}

/// A flag written `true` or `"true"` (any case); anything else is `false`.
pub fn de_bool_or_false<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(boolean(&Value::deserialize(d)?).unwrap_or(false))
}

/// A required date-time, in any form [`datetime`] reads.
pub fn de_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let value = Value::deserialize(d)?;
    datetime(&value).ok_or_else(|| expected("an ISO-8601 date-time or Unix seconds", &value))
}

/// An optional date-time; one that cannot be read is `None`.
pub fn de_opt_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    Ok(datetime(&Value::deserialize(d)?))
}

/// A value that is `None` when it cannot be read as a `T`, rather than an error.
///
/// Only for the deserializers [`parse`] uses, which hold the whole value: a streaming one would be left in the
/// middle of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Lossy<T>(pub Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lossy<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Lossy(T::deserialize(d).ok()))
    }
}

/// A list whose items that cannot be read are left out; `None` when it is no list (null, missing, or another
/// kind of value).
pub fn de_opt_vec_lossy<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let Lossy(items) = Lossy::<Vec<Lossy<T>>>::deserialize(d)?;
    Ok(items.map(|items| items.into_iter().filter_map(|Lossy(item)| item).collect()))
}

/// [`de_opt_vec_lossy`], with no list read as an empty one.
pub fn de_vec_lossy<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(de_opt_vec_lossy(d)?.unwrap_or_default())
}

/// The one form dates are sent in: ISO-8601 UTC with `Z`, whole seconds.
pub fn ser_iso<S: Serializer>(time: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&launcher_core::timefmt::iso(*time))
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a body.

/// Reads a JSON body as a `T`. Besides what the field adapters tolerate:
///
/// - keys match a struct's fields in any casing (MeetingBooster's Json.NET reads them so; for the others it costs
///   nothing), and a later key that differs from an earlier one only in casing is ignored;
/// - where an object is due, any other value reads as an empty object, as the hand-written lookups that came
///   before read nothing in it: a struct whose fields all have defaults gets them, and one with required fields
///   says which is missing;
/// - unknown fields are ignored.
///
/// The error names the path of the value that did not fit (`meetingStart: expected …`, `Invitations[1]: missing
/// field …`), never quoting a value.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let value: Value = serde_json::from_slice(body).map_err(|_| "the body is not JSON".to_string())?;
    let path = RefCell::new(Vec::new());
    T::deserialize(Reader { value, path: &path, depth: 0 }).map_err(|Error(message)| {
        let mut at = String::new();
        for segment in path.borrow().iter() {
            if !at.is_empty() && !segment.starts_with('[') {
                at.push('.');
            }
            at.push_str(segment);
        }
        if at.is_empty() { message } else { format!("{at}: {message}") }
    })
}

/// Why a body did not fit: a message that says what was expected and what kind of value came.
#[derive(Debug)]
struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }

    // serde's own messages quote the value; these say only its kind.
    fn invalid_type(unexpected: de::Unexpected, expected: &dyn de::Expected) -> Self {
        Error(format!("expected {expected}, found {}", unexpected_kind(&unexpected)))
    }

    fn invalid_value(unexpected: de::Unexpected, expected: &dyn de::Expected) -> Self {
        Self::invalid_type(unexpected, expected)
    }

    fn unknown_variant(_variant: &str, expected: &'static [&'static str]) -> Self {
        Error(format!("expected one of {}", expected.join(", ")))
    }
}

fn unexpected_kind(unexpected: &de::Unexpected) -> &'static str {
    use de::Unexpected::*;
    match unexpected {
        Bool(_) => "a boolean",
        Unsigned(_) | Signed(_) | Float(_) => "a number",
        Char(_) | Str(_) => "a string",
        Bytes(_) => "a byte string",
        Unit => "null",
        Seq => "an array",
        Map => "an object",
        _ => "another kind of value",
    }
}

/// A JSON value being read (see [`parse`]), with the path from the body's root to it: each object or array being
/// read truncates the path to its own depth and pushes the key or index it hands out, so when an error comes back
/// up, the path ends at the value that failed.
struct Reader<'p> {
    value: Value,
    path: &'p RefCell<Vec<String>>,
    depth: usize,
}

fn step(path: &RefCell<Vec<String>>, depth: usize, segment: Option<String>) {
    let mut path = path.borrow_mut();
    path.truncate(depth);
    path.extend(segment);
}

fn items<'p>(items: Vec<Value>, path: &'p RefCell<Vec<String>>, depth: usize) -> impl Iterator<Item = Reader<'p>> {
    let mut items = items.into_iter().enumerate();
    std::iter::from_fn(move || {
        let next = items.next();
        step(path, depth, next.as_ref().map(|(i, _)| format!("[{i}]")));
        next.map(|(_, value)| Reader { value, path, depth: depth.saturating_add(1) })
    })
}

/// An object's entries, keys renamed to the `fields` they match in any casing; a later key that names the same
/// field again is skipped.
fn entries<'p>(
    map: serde_json::Map<String, Value>,
    fields: &'static [&'static str],
    path: &'p RefCell<Vec<String>>,
    depth: usize,
) -> impl Iterator<Item = (String, Reader<'p>)> {
    let mut seen = HashSet::new();
    let mut entries = map.into_iter();
    std::iter::from_fn(move || {
        loop {
            let Some((key, value)) = entries.next() else {
                step(path, depth, None);
                return None;
            };
            let name =
                fields.iter().find(|f| f.eq_ignore_ascii_case(&key)).map_or_else(|| key.clone(), |f| f.to_string());
            if seen.insert(name.clone()) {
                step(path, depth, Some(key));
                return Some((name, Reader { value, path, depth: depth.saturating_add(1) }));
            }
        }
    })
}

impl<'de, 'p> IntoDeserializer<'de, Error> for Reader<'p> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Deserializer<'de> for Reader<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let Reader { value, path, depth } = self;
        match value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (_, Some(i), _) => visitor.visit_i64(i),
                (_, _, f) => visitor.visit_f64(f.unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_string(s),
            Value::Array(list) => visitor.visit_seq(SeqDeserializer::new(items(list, path, depth))),
            Value::Object(map) => visitor.visit_map(MapDeserializer::new(entries(map, &[], path, depth))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.value.is_null() { visitor.visit_none() } else { visitor.visit_some(self) }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let map = match self.value {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        visitor.visit_map(MapDeserializer::new(entries(map, fields, self.path, self.depth)))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_enum(s.into_deserializer()),
            other => Err(expected("the name of a variant", &other)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct seq
        tuple tuple_struct map identifier
    }
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

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Sample {
        #[serde(deserialize_with = "de_u64")]
        id: u64,
        #[serde(deserialize_with = "de_datetime")]
        start: DateTime<Utc>,
        #[serde(default, deserialize_with = "de_text_or_empty")]
        title: String,
        #[serde(default, deserialize_with = "de_opt_text")]
        note: Option<String>,
        #[serde(default, deserialize_with = "de_bool_or_false")]
        done: bool,
        #[serde(default, deserialize_with = "de_opt_seconds")]
        expires_in: Option<i64>,
        #[serde(default, deserialize_with = "de_opt_datetime")]
        ends: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "de_opt_texts")]
        tags: Option<Vec<String>>,
        #[serde(default, deserialize_with = "de_vec_lossy")]
        parts: Vec<Part>,
        #[serde(default)]
        owner: Owner,
    }

    impl Default for Sample {
        fn default() -> Self {
            let (id, start) = (0, DateTime::UNIX_EPOCH);
            let (title, note, done, expires_in, ends, tags) = (String::new(), None, false, None, None, None);
            Sample { id, start, title, note, done, expires_in, ends, tags, parts: Vec::new(), owner: Owner::default() }
        }
    }

    /// An object with a required field.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Part {
        #[serde(deserialize_with = "de_text")]
        name: String,
    }

    /// An object whose fields all have defaults.
    #[derive(Debug, Default, PartialEq, Deserialize)]
    struct Owner {
        #[serde(default, deserialize_with = "de_text_or_empty")]
        name: String,
    }

    fn sample(body: Value) -> Result<Sample, String> {
        parse(body.to_string().as_bytes())
    }

    #[test]
    fn numbers_as_strings_and_strings_as_numbers() {
        let s = sample(json!({ "Id": "42", "Start": 0, "Title": 2024, "ExpiresIn": "1200.5" })).unwrap();
        assert_eq!((s.id, s.title.as_str(), s.expires_in), (42, "2024", Some(1200)));
        assert_eq!(sample(json!({ "Id": 42, "Start": 0, "ExpiresIn": 60 })).unwrap().expires_in, Some(60));
        let err = sample(json!({ "Id": "forty-two", "Start": 0 })).unwrap_err();
        assert_eq!(err, "Id: expected a non-negative integer, found a string");
    }

    #[test]
    fn dates_with_a_zone_an_offset_none_or_unix_seconds() {
        let at = |start: Value| sample(json!({ "Id": 1, "Start": start })).map(|s| s.start);
        let t = at(json!("2015-06-02T09:00:00Z")).unwrap();
        assert_eq!(at(json!("2015-06-02T09:00:00")), Ok(t));
        assert_eq!(at(json!("2015-06-02T11:00:00+02:00")), Ok(t));
        assert_eq!(at(json!(t.timestamp())), Ok(t));
        assert_eq!(at(json!(t.timestamp().to_string())), Ok(t));
        let err = at(json!("soon")).unwrap_err();
        assert_eq!(err, "Start: expected an ISO-8601 date-time or Unix seconds, found a string");
        assert_eq!(sample(json!({ "Id": 1, "Start": 0, "Ends": "2015-06-02T09:00:00" })).unwrap().ends, Some(t));
    }

    #[test]
    fn optional_fields_of_the_wrong_type_are_absent() {
        let s = sample(json!({
            "Id": 1, "Start": 0, "Title": { "x": 1 }, "Note": false, "Done": "TRUE", "ExpiresIn": "soon",
            "Ends": "soon", "Tags": "not a list", "Parts": { "Name": "not a list" }, "Owner": "not an object", "Unknown": [1, 2],
        }))
        .unwrap();
        assert_eq!(s, Sample { id: 1, done: true, ..Sample::default() });
        let nulls =
            json!({ "Id": 1, "Start": 0, "Title": null, "Note": null, "Done": null, "Ends": null, "Owner": null });
        assert_eq!(sample(nulls).unwrap(), Sample { id: 1, ..Sample::default() });
    }

    #[test]
    fn null_and_missing_lists_are_empty_and_unreadable_items_are_left_out() {
        assert_eq!(sample(json!({ "Id": 1, "Start": 0, "Parts": null, "Tags": null })).unwrap().parts, []);
        let s = sample(json!({
            "Id": 1, "Start": 0, "Tags": ["a", 7, null, {}],
            "Parts": [{ "name": "a" }, 7, { "name": null }, { "name": 8 }],
        }))
        .unwrap();
        assert_eq!(s.tags, Some(vec!["a".to_string(), "7".to_string()]));
        assert_eq!(s.parts, [Part { name: "a".into() }, Part { name: "8".into() }]);
    }

    #[test]
    fn keys_match_in_any_casing_and_the_first_spelling_wins() {
        let s = sample(json!({ "ID": 1, "start": 0, "TITLE": "Budget", "owner": { "NAME": "Ann" } })).unwrap();
        assert_eq!((s.id, s.title.as_str(), s.owner.name.as_str()), (1, "Budget", "Ann"));
        assert_eq!(sample(json!({ "Id": 1, "Start": 0, "TITLE": "a", "Title": "b" })).unwrap().title, "a");
    }

    #[test]
    fn errors_name_the_path_and_never_quote_a_value() {
        assert_eq!(sample(json!({ "Start": 0 })).unwrap_err(), "missing field `Id`");
        let err = sample(json!({ "Id": 1, "Start": true })).unwrap_err();
        assert_eq!(err, "Start: expected an ISO-8601 date-time or Unix seconds, found a boolean");
        #[derive(Debug, Deserialize)]
        struct Holder {
            #[serde(rename = "Part")]
            _part: Part,
        }
        assert_eq!(parse::<Holder>(br#"{"Part": {}}"#).unwrap_err(), "Part: missing field `name`");
        let nested = parse::<Holder>(br#"{"Part": {"name": ["secret-token"]}}"#).unwrap_err();
        assert_eq!(nested, "Part.name: expected a string or a number, found an array");
        let list = parse::<Vec<Part>>(br#"[{"name": "a"}, {"name": {"token": "secret-token"}}]"#).unwrap_err();
        assert_eq!(list, "[1].name: expected a string or a number, found an object");
        assert_eq!(parse::<Vec<u64>>(br#"[1, "secret-token"]"#).unwrap_err(), "[1]: expected u64, found a string");
        assert_eq!(parse::<Sample>(b"<h1>Developer Inactive</h1>").unwrap_err(), "the body is not JSON");
    }

    #[test]
    fn where_an_object_is_due_anything_else_reads_as_an_empty_one() {
        assert_eq!(parse::<Part>(b"\"text\"").unwrap_err(), "missing field `name`");
        assert_eq!(parse::<Owner>(b"null"), Ok(Owner::default()));
        assert_eq!(parse::<Owner>(b"[1, 2]"), Ok(Owner::default()));
    }

    #[test]
    fn lossy_values_and_dates_sent_back() {
        assert_eq!(parse::<Lossy<Part>>(b"7"), Ok(Lossy(None)));
        assert_eq!(parse::<Vec<Lossy<u64>>>(b"[1, \"x\"]"), Ok(vec![Lossy(Some(1)), Lossy(None)]));
        #[derive(serde::Serialize)]
        struct Sent {
            #[serde(serialize_with = "ser_iso")]
            at: DateTime<Utc>,
        }
        let at = datetime(&json!("2015-06-02T11:00:00+02:00")).unwrap();
        assert_eq!(serde_json::to_value(Sent { at }).unwrap(), json!({ "at": "2015-06-02T09:00:00Z" }));
    }
}
