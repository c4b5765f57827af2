//! The packaging files agree with `packaging/policy-schema.toml` and with the one app id: the ADMX/ADML Group
//! Policy templates, the macOS configuration profile example, the Linux JSON policy examples, the `.desktop`
//! and AppStream files, and the Windows installer (which must write no HKCU and nothing under Policies).
//!
//! Every failure says which file is wrong and how.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The one reverse-DNS id: .desktop file name, AppStream id, icon name, window class, macOS bundle id.
const APP_ID: &str = "org.meetinglauncher.MeetingLauncher";
/// Managed Windows policies; recommended ones are in its `Recommended` subkey.
const POLICY_KEY: &str = r"Software\Policies\MeetingLauncher";
/// Install-time defaults written by the MSI (never under Policies).
const INSTALL_KEY: &str = r"SOFTWARE\MeetingLauncher";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Schema {
    policy: Vec<Policy>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Policy {
    name: String,
    #[serde(rename = "type")]
    kind: Kind,
    default: Option<toml::Value>,
    lockable: bool,
    description: String,
    values: Option<Vec<String>>,
    min: Option<i64>,
    max: Option<i64>,
    #[serde(default)]
    secret: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    String,
    Bool,
    Integer,
    List,
}

/// A policy value read from any of the formats (TOML default, JSON, plist), to check against the schema.
#[derive(Debug)]
enum Sample {
    Str(String),
    Bool(bool),
    Int(i64),
    List(Vec<Sample>),
    Other(String),
}

impl std::fmt::Display for Sample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Sample::Str(s) => write!(f, "the string {s:?}"),
            Sample::Bool(b) => write!(f, "the bool {b}"),
            Sample::Int(i) => write!(f, "the integer {i}"),
            Sample::List(items) => write!(f, "a list of {} items", items.len()),
            Sample::Other(what) => write!(f, "{what}"),
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn schema() -> Vec<Policy> {
    let text = read("packaging/policy-schema.toml");
    let schema: Schema =
        toml::from_str(&text).unwrap_or_else(|e| panic!("packaging/policy-schema.toml does not parse: {e}"));
    schema.policy
}

fn by_name(policies: &[Policy]) -> BTreeMap<&str, &Policy> {
    policies.iter().map(|p| (p.name.as_str(), p)).collect()
}

fn xml(relative: &str, text: &str) -> roxmltree::Document<'static> {
    // The documents live for the whole test; leaking the text keeps the signatures simple.
    let text: &'static str = Box::leak(text.to_owned().into_boxed_str());
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    roxmltree::Document::parse_with_options(text, options)
        .unwrap_or_else(|e| panic!("{relative} is not well-formed XML: {e}"))
}

fn elements<'a, 'i>(node: roxmltree::Node<'a, 'i>, tag: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.descendants().filter(|n| n.is_element() && n.tag_name().name() == tag).collect()
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, tag: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|n| n.is_element() && n.tag_name().name() == tag)
}

/// Whether `value` is a valid value of `policy`; the error says why not.
fn check_value(policy: &Policy, value: &Sample) -> Result<(), String> {
    let allowed = |s: &str| match &policy.values {
        Some(values) if !values.iter().any(|v| v == s) => {
            Err(format!("{s:?} is not one of the allowed values {values:?}"))
        }
        _ => Ok(()),
    };
    match (policy.kind, value) {
        (Kind::String, Sample::Str(s)) => allowed(s),
        (Kind::Bool, Sample::Bool(_)) => Ok(()),
        (Kind::Integer, Sample::Int(i)) => {
            if policy.min.is_some_and(|min| *i < min) || policy.max.is_some_and(|max| *i > max) {
                Err(format!("{i} is outside {:?}..={:?}", policy.min, policy.max))
            } else {
                Ok(())
            }
        }
        (Kind::List, Sample::List(items)) => items.iter().try_for_each(|item| match item {
            Sample::Str(s) => allowed(s),
            other => Err(format!("list item {other} is not a string")),
        }),
        (kind, other) => Err(format!("{other} is not a {kind:?}")),
    }
}

fn from_toml(value: &toml::Value) -> Sample {
    match value {
        toml::Value::String(s) => Sample::Str(s.clone()),
        toml::Value::Boolean(b) => Sample::Bool(*b),
        toml::Value::Integer(i) => Sample::Int(*i),
        toml::Value::Array(items) => Sample::List(items.iter().map(from_toml).collect()),
        other => Sample::Other(other.to_string()),
    }
}

fn from_json(value: &serde_json::Value) -> Sample {
    match value {
        serde_json::Value::String(s) => Sample::Str(s.clone()),
        serde_json::Value::Bool(b) => Sample::Bool(*b),
        serde_json::Value::Number(n) => n.as_i64().map_or_else(|| Sample::Other(n.to_string()), Sample::Int),
        serde_json::Value::Array(items) => Sample::List(items.iter().map(from_json).collect()),
        other => Sample::Other(other.to_string()),
    }
}

fn from_plist(node: roxmltree::Node) -> Sample {
    match node.tag_name().name() {
        "string" => Sample::Str(node.text().unwrap_or_default().to_owned()),
        "true" => Sample::Bool(true),
        "false" => Sample::Bool(false),
        "integer" => node
            .text()
            .and_then(|t| t.trim().parse().ok())
            .map_or_else(|| Sample::Other(format!("<integer>{:?}", node.text())), Sample::Int),
        "array" => Sample::List(node.children().filter(|n| n.is_element()).map(from_plist).collect()),
        other => Sample::Other(format!("<{other}>")),
    }
}

/// A plist `<dict>` as (key, value element) pairs, in order.
fn plist_dict<'a, 'i>(dict: roxmltree::Node<'a, 'i>) -> Vec<(String, roxmltree::Node<'a, 'i>)> {
    let nodes: Vec<_> = dict.children().filter(|n| n.is_element()).collect();
    nodes
        .chunks(2)
        .map(|pair| {
            assert!(
                pair.len() == 2 && pair[0].tag_name().name() == "key",
                "a plist <dict> must alternate <key> and value, found {:?}",
                pair.iter().map(|n| n.tag_name().name()).collect::<Vec<_>>()
            );
            (pair[0].text().unwrap_or_default().to_owned(), pair[1])
        })
        .collect()
}

fn plist_get<'a, 'i>(dict: roxmltree::Node<'a, 'i>, key: &str) -> Option<roxmltree::Node<'a, 'i>> {
    plist_dict(dict).into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Names that occur more than once.
fn duplicates<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = BTreeSet::new();
    names.into_iter().filter(|n| !seen.insert(*n)).collect()
}

/// The set difference both ways, as a message, or None when equal.
fn set_diff(what: &str, expected: &BTreeSet<String>, found: &BTreeSet<String>) -> Option<String> {
    let missing: Vec<_> = expected.difference(found).collect();
    let extra: Vec<_> = found.difference(expected).collect();
    (!missing.is_empty() || !extra.is_empty())
        .then(|| format!("{what}: missing {missing:?}, not in the schema {extra:?}"))
}

#[test]
fn schema_is_consistent() {
    let policies = schema();
    assert!(!policies.is_empty(), "packaging/policy-schema.toml has no [[policy]]");
    let dups = duplicates(policies.iter().map(|p| p.name.as_str()));
    assert!(dups.is_empty(), "packaging/policy-schema.toml names these policies more than once: {dups:?}");
    for p in &policies {
        let n = &p.name;
        assert!(
            !n.is_empty()
                && n.chars().all(|c| c.is_ascii_alphanumeric())
                && n.starts_with(|c: char| c.is_ascii_uppercase()),
            "policy-schema.toml: {n:?} must be a PascalCase ASCII name (it is a registry value and a JSON key)"
        );
        let d = p.description.trim();
        assert!(
            !d.is_empty() && d.ends_with('.') && !d.contains('\n'),
            "policy-schema.toml: {n} needs a one-sentence description ending with a period"
        );
        if let Some(default) = &p.default {
            check_value(p, &from_toml(default))
                .unwrap_or_else(|e| panic!("policy-schema.toml: the default of {n} is invalid: {e}"));
        }
        assert!(
            p.kind == Kind::Integer || (p.min.is_none() && p.max.is_none()),
            "policy-schema.toml: {n} has min/max but is not an integer"
        );
        assert!(
            p.values.is_none() || matches!(p.kind, Kind::String | Kind::List),
            "policy-schema.toml: {n} has values but is neither a string nor a list"
        );
        assert!(
            !(p.secret && p.lockable),
            "policy-schema.toml: {n} is a secret, so it must be managed-only (lockable = false)"
        );
    }
}

#[test]
fn admx_policies_match_the_schema() {
    let policies = schema();
    let by_name = by_name(&policies);
    let text = read("packaging/windows/policy/MeetingLauncher.admx");
    let doc = xml("MeetingLauncher.admx", &text);
    let all = elements(doc.root(), "policy");
    let recommended_key = format!(r"{POLICY_KEY}\Recommended");
    let (mut managed, mut recommended) = (Vec::new(), Vec::new());
    for policy in &all {
        let name = policy.attribute("name").unwrap_or_default();
        match policy.attribute("key") {
            Some(k) if k == POLICY_KEY => managed.push(*policy),
            Some(k) if k == recommended_key => recommended.push(*policy),
            other => panic!(
                "MeetingLauncher.admx: policy {name} has key {other:?}, expected {POLICY_KEY:?} or {recommended_key:?}"
            ),
        }
        assert_eq!(
            policy.attribute("class"),
            Some("Machine"),
            "MeetingLauncher.admx: policy {name} must be class=\"Machine\" (HKLM)"
        );
    }

    let names = |list: &[roxmltree::Node]| -> Vec<String> {
        list.iter().map(|p| p.attribute("name").unwrap_or_default().to_owned()).collect()
    };
    let managed_names = names(&managed);
    let dups = duplicates(managed_names.iter().map(String::as_str));
    assert!(dups.is_empty(), "MeetingLauncher.admx defines these managed policies more than once: {dups:?}");
    let expected: BTreeSet<String> = policies.iter().map(|p| p.name.clone()).collect();
    if let Some(e) = set_diff("MeetingLauncher.admx managed policies", &expected, &managed_names.into_iter().collect())
    {
        panic!("{e}");
    }

    let recommended_names = names(&recommended);
    let dups = duplicates(recommended_names.iter().map(String::as_str));
    assert!(dups.is_empty(), "MeetingLauncher.admx defines these recommended policies more than once: {dups:?}");
    let expected: BTreeSet<String> =
        policies.iter().filter(|p| p.lockable).map(|p| format!("{}_recommended", p.name)).collect();
    if let Some(e) = set_diff(
        "MeetingLauncher.admx recommended policies (one NAME_recommended per lockable policy)",
        &expected,
        &recommended_names.into_iter().collect(),
    ) {
        panic!("{e}");
    }

    // Each policy writes the schema's name with the schema's type.
    for policy in managed.iter().chain(&recommended) {
        let admx_name = policy.attribute("name").unwrap_or_default();
        let name = admx_name.trim_end_matches("_recommended");
        let p = by_name[name];
        let key = policy.attribute("key").unwrap_or_default();
        let at = format!("MeetingLauncher.admx: policy {admx_name}");
        let element = child(*policy, "elements").and_then(|e| e.children().find(|n| n.is_element()));
        match p.kind {
            Kind::Bool => {
                assert_eq!(policy.attribute("valueName"), Some(name), "{at} must write the value {name}");
                for (tag, want) in [("enabledValue", "1"), ("disabledValue", "0")] {
                    let decimal = child(*policy, tag).and_then(|v| child(v, "decimal"));
                    assert_eq!(
                        decimal.and_then(|d| d.attribute("value")),
                        Some(want),
                        "{at} is a bool: its {tag} must be <decimal value=\"{want}\"/> (REG_DWORD)"
                    );
                }
            }
            Kind::String | Kind::Integer => {
                let element = element.unwrap_or_else(|| panic!("{at} has no <elements> child"));
                let tag = element.tag_name().name();
                let expected_tags: &[&str] = match (p.kind, &p.values) {
                    (Kind::Integer, _) => &["decimal"],
                    (_, Some(_)) => &["enum"],
                    _ => &["text"],
                };
                assert!(
                    expected_tags.contains(&tag),
                    "{at} is a {:?}: expected <{}>, found <{tag}>",
                    p.kind,
                    expected_tags[0]
                );
                assert_eq!(element.attribute("valueName"), Some(name), "{at} must write the value {name}");
                if tag == "decimal" {
                    for (attribute, bound) in [("minValue", p.min), ("maxValue", p.max)] {
                        assert_eq!(
                            element.attribute(attribute).map(str::to_owned),
                            bound.map(|b| b.to_string()),
                            "{at}: {attribute} differs from the schema's bounds"
                        );
                    }
                }
                if tag == "enum" {
                    let items: Vec<String> =
                        elements(element, "string").iter().map(|s| s.text().unwrap_or_default().to_owned()).collect();
                    assert_eq!(Some(&items), p.values.as_ref(), "{at}: the enum items differ from the schema's values");
                }
            }
            Kind::List => {
                let element = element.filter(|e| e.tag_name().name() == "list");
                let element = element.unwrap_or_else(|| panic!("{at} is a list: it needs a <list> element"));
                assert_eq!(
                    element.attribute("key").map(str::to_owned),
                    Some(format!(r"{key}\{name}")),
                    "{at}: a list is a subkey named after the policy under the policy's key"
                );
                assert_eq!(
                    element.attribute("valuePrefix"),
                    Some(""),
                    "{at}: list values must be named 1, 2, … (valuePrefix=\"\")"
                );
            }
        }
    }
}

#[test]
fn adml_has_every_string_and_presentation_the_admx_uses() {
    let admx_text = read("packaging/windows/policy/MeetingLauncher.admx");
    let adml_text = read("packaging/windows/policy/en-US/MeetingLauncher.adml");
    let admx = xml("MeetingLauncher.admx", &admx_text);
    let adml = xml("en-US/MeetingLauncher.adml", &adml_text);

    let ids = |tag: &str| -> BTreeSet<String> {
        elements(adml.root(), tag).iter().filter_map(|n| n.attribute("id")).map(str::to_owned).collect()
    };
    let strings = ids("string");
    let presentations = ids("presentation");
    let dups = duplicates(elements(adml.root(), "string").iter().filter_map(|n| n.attribute("id")));
    assert!(dups.is_empty(), "en-US/MeetingLauncher.adml defines these strings more than once: {dups:?}");

    let mut references = 0;
    for node in admx.descendants().filter(|n| n.is_element()) {
        for attribute in node.attributes() {
            let value = attribute.value();
            for (prefix, table, table_name) in
                [("$(string.", &strings, "stringTable"), ("$(presentation.", &presentations, "presentationTable")]
            {
                if let Some(id) = value.strip_prefix(prefix).and_then(|r| r.strip_suffix(')')) {
                    references += 1;
                    assert!(
                        table.contains(id),
                        "MeetingLauncher.admx <{} {}> refers to {value}, which en-US/MeetingLauncher.adml's {table_name} lacks",
                        node.tag_name().name(),
                        attribute.name()
                    );
                }
            }
        }
    }
    assert!(references > 0, "MeetingLauncher.admx refers to no ADML strings at all");

    // Each presentation control points at an element of its policy.
    for policy in elements(admx.root(), "policy") {
        let name = policy.attribute("name").unwrap_or_default();
        let element_ids: BTreeSet<String> = child(policy, "elements")
            .map(|e| e.children().filter_map(|c| c.attribute("id")).map(str::to_owned).collect())
            .unwrap_or_default();
        let Some(presentation) = policy.attribute("presentation") else {
            assert!(element_ids.is_empty(), "MeetingLauncher.admx: policy {name} has elements but no presentation");
            continue;
        };
        let id = presentation.trim_start_matches("$(presentation.").trim_end_matches(')');
        let node = elements(adml.root(), "presentation").into_iter().find(|p| p.attribute("id") == Some(id));
        let node =
            node.unwrap_or_else(|| panic!("en-US/MeetingLauncher.adml lacks the presentation {id} of policy {name}"));
        let refs: BTreeSet<String> =
            node.descendants().filter_map(|c| c.attribute("refId")).map(str::to_owned).collect();
        assert_eq!(
            refs, element_ids,
            "en-US/MeetingLauncher.adml presentation {id}: its refIds must be exactly the element ids of policy {name}"
        );
    }
}

#[test]
fn mobileconfig_uses_schema_names_and_types() {
    let policies = schema();
    let by_name = by_name(&policies);
    let file = "packaging/macos/MeetingLauncher.mobileconfig.example";
    let text = read(file);
    let doc = xml(file, &text);
    let top = child(doc.root_element(), "dict").unwrap_or_else(|| panic!("{file}: the plist has no top-level <dict>"));
    let payloads = plist_get(top, "PayloadContent").unwrap_or_else(|| panic!("{file}: no top-level PayloadContent"));
    let payload = payloads
        .children()
        .filter(|n| n.is_element())
        .find(|p| plist_get(*p, "PayloadType").and_then(|t| t.text()) == Some("com.apple.ManagedClient.preferences"))
        .unwrap_or_else(|| panic!("{file}: no com.apple.ManagedClient.preferences payload"));
    let domains =
        plist_get(payload, "PayloadContent").unwrap_or_else(|| panic!("{file}: the payload has no PayloadContent"));
    let domain_keys: Vec<String> = plist_dict(domains).into_iter().map(|(k, _)| k).collect();
    assert_eq!(domain_keys, [APP_ID], "{file}: the preferences payload must configure exactly the bundle id {APP_ID}");
    let app = plist_get(domains, APP_ID).expect("checked above");

    let mut seen = 0;
    for (level, recommended) in [("Forced", false), ("Set-Once", true)] {
        let Some(entries) = plist_get(app, level) else {
            panic!("{file}: {APP_ID} has no {level} array (the example shows both Forced and Set-Once)")
        };
        for entry in entries.children().filter(|n| n.is_element()) {
            let settings = plist_get(entry, "mcx_preference_settings")
                .unwrap_or_else(|| panic!("{file}: a {level} entry has no mcx_preference_settings"));
            for (key, value) in plist_dict(settings) {
                seen += 1;
                let policy = by_name.get(key.as_str()).unwrap_or_else(|| {
                    panic!("{file}: {level} key {key} is not a policy of packaging/policy-schema.toml")
                });
                check_value(policy, &from_plist(value))
                    .unwrap_or_else(|e| panic!("{file}: {level} value of {key} is invalid: {e}"));
                assert!(
                    !recommended || policy.lockable,
                    "{file}: {key} is managed-only (lockable = false), so it must not be under Set-Once"
                );
            }
        }
    }
    assert!(seen > 0, "{file}: no example keys at all");

    let info = read("packaging/macos/Info.plist.in");
    let info_doc = xml("packaging/macos/Info.plist.in", &info);
    let info_dict = child(info_doc.root_element(), "dict").expect("Info.plist.in has no <dict>");
    assert_eq!(
        plist_get(info_dict, "CFBundleIdentifier").and_then(|n| n.text()),
        Some(APP_ID),
        "packaging/macos/Info.plist.in: CFBundleIdentifier must be {APP_ID}"
    );
}

#[test]
fn json_examples_use_schema_names_and_types() {
    let policies = schema();
    let by_name = by_name(&policies);
    for level in ["managed", "recommended"] {
        let dir = root().join("packaging/linux/examples/policies").join(level);
        let files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .collect();
        assert!(!files.is_empty(), "{} holds no example", dir.display());
        for path in files {
            let shown = path.strip_prefix(root()).unwrap_or(&path).display().to_string();
            assert_eq!(path.extension().and_then(|e| e.to_str()), Some("json"), "{shown}: policy files end in .json");
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {shown}: {e}"));
            let value: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{shown} is not valid JSON: {e}"));
            let object = value.as_object().unwrap_or_else(|| panic!("{shown} must be a flat JSON object"));
            assert!(!object.is_empty(), "{shown} is empty");
            for (key, value) in object {
                let policy = by_name
                    .get(key.as_str())
                    .unwrap_or_else(|| panic!("{shown}: {key} is not a policy of packaging/policy-schema.toml"));
                check_value(policy, &from_json(value)).unwrap_or_else(|e| panic!("{shown}: {key} is invalid: {e}"));
                assert!(
                    level == "managed" || policy.lockable,
                    "{shown}: {key} is managed-only (lockable = false); a recommended value of it is ignored"
                );
            }
        }
    }
}

#[test]
fn desktop_integration_uses_the_app_id() {
    let linux = root().join("packaging/linux");
    let desktop_files: Vec<String> = std::fs::read_dir(&linux)
        .expect("packaging/linux")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".desktop"))
        .collect();
    assert_eq!(
        desktop_files,
        [format!("{APP_ID}.desktop")],
        "packaging/linux must hold exactly one .desktop file, named after the app id"
    );
    let desktop = read(&format!("packaging/linux/{APP_ID}.desktop"));
    let main_group: BTreeMap<&str, &str> = desktop
        .lines()
        .skip_while(|l| l.trim() != "[Desktop Entry]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once('='))
        .collect();
    for key in ["StartupWMClass", "Icon"] {
        assert_eq!(main_group.get(key).copied(), Some(APP_ID), "{APP_ID}.desktop: {key} must be the app id {APP_ID}");
    }
    assert_eq!(
        main_group.get("Exec").copied(),
        Some("meeting-launcher"),
        "{APP_ID}.desktop: Exec must be meeting-launcher"
    );

    let file = format!("packaging/linux/{APP_ID}.metainfo.xml");
    let text = read(&file);
    let doc = xml(&file, &text);
    let id = child(doc.root_element(), "id").and_then(|n| n.text());
    assert_eq!(id, Some(APP_ID), "{file}: <id> must be the app id");
    let launchable = child(doc.root_element(), "launchable").and_then(|n| n.text()).map(str::to_owned);
    assert_eq!(launchable, Some(format!("{APP_ID}.desktop")), "{file}: <launchable> must name the .desktop file");

    for size in [16, 24, 32, 48, 64, 128, 256, 512] {
        let icon = linux.join(format!("icons/hicolor/{size}x{size}/apps/{APP_ID}.png"));
        let bytes = std::fs::read(&icon).unwrap_or_else(|e| panic!("missing icon {}: {e}", icon.display()));
        // PNG: 8-byte signature, then the IHDR chunk with width and height as big-endian u32.
        assert!(bytes.len() > 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{} is not a PNG", icon.display());
        let width = u32::from_be_bytes(bytes[16..20].try_into().expect("4 bytes"));
        let height = u32::from_be_bytes(bytes[20..24].try_into().expect("4 bytes"));
        assert_eq!((width, height), (size, size), "{} is {width}x{height}, not {size}x{size}", icon.display());
    }
}

#[test]
fn wxs_writes_no_hkcu_and_nothing_under_policies() {
    let policies = schema();
    let by_name = by_name(&policies);
    let file = "packaging/windows/MeetingLauncher.wxs";
    let text = read(file);
    let doc = xml(file, &text);

    let package = elements(doc.root(), "Package").into_iter().next().unwrap_or_else(|| panic!("{file}: no <Package>"));
    assert_eq!(package.attribute("InstallScope"), Some("perMachine"), "{file}: the MSI must be per-machine");
    let product = elements(doc.root(), "Product").into_iter().next().unwrap_or_else(|| panic!("{file}: no <Product>"));
    assert!(
        product.attribute("UpgradeCode").is_some_and(|c| c.len() == 36 && c != "PUT-GUID-HERE"),
        "{file}: the Product needs its fixed UpgradeCode GUID"
    );

    let registry: Vec<_> = doc
        .descendants()
        .filter(|n| n.is_element() && matches!(n.tag_name().name(), "RegistryValue" | "RegistryKey"))
        .collect();
    assert!(!registry.is_empty(), "{file}: no registry values at all (the shortcut's key path is one)");
    for node in &registry {
        let root_name = node.attribute("Root").unwrap_or_default();
        let key = node.attribute("Key").unwrap_or_default();
        let name = node.attribute("Name").unwrap_or_default();
        let at = format!("{file}: registry {root_name}\\{key} {name}");
        assert_eq!(
            root_name, "HKLM",
            "{at}: the installer writes HKLM only (HKCU would land in SYSTEM's hive under a managed install; ICE57)"
        );
        assert!(
            !key.to_ascii_lowercase().starts_with(r"software\policies"),
            "{at}: the installer must not write under Software\\Policies (that belongs to the administrator)"
        );
        // Install-time defaults sit directly under the install key and use policy names and types.
        if key.eq_ignore_ascii_case(INSTALL_KEY) {
            let policy = by_name.get(name).unwrap_or_else(|| {
                panic!("{at}: values under HKLM\\{INSTALL_KEY} are install-time defaults and must be policy names")
            });
            let expected_type = match policy.kind {
                Kind::String => "string",
                Kind::Bool | Kind::Integer => "integer",
                Kind::List => "multiString",
            };
            assert_eq!(node.attribute("Type"), Some(expected_type), "{at}: {name} is a {:?} policy", policy.kind);
            let component = node.parent().filter(|p| p.tag_name().name() == "Component");
            let condition = component.and_then(|c| child(c, "Condition")).and_then(|c| c.text());
            assert!(
                condition.is_some_and(|c| !c.trim().is_empty()),
                "{at}: an install-time default is written only when its property is set (a Component <Condition>)"
            );
        }
    }

    // The public properties reach the elevated part of a managed install.
    let secure: BTreeSet<&str> = elements(doc.root(), "Property")
        .into_iter()
        .filter(|p| p.attribute("Secure") == Some("yes"))
        .filter_map(|p| p.attribute("Id"))
        .collect();
    for property in ["APIKEY", "SERVERURL", "PROVIDER", "AUTOSTART"] {
        assert!(secure.contains(property), "{file}: <Property Id=\"{property}\" Secure=\"yes\"/> is missing");
    }
}

#[test]
fn debian_and_rpm_metadata_ship_every_packaging_file() {
    let manifest: toml::Value = toml::from_str(&read("Cargo.toml")).expect("Cargo.toml parses");
    let metadata = &manifest["package"]["metadata"];
    let deb_sources: BTreeSet<String> = metadata["deb"]["assets"]
        .as_array()
        .expect("[package.metadata.deb] assets")
        .iter()
        .map(|a| a[0].as_str().expect("asset source").to_owned())
        .collect();
    let rpm_sources: BTreeSet<String> = metadata["generate-rpm"]["assets"]
        .as_array()
        .expect("[package.metadata.generate-rpm] assets")
        .iter()
        .map(|a| a["source"].as_str().expect("asset source").to_owned())
        .collect();
    let mut wanted = vec![
        "target/release/meeting-launcher".to_owned(),
        format!("packaging/linux/{APP_ID}.desktop"),
        format!("packaging/linux/{APP_ID}.metainfo.xml"),
        "packaging/linux/examples/policies/managed/10-example.json".to_owned(),
        "packaging/linux/examples/policies/recommended/10-example.json".to_owned(),
        "packaging/README.md".to_owned(),
    ];
    for size in [16, 24, 32, 48, 64, 128, 256, 512] {
        wanted.push(format!("packaging/linux/icons/hicolor/{size}x{size}/apps/{APP_ID}.png"));
    }
    for source in &wanted {
        assert!(deb_sources.contains(source), "Cargo.toml [package.metadata.deb] assets lack {source}");
        assert!(rpm_sources.contains(source), "Cargo.toml [package.metadata.generate-rpm] assets lack {source}");
    }
    for source in deb_sources.iter().chain(&rpm_sources).filter(|s| !s.starts_with("target/")) {
        assert!(Path::new(&root().join(source)).is_file(), "Cargo.toml packages {source}, which does not exist");
    }
    let deb_destinations = metadata["deb"]["assets"].as_array().into_iter().flatten().filter_map(|a| a[1].as_str());
    let rpm_destinations =
        metadata["generate-rpm"]["assets"].as_array().into_iter().flatten().filter_map(|a| a["dest"].as_str());
    for destination in deb_destinations.chain(rpm_destinations) {
        assert!(
            !destination.trim_start_matches('/').starts_with("etc/"),
            "Cargo.toml installs {destination}: the packages ship nothing under /etc (policy files belong to the admin)"
        );
    }
}
