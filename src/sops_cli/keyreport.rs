//! sops' report when no master key recovers a file's data key (exit 128): every key
//! group, every key that failed and why, in sops' words and layout (its reasons
//! wrapped at 60 columns behind `| `, its closing paragraph at 75), so that programs
//! that look for sops' phrases on stderr find them, and people find what they know.
//! An age key's reason is built from where sops looks for age identities and what
//! each place held ([`crate::identity::SopsPlaces`]).

use crate::identity::{Held, Identities};
use crate::output::escape_name;
use crate::recipients::{KeyAttempt, UnwrapFailure};

/// The report's lines, or `None` when the failure is not about the keys (a file with
/// no master key at all, a data key of the wrong size).
pub(crate) fn report(fail: &UnwrapFailure, ids: &Identities) -> Option<Vec<String>> {
    if fail.groups.is_empty() {
        return None;
    }
    let mut lines =
        vec!["Failed to get the data key required to decrypt the SOPS file.".to_owned()];
    for (i, group) in fail.groups.iter().enumerate() {
        lines.push(String::new());
        if group.opened {
            lines.push(format!("Group {i}: SUCCESS"));
            continue;
        }
        lines.push(format!("Group {i}: FAILED"));
        for (k, key) in group.failed.iter().enumerate() {
            if k > 0 {
                lines.push("  ".to_owned());
            }
            lines.push(format!("  {}: FAILED", escape_name(&key.name)));
            let why: Vec<String> = reason(key, ids).split('\n').map(escape_name).collect();
            for (j, line) in wrap(&why.join("\n"), 60).split('\n').enumerate() {
                let mark = if j == 0 { "    - | " } else { "      | " };
                lines.push(format!("{mark}{line}"));
            }
        }
    }
    let trailer = if fail.groups.len() <= 1 {
        "Recovery failed because no master key was able to decrypt the file. In order for \
         SOPS to recover the file, at least one key has to be successful, but none were."
            .to_owned()
    } else {
        let opened = fail.groups.iter().filter(|g| g.opened).count();
        let need = fail.needed;
        format!(
            "Recovery failed because the file was encrypted with a Shamir threshold of \
             {need}, but only {opened} part(s) were successfully recovered, one for each \
             successful key group. In order for SOPS to recover the file, at least {need} \
             groups have to be successful. In order for a group to be successful, \
             decryption has to succeed with any of the keys in that key group."
        )
    };
    lines.push(String::new());
    lines.extend(wrap(&trailer, 75).split('\n').map(str::to_owned));
    Some(lines)
}

/// Why `key` failed: for an age key, sops' account of the identities and the places it
/// looked (a key command's failure among them); otherwise the backend's words.
fn reason(key: &KeyAttempt, ids: &Identities) -> String {
    match &key.problem {
        _ if key.kind == "age" => age_reason(ids, &key.name),
        Some(gpg) if key.kind == "pgp" => pgp_reason(gpg),
        Some(p) => p.clone(),
        None => "no identity could decrypt this key".to_owned(),
    }
}

/// sops 3.11's message for a PGP key: its Go OpenPGP library's failure to read the
/// legacy keyring (`pubring.gpg`, which GnuPG 2.1 and later no longer write), then
/// what gpg said.
fn pgp_reason(gpg: &str) -> String {
    let home = std::env::var_os("GNUPGHOME")
        .filter(|h| !h.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".gnupg")))
        .unwrap_or_default();
    let ring = home.join("pubring.gpg");
    let library = match std::fs::metadata(&ring) {
        Err(e) => format!(
            "could not load secring: open {}: {}",
            ring.display(),
            crate::identity::go_error_text(&e)
        ),
        Ok(_) => "no secret key in the legacy keyring".to_owned(),
    };
    format!(
        "could not decrypt data key with PGP key: github.com/ProtonMail/go-crypto/openpgp \
         error: {library}; GnuPG binary error: failed to decrypt sops data key with pgp: {gpg}"
    )
}

/// sops 3.11's message for an age key: how many identities were tried (or that none
/// loaded), the errors met while loading them, and the places that held none, in the
/// order sops looks at them.
fn age_reason(ids: &Identities, recipient: &str) -> String {
    let places = &ids.sops_places;
    let mut unused: Vec<String> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    // What the readers held is only learned after every place is opened: their
    // errors and empty ones come last.
    let mut late_unused: Vec<String> = Vec::new();
    let mut late_errors: Vec<String> = Vec::new();
    let mut found = 0;
    let mut readers = 0;
    let mut read = |name: &str, held: &Held, found: &mut usize| match held {
        Held::Keys(n) => *found += n,
        Held::Nothing => late_unused.push(name.to_owned()),
        Held::Unreadable(e) | Held::Unparsable(e) => {
            late_errors.push(format!("failed to parse '{name}' age identities: {e}"));
        }
    };
    for (name, held) in &places.ssh {
        match held {
            None | Some(Held::Nothing) => unused.push(name.clone()),
            Some(Held::Keys(n)) => found += n,
            Some(Held::Unreadable(e) | Held::Unparsable(e)) => {
                errors.push(format!("failed to parse SSH key file {name}: {e}"));
            }
        }
    }
    let ssh_found = found;
    match &places.key {
        None => unused.push("SOPS_AGE_KEY".to_owned()),
        Some(held) => {
            readers += 1;
            read("SOPS_AGE_KEY", held, &mut found);
        }
    }
    match &places.key_file {
        None => unused.push("SOPS_AGE_KEY_FILE".to_owned()),
        Some((path, Held::Unreadable(e))) => {
            errors.push(format!(
                "failed to open SOPS_AGE_KEY_FILE file: open {path}: {e}"
            ));
        }
        Some((_, held)) => {
            readers += 1;
            read("SOPS_AGE_KEY_FILE", held, &mut found);
        }
    }
    let cmd = ids.key_cmds.iter().find(|k| k.var() == "SOPS_AGE_KEY_CMD");
    match cmd.map(|k| k.held_for(recipient)) {
        None => unused.push("SOPS_AGE_KEY_CMD".to_owned()),
        Some(Some(Held::Unreadable(e))) => errors.push(e),
        Some(Some(held)) => {
            readers += 1;
            read("SOPS_AGE_KEY_CMD", &held, &mut found);
        }
        Some(None) => readers += 1,
    }
    match &places.keys_txt {
        (Some(path), None) => {
            if readers == 0 && ssh_found == 0 {
                unused.push(path.clone());
            }
        }
        (Some(path), Some(Held::Unreadable(e))) => errors.push(format!("open {path}: {e}")),
        (Some(path), Some(held)) => read(path, held, &mut found),
        (None, _) => {}
    }
    errors.append(&mut late_errors);
    unused.append(&mut late_unused);
    // The plugin identities are tried as identities too.
    let mut msg = match found + ids.plugins.len() {
        0 => "failed to load age identities".to_owned(),
        1 => "failed to create reader for decrypting sops data key with age: identity did \
              not match any of the recipients: incorrect identity for recipient block"
            .to_owned(),
        _ => "failed to create reader for decrypting sops data key with age: no identity \
              matched any of the recipients"
            .to_owned(),
    };
    if !errors.is_empty() {
        msg.push_str(". Errors while loading age identities: ");
        msg.push_str(&errors.join("; "));
    }
    if !unused.is_empty() {
        let s = if unused.len() == 1 { "" } else { "s" };
        msg.push_str(&format!(
            ". Did not find keys in location{s} {}",
            go_list(&unused)
        ));
    }
    if !errors.is_empty() || !unused.is_empty() {
        msg.push('.');
    }
    msg
}

/// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`.
fn go_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("'{i}'")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

/// Wraps `text` at `limit` columns as Go's `wordwrap.WrapString` does: breaks at
/// spaces, a word longer than the limit stands alone on its line, and the spaces where
/// a line breaks are dropped.
fn wrap(text: &str, limit: usize) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut current = 0;
    let (mut word, mut space) = (Run::default(), Run::default());
    for c in text.chars() {
        if c == '\n' {
            end_line(&mut out, &mut space, &mut word, current, limit);
            out.push('\n');
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if space.len == 0 || word.len > 0 {
                current += space.len + word.len;
                space.drain_into(&mut out);
                word.drain_into(&mut out);
            }
            space.push(c);
        } else {
            word.push(c);
            if current + space.len + word.len > limit && word.len < limit {
                out.push('\n');
                current = 0;
                space.clear();
            }
        }
    }
    end_line(&mut out, &mut space, &mut word, current, limit);
    out
}

/// Characters waiting to be written, counted.
#[derive(Default)]
struct Run {
    text: String,
    len: usize,
}

impl Run {
    fn push(&mut self, c: char) {
        self.text.push(c);
        self.len += 1;
    }

    fn clear(&mut self) {
        self.text.clear();
        self.len = 0;
    }

    fn drain_into(&mut self, out: &mut String) {
        out.push_str(&self.text);
        self.clear();
    }
}

/// The end of a line or of the text: the pending word, and the spaces before it (with
/// no word, only where they fit).
fn end_line(out: &mut String, space: &mut Run, word: &mut Run, current: usize, limit: usize) {
    if word.len == 0 && current + space.len > limit {
        space.clear();
    }
    space.drain_into(out);
    word.drain_into(out);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// sops' own wrapping of its age message and of its closing paragraph.
    #[test]
    fn wraps_as_go_wordwrap() {
        let text = "failed to create reader for decrypting sops data key with age: identity \
                    did not match any of the recipients: incorrect identity for recipient \
                    block. Did not find keys in locations 'SOPS_AGE_SSH_PRIVATE_KEY_FILE', \
                    '/tmp/q/e128/home/.ssh/id_ed25519', '/tmp/q/e128/home/.ssh/id_rsa', \
                    'SOPS_AGE_KEY', and 'SOPS_AGE_KEY_CMD'.";
        assert_eq!(
            wrap(text, 60),
            "failed to create reader for decrypting sops data key with\n\
             age: identity did not match any of the recipients: incorrect\n\
             identity for recipient block. Did not find keys in locations\n\
             'SOPS_AGE_SSH_PRIVATE_KEY_FILE',\n\
             '/tmp/q/e128/home/.ssh/id_ed25519',\n\
             '/tmp/q/e128/home/.ssh/id_rsa', 'SOPS_AGE_KEY', and\n\
             'SOPS_AGE_KEY_CMD'."
        );
        let long = "x".repeat(70);
        assert_eq!(wrap(&format!("a {long} b"), 60), format!("a\n{long}\nb"));
    }

    #[test]
    fn lists_as_sops_joins_them() {
        let items = |n: usize| (0..n).map(|i| i.to_string()).collect::<Vec<_>>();
        assert_eq!(go_list(&items(1)), "'0'");
        assert_eq!(go_list(&items(2)), "'0' and '1'");
        assert_eq!(go_list(&items(3)), "'0', '1', and '2'");
    }
}
