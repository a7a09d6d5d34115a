//! Which flags each sops subcommand defines (sops 3.11's `--help`), and urfave/cli
//! v1's argument reordering for subcommands: a subcommand's own flags given after
//! its file are moved in front of it (a flag without `=` takes the next argument
//! along when that does not start with `-`), anything else stays positional. The
//! legacy single-command form is not reordered. Called by `args`.

const KEYSERVICE: [&str; 2] = ["enable-local-keyservice", "keyservice"];
const NEW_KEYS: [&str; 8] = [
    "kms",
    "aws-profile",
    "gcp-kms",
    "hckms",
    "azure-kv",
    "hc-vault-transit",
    "pgp",
    "age",
];
const SELECTORS: [&str; 4] = [
    "unencrypted-suffix",
    "encrypted-suffix",
    "unencrypted-regex",
    "encrypted-regex",
];

/// The long names of the flags `command` (`sub` for `groups add|delete`) defines,
/// `--help` included; None for commands whose flags are not checked.
#[must_use]
pub(crate) fn of(command: &str, sub: Option<&str>) -> Option<Vec<&'static str>> {
    let mut f: Vec<&'static str> = vec!["help"];
    match (command, sub) {
        ("encrypt", _) => {
            f.extend(["in-place", "output"]);
            f.extend(NEW_KEYS);
            f.extend(["input-type", "output-type"]);
            f.extend(SELECTORS);
            f.extend([
                "encryption-context",
                "shamir-secret-sharing-threshold",
                "filename-override",
            ]);
            f.extend(KEYSERVICE);
        }
        ("decrypt", _) => {
            f.extend([
                "in-place",
                "extract",
                "output",
                "input-type",
                "output-type",
                "ignore-mac",
                "filename-override",
                "decryption-order",
            ]);
            f.extend(KEYSERVICE);
        }
        ("edit", _) => {
            f.extend(NEW_KEYS);
            f.extend(["input-type", "output-type"]);
            f.extend(SELECTORS);
            f.extend([
                "encryption-context",
                "shamir-secret-sharing-threshold",
                "show-master-keys",
                "ignore-mac",
                "decryption-order",
            ]);
            f.extend(KEYSERVICE);
        }
        ("rotate", _) => {
            f.extend([
                "in-place",
                "output",
                "input-type",
                "output-type",
                "encryption-context",
                "add-gcp-kms",
                "rm-gcp-kms",
                "add-hckms",
                "rm-hckms",
                "add-azure-kv",
                "rm-azure-kv",
                "add-kms",
                "rm-kms",
                "add-hc-vault-transit",
                "rm-hc-vault-transit",
                "add-age",
                "rm-age",
                "add-pgp",
                "rm-pgp",
                "filename-override",
                "decryption-order",
            ]);
            f.extend(KEYSERVICE);
        }
        ("set" | "unset", _) => {
            f.extend(["input-type", "output-type"]);
            if command == "set" {
                f.extend(["value-file", "value-stdin"]);
            }
            f.extend([
                "shamir-secret-sharing-threshold",
                "ignore-mac",
                "decryption-order",
                "idempotent",
            ]);
            f.extend(KEYSERVICE);
        }
        ("updatekeys", _) => {
            f.extend(["yes", "input-type"]);
            f.extend(KEYSERVICE);
        }
        ("exec-env", _) => {
            f.extend([
                "background",
                "pristine",
                "user",
                "same-process",
                "decryption-order",
            ]);
            f.extend(KEYSERVICE);
        }
        ("exec-file", _) => {
            f.extend([
                "background",
                "no-fifo",
                "user",
                "input-type",
                "output-type",
                "filename",
                "decryption-order",
            ]);
            f.extend(KEYSERVICE);
        }
        ("filestatus", _) => f.push("input-type"),
        ("publish", _) => {
            f.extend([
                "yes",
                "omit-extensions",
                "recursive",
                "verbose",
                "decryption-order",
            ]);
            f.extend(KEYSERVICE);
        }
        ("keyservice", _) => f.extend(["network", "address", "prompt", "verbose"]),
        ("groups", Some("add")) => {
            f.push("file");
            f.extend(NEW_KEYS);
            f.extend([
                "in-place",
                "shamir-secret-sharing-threshold",
                "encryption-context",
            ]);
            f.extend(KEYSERVICE);
        }
        ("groups", Some("delete")) => {
            f.extend(["file", "in-place", "shamir-secret-sharing-threshold"]);
            f.extend(KEYSERVICE);
        }
        _ => return None,
    }
    Some(f)
}

/// urfave/cli v1.22's `reorderArgs`: `is_flag` says whether a name is one of the
/// command's flags. The command's flags (with the argument after each that is not
/// itself one of them: urfave cannot tell a bool flag from one with a value) move in
/// front of the other arguments; a `--` goes first among those, and ends reordering.
#[must_use]
pub(crate) fn reorder(args: &[String], is_flag: impl Fn(&str) -> bool) -> Vec<String> {
    let arg_is_flag =
        |a: &str| a != "-" && a != "--" && a.starts_with('-') && is_flag(flag_name(a));
    let mut flags = Vec::new();
    let mut rest = Vec::new();
    let mut may_take_value = false;
    for (i, arg) in args.iter().enumerate() {
        if may_take_value && !arg_is_flag(arg) {
            may_take_value = false;
            flags.push(arg.clone());
        } else if arg == "--" {
            rest.insert(0, arg.clone());
            rest.extend_from_slice(&args[i + 1..]);
            break;
        } else if arg_is_flag(arg) {
            flags.push(arg.clone());
            may_take_value = !arg.contains('=');
        } else {
            rest.push(arg.clone());
        }
    }
    flags.extend(rest);
    flags
}

/// `--name=v` → `name`.
fn flag_name(arg: &str) -> &str {
    let body = arg
        .strip_prefix("--")
        .unwrap_or_else(|| arg.strip_prefix('-').unwrap_or(arg));
    body.split('=').next().unwrap_or(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn flags_after_the_file_move_in_front_like_urfave() {
        let f = |n: &str| ["output-type", "ignore-mac", "i"].contains(&n);
        assert_eq!(
            reorder(&v(&["e.yaml", "--output-type", "json"]), f),
            v(&["--output-type", "json", "e.yaml"])
        );
        // A bool flag takes the next argument along (urfave's quirk).
        assert_eq!(
            reorder(&v(&["e.yaml", "--ignore-mac", "x"]), f),
            v(&["--ignore-mac", "x", "e.yaml"])
        );
        // An unknown flag after a flag is taken as its value, and so reaches the
        // parser (which refuses it, as sops does).
        assert_eq!(
            reorder(&v(&["--ignore-mac", "--bogus", "e.yaml"]), f),
            v(&["--ignore-mac", "--bogus", "e.yaml"])
        );
        assert_eq!(
            reorder(&v(&["e.yaml", "--bogus", "--", "-i"]), f),
            v(&["--", "e.yaml", "--bogus", "-i"])
        );
        assert!(of("decrypt", None).unwrap().contains(&"extract"));
        assert!(of("completion", None).is_none());
    }
}
