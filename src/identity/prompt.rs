//! The only place sealbox asks a person something: hidden passphrase and value prompts
//! and the `init` questions, all through dialoguer, and only when stdin and stderr are
//! terminals (scripts and CI never block on a prompt).

use std::io::IsTerminal;

/// Whether prompting is possible.
#[must_use]
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks for a passphrase without echo; `None` when not on a terminal or aborted.
#[must_use]
pub fn passphrase(prompt: &str) -> Option<String> {
    if !interactive() {
        return None;
    }
    dialoguer::Password::new()
        .with_prompt(prompt)
        .interact()
        .ok()
}

/// Asks for a new passphrase twice; empty means "no passphrase".
#[must_use]
pub fn new_passphrase() -> Option<String> {
    if !interactive() {
        return None;
    }
    dialoguer::Password::new()
        .with_prompt("Passphrase for the identity file (empty for none)")
        .with_confirmation("Repeat the passphrase", "The passphrases differ")
        .allow_empty_password(true)
        .interact()
        .ok()
}

/// Asks for a secret value without echo.
#[must_use]
pub fn secret_value(key: &str) -> Option<String> {
    if !interactive() {
        return None;
    }
    dialoguer::Password::new()
        .with_prompt(format!("Value for {key}"))
        .interact()
        .ok()
}

/// Asks a line of text with a default.
#[must_use]
pub fn text(prompt: &str, default: &str) -> Option<String> {
    if !interactive() {
        return None;
    }
    dialoguer::Input::<String>::new()
        .with_prompt(prompt)
        .default(default.to_owned())
        .interact_text()
        .ok()
}

/// Asks to pick one of `items`; returns its index.
#[must_use]
pub fn select(prompt: &str, items: &[&str], default: usize) -> Option<usize> {
    if !interactive() {
        return None;
    }
    dialoguer::Select::new()
        .with_prompt(prompt)
        .items(items)
        .default(default)
        .interact()
        .ok()
}

/// What age plugins may ask of the user (touch a key, a PIN, a choice): on the
/// terminal when there is one, declined otherwise.
#[derive(Clone, Copy, Debug)]
pub struct PluginUi;

impl age::Callbacks for PluginUi {
    fn display_message(&self, message: &str) {
        eprintln!("{message}");
    }

    fn confirm(&self, message: &str, yes_string: &str, no_string: Option<&str>) -> Option<bool> {
        let no = no_string.unwrap_or("no");
        select(message, &[yes_string, no], 0).map(|i| i == 0)
    }

    fn request_public_string(&self, description: &str) -> Option<String> {
        text(description, "")
    }

    fn request_passphrase(&self, description: &str) -> Option<age::secrecy::SecretString> {
        passphrase(description).map(age::secrecy::SecretString::from)
    }
}
