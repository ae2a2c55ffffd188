//! Tauri's build step, with the app's own commands in the permission system:
//! each gets an `allow-…` permission, and only what the capability in
//! `capabilities/main.json` grants may be called (by the main window only).
//! A test in src/commands.rs checks this list against the commands.

const COMMANDS: &[&str] = &[
    "start",
    "app_status",
    "resume",
    "sync_clock",
    "list_areas",
    "check_password",
    "request_sign_up_code",
    "sign_up",
    "login",
    "captcha",
    "send_captcha",
    "send_terminal_code",
    "submit_terminal_code",
    "send_terminal_removal_code",
    "remove_terminals",
    "request_password_reset_code",
    "reset_password",
    "cancel_login",
    "logout",
    "list_devices",
    "device_cameras",
    "security",
    "send_security_code",
    "confirm_contact_test",
    "set_two_step",
    "remove_account_terminals",
    "change_password",
    "change_contact",
    "delete_account",
    "qa_view",
    "qa_advance_clock",
    "qa_set_fault",
    "qa_clear_faults",
    "qa_scenario",
    "set_language",
    "open_qa_inbox",
];

/// The languages the app speaks: one per catalogue of the UI
/// (`ui/src/i18n/messages/<tag>.json`), English first, then the pseudo-locales
/// the UI's build makes from English; each with its window title (the
/// catalogue's `app.title`). Written to `OUT_DIR/languages.rs`.
fn languages() -> Result<(), String> {
    let dir = std::path::Path::new("../ui/src/i18n/messages");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut found: Vec<(String, String)> = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let Some(tag) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".json"))
        else {
            continue;
        };
        println!("cargo:rerun-if-changed={}", path.display());
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let catalogue: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let title = catalogue["app.title"]
            .as_str()
            .ok_or_else(|| format!("{} has no app.title", path.display()))?;
        found.push((tag.to_owned(), title.to_owned()));
    }
    found.sort_by_key(|(tag, _)| (tag != "en", tag.clone()));
    let english = found
        .first()
        .filter(|(tag, _)| tag == "en")
        .map(|(_, title)| title.clone())
        .ok_or("there is no English catalogue (en.json)")?;
    for pseudo in ["en-XA", "ar-XB"] {
        found.push((pseudo.to_owned(), english.clone()));
    }
    let tags: Vec<String> = found.iter().map(|(t, _)| format!("{t:?}")).collect();
    let titles: Vec<String> = found
        .iter()
        .map(|(t, title)| format!("        {t:?} => {title:?},"))
        .collect();
    let code = format!(
        "/// Every language the app speaks, English first.\n\
         pub const SPOKEN: &[&str] = &[{}];\n\n\
         /// The window's title in `tag`.\n\
         pub fn title(tag: &str) -> &'static str {{\n    match tag {{\n{}\n        _ => {english:?},\n    }}\n}}\n",
        tags.join(", "),
        titles.join("\n")
    );
    let out = std::path::Path::new(&std::env::var("OUT_DIR").map_err(|e| e.to_string())?)
        .join("languages.rs");
    std::fs::write(&out, code).map_err(|e| format!("{}: {e}", out.display()))
}

fn main() {
    if let Err(e) = languages() {
        eprintln!("the UI's languages: {e}");
        std::process::exit(1);
    }
    let built = tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    );
    if let Err(e) = built {
        // A build script reports failure by its exit status.
        eprintln!("tauri build step: {e:#}");
        std::process::exit(1);
    }
}
