//! Vault / OpenBao KV as an environment's home: `vault:MOUNT/PATH` is one KV entry
//! whose fields are the environment's keys. The mount and its KV version come from
//! the server (`sys/internal/ui/mounts/PATH`, which any token may ask about its own
//! paths, else `sys/mounts`); v2 reads `MOUNT/data/PATH` and writes one new version.
//! Address, token and namespace as for transit: `VAULT_ADDR` (or `BAO_ADDR`),
//! `VAULT_TOKEN`/`BAO_TOKEN`/`~/.vault-token`, `VAULT_NAMESPACE`.

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use super::{ManagerError, Values};
use crate::recipients::remote;

const HINT: &str = "set VAULT_ADDR and VAULT_TOKEN (or write ~/.vault-token)";

/// A KV mount: where it is and which version it speaks.
struct Mount {
    /// Mount path without slashes (`secret`, `team/kv`).
    mount: String,
    /// The entry's path inside the mount.
    rest: String,
    /// 1 or 2.
    version: u8,
}

fn address() -> Result<String, ManagerError> {
    std::env::var("VAULT_ADDR")
        .or_else(|_| std::env::var("BAO_ADDR"))
        .ok()
        .map(|a| a.trim().trim_end_matches('/').to_owned())
        .filter(|a| !a.is_empty())
        .ok_or_else(|| ManagerError::Unavailable(format!("Vault: no server address; {HINT}")))
}

/// An API path as a URL path: every byte but the unreserved ones and `/`
/// percent-encoded, so a name holding `?`, `#`, `%` or a space is the entry of that name
/// (as Vault's own client sends it), not a query, a fragment or an escape.
fn escape_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One request; the answer's status and body (zeroized, it may hold values).
fn call(
    method: &str,
    addr: &str,
    path: &str,
    body: Option<&str>,
) -> Result<(u16, Zeroizing<String>), ManagerError> {
    let token = crate::recipients::vault::token().ok_or_else(|| {
        ManagerError::Unavailable(format!("Vault {}: no token; {HINT}", remote::origin(addr)))
    })?;
    let url = format!("{addr}/v1/{}", escape_path(path));
    let namespace = std::env::var("VAULT_NAMESPACE").unwrap_or_default();
    let agent = remote::http();
    let unreachable = |e: ureq::Error| {
        ManagerError::Unavailable(format!(
            "Vault {}: cannot reach it: {e}; {HINT}",
            remote::origin(addr)
        ))
    };
    let resp = match (method, body) {
        ("GET", _) => {
            let mut r = agent.get(&url).header("X-Vault-Token", token.as_str());
            if !namespace.is_empty() {
                r = r.header("X-Vault-Namespace", namespace.as_str());
            }
            r.call()
        }
        (_, b) => {
            let mut r = agent
                .post(&url)
                .header("X-Vault-Token", token.as_str())
                .header("Content-Type", "application/json");
            if !namespace.is_empty() {
                r = r.header("X-Vault-Namespace", namespace.as_str());
            }
            r.send(b.unwrap_or("{}"))
        }
    };
    let mut resp = resp.map_err(unreachable)?;
    let status = resp.status().as_u16();
    let text = Zeroizing::new(resp.body_mut().read_to_string().unwrap_or_default());
    Ok((status, text))
}

/// The first error the server gave (Vault answers `{"errors": [...]}`).
fn server_message(text: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(text).unwrap_or(serde_json::Value::Null);
    let m = remote::service_message(&v);
    // "1 error occurred:\n\t* permission denied\n\n" → "permission denied".
    let words: Vec<&str> = m.split_whitespace().collect();
    let line = words.join(" ");
    match line.split_once("occurred: * ") {
        Some((_, rest)) => rest.replace(" * ", "; "),
        None => line,
    }
}

fn failure(addr: &str, status: u16, text: &str, doing: &str, keys: &str) -> ManagerError {
    let msg = server_message(text);
    let line = format!(
        "Vault {} answered {status} {doing}{keys}: {msg}",
        remote::origin(addr)
    );
    match status {
        403 => ManagerError::Refused(format!(
            "{line}; the token's policy does not allow it (check VAULT_TOKEN and the policy)"
        )),
        400 | 404 | 405 => ManagerError::Invalid(line),
        _ => ManagerError::Unavailable(format!("{line}; {HINT}")),
    }
}

fn mount_of(addr: &str, path: &str) -> Result<Mount, ManagerError> {
    let (status, text) = call("GET", addr, &format!("sys/internal/ui/mounts/{path}"), None)?;
    let from_ui = (status == 200)
        .then(|| serde_json::from_str::<serde_json::Value>(&text).ok())
        .flatten()
        .and_then(|v| {
            let data = v.get("data")?;
            let mount = data.get("path")?.as_str()?.trim_matches('/').to_owned();
            let kind = data.get("type")?.as_str()?.to_owned();
            let version = data
                .pointer("/options/version")
                .and_then(|x| x.as_str())
                .unwrap_or("1")
                .to_owned();
            Some((mount, kind, version))
        });
    let found = match from_ui {
        Some(f) => f,
        None => {
            let (status2, text2) = call("GET", addr, "sys/mounts", None)?;
            if status2 != 200 {
                // Neither lookup answered: say why in terms of the first.
                let (s, t) = if status == 200 {
                    (status2, &text2)
                } else {
                    (status, &text)
                };
                return Err(failure(
                    addr,
                    s,
                    t,
                    &format!("looking up the mount of {path}"),
                    "",
                ));
            }
            let v: serde_json::Value =
                serde_json::from_str(&text2).unwrap_or(serde_json::Value::Null);
            let table = v.get("data").unwrap_or(&v);
            let obj = table.as_object().cloned().unwrap_or_default();
            let best = obj
                .iter()
                .filter(|(m, _)| {
                    let m = m.trim_matches('/');
                    path == m || path.starts_with(&format!("{m}/"))
                })
                .max_by_key(|(m, _)| m.len());
            let Some((m, info)) = best else {
                return Err(ManagerError::Invalid(format!(
                    "Vault {}: no secrets engine is mounted at {path} (enable one: `bao secrets enable -path=MOUNT kv-v2`)",
                    remote::origin(addr)
                )));
            };
            (
                m.trim_matches('/').to_owned(),
                info.get("type")
                    .and_then(|t| t.as_str())
                    .unwrap_or_default()
                    .to_owned(),
                info.pointer("/options/version")
                    .and_then(|x| x.as_str())
                    .unwrap_or("1")
                    .to_owned(),
            )
        }
    };
    let (mount, kind, version) = found;
    if kind != "kv" && kind != "generic" {
        return Err(ManagerError::Invalid(format!(
            "Vault {}: {mount} is a '{kind}' engine, not KV; name a path under a KV mount",
            remote::origin(addr)
        )));
    }
    let rest = path
        .strip_prefix(mount.as_str())
        .unwrap_or(path)
        .trim_matches('/')
        .to_owned();
    if rest.is_empty() {
        return Err(ManagerError::Invalid(format!(
            "vault:{path} names the mount itself; add the entry's path (vault:{mount}/app/prod)"
        )));
    }
    Ok(Mount {
        mount,
        rest,
        version: if version == "2" { 2 } else { 1 },
    })
}

impl Mount {
    fn data_path(&self) -> String {
        if self.version == 2 {
            format!("{}/data/{}", self.mount, self.rest)
        } else {
            format!("{}/{}", self.mount, self.rest)
        }
    }
}

/// Reads the entry (absent → empty).
///
/// # Errors
/// Unreachable, refused, or not a map of values.
pub fn read(path: &str) -> Result<Values, ManagerError> {
    let addr = address()?;
    let m = mount_of(&addr, path)?;
    let (status, text) = call("GET", &addr, &m.data_path(), None)?;
    if status == 404 {
        return Ok(Values::default());
    }
    if status != 200 {
        return Err(failure(
            &addr,
            status,
            &text,
            &format!("reading vault:{path}"),
            "",
        ));
    }
    let mut v: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
        ManagerError::Unavailable(format!(
            "Vault {} sent an answer that is not JSON for vault:{path}",
            remote::origin(&addr)
        ))
    })?;
    let pointer = if m.version == 2 {
        "/data/data"
    } else {
        "/data"
    };
    let data = v.pointer_mut(pointer).map(serde_json::Value::take);
    let Some(serde_json::Value::Object(map)) = data else {
        // A v2 entry whose latest version was deleted reads as `data: null`.
        return Ok(Values::default());
    };
    let what = format!("vault:{path}");
    let mut out = BTreeMap::new();
    for (k, val) in map {
        out.insert(k.clone(), super::scalar_text(val, &k, &what)?);
    }
    Ok(Values(out))
}

/// Writes the whole entry (one new version on KV v2).
///
/// # Errors
/// Unreachable or refused (naming the keys that were to be written).
pub fn write(path: &str, next: &BTreeMap<String, Zeroizing<String>>) -> Result<(), ManagerError> {
    let addr = address()?;
    let m = mount_of(&addr, path)?;
    let object = super::json_object(next);
    let body = if m.version == 2 {
        Zeroizing::new(format!("{{\"data\":{}}}", object.as_str()))
    } else {
        object
    };
    let (status, text) = call("POST", &addr, &m.data_path(), Some(&body))?;
    if (200..300).contains(&status) {
        return Ok(());
    }
    let keys: Vec<&str> = next.keys().map(String::as_str).collect();
    let shown = if keys.len() > 8 {
        format!(" (keys {}, … {} in all)", keys[..8].join(", "), keys.len())
    } else {
        format!(" (keys {})", keys.join(", "))
    };
    Err(failure(
        &addr,
        status,
        &text,
        &format!("writing vault:{path}"),
        &shown,
    ))
}

/// A KV entry named in full, the way sops' `destination_rules` name one: the mount
/// and its KV version are given rather than asked of the server.
#[derive(Clone, Debug)]
pub struct KvEntry {
    /// Server address; empty: `VAULT_ADDR`/`BAO_ADDR`.
    pub address: String,
    /// Mount path (`secret`, `secret/`, `team/kv`).
    pub mount: String,
    /// 1 or 2 (anything else is treated as 2, sops' default).
    pub version: u8,
    /// The entry's path inside the mount.
    pub path: String,
}

impl KvEntry {
    /// The API path (without `/v1/`): `MOUNT/data/PATH` on v2, `MOUNT/PATH` on v1.
    #[must_use]
    pub fn api_path(&self) -> String {
        let mount = if self.mount.ends_with('/') {
            self.mount.clone()
        } else {
            format!("{}/", self.mount)
        };
        if self.version == 1 {
            format!("{mount}{}", self.path)
        } else {
            format!("{mount}data/{}", self.path)
        }
    }

    /// The address requests go to.
    ///
    /// # Errors
    /// No address in the entry nor in the environment.
    pub fn server(&self) -> Result<String, ManagerError> {
        let a = self.address.trim().trim_end_matches('/');
        if a.is_empty() {
            address()
        } else {
            Ok(a.to_owned())
        }
    }
}

/// Writes `object` (the text of a JSON object; its values may be nested and typed)
/// as the entry's data: the whole entry on v1, one new version on v2.
///
/// # Errors
/// Unreachable, refused, or an error answer from the server (never quoting values).
pub fn write_object(entry: &KvEntry, object: &str) -> Result<(), ManagerError> {
    let addr = entry.server()?;
    let body = if entry.version == 1 {
        Zeroizing::new(object.to_owned())
    } else {
        Zeroizing::new(format!("{{\"data\":{object}}}"))
    };
    let path = entry.api_path();
    let (status, text) = call("POST", &addr, &path, Some(&body))?;
    if (200..300).contains(&status) {
        return Ok(());
    }
    Err(failure(
        &addr,
        status,
        &text,
        &format!("writing {path}"),
        "",
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn entry_names_are_escaped_as_path_segments() {
        assert_eq!(
            super::escape_path("secret/data/app/x?y.yaml"),
            "secret/data/app/x%3Fy.yaml"
        );
        assert_eq!(
            super::escape_path("m/p#q r%2f.yaml"),
            "m/p%23q%20r%252f.yaml"
        );
        assert_eq!(super::escape_path("sys/mounts"), "sys/mounts");
    }
}
