//! Hello world in Tauri 2: a window with a static login form and nothing
//! behind it. scripts/bench-desktop measures the app against this.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("hello-tauri: {e}");
        std::process::exit(1);
    }
}
