//! Audit events to a log collector: `SEALBOX_AUDIT_SYSLOG=udp://HOST:PORT`,
//! `tcp://HOST:PORT` or `unix:PATH`. Each event goes out as one RFC 5424 message:
//! facility local0, severity info, APP-NAME `sealbox`, PROCID the process id, MSGID the
//! command, the chain hashes as structured data (`[sealbox@32473 hash="…" prev="…"]`)
//! and the event's JSON line as the message. TCP uses octet-counting framing (RFC 6587),
//! UDP one datagram per event (RFC 5426), `unix:` a datagram socket (or a stream socket
//! with octet counting). The local hash-chained log is written first and stays the
//! record: a collector that cannot be reached gets a warning on stderr, never a failed
//! command.

use std::io::Write as _;
use std::net::{TcpStream, ToSocketAddrs, UdpSocket};
use std::path::PathBuf;
use std::time::Duration;

/// The variable that names the collector.
pub const VAR: &str = "SEALBOX_AUDIT_SYSLOG";

/// How long connecting to and writing to a collector may take.
const TIMEOUT: Duration = Duration::from_secs(2);

/// Where events go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `udp://HOST:PORT`.
    Udp(String),
    /// `tcp://HOST:PORT`.
    Tcp(String),
    /// `unix:PATH`.
    Unix(PathBuf),
}

impl Target {
    /// Parses the variable's value.
    ///
    /// # Errors
    /// A value that is none of the three forms, naming the variable and the forms.
    pub fn parse(value: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "{VAR}={value}: not udp://HOST:PORT, tcp://HOST:PORT or unix:PATH (unset it to send nothing)"
            )
        };
        let host_port = |rest: &str| -> Result<String, String> {
            let (host, port) = rest.rsplit_once(':').ok_or_else(bad)?;
            if host.is_empty() || port.parse::<u16>().map_or(true, |p| p == 0) {
                return Err(bad());
            }
            Ok(rest.trim_end_matches('/').to_owned())
        };
        if let Some(rest) = value.strip_prefix("udp://") {
            Ok(Self::Udp(host_port(rest.trim_end_matches('/'))?))
        } else if let Some(rest) = value.strip_prefix("tcp://") {
            Ok(Self::Tcp(host_port(rest.trim_end_matches('/'))?))
        } else if let Some(rest) = value.strip_prefix("unix:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.is_empty() {
                return Err(bad());
            }
            Ok(Self::Unix(PathBuf::from(path)))
        } else {
            Err(bad())
        }
    }

    /// The collector the environment names, if any.
    ///
    /// # Errors
    /// A value that does not parse.
    pub fn from_env() -> Result<Option<Self>, String> {
        match std::env::var(VAR) {
            Ok(v) if !v.trim().is_empty() => Self::parse(v.trim()).map(Some),
            Ok(_) | Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(format!(
                "{VAR} is not valid UTF-8 (unset it to send nothing)"
            )),
        }
    }

    /// What the warning calls it.
    fn shown(&self) -> String {
        match self {
            Self::Udp(a) => format!("udp://{a}"),
            Self::Tcp(a) => format!("tcp://{a}"),
            Self::Unix(p) => format!("unix:{}", p.display()),
        }
    }
}

/// RFC 5424 PARAM-VALUE escaping: `"`, `\` and `]`.
fn sd_escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        if matches!(c, '"' | '\\' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A header field: printable US-ASCII without spaces, at most `max` characters, `-`
/// when empty.
fn header_field(v: &str, max: usize) -> String {
    let s: String = v
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(max)
        .collect();
    if s.is_empty() {
        "-".to_owned()
    } else {
        s
    }
}

/// One RFC 5424 message for an event line.
#[must_use]
pub fn format(command: &str, line: &str, hash: &str, prev: &str) -> String {
    let time = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "-".to_owned());
    format!(
        "<134>1 {time} {host} sealbox {pid} {msgid} [sealbox@32473 hash=\"{hash}\" prev=\"{prev}\"] {line}",
        host = header_field(&super::hostname(), 255),
        pid = std::process::id(),
        msgid = header_field(command, 32),
        hash = sd_escape(hash),
        prev = sd_escape(prev),
    )
}

fn connect_tcp(addr: &str) -> std::io::Result<TcpStream> {
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "no address");
    for a in addr.to_socket_addrs()? {
        match TcpStream::connect_timeout(&a, TIMEOUT) {
            Ok(s) => return Ok(s),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Sends one message.
///
/// # Errors
/// The collector cannot be reached or refuses the message.
pub fn send(target: &Target, msg: &str) -> std::io::Result<()> {
    match target {
        Target::Udp(addr) => {
            let to = addr
                .to_socket_addrs()?
                .next()
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no address"))?;
            let bind = if to.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" };
            let sock = UdpSocket::bind(bind)?;
            sock.send_to(msg.as_bytes(), to).map(drop)
        }
        Target::Tcp(addr) => {
            let mut s = connect_tcp(addr)?;
            s.set_write_timeout(Some(TIMEOUT))?;
            s.write_all(format!("{} {msg}", msg.len()).as_bytes())?;
            s.flush()?;
            s.shutdown(std::net::Shutdown::Write)
        }
        Target::Unix(path) => {
            let sock = std::os::unix::net::UnixDatagram::unbound()?;
            match sock.send_to(msg.as_bytes(), path) {
                Ok(_) => Ok(()),
                // A stream socket (EPROTOTYPE): frame as on TCP.
                Err(e) if e.raw_os_error() == Some(rustix::io::Errno::PROTOTYPE.raw_os_error()) => {
                    let mut s = std::os::unix::net::UnixStream::connect(path)?;
                    s.set_write_timeout(Some(TIMEOUT))?;
                    s.write_all(format!("{} {msg}", msg.len()).as_bytes())?;
                    s.flush()
                }
                Err(e) => Err(e),
            }
        }
    }
}

/// Sends an event to the collector; a failure is a warning, not an error.
pub fn deliver(target: &Target, command: &str, line: &str, hash: &str, prev: &str) {
    let msg = format(command, line, hash, prev);
    if let Err(e) = send(target, &msg) {
        eprintln!(
            "sealbox: warning: the audit event for `{command}` was not sent to {} ({e}); the local audit log has it",
            target.shown()
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms_and_rejects_others() {
        assert_eq!(
            Target::parse("udp://127.0.0.1:514").unwrap(),
            Target::Udp("127.0.0.1:514".to_owned())
        );
        assert_eq!(
            Target::parse("tcp://logs.example.com:6514/").unwrap(),
            Target::Tcp("logs.example.com:6514".to_owned())
        );
        assert_eq!(
            Target::parse("tcp://[::1]:514").unwrap(),
            Target::Tcp("[::1]:514".to_owned())
        );
        assert_eq!(
            Target::parse("unix:/dev/log").unwrap(),
            Target::Unix(PathBuf::from("/dev/log"))
        );
        for bad in [
            "",
            "udp://host",
            "tcp://:514",
            "tcp://h:0",
            "tcp://h:99999",
            "http://h:1",
            "unix:",
            "/dev/log",
        ] {
            let e = Target::parse(bad).unwrap_err();
            assert!(e.contains(VAR) && e.contains("tcp://HOST:PORT"), "{e}");
        }
    }

    #[test]
    fn formats_rfc5424() {
        let m = format("exec", "{\"a\":1}", "ab12", "00ff");
        let parts: Vec<&str> = m.splitn(8, ' ').collect();
        assert_eq!(parts[0], "<134>1");
        assert!(parts[1].contains('T'));
        assert_eq!(parts[3], "sealbox");
        assert_eq!(parts[5], "exec");
        assert_eq!(parts[6], "[sealbox@32473");
        assert!(
            m.ends_with("[sealbox@32473 hash=\"ab12\" prev=\"00ff\"] {\"a\":1}"),
            "{m}"
        );
        assert_eq!(sd_escape("a\"b]c\\"), "a\\\"b\\]c\\\\");
        assert_eq!(header_field("", 3), "-");
        assert_eq!(header_field("a b", 3), "ab");
    }
}
