//! `sops set`, `sops unset` and the legacy `--set 'PATH VALUE'`: change one place of
//! the decrypted tree (creating missing mappings on set) and write the file back in
//! place with its own data key, so unchanged values keep their ciphertext.

use zeroize::Zeroizing;

use super::args::SopsArgs;
use super::files::{dump_err, open_bytes, Open};
use super::{code, sopsconf, Fail, Input};
use crate::commands::ctx::Ctx;
use crate::commands::decrypt::{parse_extract, Step};
use crate::output::{self, NewMode};
use crate::sops::{self, SOPS_FORMAT_VERSION};
use crate::store::Value;

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
    let json = serde_json::from_str::<serde_json::Value>(text).map_err(|e| {
        Fail::new(
            code,
            format!("Value for --set is not valid JSON (line {}, column {}; write a string as '\"text\"')", e.line(), e.column()),
        )
    })?;
    // sops reads a collection value as a JSON document, whose top level must be an
    // object: a list is refused.
    if json.is_array() {
        return Err(Fail::new(
            code,
            "Invalid --set value format: a list cannot be set as a whole; set an object holding it, or its items one by one",
        ));
    }
    Ok(from_json(json))
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
fn save_in_place(a: &SopsArgs, input: &Input, o: Open) -> Result<(), Fail> {
    let path = input.shown().to_owned();
    let mut meta = o.sealed.meta.clone();
    meta.version = SOPS_FORMAT_VERSION.to_owned();
    let mut ivs = o.opened.ivs;
    let sealed = sops::seal(o.opened.tree, &o.key, meta, Some(&mut ivs))
        .map_err(|e| Fail::sops(&path, e))?;
    // sops writes the file back with the output store (`--output-type`), in place.
    let format = input.out_format(a)?;
    let out = sealed
        .into_bytes_with(format, sopsconf::indent(a, format)?)
        .map_err(|e| dump_err(format, &e))?;
    output::write_atomic(&path, &out, NewMode::AsSops).map_err(|e| {
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
        return Err(Fail::new(
            code::NO_FILE_SPECIFIED,
            if want == 3 {
                "Error: no file specified, or index and value are missing. Need precisely 3 positional arguments."
            } else {
                "Error: file specified, or index and value are missing. Need precisely 2 positional arguments since --value-stdin is used."
            },
        ));
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
    save_in_place(a, input, o)?;
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
        return Err(Fail::new(
            code::NO_FILE_SPECIFIED,
            "Error: no file specified, or index is missing",
        ));
    }
    let input = Input::from_args(a, false)?;
    let steps = parse_extract(&a.positional[1])
        .map_err(|_| Fail::new(code::INVALID_SET_FORMAT, "Invalid unset index format"))?;
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
    save_in_place(a, &input, o)?;
    Ok(0)
}
