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
        RecipientsCommand::Add(a) => change(ctx, a, Change::Add, false),
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
    if !env.key_groups.is_empty() {
        return Err(Error::Config {
            path: project.path.clone(),
            message: format!(
                "environment {name} uses key_groups; edit its groups in the file, then run `sealbox updatekeys --all -e {name}`"
            ),
        });
    }
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
    for key in &args.keys {
        let field = field_of(key);
        if how == Change::Add {
            // Validate before writing anything.
            let mut one = crate::cli::RecipientArgs::default();
            match field {
                "aws_kms" => one.aws_kms.push(key.clone()),
                "gcp_kms" => one.gcp_kms.push(key.clone()),
                "azure_kv" => one.azure_kv.push(key.clone()),
                "hc_vault" => one.hc_vault.push(key.clone()),
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
            (Change::Remove, Some(i)) => {
                list.remove(i);
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
    let files: Vec<PathBuf> = project
        .files(std::slice::from_ref(name))?
        .into_iter()
        .filter(|f| f.exists())
        .collect();
    // Every file must open before the config changes: a half-done removal would leave
    // files the removed person can still read and a config that says otherwise.
    for f in &files {
        let bytes = open::read(f)?;
        let sealed = open::load_sealed(f, Format::from_path(f), &bytes)?;
        open::data_key(ctx, f, &sealed)?;
    }
    let _lock = crate::lock::lock(&project.path)?;
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
    let mut failed = None;
    for f in &files {
        let r = updatekeys::rewrap(
            ctx,
            f,
            Format::from_path(f),
            &groups,
            env.shamir_threshold,
            rotate,
        );
        match r {
            Ok(Some(r)) => updatekeys::report(ctx, f, &r),
            Ok(None) => {}
            Err(e) => {
                eprintln!("sealbox: error: {e}");
                failed.get_or_insert(e);
            }
        }
    }
    let result = match failed {
        Some(e) => Err(Error::Backend {
            path: project.path.clone(),
            message: format!(
                "the config changed but a file was not updated ({e}); fix that and run `sealbox updatekeys --all -e {name}`"
            ),
        }),
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
    let mut out = String::new();
    for (public, from) in &ids.found {
        out.push_str(&format!("{public}\t{from}\n"));
    }
    for p in &ids.problems {
        eprintln!("sealbox: {p}");
    }
    if ids.found.is_empty() {
        return Err(Error::NoIdentity {
            path: PathBuf::from("(whoami)"),
            recipients: Vec::new(),
            looked: ids.looked.clone(),
            problems: ids.problems.clone(),
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
    let mut names = Vec::new();
    // A `source =` environment's names are the manager's keys (reading them needs its
    // credentials).
    if let Some(target) = crate::commands::managed::source_of(&project, &args.env)? {
        let values = crate::managers::read(&target).map_err(|e| e.into_error(&target))?;
        names.extend(values.0.into_keys());
    }
    for f in project.files(std::slice::from_ref(&args.env))? {
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
