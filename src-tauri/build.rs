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

fn main() {
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
