//! Numbers and yes/no inside a server function's form, when its fields are one
//! input type (`#[server(flatten)] input: T`, the fields still named as before).
//! A form's fields arrive as text; serde hands a flattened field that text as it
//! is, where it would have parsed a number itself, so such a field reads with
//! `#[serde(deserialize_with = "crate::wire::number")]` (or `optional`): text or
//! a number (JSON), the same value either way.
use serde::de::Error;
use serde::{Deserialize, Deserializer};
use std::str::FromStr;

#[derive(Deserialize)]
#[serde(untagged)]
enum Given<T> {
    Value(T),
    Text(String),
}

fn parsed<T: FromStr, E: Error>(text: &str) -> Result<T, E> {
    text.trim()
        .parse()
        .map_err(|_| E::custom(format!("not a value of this field: {text:?}")))
}

/// A number (or `true`/`false`) given as text or as itself.
pub fn number<'de, D, T>(from: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr + Deserialize<'de>,
{
    match Given::<T>::deserialize(from)? {
        Given::Value(value) => Ok(value),
        Given::Text(text) => parsed(&text),
    }
}

/// The same, where an empty field (or none) means "not given". Goes with
/// `#[serde(default)]`, so that a missing field is `None` too.
pub fn optional<'de, D, T>(from: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr + Deserialize<'de>,
{
    match Option::<Given<T>>::deserialize(from)? {
        None => Ok(None),
        Some(Given::Value(value)) => Ok(Some(value)),
        Some(Given::Text(text)) if text.trim().is_empty() => Ok(None),
        Some(Given::Text(text)) => parsed(&text).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Settings {
        #[serde(deserialize_with = "super::number")]
        quorum: i64,
        #[serde(default, deserialize_with = "super::optional")]
        year: Option<i32>,
        #[serde(deserialize_with = "super::number")]
        confirmed: bool,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Form {
        id: String,
        #[serde(flatten)]
        settings: Settings,
    }

    fn form(json: &str) -> Result<Form, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn text_and_numbers_read_alike_inside_a_flattened_input() {
        let settings = |quorum, year| Settings {
            quorum,
            year,
            confirmed: true,
        };
        for (json, expected) in [
            (
                r#"{"id":"r","quorum":"-3","year":"2026","confirmed":"true"}"#,
                settings(-3, Some(2026)),
            ),
            (
                r#"{"id":"r","quorum":4,"year":2027,"confirmed":true}"#,
                settings(4, Some(2027)),
            ),
            (
                r#"{"id":"r","quorum":" 5 ","year":"","confirmed":"true"}"#,
                settings(5, None),
            ),
            (
                r#"{"id":"r","quorum":"5","confirmed":true}"#,
                settings(5, None),
            ),
        ] {
            assert_eq!(form(json).expect(json).settings, expected, "{json}");
        }
    }

    #[test]
    fn a_form_reads_as_the_server_reads_it() {
        let form: Form = serde_qs::Config::new(5, false)
            .deserialize_str("id=r&quorum=2&year=&confirmed=false")
            .expect("the form");
        let expected = Settings {
            quorum: 2,
            year: None,
            confirmed: false,
        };
        assert_eq!(form.settings, expected);
    }

    /// Why a service filters an empty optional text of such a form: through
    /// flatten it arrives as `Some("")`, not `None`.
    #[test]
    fn an_empty_optional_text_arrives_as_given() {
        #[derive(Debug, Deserialize)]
        struct Seat {
            phone: Option<String>,
        }
        #[derive(Debug, Deserialize)]
        struct Sent {
            #[serde(flatten)]
            seat: Seat,
        }
        let config = serde_qs::Config::new(5, false);
        let sent: Sent = config.deserialize_str("phone=").expect("the form");
        assert_eq!(sent.seat.phone.as_deref(), Some(""));
        let sent: Sent = config.deserialize_str("").expect("the form");
        assert_eq!(sent.seat.phone, None);
    }

    #[test]
    fn what_is_not_a_value_is_refused() {
        for json in [
            r#"{"id":"r","quorum":"ba","confirmed":true}"#,
            r#"{"id":"r","quorum":"1.5","confirmed":true}"#,
            r#"{"id":"r","quorum":1,"year":"2026x","confirmed":true}"#,
            r#"{"id":"r","quorum":1,"confirmed":"yes"}"#,
            r#"{"id":"r","quorum":[1],"confirmed":true}"#,
        ] {
            assert!(form(json).is_err(), "{json} was read");
        }
    }
}
