//! The hydrate entry, nothing else: `app::hydrate` is exported to JavaScript
//! by `#[wasm_bindgen]` in the app crate and linked into this cdylib.
pub use app::*;

/// Room for the WASM splitter (wasm_split_cli_support 0.2, used by
/// `cargo leptos build --split`). When it lays out the read-only data of each
/// split module, alignment padding can make the relocated data segment a few
/// hundred bytes longer than the linked one; it then gives up and keeps the
/// whole segment (~240 KB, ~45 KB brotli) in the first download ("Overlong
/// segment 0 … putting it in main module"). These bytes are kept by the
/// linker (`#[used]`) but no code refers to them, so the splitter places them
/// in no module: they lengthen only the linked input, never what a browser
/// downloads. BENCHMARKS.md tells how this was found.
#[cfg(target_arch = "wasm32")]
#[used]
static SPLIT_LAYOUT_SLACK: [u8; 8192] = [0xA5; 8192];
