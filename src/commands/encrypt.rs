//! `sealbox encrypt`: plaintext files → sops files, one fresh data key per file,
//! wrapped for the recipients given by `--age` or by the config for that file.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::cli::EncryptArgs;
use crate::commands::{bulk, bulk::Done, common, ctx::Ctx, jobs, jobs::Job, open};
use crate::crypto::dek::DataKey;
use crate::error::{Error, Outcome, Result};
use crate::output::{self, NewMode};
use crate::recipients::{self, Recipient, Spec};
use crate::sops::{self, Metadata, SOPS_FORMAT_VERSION};
use crate::store::{Format, Value};

/// Recipients parsed once and shared between files.
type Shared = Arc<Vec<Box<dyn Recipient>>>;

/// Recipients (groups) for a file.
struct Plan {
    groups: Vec<Arc<Vec<Box<dyn Recipient>>>>,
    threshold: usize,
    selector: Option<(String, String)>,
    mac_only: bool,
}

/// What a bulk run prepares once: flag and environment recipients, config lookups and
/// recipients built from configs (by their specs).
struct Prepared {
    flags: Arc<Vec<Box<dyn Recipient>>>,
    env: Arc<Vec<Box<dyn Recipient>>>,
    configs: crate::config::Cache,
    parsed: Mutex<HashMap<Vec<Spec>, Shared>>,
}

impl Prepared {
    fn recipients(&self, list: &[Spec], source: &str) -> Result<Arc<Vec<Box<dyn Recipient>>>> {
        if let Some(hit) = self.parsed.lock().ok().and_then(|m| m.get(list).cloned()) {
            return Ok(hit);
        }
        let parsed = Arc::new(common::build_recipients(list, source)?);
        if let Ok(mut m) = self.parsed.lock() {
            m.insert(list.to_vec(), parsed.clone());
        }
        Ok(parsed)
    }
}

/// Recipients from sops' variables (`SOPS_AGE_RECIPIENTS`, `SOPS_KMS_ARN`, …).
fn env_recipients() -> Result<Vec<Spec>> {
    let var = |names: &[&str]| -> Vec<String> {
        names
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .flat_map(|s| crate::recipients::spec::split_list(&s))
            .collect()
    };
    let (age, kms, vault, gcp, azure) = (
        var(&["SEALBOX_AGE_RECIPIENTS", "SOPS_AGE_RECIPIENTS"]),
        var(&["SOPS_KMS_ARN"]),
        var(&["SOPS_VAULT_URIS"]),
        var(&["SOPS_GCP_KMS_IDS"]),
        var(&["SOPS_AZURE_KEYVAULT_URLS"]),
    );
    crate::recipients::spec::Lists {
        age: &age,
        aws_kms: &kms,
        hc_vault: &vault,
        gcp_kms: &gcp,
        azure_kv: &azure,
        context: None,
        aws_profile: None,
    }
    .parse()
    .map_err(|e| Error::Usage(format!("recipients from the environment (SOPS_*): {e}")))
}

fn plan_for(args: &EncryptArgs, file: &Path, prep: &Prepared) -> Result<Plan> {
    if !prep.flags.is_empty() {
        return Ok(Plan {
            groups: vec![prep.flags.clone()],
            threshold: 0,
            selector: None,
            mac_only: args.mac_only_encrypted,
        });
    }
    if !prep.env.is_empty() {
        return Ok(Plan {
            groups: vec![prep.env.clone()],
            threshold: 0,
            selector: None,
            mac_only: args.mac_only_encrypted,
        });
    }
    match prep.configs.creation_for(file)? {
        Some(c) => {
            let source = c.source.display().to_string();
            let groups = c
                .groups
                .iter()
                .map(|g| prep.recipients(g, &source))
                .collect::<Result<Vec<_>>>()?;
            if groups.iter().all(|g| g.is_empty()) {
                return Err(Error::Config {
                    path: c.source,
                    message: format!("no recipients for '{}'", file.display()),
                });
            }
            Ok(Plan {
                groups,
                threshold: c.shamir_threshold,
                selector: c.selector,
                mac_only: args.mac_only_encrypted || c.mac_only_encrypted,
            })
        }
        None => Err(Error::Usage(format!(
            "{}: no recipients: pass --age RECIPIENT (or --aws-kms, --hc-vault-transit, --gcp-kms, --azure-kv), set SOPS_AGE_RECIPIENTS, or add a .sealbox.toml / .sops.yaml",
            file.display()
        ))),
    }
}

/// Encrypts one plaintext document; returns the encrypted bytes.
fn encrypt_one(args: &EncryptArgs, job: &Job, prep: &Prepared) -> Result<Option<Encrypted>> {
    let path = &job.input;
    let format = open::format_of(path, args.input_type);
    let out_format = args
        .output_type
        .map_or(format, crate::cli::FormatArg::format);
    let bytes = open::read(path)?;
    let tree = format.parse_plain_owned(bytes).map_err(|e| {
        Error::input(
            path,
            e.to_string(),
            Some("fix the syntax, or pass --input-type if the extension is misleading"),
        )
    })?;
    if format != Format::Binary && sops::has_metadata(format, &tree) {
        // Skip only files that really are sops files; a stray `sops` key is an error,
        // never a silent skip that leaves plaintext behind.
        let real = format
            .parse_plain(&open::read(path)?)
            .ok()
            .is_some_and(|t| sops::Sealed::from_tree(format, t).is_ok());
        if job.explicit || !real {
            return Err(if real {
                open::sops_err(path, sops::SopsError::AlreadyEncrypted)
            } else {
                Error::input(
                    path,
                    "has a reserved sops key (a top-level `sops`, a `[sops]` section or a `sops_` prefix) but no valid sops metadata",
                    Some("rename that key; sops refuses it as well"),
                )
            });
        }
        return Ok(None);
    }
    let plan = plan_for(args, path, prep)?;
    let groups: Vec<Vec<&dyn Recipient>> = plan
        .groups
        .iter()
        .map(|g| g.iter().map(|r| &**r).collect())
        .collect();
    let selector = common::selector(&args.selector, plan.selector.as_ref(), format)?;
    let key = DataKey::generate().map_err(|_| open::sops_err(path, sops::SopsError::Rng))?;
    let wrapped =
        recipients::wrap_groups(&key, &groups, plan.threshold).map_err(|e| Error::Backend {
            path: path.clone(),
            message: e.to_string(),
        })?;
    let meta = Metadata {
        lastmodified: String::new(),
        mac: None,
        version: SOPS_FORMAT_VERSION.to_owned(),
        selector,
        mac_only_encrypted: plan.mac_only,
        shamir_threshold: if groups.len() > 1 { plan.threshold } else { 0 },
        groups: wrapped,
    };
    if format == Format::Binary && out_format == Format::Binary {
        // Whole-file values: encrypt into the output without intermediate copies.
        let mut tree = tree;
        let data = match tree.docs.first_mut() {
            Some(Value::Map(m)) => match m.pop() {
                Some((_, Value::Str(s))) => s.into_bytes(),
                Some((_, Value::Bytes(b))) => b,
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let out =
            sops::binary::seal_binary(data, &key, meta).map_err(|e| open::sops_err(path, e))?;
        return Ok(Some(Encrypted::Binary(out)));
    }
    let sealed = sops::seal(tree, &key, meta, None).map_err(|e| open::sops_err(path, e))?;
    let out = sealed
        .to_bytes(out_format)
        .map_err(|e| Error::input(path, e.to_string(), Some("choose another --output-type")))?;
    Ok(Some(Encrypted::Bytes(out)))
}

/// `--in-place` replaces the file's name with a new inode: any other hard link would
/// keep the plaintext, so such files are refused unless `--force`.
fn refuse_hard_links(path: &std::path::Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt as _;
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.nlink() > 1 => Err(Error::input(
            path,
            format!(
                "has {} other hard link(s), which would keep the plaintext after --in-place",
                m.nlink() - 1
            ),
            Some("remove the other links first, or pass --force"),
        )),
        _ => Ok(()),
    }
}

/// An encrypted file ready to be written.
enum Encrypted {
    Bytes(Vec<u8>),
    /// A whole-file value, base64-encoded as it is written.
    Binary(sops::binary::SealedBinary),
}

impl Encrypted {
    fn write_to(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self {
            Encrypted::Bytes(b) => w.write_all(b),
            Encrypted::Binary(b) => b.write_to(w),
        }
    }
}

/// Runs `sealbox encrypt`.
///
/// # Errors
/// See [`Error`]; bulk runs report each file and return [`Outcome::Failed`].
pub fn run(ctx: &Ctx, args: &EncryptArgs) -> Result<Outcome> {
    let prep = Prepared {
        flags: Arc::new(common::build_recipients(
            &common::flag_specs(&args.recipients)?,
            "recipient flags",
        )?),
        env: Arc::new(common::build_recipients(
            &env_recipients()?,
            "$SOPS_AGE_RECIPIENTS",
        )?),
        configs: crate::config::Cache::default(),
        parsed: Mutex::new(HashMap::new()),
    };
    let o = &args.output;
    let jobs = if args.all {
        jobs::all_jobs(&args.env, o)?
    } else {
        jobs::expand(ctx, &args.paths, o.output_dir.as_deref())?
    };
    let single = jobs.len() == 1 && jobs.iter().all(|j| j.explicit);
    if !single && !o.in_place && o.output_dir.is_none() {
        return Err(Error::Usage(
            "several files to encrypt: pass --in-place or --output-dir DIR".to_owned(),
        ));
    }
    if o.output.is_some() && !single {
        return Err(Error::Usage(
            "-o/--output takes exactly one input file".to_owned(),
        ));
    }
    jobs::prepare_dirs(&jobs, o.output_dir.as_deref())?;
    bulk::run_bulk(ctx, "encrypted", jobs, |job| {
        // In place is a read-modify-write: never interleaved with a `set` of that file.
        let _lock = if o.in_place {
            Some(crate::lock::lock(&job.input)?)
        } else {
            None
        };
        let Some(out) = encrypt_one(args, job, &prep)? else {
            return Ok(Done::Skipped);
        };
        if o.in_place && !args.force {
            refuse_hard_links(&job.input)?;
        }
        let content = |w: &mut dyn std::io::Write| out.write_to(w);
        if let Some(dest) = &job.mirrored {
            output::write_beneath(o.output_dir.as_deref(), dest, &content, NewMode::Public)?;
        } else if o.in_place {
            output::write_atomic_with(&job.input, &content, NewMode::Public)?;
        } else if let Some(dest) = &o.output {
            output::write_atomic_with(dest, &content, NewMode::Public)?;
        } else {
            output::write_stdout_with(&content)?;
        }
        Ok(Done::Written)
    })
}
