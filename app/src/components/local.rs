//! The device's own storage: `sao.*` keys of the page's local storage, read and
//! written as JSON (what this version cannot read counts as nothing), and the
//! random ids a device gives what it records offline. Browser only.
use leptos::prelude::window;

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// What the device keeps under `key`, if this version reads it.
pub fn read<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
}

/// The same, the empty value when there is nothing (readable) there.
pub fn read_or_default<T: serde::de::DeserializeOwned + Default>(key: &str) -> T {
    read(key).unwrap_or_default()
}

pub fn write<T: serde::Serialize + ?Sized>(key: &str, value: &T) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, &serde_json::to_string(value).unwrap_or_default());
    }
}

/// Sixteen hex digits of the browser's randomness.
pub fn random_id() -> String {
    format!(
        "{:08x}{:08x}",
        (js_sys::Math::random() * 4_294_967_296.0) as u64,
        (js_sys::Math::random() * 4_294_967_296.0) as u64
    )
}
