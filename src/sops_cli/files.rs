//! The sops commands that read and write files: `encrypt`, `decrypt`, `rotate`,
//! `set`, `unset`, `updatekeys`, `filestatus`, `groups`, and the legacy `--set`. Each
//! maps onto the library: stores, the envelope (`sops::seal`, `Sealed::open`),
//! recipients and `output`'s atomic writes.

use std::path::Path;

use zeroize::Zeroizing;

use super::args::SopsArgs;
use super::{code, keys, Fail, Input};
use crate::commands::ctx::Ctx;
use crate::commands::decrypt::{extract, parse_extract, Step};
use crate::commands::open;
use crate::crypto::dek::DataKey;
use crate::output::{self, NewMode};
use crate::recipients::{self, Recipient, Spec};
use crate::sops::{self, Metadata, Opened, Sealed, SOPS_FORMAT_VERSION};
use crate::store::{Format, Tree, Value};

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

fn load(path: &Path, format: Format, bytes: &[u8]) -> Result<Sealed, Fail> {
    let tree = format.parse_encrypted(bytes).map_err(|e| {
        Fail::usage(format!(
            "Error unmarshalling input {}: {}: {e}",
            format.name(),
            path.display()
        ))
    })?;
    Sealed::from_tree(format, tree).map_err(|e| Fail::sops(path, e))
}

fn unwrap_key(ctx: &Ctx, path: &Path, sealed: &Sealed) -> Result<DataKey, Fail> {
    open::data_key(ctx, path, sealed).map_err(|e| {
        let mut f = Fail::from(e);
        f.code = code::COULD_NOT_RETRIEVE_KEY;
        f.msg = format!(
            "Failed to get the data key required to decrypt the SOPS file. {}",
            f.msg
        );
        f
    })
}

/// Where a command's result goes: `--in-place`, `--output FILE` or stdout.
fn write_result(a: &SopsArgs, input: &Input, bytes: &[u8], mode: NewMode) -> Result<(), Fail> {
    let in_place = a.on("in-place");
    let out = a.get("output");
    if in_place && out.is_some() {
        return Err(Fail::new(
            code::CONFLICTING_PARAMETERS,
            "Error: cannot operate on both --output and --in-place",
        ));
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

fn dump_err(format: Format, e: &crate::store::StoreError) -> Fail {
    Fail::new(
        code::ERROR_DUMPING_TREE,
        format!(
            "Error dumping file: {e}; if this is not a {} file, use --output-type to select the output type",
            format.name()
        ),
    )
}

/// The value at `--extract`, as sops prints it: strings raw, other scalars and
/// trees in the output format.
fn render_extract(v: &Value, out: Format) -> Result<Vec<u8>, Fail> {
    Ok(match v {
        Value::Str(s) => s.as_bytes().to_vec(),
        Value::Bytes(b) => b.clone(),
        Value::Map(_) | Value::Seq(_) => out
            .emit_plain(&Tree::single(v.duplicate()))
            .map_err(|e| dump_err(out, &e))?,
        other => {
            let mut t = match other {
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

fn tree_path(s: &str) -> Result<Vec<Step>, Fail> {
    parse_extract(s).map_err(|e| {
        Fail::new(
            code::INVALID_TREE_PATH_FORMAT,
            format!("error parsing tree path: {e}"),
        )
    })
}

/// `sops decrypt` (and `-d`).
pub(crate) fn decrypt(ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    let input = Input::from_args(a, false)?;
    let steps = a.get("extract").map(|e| tree_path(&e)).transpose()?;
    if a.on("in-place") && a.get("output").is_some() {
        return Err(Fail::new(
            code::CONFLICTING_PARAMETERS,
            "Error: cannot operate on both --output and --in-place",
        ));
    }
    let format = input.in_format(a)?;
    let out_format = input.out_format(a)?;
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
            let v = extract(doc, steps).ok_or_else(|| {
                Fail::usage(format!(
                    "error truncating tree: component {} not found",
                    a.get("extract").unwrap_or_default()
                ))
            })?;
            render_extract(v, out_format)?
        }
        None => out_format
            .emit_plain(&opened.tree)
            .map_err(|e| dump_err(out_format, &e))?,
    });
    let _ = ctx.audit(crate::audit::Event {
        command: "sops decrypt",
        files: input.path.iter().cloned().collect(),
        ..Default::default()
    });
    write_result(a, &input, &out, NewMode::Private)?;
    Ok(0)
}

/// `sops encrypt` (and `-e`).
pub(crate) fn encrypt(_ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    let input = Input::from_args(a, true)?;
    let format = input.in_format(a)?;
    let out_format = input.out_format(a)?;
    let bytes = input.read()?;
    let path = input.shown();
    if bytes.is_empty() && format != Format::Binary {
        return Err(Fail::new(
            code::NEED_AT_LEAST_ONE_DOCUMENT,
            "File cannot be completely empty, it must contain at least one document",
        ));
    }
    let tree = format.parse_plain_owned(bytes).map_err(|e| {
        Fail::new(
            code::COULD_NOT_READ_INPUT_FILE,
            format!("Error unmarshalling file: {}: {e}", path.display()),
        )
    })?;
    if format != Format::Binary && sops::has_metadata(format, &tree) {
        return Err(Fail::sops(path, sops::SopsError::AlreadyEncrypted));
    }
    if tree.docs.is_empty() {
        return Err(Fail::new(
            code::NEED_AT_LEAST_ONE_DOCUMENT,
            "File cannot be completely empty, it must contain at least one document",
        ));
    }
    let plan = keys::plan(a, &input.name, format)?;
    let key = DataKey::generate().map_err(|_| Fail::sops(path, sops::SopsError::Rng))?;
    let groups = recipients::wrap_groups(&key, &plan.refs(), plan.threshold).map_err(|e| {
        Fail::new(
            code::ERROR_ENCRYPTING_TREE,
            format!("Could not generate data key: {e}"),
        )
    })?;
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
        .into_bytes(out_format)
        .map_err(|e| dump_err(out_format, &e))?;
    write_result(a, &input, &out, NewMode::Public)?;
    Ok(0)
}

/// The recipients of a file's stanzas, by group (PGP stanzas cannot be re-wrapped).
fn current(path: &Path, meta: &Metadata) -> Result<Vec<Vec<Spec>>, Fail> {
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

fn wrap(
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
    recipients::wrap_groups(key, &refs, threshold).map_err(|e| {
        Fail::new(
            code::ERROR_ENCRYPTING_TREE,
            format!("could not wrap the data key: {e}"),
        )
    })
}

/// `sops rotate` (and `-r`), with `--add-*`/`--rm-*`.
pub(crate) fn rotate(ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    let adds = keys::flag_specs(a, "add-")?;
    let rms = keys::flag_specs(a, "rm-")?;
    let input = Input::from_args(a, false)?;
    if let Some(p) = &input.path {
        if std::fs::metadata(p).is_err() && (!adds.is_empty() || !rms.is_empty()) {
            return Err(Fail::new(
                code::CANNOT_CHANGE_KEYS_FROM_NON_EXISTENT_FILE,
                "Error: cannot add or remove keys on non-existent files, use the editor mode instead",
            ));
        }
    }
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
    let key = DataKey::generate().map_err(|_| Fail::sops(&path, sops::SopsError::Rng))?;
    let mut meta = o.sealed.meta.clone();
    meta.groups = wrap(&key, &groups, meta.shamir_threshold)?;
    meta.version = SOPS_FORMAT_VERSION.to_owned();
    let sealed = sops::seal(o.opened.tree, &key, meta, None).map_err(|e| Fail::sops(&path, e))?;
    let out = sealed
        .into_bytes(out_format)
        .map_err(|e| dump_err(out_format, &e))?;
    write_result(a, &input, &out, NewMode::Public)?;
    Ok(0)
}

/// A JSON value (`sops set`), as sops 3.11 reads it: numbers become floats.
fn from_json(j: serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::Str(s),
        serde_json::Value::Array(a) => Value::Seq(a.into_iter().map(from_json).collect()),
        serde_json::Value::Object(o) => {
            Value::Map(o.into_iter().map(|(k, v)| (k, from_json(v))).collect())
        }
    }
}

fn parse_value(text: &str, code: u8) -> Result<Value, Fail> {
    serde_json::from_str::<serde_json::Value>(text)
        .map(from_json)
        .map_err(|e| {
            Fail::new(
                code,
                format!("Error: the value is not valid JSON (write strings as '\"text\"'): line {}, column {}", e.line(), e.column()),
            )
        })
}

/// Sets `value` at `steps`, creating missing mappings; returns whether it changed.
fn set_at(doc: &mut Value, steps: &[Step], value: Value) -> Result<bool, Fail> {
    let Some((last, parents)) = steps.split_last() else {
        return Err(Fail::new(code::INVALID_TREE_PATH_FORMAT, "empty tree path"));
    };
    let mut cur = doc;
    for step in parents {
        cur = child_mut(cur, step, true)?;
    }
    match (last, cur) {
        (Step::Key(k), Value::Map(m)) => {
            if let Some((_, v)) = m
                .iter_mut()
                .find(|(key, v)| key == k && !matches!(v, Value::Comment(_)))
            {
                let same = *v == value;
                *v = value;
                return Ok(!same);
            }
            m.push((k.clone(), value));
            Ok(true)
        }
        (Step::Index(i), Value::Seq(items)) => {
            let pos = seq_pos(items, *i);
            match pos {
                Some(p) => {
                    let same = items[p] == value;
                    items[p] = value;
                    Ok(!same)
                }
                None => {
                    items.push(value);
                    Ok(true)
                }
            }
        }
        (_, other) => {
            *other = match last {
                Step::Key(k) => Value::Map(vec![(k.clone(), value)]),
                Step::Index(_) => Value::Seq(vec![value]),
            };
            Ok(true)
        }
    }
}

/// The position of the `i`th non-comment item.
fn seq_pos(items: &[Value], i: usize) -> Option<usize> {
    items
        .iter()
        .enumerate()
        .filter(|(_, v)| !matches!(v, Value::Comment(_)))
        .nth(i)
        .map(|(p, _)| p)
}

fn child_mut<'a>(cur: &'a mut Value, step: &Step, create: bool) -> Result<&'a mut Value, Fail> {
    let missing = || Fail::usage("Key not found in the tree path");
    match step {
        Step::Key(k) => {
            if !matches!(cur, Value::Map(_)) {
                if !create {
                    return Err(missing());
                }
                *cur = Value::Map(Vec::new());
            }
            let Value::Map(m) = cur else {
                return Err(missing());
            };
            let pos = m
                .iter()
                .position(|(key, v)| key == k && !matches!(v, Value::Comment(_)));
            let pos = match pos {
                Some(p) => p,
                None if create => {
                    m.push((k.clone(), Value::Map(Vec::new())));
                    m.len() - 1
                }
                None => return Err(Fail::usage(format!("Key not found: {k}"))),
            };
            Ok(&mut m[pos].1)
        }
        Step::Index(i) => {
            let Value::Seq(items) = cur else {
                return Err(missing());
            };
            let pos =
                seq_pos(items, *i).ok_or_else(|| Fail::usage(format!("Index {i} out of range")))?;
            Ok(&mut items[pos])
        }
    }
}

fn unset_at(doc: &mut Value, steps: &[Step]) -> Result<(), Fail> {
    let Some((last, parents)) = steps.split_last() else {
        return Err(Fail::new(code::INVALID_TREE_PATH_FORMAT, "empty tree path"));
    };
    let mut cur = doc;
    for step in parents {
        cur = child_mut(cur, step, false)?;
    }
    match (last, cur) {
        (Step::Key(k), Value::Map(m)) => {
            let pos = m
                .iter()
                .position(|(key, v)| key == k && !matches!(v, Value::Comment(_)))
                .ok_or_else(|| Fail::usage(format!("Key not found: {k}")))?;
            m.remove(pos);
            Ok(())
        }
        (Step::Index(i), Value::Seq(items)) => {
            let pos =
                seq_pos(items, *i).ok_or_else(|| Fail::usage(format!("Index not found: {i}")))?;
            items.remove(pos);
            Ok(())
        }
        (Step::Key(k), _) => Err(Fail::usage(format!("Key not found: {k}"))),
        (Step::Index(i), _) => Err(Fail::usage(format!("Index not found: {i}"))),
    }
}

/// Re-encrypts a changed document with its own data key (unchanged values keep their
/// ciphertext) and writes it back in place.
fn save_in_place(input: &Input, format: Format, o: Open) -> Result<(), Fail> {
    let path = input.shown().to_owned();
    let mut meta = o.sealed.meta.clone();
    meta.version = SOPS_FORMAT_VERSION.to_owned();
    let mut ivs = o.opened.ivs;
    let sealed = sops::seal(o.opened.tree, &o.key, meta, Some(&mut ivs))
        .map_err(|e| Fail::sops(&path, e))?;
    let out = sealed
        .into_bytes(format)
        .map_err(|e| dump_err(format, &e))?;
    output::write_atomic(&path, &out, NewMode::Public).map_err(|e| {
        Fail::new(
            code::COULD_NOT_WRITE_OUTPUT_FILE,
            format!("Could not write {}: {e}", path.display()),
        )
    })
}

/// Reads the file of `set`/`unset` (sops: "Error reading file", exit 2).
fn read_existing(input: &Input) -> Result<Vec<u8>, Fail> {
    input.read().map_err(|mut f| {
        f.code = code::COULD_NOT_READ_INPUT_FILE;
        f
    })
}

/// `sops set [flags] FILE PATH VALUE` (`--value-file`, `--value-stdin`, `--idempotent`).
pub(crate) fn set(ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    use std::io::Read as _;
    let want = if a.on("value-stdin") { 2 } else { 3 };
    if a.positional.len() != want {
        return Err(Fail::usage(format!(
            "Error: set takes FILE PATH{} (got {} arguments)",
            if want == 3 { " VALUE" } else { "" },
            a.positional.len()
        )));
    }
    let input = Input::from_args(a, false)?;
    let steps = parse_extract(&a.positional[1])
        .map_err(|_| Fail::new(code::INVALID_SET_FORMAT, "Invalid set index format"))?;
    let text = Zeroizing::new(if a.on("value-stdin") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Fail::usage(format!("Error reading the value from stdin: {e}")))?;
        s
    } else if a.on("value-file") {
        let f = &a.positional[2];
        std::fs::read_to_string(f)
            .map_err(|e| Fail::usage(format!("Error reading the value file {f}: {e}")))?
    } else {
        a.positional[2].clone()
    });
    let value = parse_value(&text, code::INVALID_SET_FORMAT)?;
    set_value(ctx, a, &input, &steps, value)
}

fn set_value(
    ctx: &Ctx,
    a: &SopsArgs,
    input: &Input,
    steps: &[Step],
    value: Value,
) -> Result<u8, Fail> {
    let path = input.shown().to_owned();
    let _lock = crate::lock::lock(&path).map_err(Fail::from)?;
    let format = input.in_format(a)?;
    let bytes = read_existing(input)?;
    let mut o = open_bytes(ctx, input, format, &bytes, a.on("ignore-mac"))?;
    if o.opened.tree.docs.is_empty() {
        o.opened.tree.docs.push(Value::Map(Vec::new()));
    }
    let changed = set_at(&mut o.opened.tree.docs[0], steps, value)?;
    if !changed && a.on("idempotent") {
        return Ok(0);
    }
    save_in_place(input, format, o)?;
    Ok(0)
}

/// The legacy `sops --set '["a"]["b"] VALUE' FILE`.
pub(crate) fn legacy_set(ctx: &Ctx, a: &SopsArgs, set: &str) -> Result<u8, Fail> {
    let Some((p, v)) = set.split_once("] ") else {
        return Err(Fail::new(code::INVALID_SET_FORMAT, "Invalid --set format"));
    };
    let steps = parse_extract(&format!("{p}]"))
        .map_err(|_| Fail::new(code::INVALID_SET_FORMAT, "Invalid --set format"))?;
    let value = parse_value(v, code::INVALID_SET_FORMAT)?;
    let input = Input::existing(a)?;
    set_value(ctx, a, &input, &steps, value)
}

/// `sops unset [--idempotent] FILE PATH`.
pub(crate) fn unset(ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    if a.positional.len() != 2 {
        return Err(Fail::usage("Error: unset takes FILE PATH"));
    }
    let input = Input::from_args(a, false)?;
    let steps = tree_path(&a.positional[1])?;
    let path = input.shown().to_owned();
    let bytes = read_existing(&input)?;
    let _lock = crate::lock::lock(&path).map_err(Fail::from)?;
    let format = input.in_format(a)?;
    let mut o = open_bytes(ctx, &input, format, &bytes, a.on("ignore-mac"))?;
    let Some(doc) = o.opened.tree.docs.first_mut() else {
        return Err(Fail::usage("Key not found"));
    };
    match unset_at(doc, &steps) {
        Ok(()) => {}
        Err(_) if a.on("idempotent") => return Ok(0),
        Err(e) => return Err(e),
    }
    save_in_place(&input, format, o)?;
    Ok(0)
}

/// `sops filestatus FILE`: `{"encrypted":true|false}`.
pub(crate) fn filestatus(a: &SopsArgs) -> Result<u8, Fail> {
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
    let encrypted = format
        .parse_encrypted(&bytes)
        .ok()
        .and_then(|t| Sealed::from_tree(format, t).ok())
        .is_some_and(|s| {
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
    let mut failed = false;
    for file in &a.positional {
        if let Err(f) = update_one(ctx, a, Path::new(file)) {
            eprintln!("{}", f.msg);
            if a.positional.len() == 1 {
                return Err(Fail::new(f.code, String::new()));
            }
            failed = true;
        }
    }
    Ok(u8::from(failed))
}

fn update_one(ctx: &Ctx, a: &SopsArgs, file: &Path) -> Result<(), Fail> {
    use std::io::Write as _;
    super::require_exists(file)?;
    eprintln!("Syncing keys for file {}", file.display());
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
    if have == want && threshold == sealed.meta.shamir_threshold {
        eprintln!("File {} already up to date", file.display());
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
    if threshold != sealed.meta.shamir_threshold {
        diff.push_str(&format!(
            "Shamir threshold: {} → {threshold}\n",
            sealed.meta.shamir_threshold
        ));
    }
    print!("{diff}");
    if !a.on("yes") {
        print!("Is this okay? (y/n):");
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
        if !line.trim().eq_ignore_ascii_case("y") {
            eprintln!("File {} left unchanged", file.display());
            return Ok(());
        }
    }
    let key = unwrap_key(ctx, file, &sealed)?;
    let mut meta = sealed.meta.clone();
    meta.groups = wrap(&key, &want_specs, threshold)?;
    meta.shamir_threshold = threshold;
    let out = Sealed {
        tree: sealed.tree,
        meta,
    }
    .into_bytes(format)
    .map_err(|e| dump_err(format, &e))?;
    output::write_atomic(file, &out, NewMode::Public).map_err(|e| {
        Fail::new(
            code::COULD_NOT_WRITE_OUTPUT_FILE,
            format!("Could not write {}: {e}", file.display()),
        )
    })?;
    eprintln!("File {} synced with new keys", file.display());
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

/// `sops groups add|delete --file F [-i] …`.
pub(crate) fn groups(ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    let Some(file) = a.get("file") else {
        return Err(Fail::new(
            code::NO_FILE_SPECIFIED,
            "Error: --file is required",
        ));
    };
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
    .into_bytes(format)
    .map_err(|e| dump_err(format, &e))?;
    write_result(a, &input, &out, NewMode::Public)?;
    Ok(0)
}
