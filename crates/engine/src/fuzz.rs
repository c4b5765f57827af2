//! Fuzz targets for everything the engine reads from outside: a loopback callback's query and relayed fragment,
//! every provider's answers, error bodies and token answers, policy files and the settings file. Each is a bolero
//! property test: under `cargo test` it runs for a second on random inputs; `cargo xtask fuzz` runs each longer.
//! A failure prints the seed that reproduces it (`BOLERO_RANDOM_SEED`); its input becomes a regression test
//! below. The property is "never panics", plus what each reader promises.

use std::path::Path;

use chrono::Datelike as _;

/// Bytes shaped like JSON more often than pure noise: random bytes rarely get past the first brace.
fn jsonish(bytes: &[u8]) -> String {
    const PIECES: [&str; 16] = [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"Meetings\"",
        "\"Start\"",
        "\"2026-01-01T00:00:00Z\"",
        "null",
        "9999999999999999999",
        "-1",
        "\"+262143-12-31T23:59:59Z\"",
        "true",
        "\"x\"",
        "{\"Meeting\":{\"Id\":\"a\"}}",
    ];
    bytes
        .iter()
        .map(|b| if b & 0x80 != 0 { PIECES[usize::from(b & 0x0f)].to_string() } else { char::from(*b).to_string() })
        .collect()
}

fn answers(bytes: &[u8]) {
    for body in [bytes.to_vec(), jsonish(bytes).into_bytes()] {
        crate::providers::joinme::read_any_answer(&body);
        crate::providers::meetingbooster::read_any_answer(&body);
        crate::providers::joindin::read_any_answer(&body);
        let _ = crate::providers::errors::ErrorBody::parse(&body);
        let _ = crate::providers::TokenSet::from_body(&body);
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&body)
            && let Some(date) = crate::providers::lenient::datetime(&value)
        {
            assert!((1970..=9999).contains(&date.year()), "a date outside the sane window: {date}");
        }
    }
}

#[test]
fn fuzz_provider_answers() {
    bolero::check!().for_each(answers);
}

#[test]
fn fuzz_loopback_callback() {
    bolero::check!().for_each(|bytes: &[u8]| {
        // Whatever came, what is read back out encodes to a query that reads the same (no lost or made-up
        // parameter): the flow compares `state` and takes `code` from exactly this.
        let params = crate::auth::loopback::query_params(bytes);
        let encoded = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&params).finish();
        assert_eq!(crate::auth::loopback::query_params(encoded.as_bytes()), params);
        let _ = crate::auth::loopback::relayed_params(bytes);
    });
}

#[test]
fn fuzz_policy_file() {
    bolero::check!().for_each(|bytes: &[u8]| {
        let mut policies = crate::settings::Policies::default();
        for text in [String::from_utf8_lossy(bytes).into_owned(), jsonish(bytes)] {
            policies.add_file(crate::settings::policy::Level::Managed, "fuzz.json", &text);
        }
        let _ = policies.in_force();
    });
}

#[test]
fn fuzz_settings_file() {
    bolero::check!().for_each(|bytes: &[u8]| {
        let _ = crate::settings::Settings::parse(&String::from_utf8_lossy(bytes), Path::new("settings.toml"));
    });
}

/// Inputs the fuzzers found, kept as regression tests.
#[test]
fn regressions() {
    // (none yet: add each crash input here with what it broke)
    answers(
        br#"{"Meetings":[{"Meeting":{"Id":"a","Start":"+262143-12-31T23:59:59Z","End":"+262143-12-31T23:59:59Z"}}]}"#,
    );
}
