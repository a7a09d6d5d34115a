//! `sops publish [-y] [--recursive] [--omit-extensions] FILE|DIR`: sends decrypted
//! files to the destination their `.sops.yaml` `destination_rules` entry names. Vault /
//! OpenBao KV (v1 or v2) gets the decrypted tree as the entry's data, through
//! `managers::vault`, the client `sealbox push` uses; S3 and GCS destinations are
//! refused with a one-line message. Paths and prompts follow sops 3.11.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::args::SopsArgs;
use super::files::{load, unwrap_key};
use super::sopsconf::{self, DestRule};
use super::{code, Fail};
use crate::commands::ctx::Ctx;
use crate::config::discover::{go_abs, go_clean};
use crate::managers::vault::{self, KvEntry};
use crate::store::{Format, Indent, Tree, Value};

/// What one run of publish was asked to do.
struct Job<'a> {
    ctx: &'a Ctx,
    rules: &'a [DestRule],
    yes: bool,
    recursive: bool,
    omit_extensions: bool,
    /// The directory given with `--recursive` (absolute), else None.
    root: Option<PathBuf>,
}

/// `sops publish`.
pub(crate) fn publish(ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    let Some(given) = a.positional.first() else {
        return Err(Fail::new(
            code::NO_FILE_SPECIFIED,
            "Error: no file specified",
        ));
    };
    let meta = std::fs::metadata(given)
        .map_err(|e| Fail::usage(format!("stat {given}: {}", io_words(&e))))?;
    let recursive = a.on("recursive");
    if meta.is_dir() && !recursive {
        return Err(Fail::usage(
            "can't operate on a directory without --recursive flag.",
        ));
    }
    let conf = sopsconf::load(a)?;
    if conf.path.is_none() {
        return Err(Fail::usage(
            "error loading config: config file not found (no .sops.yaml in the working directory or above; pass --config FILE)",
        ));
    }
    let job = Job {
        ctx,
        rules: &conf.destination_rules,
        yes: a.on("yes"),
        recursive,
        omit_extensions: a.on("omit-extensions"),
        root: recursive.then(|| go_abs(Path::new(given))),
    };
    let mut files = Vec::new();
    if meta.is_dir() {
        walk(Path::new(given), &mut files)?;
    } else {
        files.push(PathBuf::from(given));
    }
    for f in &files {
        job.one(f)?;
    }
    Ok(0)
}

/// Go's wording for the common I/O errors (sops prints them as `stat F: …`).
fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

/// `dir`'s files at any depth in lexical order, as Go's `filepath.Walk` visits them
/// (hidden files included, links not followed into directories).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Fail> {
    let read = std::fs::read_dir(dir)
        .map_err(|e| Fail::usage(format!("open {}: {}", dir.display(), io_words(&e))))?;
    let mut names: Vec<_> = read.filter_map(Result::ok).map(|e| e.file_name()).collect();
    names.sort();
    for name in names {
        let p = join_clean(dir, &name);
        let is_dir = std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir());
        if is_dir {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// `dir/name` without a leading `./` (Go's `filepath.Join` cleans it away, and the
/// rules' `path_regex` sees the cleaned path).
fn join_clean(dir: &Path, name: &std::ffi::OsStr) -> PathBuf {
    go_clean(&dir.join(name))
}

/// `name` without its last extension (Go's `filepath.Ext`).
fn trim_ext(name: &str) -> &str {
    let base_start = name.rfind('/').map_or(0, |i| i + 1);
    match name[base_start..].rfind('.') {
        Some(i) => &name[..base_start + i],
        None => name,
    }
}

impl Job<'_> {
    fn rule_for(&self, file: &Path) -> Result<&DestRule, Fail> {
        let text = file.to_string_lossy();
        for (i, r) in self.rules.iter().enumerate() {
            let Some(pattern) = &r.path_regex else {
                return Ok(r);
            };
            let re = super::sopsconf::go_regex(pattern).map_err(|_| {
                Fail::new(
                    code::ERROR_GENERIC,
                    format!(
                        "error loading config: destination_rules[{i}].path_regex is not a valid regular expression"
                    ),
                )
            })?;
            if re.is_match(&text) {
                return Ok(r);
            }
        }
        Err(Fail::usage(
            "error loading config: no matching destination found in config",
        ))
    }

    fn one(&self, file: &Path) -> Result<(), Fail> {
        let rule = self.rule_for(file)?;
        let kinds = [
            !rule.s3_bucket.is_empty(),
            !rule.gcs_bucket.is_empty(),
            !rule.vault_path.is_empty(),
        ];
        if kinds.iter().filter(|k| **k).count() > 1 {
            return Err(Fail::usage(
                "error loading config: more than one destinations were found in a single destination rule, you can only use one per rule",
            ));
        }
        let abs = go_abs(file);
        let base = abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let omit = self.omit_extensions || rule.omit_extensions;
        // sops trims the file's own extension from whatever name it built.
        let ext = &base[trim_ext(&base).len()..];
        let drop_ext = |n: &str| n.strip_suffix(ext).unwrap_or(n).to_owned();
        let dest_name = match &self.root {
            Some(root) => {
                let rel = abs.strip_prefix(root).unwrap_or(&abs).to_string_lossy();
                // Go's filepath.Rel of a path to itself.
                let rel = if rel.is_empty() { ".".into() } else { rel };
                if omit {
                    drop_ext(&rel)
                } else {
                    rel.into_owned()
                }
            }
            None if omit => drop_ext(&base),
            None => base,
        };
        if kinds[0] || kinds[1] {
            let (what, key) = if kinds[0] {
                ("S3", "s3_bucket")
            } else {
                ("Google Cloud Storage", "gcs_bucket")
            };
            return Err(Fail::usage(format!(
                "{}: publishing to {what} ({key} in .sops.yaml destination_rules) is not supported by sealbox; only vault_path destinations are; use the real sops to publish to {what}",
                file.display()
            )));
        }
        if !kinds[2] {
            return Err(Fail::usage("no destination configured for this file"));
        }
        let entry = kv_entry(rule, &dest_name);
        let format = Format::from_path(file);
        let bytes = crate::commands::open::read(file)
            .map_err(|e| Fail::new(code::COULD_NOT_READ_INPUT_FILE, format!("Error: {e}")))?;
        let sealed = load(file, format, &bytes).map_err(|mut f| {
            if f.msg.starts_with("sops metadata not found") {
                f.msg = format!("sops metadata not found ({})", file.display());
            }
            f
        })?;
        if !self.yes && !self.confirm(&abs, &entry)? {
            let msg = format!("Publication of {} canceled", abs.display());
            if self.recursive {
                // sops goes on with the next file, saying so on stdout.
                println!("{msg}");
                return Ok(());
            }
            return Err(Fail::usage(msg));
        }
        let key = unwrap_key(self.ctx, file, &sealed)?;
        let opened = sealed
            .into_plaintext(&key, false)
            .map_err(|e| Fail::sops(file, e))?;
        let object = data_object(&opened.tree)?;
        vault::write_object(&entry, &object).map_err(|e| {
            Fail::usage(format!(
                "{}: publishing to {} failed: {e}",
                file.display(),
                shown_url(&entry)
            ))
        })?;
        let _ = self.ctx.audit(crate::audit::Event {
            command: "sops publish",
            files: vec![file.to_owned()],
            ..Default::default()
        });
        Ok(())
    }

    /// sops' question on stdout; `y` or `n` (asked again for anything else).
    fn confirm(&self, abs: &Path, entry: &KvEntry) -> Result<bool, Fail> {
        let stdin = std::io::stdin();
        let mut lines = stdin.lock();
        loop {
            print!(
                "uploading {} to {} ? (y/n): ",
                abs.display(),
                shown_url(entry)
            );
            let _ = std::io::stdout().flush();
            match super::scan_word(&mut lines)?.as_str() {
                "y" => return Ok(true),
                "n" => return Ok(false),
                _ => {}
            }
        }
    }
}

/// The KV entry a Vault rule names for `name`, with sops' defaults (mount `secret/`,
/// KV version 2) and its path joining (`vault_path` gets a trailing slash).
fn kv_entry(rule: &DestRule, name: &str) -> KvEntry {
    let mut vpath = rule.vault_path.clone();
    if !vpath.ends_with('/') {
        vpath.push('/');
    }
    let mount = if rule.vault_kv_mount_name.is_empty() {
        "secret/".to_owned()
    } else {
        rule.vault_kv_mount_name.clone()
    };
    // No address anywhere: the Vault client's default, where sops also sends it.
    let env_addr = ["VAULT_ADDR", "BAO_ADDR"]
        .iter()
        .any(|v| std::env::var(v).is_ok_and(|a| !a.trim().is_empty()));
    let address = if rule.vault_address.is_empty() && !env_addr {
        "https://127.0.0.1:8200".to_owned()
    } else {
        rule.vault_address.clone()
    };
    KvEntry {
        address,
        mount,
        version: if rule.vault_kv_version == 1 { 1 } else { 2 },
        path: format!("{vpath}{name}"),
    }
}

/// The URL sops shows for an entry.
fn shown_url(entry: &KvEntry) -> String {
    let addr = entry.server().unwrap_or_default();
    format!("{addr}/v1/{}", entry.api_path())
}

/// The decrypted documents' top-level keys as one JSON object (comments dropped,
/// types kept, nested maps and lists as JSON), as sops sends it to Vault.
fn data_object(tree: &Tree) -> Result<Zeroizing<String>, Fail> {
    let mut merged = Vec::new();
    for doc in &tree.docs {
        match doc {
            Value::Map(m) => {
                for (k, v) in m {
                    if matches!(v, Value::Comment(_)) {
                        continue;
                    }
                    match merged.iter_mut().find(|(mk, _): &&mut (String, Value)| mk == k) {
                        Some((_, old)) => *old = v.duplicate(),
                        None => merged.push((k.clone(), v.duplicate())),
                    }
                }
            }
            Value::Null => {}
            other => {
                return Err(Fail::usage(format!(
                    "cannot publish a document whose top level is {} to Vault: Vault KV entries are mappings",
                    other.type_name()
                )))
            }
        }
    }
    let mut single = Tree::single(Value::Map(merged));
    let text = Format::Json
        .emit_plain_with(
            &single,
            Indent {
                json: Some(0),
                ..Indent::default()
            },
        )
        .map_err(|e| Fail::new(code::ERROR_DUMPING_TREE, e.to_string()));
    for d in &mut single.docs {
        d.wipe();
    }
    let text = Zeroizing::new(text?);
    Ok(Zeroizing::new(String::from_utf8_lossy(&text).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_cleaned_like_go() {
        assert_eq!(
            go_clean(Path::new("sub/../sub/t.yaml")),
            Path::new("sub/t.yaml")
        );
        assert_eq!(go_clean(Path::new("./a/./b")), Path::new("a/b"));
        assert_eq!(go_clean(Path::new("../x")), Path::new("../x"));
        assert_eq!(go_clean(Path::new("/../x")), Path::new("/x"));
        assert_eq!(
            join_clean(Path::new("."), std::ffi::OsStr::new("s.yaml")),
            Path::new("s.yaml")
        );
    }

    #[test]
    fn extensions_are_trimmed_like_go() {
        assert_eq!(trim_ext("a.yaml"), "a");
        assert_eq!(trim_ext("dir.d/a"), "dir.d/a");
        assert_eq!(trim_ext("sub/a.enc.json"), "sub/a.enc");
        assert_eq!(trim_ext(".sops.yaml"), ".sops");
    }

    #[test]
    fn vault_paths_follow_sops_defaults() {
        let rule = DestRule {
            path_regex: None,
            s3_bucket: String::new(),
            gcs_bucket: String::new(),
            vault_path: "app/dev".into(),
            vault_address: "http://v:8200/".into(),
            vault_kv_mount_name: String::new(),
            vault_kv_version: 0,
            omit_extensions: false,
        };
        let e = kv_entry(&rule, "s.yaml");
        assert_eq!(e.api_path(), "secret/data/app/dev/s.yaml");
        assert_eq!(shown_url(&e), "http://v:8200/v1/secret/data/app/dev/s.yaml");
        let rule = DestRule {
            vault_kv_mount_name: "kv1".into(),
            vault_kv_version: 1,
            ..rule
        };
        assert_eq!(kv_entry(&rule, "x").api_path(), "kv1/app/dev/x");
    }
}
