//! The sops commands about a file's keys rather than its values: `updatekeys`
//! (make the key groups equal to the creation rule's, same data key), `groups
//! add|delete`, and `filestatus` (whether a file carries sops metadata).

use std::path::Path;

use super::args::SopsArgs;
use super::files::{current, dump_err, load, unwrap_key, wrap, write_result};
use super::{code, keys, sopsconf, Fail, Input};
use crate::commands::ctx::Ctx;
use crate::output::{self, NewMode};
use crate::recipients::Spec;
use crate::sops::{self, Sealed};

/// `sops filestatus FILE`: `{"encrypted":true|false}`.
pub(crate) fn filestatus(a: &SopsArgs) -> Result<u8, Fail> {
    if a.positional.is_empty() {
        return Err(Fail::new(
            code::NO_FILE_SPECIFIED,
            "Error: no file specified",
        ));
    }
    let input = Input::from_args(a, false)?;
    let format = input.in_format(a)?;
    let bytes = match &input.path {
        Some(p) => std::fs::read(p).map_err(|e| {
            Fail::usage(format!(
                "cannot check file status: cannot load encrypted file: Error reading file: {}: {e}",
                p.display()
            ))
        })?,
        None => input.read()?,
    };
    // Text the input type cannot read is an error (exit 1), as in sops; readable text
    // without sops metadata is a plain file.
    let tree = format.parse_encrypted(&bytes).map_err(|e| {
        Fail::usage(format!(
            "cannot check file status: cannot load encrypted file: {}: {e}",
            input.shown().display()
        ))
    })?;
    let encrypted = Sealed::from_tree(format, tree).ok().is_some_and(|s| {
        !s.meta.version.is_empty() && s.meta.mac.as_deref().is_some_and(|m| !m.is_empty())
    });
    println!("{{\"encrypted\":{encrypted}}}");
    Ok(0)
}

/// `sops updatekeys [-y] FILE…`: the key groups the creation rule names now, the
/// same data key (values, MAC and lastmodified untouched).
pub(crate) fn updatekeys(ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    if a.positional.is_empty() {
        return Err(Fail::new(
            code::NO_FILE_SPECIFIED,
            "Error: no file specified",
        ));
    }
    let mut failed = 0;
    for file in &a.positional {
        if let Err(f) = update_one(ctx, a, Path::new(file)) {
            eprintln!("{}", f.msg);
            if a.positional.len() == 1 {
                return Err(Fail::new(f.code, String::new()));
            }
            failed += 1;
        }
    }
    if failed > 0 {
        eprintln!("failed updating {failed} key(s)");
    }
    Ok(u8::from(failed > 0))
}

fn update_one(ctx: &Ctx, a: &SopsArgs, file: &Path) -> Result<(), Fail> {
    use std::io::Write as _;
    if std::fs::metadata(file).is_err() {
        let shown = crate::config::discover::go_abs(file);
        return Err(Fail::usage(format!(
            "stat {}: no such file or directory",
            shown.display()
        )));
    }
    let shown = crate::config::discover::go_abs(file);
    super::go_log(&format!("Syncing keys for file {}", shown.display()));
    let rule = keys::creation_rule(a, file)?;
    let input = Input {
        path: Some(file.to_owned()),
        name: file.to_owned(),
    };
    let _lock = crate::lock::lock(file).map_err(Fail::from)?;
    let format = input.in_format(a)?;
    let bytes = input.read()?;
    let sealed = load(file, format, &bytes)?;
    let have: Vec<Vec<String>> = sealed
        .meta
        .groups
        .iter()
        .map(|g| g.iter().map(stanza_id).collect())
        .collect();
    let want_specs = rule.groups.clone();
    let want: Vec<Vec<String>> = want_specs
        .iter()
        .map(|g| g.iter().map(spec_id).collect())
        .collect();
    let threshold = if want.len() > 1 {
        rule.shamir_threshold
    } else {
        0
    };
    // sops 3.11 looks at the keys only: a threshold that alone differs is left as is.
    if have == want {
        super::go_log(&format!("File {} already up to date", shown.display()));
        return Ok(());
    }
    let mut diff = String::from("The following changes will be made to the file's groups:\n");
    for i in 0..have.len().max(want.len()) {
        let (h, w) = (have.get(i), want.get(i));
        diff.push_str(&format!("Group {}\n", i + 1));
        for k in w.into_iter().flatten() {
            let mark = if h.is_some_and(|h| h.contains(k)) {
                "    "
            } else {
                "+++ "
            };
            diff.push_str(&format!("{mark}{k}\n"));
        }
        for k in h.into_iter().flatten() {
            if !w.is_some_and(|w| w.contains(k)) {
                diff.push_str(&format!("--- {k}\n"));
            }
        }
    }
    print!("{diff}");
    if !a.on("yes") {
        // Asked again until the answer is `y` or `n`, exactly (sops' loop).
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        loop {
            print!("Is this okay? (y/n):");
            let _ = std::io::stdout().flush();
            match super::scan_word(&mut input)?.as_str() {
                "y" => break,
                "n" => {
                    super::go_log(&format!("File {} left unchanged", shown.display()));
                    return Ok(());
                }
                _ => {}
            }
        }
    }
    if want_specs.is_empty() || want_specs.iter().any(Vec::is_empty) {
        return Err(Fail::usage(format!(
            "error updating one or more master keys: [empty key group provided]: the creation rule for {} leaves a key group without keys",
            file.display()
        )));
    }
    let key = unwrap_key(ctx, file, &sealed)?;
    let mut meta = sealed.meta.clone();
    meta.groups = wrap(&key, &want_specs, threshold)?;
    meta.shamir_threshold = threshold;
    let out = Sealed {
        tree: sealed.tree,
        meta,
    }
    .into_bytes_with(format, sopsconf::indent(a, format)?)
    .map_err(|e| dump_err(format, &e))?;
    output::write_atomic(file, &out, NewMode::AsSops).map_err(|e| {
        Fail::new(
            code::COULD_NOT_WRITE_OUTPUT_FILE,
            format!("Could not write {}: {e}", file.display()),
        )
    })?;
    super::go_log(&format!("File {} synced with new keys", shown.display()));
    Ok(())
}

/// The identifier updatekeys shows and compares for a stanza.
fn stanza_id(k: &sops::MasterKey) -> String {
    match Spec::from_master_key(k) {
        Ok(s) => spec_id(&s),
        Err(_) => k
            .field("fp")
            .or_else(|| k.field("key_id"))
            .map_or_else(|| k.describe(), str::to_owned),
    }
}

fn spec_id(s: &Spec) -> String {
    match s {
        Spec::Age(r) => r.clone(),
        other => other
            .key_id()
            .split_once(' ')
            .map_or_else(|| other.key_id(), |(_, id)| id.to_owned()),
    }
}

const GROUPS_HELP: &str = "NAME:
   sops groups - modify the groups on a SOPS file

USAGE:
   sops groups command [command options] [arguments...]

COMMANDS:
   add     add a new group to a SOPS file
   delete  delete a key group from a SOPS file
";

/// `sops groups add|delete --file F [-i] …`.
pub(crate) fn groups(ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    match a.sub.as_deref() {
        None => {
            print!("{GROUPS_HELP}");
            return Ok(0);
        }
        Some("add") => {}
        Some("delete") if a.positional.len() == 1 => {}
        Some("delete") => {
            return Err(Fail::usage(
                "error: exactly one positional argument (index) required",
            ))
        }
        // urfave's answer for an unknown sub-subcommand.
        Some(other) => return Err(Fail::new(3, format!("No help topic for '{other}'"))),
    }
    let file = a.get("file").unwrap_or_default();
    if file.is_empty() {
        return Err(Fail::new(
            code::COULD_NOT_READ_INPUT_FILE,
            "Error reading file: open : no such file or directory (pass --file FILE)",
        ));
    }
    if std::fs::metadata(&file).is_err() {
        return Err(Fail::new(
            code::COULD_NOT_READ_INPUT_FILE,
            format!("Error reading file: open {file}: no such file or directory"),
        ));
    }
    let input = Input {
        path: Some(file.clone().into()),
        name: file.into(),
    };
    let path = input.shown().to_owned();
    let format = input.in_format(a)?;
    let bytes = input.read()?;
    let sealed = load(&path, format, &bytes)?;
    // sops exits 1 here (not 128) when the data key cannot be had.
    let key = unwrap_key(ctx, &path, &sealed).map_err(|mut f| {
        f.code = code::ERROR_GENERIC;
        f
    })?;
    let mut groups = current(&path, &sealed.meta)?;
    match a.sub.as_deref() {
        Some("add") => {
            let new = keys::flag_specs(a, "")?;
            if new.is_empty() {
                return Err(Fail::usage(
                    "Error: groups add needs at least one key (--age, --kms, …)",
                ));
            }
            groups.push(new);
        }
        Some("delete") => {
            let idx: usize = a
                .positional
                .first()
                .and_then(|i| i.parse().ok())
                .ok_or_else(|| Fail::usage("Error: groups delete takes the group's INDEX"))?;
            if idx >= groups.len() {
                return Err(Fail::usage(format!(
                    "Error: the file has {} key groups; there is no group {idx}",
                    groups.len()
                )));
            }
            groups.remove(idx);
            if sealed.meta.shamir_threshold > groups.len()
                && a.get("shamir-secret-sharing-threshold").is_none()
            {
                return Err(Fail::usage(format!(
                    "removing this key group will make the Shamir threshold impossible to satisfy: Shamir threshold is {}, but we only have {} key groups",
                    sealed.meta.shamir_threshold,
                    groups.len()
                )));
            }
        }
        _ => {
            return Err(Fail::usage(
                "Error: use `sops groups add` or `sops groups delete`",
            ))
        }
    }
    let flag = a
        .get("shamir-secret-sharing-threshold")
        .and_then(|t| t.parse::<usize>().ok());
    let threshold = if groups.len() > 1 {
        flag.unwrap_or(if sealed.meta.shamir_threshold > 0 {
            sealed.meta.shamir_threshold.min(groups.len())
        } else {
            groups.len()
        })
    } else {
        0
    };
    if threshold > groups.len() {
        return Err(Fail::usage(format!(
            "Error: the Shamir threshold {threshold} is higher than the number of key groups ({})",
            groups.len()
        )));
    }
    let mut meta = sealed.meta.clone();
    meta.groups = wrap(&key, &groups, threshold)?;
    meta.shamir_threshold = threshold;
    let out = Sealed {
        tree: sealed.tree,
        meta,
    }
    .into_bytes_with(format, sopsconf::indent(a, format)?)
    .map_err(|e| dump_err(format, &e))?;
    write_result(a, &input, &out, NewMode::AsSops)?;
    Ok(0)
}
