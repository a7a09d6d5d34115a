//! `sealbox recipients list|add|remove`, `sealbox whoami` and `sealbox keys ENV`: who
//! can open an environment, who sealbox is, and what an environment holds (names only).
//!
//! Removing a recipient is offboarding: the config loses the key, and every file of the
//! environment gets a new data key wrapped for the others. The old data key is in every
//! old checkout the removed person has, so re-wrapping it (what sops' `updatekeys`
//! does) would leave them able to read every value written afterwards.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::cli::{KeysArgs, RecipientsChangeArgs, RecipientsCommand, RecipientsRemoveArgs};
use crate::commands::{common, ctx::Ctx, open, updatekeys};
use crate::config::Project;
use crate::error::{Error, Result};
use crate::recipients::Recipient;
use crate::store::Format;

/// Runs `sealbox recipients …`.
///
/// # Errors
/// See [`Error`].
pub fn run(ctx: &Ctx, cmd: &RecipientsCommand) -> Result<()> {
    match cmd {
        RecipientsCommand::List(a) => list(&a.env),
        // A stanza left by an interrupted removal is dropped with a new key here too.
        RecipientsCommand::Add(a) => change(ctx, a, Change::Add, true),
        RecipientsCommand::Remove(RecipientsRemoveArgs {
            change: a,
            no_rotate,
        }) => change(ctx, a, Change::Remove, !no_rotate),
    }
}

/// The `.sealbox.toml` list a recipient belongs in, from its shape.
fn field_of(key: &str) -> &'static str {
    let k = key.trim();
    if k.starts_with("arn:") {
        "aws_kms"
    } else if k.starts_with("projects/") {
        "gcp_kms"
    } else if k.contains(".vault.azure.net/") || k.contains(".vault.azure.cn/") {
        "azure_kv"
    } else if k.starts_with("http://") || k.starts_with("https://") {
        "hc_vault"
    } else if (16..=40).contains(&k.len()) && k.chars().all(|c| c.is_ascii_hexdigit()) {
        "pgp"
    } else {
        "age"
    }
}

/// Whether a config entry is the recipient the user named (an AWS key may carry a role
/// after `+`).
fn same(entry: &str, key: &str) -> bool {
    let (e, k) = (entry.trim(), key.trim());
    e == k || e.strip_prefix(k).is_some_and(|rest| rest.starts_with('+'))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    Add,
    Remove,
}

fn change(ctx: &Ctx, args: &RecipientsChangeArgs, how: Change, rotate: bool) -> Result<()> {
    let project = Project::find()?;
    let name = &args.env;
    let env = project.env(name)?;
    let grouped = !env.key_groups.is_empty();
    if grouped && how == Change::Add {
        return Err(Error::Config {
            path: project.path.clone(),
            message: format!(
                "environment {name} uses key_groups, so which group a new key joins is yours to say: add it to a group in the file, then run `sealbox updatekeys --all -e {name}`"
            ),
        });
    }
    // One lock over read, edit and write (and the files' updates): two admins changing
    // recipients at once must not lose either change.
    let _lock = crate::lock::lock(&project.path)?;
    let project = Project::find()?;
    let text =
        std::fs::read_to_string(&project.path).map_err(|e| Error::io(&project.path, "read", e))?;
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|_| Error::Config {
        path: project.path.clone(),
        message: "cannot be parsed as TOML".to_owned(),
    })?;
    let table = doc
        .get_mut("environments")
        .and_then(|e| e.get_mut(name.as_str()))
        .and_then(toml_edit::Item::as_table_like_mut)
        .ok_or_else(|| Error::Config {
            path: project.path.clone(),
            message: format!("environments.{name} is not a table sealbox can edit"),
        })?;
    let mut changed = Vec::new();
    if grouped {
        let groups = table.get_mut("key_groups").ok_or_else(|| Error::Config {
            path: project.path.clone(),
            message: format!("environments.{name}.key_groups is not a list sealbox can edit"),
        })?;
        for key in &args.keys {
            remove_from_groups(groups, key, name, &project.path)?;
            changed.push(key.trim().to_owned());
        }
    }
    for key in args.keys.iter().filter(|_| !grouped) {
        let field = field_of(key);
        if how == Change::Add {
            // Validate before writing anything.
            let mut one = crate::cli::RecipientArgs::default();
            match field {
                "aws_kms" => one.aws_kms.push(key.clone()),
                "gcp_kms" => one.gcp_kms.push(key.clone()),
                "azure_kv" => one.azure_kv.push(key.clone()),
                "hc_vault" => one.hc_vault.push(key.clone()),
                "pgp" => {
                    crate::recipients::pgp::PgpKey::parse(key)
                        .map_err(|e| Error::Usage(e.to_string()))?;
                }
                _ => one.age.push(key.clone()),
            }
            common::flag_specs(&one)?;
        }
        if !table.contains_key(field) {
            table.insert(field, toml_edit::value(toml_edit::Array::new()));
        }
        let list = table
            .get_mut(field)
            .and_then(toml_edit::Item::as_array_mut)
            .ok_or_else(|| Error::Config {
                path: project.path.clone(),
                message: format!("environments.{name}.{field} is not a list"),
            })?;
        let at = list
            .iter()
            .position(|v| v.as_str().is_some_and(|e| same(e, key)));
        match (how, at) {
            (Change::Add, Some(_)) => {
                ctx.note(&format!("{name}: {key} is already a recipient"));
            }
            (Change::Add, None) => {
                list.push(key.trim());
                changed.push(key.trim().to_owned());
            }
            (Change::Remove, Some(_)) => {
                // Every entry: a key listed twice (two branches each added it) must go.
                list.retain(|v| !v.as_str().is_some_and(|e| same(e, key)));
                changed.push(key.trim().to_owned());
            }
            (Change::Remove, None) => {
                return Err(Error::Usage(format!(
                    "{key} is not a recipient of environment {name} (see `sealbox recipients list -e {name}`)"
                )));
            }
        }
    }
    if changed.is_empty() {
        return Ok(());
    }
    if how == Change::Remove {
        refuse_other_lists(&project, &changed)?;
    }
    let mut files: Vec<PathBuf> = project
        .files(std::slice::from_ref(name))?
        .into_iter()
        .filter(|f| f.exists())
        .collect();
    // Files outside the environment's list that still carry a removed key (made by a
    // rule, or by sops) are rotated too: otherwise they stay readable to that person.
    let mut elsewhere = Vec::new();
    if how == Change::Remove {
        for f in carrying(&project, &changed) {
            if !files.contains(&f) {
                elsewhere.push(f);
            }
        }
    }
    // Every file must open (MAC included) before the config changes: a half-done
    // removal would leave files the removed person can still read and a config that
    // says otherwise.
    for f in files.iter().chain(&elsewhere) {
        let bytes = open::read(f)?;
        let format = Format::from_path(f);
        let sealed = open::load_sealed(f, format, &bytes)?;
        let key = open::data_key(ctx, f, &sealed)?;
        sealed.open(&key, false).map_err(|e| open::sops_err(f, e))?;
    }
    crate::output::write_atomic(
        &project.path,
        doc.to_string().as_bytes(),
        crate::output::NewMode::Public,
    )?;
    let verb = if how == Change::Add {
        "added"
    } else {
        "removed"
    };
    for k in &changed {
        ctx.note(&format!("{name}: {verb} {k} in {}", project.path.display()));
    }
    let fresh = Project::find()?;
    let env = fresh.env(name)?;
    let specs = env.groups(name).map_err(|e| Error::Config {
        path: fresh.path.clone(),
        message: e.to_string(),
    })?;
    let source = fresh.path.display().to_string();
    let owned = specs
        .iter()
        .map(|g| common::build_recipients(g, &source))
        .collect::<Result<Vec<_>>>()?;
    let groups: Vec<Vec<&dyn Recipient>> = owned
        .iter()
        .map(|g| g.iter().map(|r| &**r).collect())
        .collect();
    let mut failed: Option<Error> = None;
    let mut jobs: Vec<(PathBuf, Option<updatekeys::Groups>, usize)> =
        files.iter().map(|f| (f.clone(), None, 0)).collect();
    for f in &elsewhere {
        match remaining(f, &changed) {
            Ok((g, t)) => jobs.push((f.clone(), Some(g), t)),
            Err(e) => {
                eprintln!(
                    "sealbox: error: {}",
                    crate::output::escape_name(&e.to_string())
                );
                failed.get_or_insert(e);
            }
        }
    }
    files.extend(elsewhere.iter().cloned());
    for (f, own, threshold) in &jobs {
        let own_refs: Option<Vec<Vec<&dyn Recipient>>> = own
            .as_ref()
            .map(|g| g.iter().map(|g| g.iter().map(|r| &**r).collect()).collect());
        let (use_groups, use_threshold) = match &own_refs {
            Some(g) => (g, *threshold),
            None => (&groups, env.shamir_threshold),
        };
        let r = updatekeys::rewrap(
            ctx,
            f,
            Format::from_path(f),
            use_groups,
            use_threshold,
            rotate,
        );
        match r {
            Ok(Some(r)) => updatekeys::report(ctx, f, &r),
            Ok(None) => {}
            Err(e) => {
                eprintln!(
                    "sealbox: error: {}",
                    crate::output::escape_name(&e.to_string())
                );
                failed.get_or_insert(e);
            }
        }
    }
    let result = match failed {
        Some(e) => {
            eprintln!(
                "sealbox: the config changed but not every file was updated; fix the error above and run `sealbox updatekeys --all -e {name}` (it rotates any file that still carries a removed key)"
            );
            Err(e)
        }
        None => Ok(()),
    };
    ctx.audit_result(
        result,
        crate::audit::Event {
            command: if how == Change::Add {
                "recipients add"
            } else {
                "recipients remove"
            },
            files,
            environments: vec![name.clone()],
            ..Default::default()
        },
    )
}

/// Removes every entry of `key` from an environment's key groups (an array of tables or
/// of inline tables). Refuses a key no group lists, and a removal that would leave a
/// group with nobody in it (its share of the data key could not be opened).
fn remove_from_groups(
    groups: &mut toml_edit::Item,
    key: &str,
    env: &str,
    config: &std::path::Path,
) -> Result<()> {
    const FIELDS: [&str; 6] = ["age", "pgp", "aws_kms", "gcp_kms", "azure_kv", "hc_vault"];
    let bad = |message: String| Error::Config {
        path: config.to_owned(),
        message,
    };
    let mut tables: Vec<&mut dyn toml_edit::TableLike> = match groups {
        toml_edit::Item::ArrayOfTables(a) => a
            .iter_mut()
            .map(|t| t as &mut dyn toml_edit::TableLike)
            .collect(),
        toml_edit::Item::Value(toml_edit::Value::Array(a)) => a
            .iter_mut()
            .filter_map(|v| v.as_inline_table_mut())
            .map(|t| t as &mut dyn toml_edit::TableLike)
            .collect(),
        _ => {
            return Err(bad(format!(
                "environments.{env}.key_groups is not a list of tables"
            )))
        }
    };
    let mut found = false;
    for (i, t) in tables.iter_mut().enumerate() {
        let mut left = 0;
        let mut here = false;
        for field in FIELDS {
            let Some(list) = t.get_mut(field).and_then(toml_edit::Item::as_array_mut) else {
                if let Some(v) = t.get(field).and_then(toml_edit::Item::as_str) {
                    // A single string where a list is expected: sealbox leaves it alone.
                    if same(v, key) {
                        return Err(bad(format!(
                            "environments.{env}.key_groups[{i}].{field} is a string, not a list; make it a list, then remove again"
                        )));
                    }
                }
                continue;
            };
            let before = list.len();
            list.retain(|v| !v.as_str().is_some_and(|e| same(e, key)));
            here |= list.len() != before;
            left += list.len();
        }
        if here && left == 0 {
            return Err(bad(format!(
                "removing {key} would leave key group {i} of environment {env} with no recipient; add its replacement to that group first"
            )));
        }
        found |= here;
    }
    if found {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "{key} is not in any key group of environment {name} (see `sealbox recipients list -e {name}`)",
            name = env
        )))
    }
}

/// Refuses a removal while another list still names the key: a `.sops.yaml` beside the
/// config or a `[[rules]]` entry would encrypt new files for that person again (and a
/// teammate's `sops updatekeys` would re-wrap the new key for them).
fn refuse_other_lists(project: &Project, keys: &[String]) -> Result<()> {
    let sops = project.base.join(".sops.yaml");
    if let Ok(text) = std::fs::read_to_string(&sops) {
        if let Some(k) = keys.iter().find(|k| text.contains(k.as_str())) {
            return Err(Error::Config {
                path: sops.clone(),
                message: format!(
                    "still names {k}, so new files would be encrypted for them again; remove it there too, then run this again"
                ),
            });
        }
    }
    let toml = std::fs::read_to_string(&project.path).unwrap_or_default();
    let rules_part = toml.find("[[rules]]").map_or("", |i| &toml[i..]);
    if let Some(k) = keys.iter().find(|k| rules_part.contains(k.as_str())) {
        return Err(Error::Config {
            path: project.path.clone(),
            message: format!(
                "a [[rules]] entry still names {k}; remove it there too, then run this again"
            ),
        });
    }
    Ok(())
}

/// A file's own recipients, less `keys`, with its threshold: what a file outside the
/// environment is wrapped for once they are removed.
fn remaining(path: &std::path::Path, keys: &[String]) -> Result<(updatekeys::Groups, usize)> {
    let bytes = open::read(path)?;
    let sealed = open::load_sealed(path, Format::from_path(path), &bytes)?;
    let kept: Vec<Vec<crate::sops::MasterKey>> = sealed
        .meta
        .groups
        .iter()
        .map(|g| {
            g.iter()
                .filter(|k| {
                    let d = k.describe();
                    !keys
                        .iter()
                        .any(|key| d.split_once(' ').is_some_and(|(_, id)| same(id, key)))
                })
                .cloned()
                .collect()
        })
        .collect();
    if kept.iter().all(Vec::is_empty) {
        return Err(Error::input(
            path,
            "would have no recipient left once the removed keys are gone",
            Some("add a recipient for it first (sealbox updatekeys --age …)"),
        ));
    }
    let groups = crate::commands::rotate::recipients_of(path, &kept)?;
    Ok((groups, sealed.meta.shamir_threshold))
}

/// The sops files below the project that carry a stanza for one of `keys`.
fn carrying(project: &Project, keys: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    // Committed files (git-ignored ones are nobody else's copy), hidden ones included.
    let walk = ignore::WalkBuilder::new(&project.base)
        .hidden(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walk.flatten() {
        // Regular files only, never through a link, and not huge ones.
        if !entry.file_type().is_some_and(|t| t.is_file())
            || entry.metadata().map_or(true, |m| m.len() > 64 << 20)
        {
            continue;
        }
        let path = entry.path();
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        // A cheap test first: the key's text must be in the file.
        let text = String::from_utf8_lossy(&bytes);
        if !keys.iter().any(|k| text.contains(k.as_str())) {
            continue;
        }
        let Ok(sealed) = open::load_sealed(path, Format::from_path(path), &bytes) else {
            continue;
        };
        let described = sealed.meta.describe_keys();
        if described.iter().any(|d| {
            keys.iter()
                .any(|k| d.split_once(' ').is_some_and(|(_, id)| same(id, k)))
        }) {
            out.push(path.to_path_buf());
        }
    }
    out
}

/// `sealbox recipients list [-e ENV]`.
fn list(envs: &[String]) -> Result<()> {
    let project = Project::find()?;
    let names: Vec<String> = if envs.is_empty() {
        project.environments.keys().cloned().collect()
    } else {
        envs.to_vec()
    };
    let mut out = String::new();
    for name in &names {
        let env = project.env(name)?;
        // How many of the environment's files carry each recipient, and since when
        // (`created_at`, which sops writes for KMS and PGP keys, not for age).
        let mut carried: BTreeMap<String, (usize, Option<String>)> = BTreeMap::new();
        let mut total = 0usize;
        for f in project.files(std::slice::from_ref(name))? {
            let Ok(bytes) = std::fs::read(&f) else {
                continue;
            };
            let Ok(sealed) = open::load_sealed(&f, Format::from_path(&f), &bytes) else {
                continue;
            };
            total += 1;
            let mut seen = std::collections::BTreeSet::new();
            for k in sealed.meta.groups.iter().flatten() {
                let d = k.describe();
                let slot = carried.entry(d.clone()).or_default();
                if seen.insert(d) {
                    slot.0 += 1;
                }
                if let Some(at) = k.field("created_at") {
                    if slot.1.as_deref().is_none_or(|s| at < s) {
                        slot.1 = Some(at.to_owned());
                    }
                }
            }
        }
        let groups = env.groups(name).map_err(|e| Error::Config {
            path: project.path.clone(),
            message: e.to_string(),
        })?;
        for (gi, g) in groups.iter().enumerate() {
            for spec in g {
                let d = spec.describe();
                let (kind, id) = d.split_once(' ').unwrap_or((d.as_str(), ""));
                let (n, since) = carried.get(&d).cloned().unwrap_or_default();
                let mut when = format!("in {n}/{total} files");
                if let Some(at) = since {
                    when.push_str(&format!(", since {at}"));
                }
                if n < total {
                    when.push_str(&format!(" (run `sealbox updatekeys --all -e {name}`)"));
                }
                let group = if groups.len() > 1 {
                    format!("\tgroup {gi}")
                } else {
                    String::new()
                };
                out.push_str(&format!("{name}\t{kind}\t{id}\t{when}{group}\n"));
            }
        }
    }
    crate::output::write_stdout(out.as_bytes())
}

/// `sealbox whoami`.
///
/// # Errors
/// Writing to stdout.
pub fn whoami(ctx: &Ctx) -> Result<()> {
    let ids = ctx.identities();
    let (found, problems) = ids.listing();
    let mut out = String::new();
    for (public, from) in &found {
        out.push_str(&format!("{public}\t{from}\n"));
    }
    for p in &problems {
        eprintln!("sealbox: {p}");
    }
    if found.is_empty() {
        return Err(Error::NoIdentity {
            path: PathBuf::from("(whoami)"),
            recipients: Vec::new(),
            looked: ids.looked.clone(),
            problems,
            environment: None,
        });
    }
    crate::output::write_stdout(out.as_bytes())
}

/// `sealbox keys ENV`: the names in every file of the environment. Names are not
/// encrypted in sops files, so no identity is needed and nothing is decrypted.
///
/// # Errors
/// No config or environment, or a file that is not a sops file.
pub fn keys(args: &KeysArgs) -> Result<()> {
    let project = Project::find()?;
    // A `source =` environment's names are the manager's keys (reading them needs its
    // credentials).
    if let Some(target) = crate::commands::managed::source_of(&project, &args.env)? {
        let values = crate::managers::read(&target).map_err(|e| e.into_error(&target))?;
        let mut out = String::new();
        for n in values.0.into_keys() {
            out.push_str(&crate::output::escape_name(&n));
            out.push('\n');
        }
        return crate::output::write_stdout(out.as_bytes());
    }
    keys_of_files(&project.files(std::slice::from_ref(&args.env))?)
}

/// The value names of these sops files, each once, in file order.
///
/// # Errors
/// A file that is not a sops file.
pub fn keys_of_files(files: &[PathBuf]) -> Result<()> {
    let mut names = Vec::new();
    for f in files {
        let f = f.clone();
        if !f.exists() {
            continue;
        }
        let bytes = open::read(&f)?;
        let sealed = open::load_sealed(&f, Format::from_path(&f), &bytes)?;
        for n in updatekeys::value_names(&sealed.tree.docs) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    let mut out = String::new();
    for n in names {
        out.push_str(&crate::output::escape_name(&n));
        out.push('\n');
    }
    crate::output::write_stdout(out.as_bytes())
}
