//! The TypeScript side of the commands: `ui/src/bindings.ts`, generated from
//! the Rust types (ts-rs) and the command list (`commands!`). A test renders it
//! and fails when the committed file differs; `scripts/bindings` writes it.

use crate::commands::{signatures, Sent, Startup};
use hik_client::{
    Camera, CameraList, Channel, CodePurpose, Device, DeviceList, ErrorCode, Home, LoginOutcome,
    QaView, Removed, Rule, Security, StartStage, Status, Terminal, Transport, WireError,
};
use hik_proto::policy::{PasswordCheck, PasswordFeedback};
use hik_proto::qa::{Activity, ScenarioInfo, ScenarioSetUp};
use hik_proto::qa::{OutboxMessage, QaFault};
use hik_proto::wire::{Area, CodeSent, Contact, Reason};
use hik_proto::CodeAlphabet;
use ts_rs::TS;

/// Where the file lives, from the workspace root.
pub const PATH: &str = "ui/src/bindings.ts";

/// `snake_case` to `camelCase`, as Tauri names command arguments for JavaScript.
fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.trim_start_matches('_').chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// TypeScript for a Rust type's name: `()` is `void`; 64-bit integers are
/// numbers (Unix seconds and counts, far below 2^53).
fn ts(name: &str) -> String {
    if name == "null" {
        "void".into()
    } else {
        name.replace("bigint", "number")
    }
}

macro_rules! declarations {
    ($($t:ty),* $(,)?) => {
        vec![$(format!("export {}", ts(&<$t as TS>::decl()))),*]
    };
}

/// The whole file.
pub fn render() -> String {
    let mut out = String::from(
        "// Generated from the Rust code (src-tauri/src/bindings.rs): the types that cross\n\
         // from Rust and every command. Do not edit; run scripts/bindings.\n\n",
    );
    let decls: Vec<String> = declarations![
        Startup,
        Status,
        Home,
        Contact,
        Area,
        CodeSent,
        Sent,
        LoginOutcome,
        Terminal,
        PasswordCheck,
        PasswordFeedback,
        DeviceList,
        Device,
        CameraList,
        Camera,
        Security,
        Removed,
        Activity,
        CodeAlphabet,
        ScenarioInfo,
        ScenarioSetUp,
        Channel,
        CodePurpose,
        QaView,
        OutboxMessage,
        QaFault,
        ErrorCode,
        Rule,
        Transport,
        StartStage,
        Reason,
        WireError,
    ];
    for d in decls {
        out.push_str(d.trim_end());
        if !d.trim_end().ends_with(';') {
            out.push(';');
        }
        out.push_str("\n\n");
    }
    out.push_str(
        "/** Calls a command by name; backend.ts supplies it (the only caller of Tauri). */\n\
         export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\n\
         /** Every command of the app, typed. */\n\
         export function commands(invoke: Invoke) {\n  return {\n",
    );
    for s in signatures() {
        let args: Vec<(String, String)> = s
            .args
            .iter()
            .map(|(name, ty)| (camel(name), ts(ty)))
            .collect();
        let params = args
            .iter()
            .map(|(n, t)| format!("{n}: {t}"))
            .collect::<Vec<_>>()
            .join(", ");
        let object = if args.is_empty() {
            String::new()
        } else {
            format!(
                ", {{ {} }}",
                args.iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        out.push_str(&format!(
            "    {}: ({params}) => invoke<{}>('{}'{object}),\n",
            camel(s.name),
            ts(&s.returns),
            s.name
        ));
    }
    out.push_str("  };\n}\n");
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn file() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(PATH)
    }

    /// `HIK_WRITE_BINDINGS=1` writes the file; otherwise it must be current.
    #[test]
    fn the_committed_bindings_are_current() {
        let rendered = render();
        if std::env::var_os("HIK_WRITE_BINDINGS").is_some() {
            std::fs::write(file(), &rendered).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(file()).unwrap_or_default();
        assert!(
            committed == rendered,
            "{PATH} is out of date with the Rust code: run scripts/bindings and commit it"
        );
    }

    #[test]
    fn every_command_is_bound_with_camel_case_arguments() {
        let rendered = render();
        for s in signatures() {
            assert!(rendered.contains(&format!("'{}'", s.name)), "{}", s.name);
        }
        assert!(rendered.contains(
            "changePassword: (oldPassword: string, newPassword: string) => invoke<void>('change_password', { oldPassword, newPassword }),"
        ));
        assert!(!rendered.contains("bigint"));
    }
}
