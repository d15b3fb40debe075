//! The hydrate entry, nothing else: `app::hydrate` is exported to JavaScript
//! by `#[wasm_bindgen]` in the app crate and linked into this cdylib.
pub use app::*;
