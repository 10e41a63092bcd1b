//! `uniffi-bindgen`, built from the workspace so the generator always matches the library.

fn main() {
    uniffi::uniffi_bindgen_main()
}
