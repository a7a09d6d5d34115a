//! The sops commands that turn one file into another: `encrypt`, `decrypt` and
//! `rotate`, plus what every file command shares: reading an encrypted file and
//! unwrapping its data key with sops' exit codes, and writing a result (`--in-place`,
//! `--output` or stdout). `edits` (set/unset) and `keygroups` (updatekeys, groups,
//! filestatus) build on these helpers.

use std::path::Path;

use zeroize::Zeroizing;

use super::args::SopsArgs;
use super::{code, keyreport, keys, sopsconf, Fail, Input};
use crate::commands::ctx::Ctx;
use crate::commands::decrypt::{extract, parse_extract, Step};
use crate::commands::open;
use crate::crypto::dek::DataKey;
use crate::output::{self, NewMode};
use crate::recipients::{self, Recipient, Spec};
use crate::sops::{self, Metadata, Opened, Sealed, SOPS_FORMAT_VERSION};
use crate::store::{Format, Indent, Tree, Value};

/// A file opened for re-encryption.
pub(crate) struct Open {
    pub sealed: Sealed,
    pub opened: Opened,
    pub key: DataKey,
}

/// Parses, unwraps and decrypts `bytes` of `input` as sops does, with sops' codes.
pub(crate) fn open_bytes(
    ctx: &Ctx,
    input: &Input,
    format: Format,
    bytes: &[u8],
    ignore_mac: bool,
) -> Result<Open, Fail> {
    let path = input.shown();
    let sealed = load(path, format, bytes)?;
    let key = unwrap_key(ctx, path, &sealed)?;
    let opened = sealed
        .open(&key, ignore_mac)
        .map_err(|e| Fail::sops(path, e))?;
    Ok(Open {
        sealed,
        opened,
        key,
    })
}

pub(crate) fn load(path: &Path, format: Format, bytes: &[u8]) -> Result<Sealed, Fail> {
    let tree = format.parse_encrypted(bytes).map_err(|e| {
        Fail::usage(format!(
            "Error unmarshalling input {}: {}: {e}",
            format.name(),
            path.display()
        ))
    })?;
    Sealed::from_tree(format, tree).map_err(|e| Fail::sops(path, e))
}

pub(crate) fn unwrap_key(ctx: &Ctx, path: &Path, sealed: &Sealed) -> Result<DataKey, Fail> {
    let ids = ctx.identities();
    match recipients::unwrap_data_key_used(&sealed.meta, ids) {
        Ok((key, used)) => {
            ctx.record_used(used);
            Ok(key)
        }
        // sops' report: each group, each key and why, as callers read it.
        Err(f) => Err(match keyreport::report(&f, ids) {
            Some(mut lines) => {
                // sealbox's own identities are not read when called as sops: say so
                // to the user who has some.
                if super::own_identities_present() {
                    lines.push(String::new());
                    lines.push(
                        "sealbox: called as sops, it reads only sops' key sources, not \
                         SEALBOX_AGE_KEY*, its keyring or ~/.config/sealbox/identities \
                         (set SOPS_AGE_KEY_FILE to such a file)"
                            .to_owned(),
                    );
                }
                Fail::lines(code::COULD_NOT_RETRIEVE_KEY, lines)
            }
            None => {
                let mut fail = Fail::from(open::no_key_error(ctx, path, sealed, f));
                fail.code = code::COULD_NOT_RETRIEVE_KEY;
                fail.msg = format!(
                    "Failed to get the data key required to decrypt the SOPS file. {}",
                    fail.msg
                );
                fail
            }
        }),
    }
}

fn both_outputs() -> Fail {
    Fail::new(
        code::CONFLICTING_PARAMETERS,
        "Error: cannot operate on both --output and --in-place",
    )
}

/// The checks sops makes before anything else: `--in-place` with `--output` or with
/// stdin (exit 8), then a named file that does not exist (exit 100).
fn check_outputs(a: &SopsArgs, input: &Input) -> Result<(), Fail> {
    if a.on("in-place") && a.get("output").is_some() {
        return Err(both_outputs());
    }
    match &input.path {
        None if a.on("in-place") => Err(Fail::new(
            code::CONFLICTING_PARAMETERS,
            "Error: cannot use --in-place when reading from stdin",
        )),
        Some(p) => super::require_exists(p),
        None => Ok(()),
    }
}

/// Where a command's result goes: `--in-place`, `--output FILE` or stdout.
pub(crate) fn write_result(
    a: &SopsArgs,
    input: &Input,
    bytes: &[u8],
    mode: NewMode,
) -> Result<(), Fail> {
    let in_place = a.on("in-place");
    let out = a.get("output");
    if in_place && out.is_some() {
        return Err(both_outputs());
    }
    let fail_write = |dest: &Path, e: crate::error::Error| {
        Fail::new(
            code::COULD_NOT_WRITE_OUTPUT_FILE,
            format!(
                "Could not open output file for writing: {}: {e}",
                dest.display()
            ),
        )
    };
    if in_place {
        let Some(p) = &input.path else {
            return Err(Fail::new(
                code::CONFLICTING_PARAMETERS,
                "Error: cannot write stdin in place; use --output",
            ));
        };
        output::write_atomic(p, bytes, mode).map_err(|e| fail_write(p, e))
    } else if let Some(dest) = out {
        let dest = Path::new(&dest);
        output::write_atomic(dest, bytes, mode).map_err(|e| fail_write(dest, e))
    } else {
        output::write_stdout(bytes).map_err(|e| Fail::new(code::ERROR_GENERIC, e.to_string()))
    }
}

pub(crate) fn dump_err(format: Format, e: &crate::store::StoreError) -> Fail {
    Fail::new(
        code::ERROR_DUMPING_TREE,
        format!(
            "Error dumping file: {e}; if this is not a {} file, use --output-type to select the output type",
            format.name()
        ),
    )
}

/// The value at `--extract`, as sops prints it: strings raw, a mapping as a document
/// of the output format, other values as that format writes one value (INI as compact
/// JSON; dotenv and binary cannot, exit 4).
fn render_extract(
    v: &Value,
    out: Format,
    indent: impl Fn() -> Result<Indent, Fail>,
) -> Result<Vec<u8>, Fail> {
    let no_value = |what: &str| {
        Fail::new(
            code::ERROR_DUMPING_TREE,
            format!(
                "Error dumping tree: {what}; use --output-type yaml or json to extract this value"
            ),
        )
    };
    Ok(match v {
        Value::Str(s) => s.as_bytes().to_vec(),
        Value::Bytes(b) => b.clone(),
        Value::Map(_) => out
            .emit_plain_with(&Tree::single(v.duplicate()), indent()?)
            .map_err(|e| dump_err(out, &e))?,
        _ if out == Format::Dotenv => {
            return Err(no_value(&format!(
                "the dotenv store only writes strings as a single value, not a {}",
                v.type_name()
            )))
        }
        _ if out == Format::Binary => {
            return Err(no_value(
                "a binary file is not structured, so a single value cannot be written as one",
            ))
        }
        // Go's encoding/json has no infinity or NaN (it writes INI's single values too).
        Value::Float(f) if !f.is_finite() && matches!(out, Format::Json | Format::Ini) => {
            return Err(Fail::new(
                code::ERROR_DUMPING_TREE,
                format!(
                    "Error dumping tree: json: unsupported value: {}",
                    crate::store::tree::format_float_f(*f)
                ),
            ))
        }
        _ if out == Format::Ini => crate::store::json::compact(v).into_bytes(),
        // sops writes an extracted list as YAML with go-yaml's default step, whatever
        // the configured indentation (JSON keeps it).
        Value::Seq(_) => {
            let indent = Indent {
                yaml: Indent::default().yaml,
                json: match out {
                    Format::Json => indent()?.json,
                    _ => None,
                },
                json_binary: None,
            };
            let mut b = out
                .emit_plain_with(&Tree::single(v.duplicate()), indent)
                .map_err(|e| dump_err(out, &e))?;
            // ... and as JSON without the final newline a mapping gets.
            if out == Format::Json && b.last() == Some(&b'\n') {
                b.pop();
            }
            b
        }
        // A timestamp is a value of its own in sops (Go's time.Time): JSON quotes it.
        Value::Time(t) if out == Format::Json => {
            crate::store::json::compact(&Value::Str(t.clone())).into_bytes()
        }
        other => {
            let mut t = match other {
                // As Go's encoding/json writes a number (1000000, 1e-7), for JSON.
                Value::Float(_) if out == Format::Json => crate::store::json::compact(other),
                // As go-yaml writes one.
                Value::Float(f) if f.is_nan() => ".nan".to_owned(),
                Value::Float(f) if f.is_infinite() => {
                    if *f > 0.0 { ".inf" } else { "-.inf" }.to_owned()
                }
                Value::Float(f) => crate::store::tree::format_float_g(*f),
                Value::Null => "null".to_owned(),
                o => o.scalar_text().unwrap_or_default(),
            };
            if out != Format::Json {
                t.push('\n');
            }
            t.into_bytes()
        }
    })
}

pub(crate) fn tree_path(s: &str) -> Result<Vec<Step>, Fail> {
    parse_extract(s).map_err(|e| {
        Fail::new(
            code::INVALID_TREE_PATH_FORMAT,
            format!("error parsing tree path: {e}"),
        )
    })
}

/// The value at `steps`, or what stopped the walk in sops' words: the one component
/// that is missing (`component ['db'] not found`), an index past a list's end, or an
/// index into something that is not a list.
fn walk<'a>(doc: &'a Value, steps: &[Step]) -> Result<&'a Value, String> {
    let mut cur = doc;
    for step in steps {
        let here = std::slice::from_ref(step);
        cur = match (step, cur) {
            (Step::Key(k), _) => {
                extract(cur, here).ok_or_else(|| format!("component ['{k}'] not found"))?
            }
            (Step::Index(i), Value::Seq(_)) => extract(cur, here)
                .ok_or_else(|| format!("component [{i}] accesses out of bounds"))?,
            // sops hands back a mapping's i-th entry as a key/value pair; a path here
            // indexes lists only.
            (Step::Index(i), Value::Map(_)) => return Err(format!("component [{i}] not found")),
            (Step::Index(i), _) => {
                return Err(format!(
                    "component [{i}] is integer, but tree part is not a slice"
                ))
            }
        };
    }
    Ok(cur)
}

/// `sops decrypt` (and `-d`).
pub(crate) fn decrypt(ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    let input = Input::from_args(a, false)?;
    check_outputs(a, &input)?;
    // An empty path is no path: sops prints the whole document.
    let steps = a
        .get("extract")
        .filter(|e| !e.is_empty())
        .map(|e| tree_path(&e))
        .transpose()?;
    let format = input.in_format(a)?;
    let out_format = input.out_format(a)?;
    // Only a document written whole needs the indentation (a bad one fails then).
    let indent = || sopsconf::indent(a, out_format);
    let bytes = input.read()?;
    let path = input.shown();
    let sealed = load(path, format, &bytes)?;
    drop(bytes);
    let key = unwrap_key(ctx, path, &sealed)?;
    let opened = sealed
        .into_plaintext(&key, a.on("ignore-mac"))
        .map_err(|e| Fail::sops(path, e))?;
    let out = Zeroizing::new(match &steps {
        Some(steps) => {
            let doc = opened.tree.docs.first().unwrap_or(&Value::Null);
            let v =
                walk(doc, steps).map_err(|e| Fail::usage(format!("error truncating tree: {e}")))?;
            match v {
                // sops puts an extracted mapping in the first document's place and
                // writes every document: YAML shows the later ones after it.
                Value::Map(_) if out_format == Format::Yaml && opened.tree.docs.len() > 1 => {
                    let mut docs = vec![v.duplicate()];
                    docs.extend(opened.tree.docs[1..].iter().map(Value::duplicate));
                    out_format
                        .emit_plain_with(&Tree { docs }, indent()?)
                        .map_err(|e| dump_err(out_format, &e))?
                }
                _ => render_extract(v, out_format, indent)?,
            }
        }
        None => out_format
            .emit_plain_with(&opened.tree, indent()?)
            .map_err(|e| dump_err(out_format, &e))?,
    });
    let _ = ctx.audit(crate::audit::Event {
        command: "sops decrypt",
        files: input.path.iter().cloned().collect(),
        ..Default::default()
    });
    write_result(a, &input, &out, NewMode::AsSops)?;
    Ok(0)
}

/// `sops encrypt` (and `-e`).
pub(crate) fn encrypt(_ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    let input = Input::from_args(a, true)?;
    check_outputs(a, &input)?;
    let format = input.in_format(a)?;
    let out_format = input.out_format(a)?;
    // As sops: the keys and selector are settled before the file is read.
    let plan = keys::plan(a, &input.name, format)?;
    let bytes = input.read()?;
    let path = input.shown();
    // Only YAML reads no text as no document (92); JSON fails to parse it (2), dotenv
    // and INI read an empty mapping.
    if bytes.is_empty() && format == Format::Yaml {
        return Err(Fail::new(
            code::NEED_AT_LEAST_ONE_DOCUMENT,
            "File cannot be completely empty, it must contain at least one document",
        ));
    }
    // What sops' tree walk refuses (a YAML key that is not a string, an unsigned
    // integer past i64), raised where sops raises it: after the keys are wrapped.
    let unwalkable = match format {
        Format::Yaml => std::str::from_utf8(&bytes)
            .ok()
            .and_then(crate::store::yaml::go_unwalkable),
        _ => None,
    };
    let parsed = match format {
        Format::Binary => format.parse_plain_owned(bytes),
        _ => format.parse_plain_as_sops(&Zeroizing::new(bytes)),
    };
    let tree = parsed.map_err(|e| {
        Fail::new(
            code::COULD_NOT_READ_INPUT_FILE,
            format!("Error unmarshalling file: {}: {e}", path.display()),
        )
    })?;
    if tree.docs.is_empty() {
        return Err(Fail::new(
            code::NEED_AT_LEAST_ONE_DOCUMENT,
            "File cannot be completely empty, it must contain at least one document",
        ));
    }
    // sops asks the output store whether the tree carries its metadata.
    if sops::has_metadata(out_format, &tree) {
        return Err(Fail::sops(path, sops::SopsError::AlreadyEncrypted));
    }
    plan.require_keys(&input.name)?;
    let key = DataKey::generate().map_err(|_| Fail::sops(path, sops::SopsError::Rng))?;
    let groups = recipients::wrap_groups(&key, &plan.refs(), plan.threshold)
        .map_err(|e| Fail::usage(format!("Could not generate data key: {e}")))?;
    if let Some(why) = unwalkable {
        return Err(Fail::new(
            code::ERROR_ENCRYPTING_TREE,
            format!(
                "Error encrypting tree: {}: Error walking tree: {why}",
                path.display()
            ),
        ));
    }
    let meta = Metadata {
        lastmodified: String::new(),
        mac: None,
        version: SOPS_FORMAT_VERSION.to_owned(),
        selector: plan.selector,
        mac_only_encrypted: plan.mac_only,
        shamir_threshold: plan.threshold,
        groups,
    };
    let sealed = sops::seal(tree, &key, meta, None).map_err(|e| Fail::sops(path, e))?;
    let out = sealed
        .into_bytes_with(out_format, sopsconf::indent(a, out_format)?)
        .map_err(|e| dump_err(out_format, &e))?;
    write_result(a, &input, &out, NewMode::AsSops)?;
    Ok(0)
}

/// The recipients of a file's stanzas, by group (PGP stanzas cannot be re-wrapped).
pub(crate) fn current(path: &Path, meta: &Metadata) -> Result<Vec<Vec<Spec>>, Fail> {
    meta.groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|k| {
                    Spec::from_master_key(k).map_err(|e| {
                        Fail::usage(format!(
                            "{}: cannot re-wrap the data key for {}: {e}",
                            path.display(),
                            k.describe()
                        ))
                    })
                })
                .collect()
        })
        .collect()
}

pub(crate) fn wrap(
    key: &DataKey,
    groups: &[Vec<Spec>],
    threshold: usize,
) -> Result<Vec<Vec<sops::MasterKey>>, Fail> {
    let built = groups
        .iter()
        .map(|g| keys::build(g))
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<Vec<&dyn Recipient>> = built
        .iter()
        .map(|g| g.iter().map(|r| &**r).collect())
        .collect();
    recipients::wrap_groups(key, &refs, threshold)
        .map_err(|e| Fail::usage(format!("Could not generate data key: {e}")))
}

/// `sops rotate` (and `-r`), with `--add-*`/`--rm-*`.
pub(crate) fn rotate(ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    if a.positional.is_empty() {
        return Err(Fail::new(
            code::NO_FILE_SPECIFIED,
            "Error: no file specified",
        ));
    }
    let changes = ["add-", "rm-"].iter().any(|p| {
        keys::KEY_FLAGS
            .iter()
            .any(|k| a.get(&format!("{p}{k}")).is_some())
    });
    let input = Input::from_args(a, false)?;
    let missing = |p: &Path| {
        let shown = crate::config::discover::go_abs(p);
        Fail::new(
            code::COULD_NOT_READ_INPUT_FILE,
            format!(
                "Error reading file: open {}: no such file or directory",
                shown.display()
            ),
        )
    };
    if let Some(p) = &input.path {
        if std::fs::metadata(p).is_err() && changes {
            return Err(Fail::new(
                code::CANNOT_CHANGE_KEYS_FROM_NON_EXISTENT_FILE,
                "Error: cannot add or remove keys on non-existent files, use the editor mode instead",
            ));
        }
        if std::fs::metadata(p).is_err() {
            return Err(missing(p));
        }
    }
    // The keys are read once the file is known to exist, as sops reads them.
    let adds = keys::flag_specs(a, "add-")?;
    let rms = keys::flag_specs(a, "rm-")?;
    let format = input.in_format(a)?;
    let out_format = input.out_format(a)?;
    let bytes = input.read()?;
    let path = input.shown().to_owned();
    let o = open_bytes(ctx, &input, format, &bytes, a.on("ignore-mac"))?;
    let mut groups = current(&path, &o.sealed.meta)?;
    if groups.is_empty() {
        groups.push(Vec::new());
    }
    for add in adds {
        if !groups.iter().flatten().any(|s| s.key_id() == add.key_id()) {
            groups[0].push(add);
        }
    }
    for g in &mut groups {
        g.retain(|s| !rms.iter().any(|r| r.key_id() == s.key_id()));
    }
    // A group left without keys could never be opened: refused, as sops refuses it.
    if groups.iter().any(Vec::is_empty) {
        return Err(Fail::usage(format!(
            "Could not generate data key: {}: removing these keys leaves a key group empty; add another key in the same command",
            path.display()
        )));
    }
    let key = DataKey::generate().map_err(|_| Fail::sops(&path, sops::SopsError::Rng))?;
    let mut meta = o.sealed.meta.clone();
    meta.groups = wrap(&key, &groups, meta.shamir_threshold)?;
    meta.version = SOPS_FORMAT_VERSION.to_owned();
    let sealed = sops::seal(o.opened.tree, &key, meta, None).map_err(|e| Fail::sops(&path, e))?;
    let out = sealed
        .into_bytes_with(out_format, sopsconf::indent(a, out_format)?)
        .map_err(|e| dump_err(out_format, &e))?;
    write_result(a, &input, &out, NewMode::AsSops)?;
    Ok(0)
}
