//! `sealbox decrypt`: sops files → plaintext, MAC verified; `--extract` prints one
//! value. Plaintext files it creates are 0600.

use crate::cli::DecryptArgs;
use crate::commands::{bulk, bulk::Done, ctx::Ctx, jobs, open};
use crate::error::{Error, Outcome, Result};
use crate::output::{self, NewMode};
use crate::store::{Format, Tree, Value};

/// One step of an `--extract` path.
pub(crate) enum Step {
    /// A mapping key.
    Key(String),
    /// A sequence index (comments not counted).
    Index(usize),
}

/// Parses a sops tree path: `["key"][0]['sub']`.
pub(crate) fn parse_extract(s: &str) -> Result<Vec<Step>> {
    let bad = || {
        Error::Usage(format!(
            "--extract: cannot parse '{s}'; expected a path like '[\"key\"][0][\"sub\"]'"
        ))
    };
    let mut steps = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[').ok_or_else(bad)?;
        let close = inner.find(']').ok_or_else(bad)?;
        let (item, after) = (&inner[..close], &inner[close + 1..]);
        let item = item.trim();
        let quoted = |q: char| item.strip_prefix(q).and_then(|i| i.strip_suffix(q));
        if let Some(k) = quoted('"').or_else(|| quoted('\'')) {
            steps.push(Step::Key(k.to_owned()));
        } else {
            steps.push(Step::Index(item.parse().map_err(|_| bad())?));
        }
        rest = after;
    }
    if steps.is_empty() {
        return Err(bad());
    }
    Ok(steps)
}

/// The value at a tree path.
pub(crate) fn extract<'a>(doc: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    let mut cur = doc;
    for step in steps {
        cur = match (step, cur) {
            (Step::Key(k), Value::Map(_)) => cur.get(k)?,
            (Step::Index(i), Value::Seq(items)) => items
                .iter()
                .filter(|v| !matches!(v, Value::Comment(_)))
                .nth(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn render_extract(v: &Value, out_format: Format) -> Result<Vec<u8>> {
    Ok(match v {
        Value::Str(s) => s.as_bytes().to_vec(),
        Value::Bytes(b) => b.clone(),
        Value::Map(_) => out_format
            .emit_plain(&Tree::single(v.duplicate()))
            .map_err(|e| Error::Usage(format!("--extract: {e}")))?,
        other => {
            let mut t = match other {
                Value::Int(i) => i.to_string(),
                Value::Float(f) => crate::store::tree::format_float_f(*f),
                Value::Bool(b) => b.to_string(),
                Value::Time(t) => t.clone(),
                Value::Null => "null".to_owned(),
                _ => {
                    let tree =
                        Tree::single(Value::Map(vec![("value".to_owned(), other.duplicate())]));
                    return Format::Yaml
                        .emit_plain(&tree)
                        .map_err(|e| Error::Usage(e.to_string()));
                }
            };
            t.push('\n');
            t.into_bytes()
        }
    })
}

/// Runs `sealbox decrypt`.
///
/// # Errors
/// See [`Error`].
pub fn run(ctx: &Ctx, args: &DecryptArgs) -> Result<Outcome> {
    let o = &args.output;
    let steps = args.extract.as_deref().map(parse_extract).transpose()?;
    let stdin = !args.all && args.paths.len() == 1 && args.paths[0].as_os_str() == "-";
    let jobs = if args.all {
        jobs::all_jobs(&args.env, o)?
    } else if stdin {
        // `-` alone: the encrypted file comes from stdin (format from --input-type,
        // binary otherwise, as for `/dev/stdin`).
        if o.in_place || o.output_dir.is_some() {
            return Err(Error::Usage(
                "decrypt -: stdin cannot be decrypted --in-place or into --output-dir; use -o FILE or stdout".to_owned(),
            ));
        }
        vec![jobs::Job {
            input: std::path::PathBuf::from("-"),
            mirrored: None,
            explicit: true,
        }]
    } else {
        jobs::expand(ctx, &args.paths, o.output_dir.as_deref())?
    };
    let single = jobs.len() == 1 && jobs.iter().all(|j| j.explicit);
    if !single && !o.in_place && o.output_dir.is_none() {
        return Err(Error::Usage(
            "several files to decrypt: pass --in-place or --output-dir DIR".to_owned(),
        ));
    }
    if (o.output.is_some() || steps.is_some()) && !single {
        return Err(Error::Usage(
            "-o/--output and --extract take exactly one input file".to_owned(),
        ));
    }
    jobs::prepare_dirs(&jobs, o.output_dir.as_deref())?;
    // No plaintext leaves before the log can take the line that records it.
    ctx.audit_preflight()?;
    let audited: Vec<std::path::PathBuf> = jobs.iter().map(|j| j.input.clone()).collect();
    let result = bulk::run_bulk(ctx, "decrypted", jobs, |job| {
        let path = &job.input;
        // In place is a read-modify-write: never interleaved with a `set` of that file.
        let _lock = if o.in_place {
            Some(crate::lock::lock(path)?)
        } else {
            None
        };
        let format = open::format_of(path, args.input_type);
        let out_format = args
            .output_type
            .map_or(format, crate::cli::FormatArg::format);
        // Only a regular file: a pipe (`/dev/stdin`) cannot be read a second time by the
        // general path.
        let regular = !stdin && std::fs::metadata(path).is_ok_and(|m| m.is_file());
        if regular && steps.is_none() && format == Format::Binary && out_format == Format::Binary {
            // A whole-file value: its base64 decoded as the file is read, then decrypted
            // in place, so memory holds the plaintext's size once. Other shapes (and
            // malformed values) go through the general path below, which says what is
            // wrong.
            let envelope = crate::sops::binary::BinaryEnvelope::read(path)
                .map_err(|e| Error::io(path, "read", e))?;
            if let Some(envelope) = envelope {
                let key = open::data_key(ctx, path, &envelope.sealed)?;
                let plain = envelope
                    .open(&key, args.ignore_mac)
                    .map_err(|e| open::sops_err(path, e))?;
                return write_out(o, job, plain.bytes());
            }
        }
        let bytes = if stdin {
            read_stdin()?
        } else {
            open::read(path)?
        };
        let opened = match open::plaintext_of(ctx, path, format, bytes, args.ignore_mac) {
            Err(Error::NotEncrypted { .. }) if !job.explicit => {
                return Ok(Done::Skipped);
            }
            other => other?,
        };
        let bytes = match &steps {
            Some(steps) => {
                let doc = opened.tree.docs.first().unwrap_or(&Value::Null);
                let v = extract(doc, steps).ok_or_else(|| {
                    Error::input(
                        path,
                        "--extract: no value at that path",
                        Some("check the key names"),
                    )
                })?;
                render_extract(v, out_format)?
            }
            None => {
                if out_format == Format::Binary {
                    // Large binaries are written straight from the tree, not copied.
                    if let Some(raw) = crate::store::binary::plain_slice(&opened.tree) {
                        return write_out(o, job, raw);
                    }
                }
                out_format.emit_plain(&opened.tree).map_err(|e| {
                    Error::input(path, e.to_string(), Some("choose another --output-type"))
                })?
            }
        };
        let bytes = zeroize::Zeroizing::new(bytes);
        write_out(o, job, &bytes)
    });
    ctx.audit_result(
        result,
        crate::audit::Event {
            command: "decrypt",
            files: audited,
            environments: args.env.clone(),
            ..Default::default()
        },
    )
}

fn read_stdin() -> Result<Vec<u8>> {
    use std::io::Read as _;
    let mut buf = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(std::path::Path::new("-"), "read", e))?;
    Ok(buf)
}

fn write_out(o: &crate::cli::OutputArgs, job: &jobs::Job, bytes: &[u8]) -> Result<Done> {
    if let Some(dest) = &job.mirrored {
        output::write_beneath(
            o.output_dir.as_deref(),
            dest,
            &|w| w.write_all(bytes),
            NewMode::Private,
        )?;
    } else if o.in_place {
        output::write_atomic(&job.input, bytes, NewMode::Private)?;
    } else if let Some(dest) = &o.output {
        output::write_atomic(dest, bytes, NewMode::Private)?;
    } else {
        output::write_stdout(bytes)?;
    }
    Ok(Done::Written)
}
