//! The command line as clap sees it: what the user can type, nothing more. Turning
//! these into typed settings happens in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Secrets encrypted in git: sops-compatible files for age recipients.
#[derive(Parser, Debug)]
#[command(name = "sealbox", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command.
#[derive(Args, Debug, Clone, Default)]
pub struct GlobalArgs {
    /// age identity file (private key) to decrypt with; repeatable. Tried before
    /// $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files
    #[arg(short = 'i', long = "identity", value_name = "FILE", global = true)]
    pub identity: Vec<PathBuf>,
    /// Decrypt with this identity file and nothing else (no environment variables,
    /// keyring, default key files or key services): "can this key read it?"; repeatable
    #[arg(long = "only-identity", value_name = "FILE", global = true)]
    pub only_identity: Vec<PathBuf>,
    /// Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring,
    /// default key files or key services
    #[arg(long, global = true)]
    pub no_default_identities: bool,
    /// Print only errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Do not write the audit log for this command
    #[arg(long, global = true)]
    pub no_audit: bool,
    /// Also send audit events to syslog (/dev/log)
    #[arg(long, global = true)]
    pub audit_syslog: bool,
    /// Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox
    /// used on to the programs it starts (exec, the editor, rotate --run); by default
    /// they are removed, so a child cannot open every other secret
    #[arg(long, global = true)]
    pub keep_identity_env: bool,
}

/// File formats for --input-type / --output-type.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatArg {
    /// YAML
    Yaml,
    /// JSON
    Json,
    /// KEY=value lines
    Dotenv,
    /// INI sections
    Ini,
    /// The whole file as one value
    Binary,
}

/// The subcommands (parsed once per run, so their sizes do not matter).
#[derive(Subcommand, Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Encrypt files (sops format); one file without -o/--in-place goes to stdout
    Encrypt(EncryptArgs),
    /// Decrypt files; one file without -o/--in-place goes to stdout
    Decrypt(DecryptArgs),
    /// Decrypt a file into a private temp file, open $EDITOR, re-encrypt
    Edit(EditArgs),
    /// Give files a new data key and re-encrypt every value
    Rotate(RotateArgs),
    /// Re-wrap files' data keys for the recipients the config (or --age) names
    Updatekeys(UpdatekeysArgs),
    /// Create .sealbox.toml and an age identity (stored in the OS keyring)
    Init(InitArgs),
    /// Set one value in an environment's file (created if missing)
    Set(SetArgs),
    /// Print one value of an environment
    Get(GetArgs),
    /// Remove one value from an environment's file
    Unset(UnsetArgs),
    /// Run a command with an environment's secrets in its environment
    Exec(ExecArgs),
    /// Replace an environment's values (and their encoded forms) in a stream with
    /// [REDACTED:KEY]: `tail -f app.log | sealbox redact -e prod`
    Redact(RedactArgs),
    /// Fill a template with an environment's values into a 0600 file; --watch
    /// re-renders on change and signals a process or runs a command
    Render(RenderArgs),
    /// Print an environment's secrets for a shell, CI system or Kubernetes
    Export(ExportArgs),
    /// Write an environment's values to a secrets manager (only changed keys)
    Push(PushArgs),
    /// Write a secrets manager's values into an environment's encrypted file
    Pull(PullArgs),
    /// Compare an environment with a secrets manager by key, never printing values
    /// (exit 1 on drift)
    Diff(DiffArgs),
    /// Check the project's policy: encrypted files, recipients, shared recipients, MACs
    Check(CheckArgs),
    /// Verify or show the hash-chained audit log
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Who can open an environment: list, add or remove recipients (removing one makes
    /// a new data key)
    #[command(subcommand)]
    Recipients(RecipientsCommand),
    /// The public keys of the identities sealbox would decrypt with, and where each
    /// comes from
    Whoami,
    /// An environment's value names (no values, no key needed)
    Keys(KeysArgs),
    /// Scan files, staged changes or stdin for plaintext secrets (exit 1 on findings)
    ///
    /// Inside a git repository, paths in every report format are relative to the
    /// repository root, and the root's .sealboxignore and .gitleaksignore apply wherever
    /// the scan starts (plus the scanned directory's own). An ignore file takes a
    /// finding's fingerprint (all 64 hex digits, or the first 16 or more that the text
    /// report shows) or a gitleaks `file:rule:line` entry. Test-mode keys (Stripe
    /// sk_test_) are findings of low severity; they exit 1 too. Large files are read in
    /// windows, binary ones through their printable runs, zip/tar/gzip archives through
    /// their entries; a scan ends with a count of what it left out (git-ignored files,
    /// unreadable files, archive entries past the limits).
    Scan(ScanArgs),
    /// Remove leaked secrets from every branch and tag (git-filter-repo), after a backup
    ///
    /// Takes a JSON report of `sealbox scan --git --format json --report leaks.json`,
    /// refuses a dirty work tree, asks first (unless --yes), writes a `git bundle` backup
    /// outside the repository, replaces each reported secret in every blob and commit
    /// message, scans the new history again and says what is left to do: force-push,
    /// other copies of the old history, rotating each secret.
    Purge(PurgeArgs),
    /// Git integration
    #[command(subcommand)]
    Git(GitCommand),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Write man pages into a directory
    Man(ManArgs),
}

/// Which values of a document are encrypted (at most one): the flags, and the same
/// keys in a `.sealbox.toml` rule.
#[derive(Args, Debug, Clone, Default, serde::Deserialize)]
#[group(multiple = false)]
#[serde(default)]
pub struct SelectorArgs {
    /// Keep values under keys ending with SUFFIX in plaintext (default: _unencrypted)
    #[arg(long, value_name = "SUFFIX")]
    pub unencrypted_suffix: Option<String>,
    /// Encrypt only values under keys ending with SUFFIX
    #[arg(long, value_name = "SUFFIX")]
    pub encrypted_suffix: Option<String>,
    /// Keep values under keys matching REGEX in plaintext
    #[arg(long, value_name = "REGEX")]
    pub unencrypted_regex: Option<String>,
    /// Encrypt only values under keys matching REGEX
    #[arg(long, value_name = "REGEX")]
    pub encrypted_regex: Option<String>,
    /// Keep items after a comment matching REGEX in plaintext
    #[arg(long, value_name = "REGEX")]
    pub unencrypted_comment_regex: Option<String>,
    /// Encrypt only items after a comment matching REGEX
    #[arg(long, value_name = "REGEX")]
    pub encrypted_comment_regex: Option<String>,
}

impl SelectorArgs {
    /// The one selector given, as its metadata key (sops' names, in
    /// [`crate::sops::metadata::SELECTOR_KEYS`]) and value.
    #[must_use]
    pub fn entry(&self) -> Option<(String, String)> {
        let values = [
            &self.unencrypted_suffix,
            &self.encrypted_suffix,
            &self.unencrypted_regex,
            &self.encrypted_regex,
            &self.unencrypted_comment_regex,
            &self.encrypted_comment_regex,
        ];
        crate::sops::metadata::SELECTOR_KEYS
            .iter()
            .zip(values)
            .find_map(|(k, v)| v.clone().map(|v| ((*k).to_owned(), v)))
    }
}

/// Where results go.
#[derive(Args, Debug, Clone, Default)]
#[group(multiple = false)]
pub struct OutputArgs {
    /// Rewrite each file in place (atomically)
    #[arg(long)]
    pub in_place: bool,
    /// Write the result to FILE (one input only)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Mirror the inputs into DIR
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
}

/// `sealbox encrypt`.
#[derive(Args, Debug)]
pub struct EncryptArgs {
    /// Files or directories to encrypt
    #[arg(required_unless_present = "all", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Every file that .sealbox.toml's environments name (with -e, only those)
    #[arg(long, conflicts_with = "paths")]
    pub all: bool,
    /// With --all: only this environment's files (repeatable)
    #[arg(short = 'e', long = "env", value_name = "ENV", requires = "all")]
    pub env: Vec<String>,
    /// Recipients (without any, the config's recipients for the file are used)
    #[command(flatten)]
    pub recipients: RecipientArgs,
    /// Where results go
    #[command(flatten)]
    pub output: OutputArgs,
    /// Input format (default: from the file extension)
    #[arg(long, value_enum)]
    pub input_type: Option<FormatArg>,
    /// Output format (default: the input format)
    #[arg(long, value_enum)]
    pub output_type: Option<FormatArg>,
    /// Which values are encrypted
    #[command(flatten)]
    pub selector: SelectorArgs,
    /// Compute the MAC over encrypted values only (sops --mac-only-encrypted)
    #[arg(long)]
    pub mac_only_encrypted: bool,
    /// With --in-place: encrypt a file that has other hard links anyway (they keep
    /// pointing at the plaintext)
    #[arg(long)]
    pub force: bool,
}

/// `sealbox decrypt`.
#[derive(Args, Debug)]
pub struct DecryptArgs {
    /// Files or directories to decrypt
    #[arg(required_unless_present = "all", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Every file that .sealbox.toml's environments name (with -e, only those)
    #[arg(long, conflicts_with = "paths")]
    pub all: bool,
    /// With --all: only this environment's files (repeatable)
    #[arg(short = 'e', long = "env", value_name = "ENV", requires = "all")]
    pub env: Vec<String>,
    /// Where results go
    #[command(flatten)]
    pub output: OutputArgs,
    /// Print only this value, e.g. '["database"]["password"]'
    #[arg(long, value_name = "PATH")]
    pub extract: Option<String>,
    /// Input format (default: from the file extension)
    #[arg(long, value_enum)]
    pub input_type: Option<FormatArg>,
    /// Output format (default: the input format)
    #[arg(long, value_enum)]
    pub output_type: Option<FormatArg>,
    /// Decrypt even when the MAC does not verify (dangerous)
    #[arg(long)]
    pub ignore_mac: bool,
}

/// `sealbox edit`.
#[derive(Args, Debug)]
pub struct EditArgs {
    /// The encrypted file to edit
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Input format (default: from the file extension)
    #[arg(long, value_enum)]
    pub input_type: Option<FormatArg>,
    /// Open the file even when its MAC does not verify (`sops edit --ignore-mac`)
    #[arg(skip)]
    pub ignore_mac: bool,
}

/// `sealbox rotate`.
#[derive(Args, Debug)]
pub struct RotateArgs {
    /// Encrypted files to rotate in place; with -e, the one KEY whose value to rotate
    #[arg(required = true, value_name = "PATH|KEY")]
    pub paths: Vec<PathBuf>,
    /// Rotate one value of this environment instead of data keys
    #[arg(short = 'e', long = "env", value_name = "ENV")]
    pub env: Option<String>,
    /// New random URL-safe value of LEN characters (default 32)
    #[arg(long, value_name = "LEN", num_args = 0..=1, default_missing_value = "32", requires = "env")]
    pub generate: Option<usize>,
    /// Run CMD (through sh) with KEY set to the new value first; the value is stored only if CMD succeeds
    #[arg(long, value_name = "CMD", requires = "env")]
    pub run: Option<String>,
    /// Input format (default: from the file extension)
    #[arg(long, value_enum)]
    pub input_type: Option<FormatArg>,
}

/// `sealbox updatekeys`.
#[derive(Args, Debug)]
pub struct UpdatekeysArgs {
    /// Encrypted files to update in place
    #[arg(required_unless_present = "all", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Every file that .sealbox.toml's environments name (with -e, only those)
    #[arg(long, conflicts_with = "paths")]
    pub all: bool,
    /// With --all: only this environment's files (repeatable)
    #[arg(short = 'e', long = "env", value_name = "ENV", requires = "all")]
    pub env: Vec<String>,
    /// When a recipient is removed, keep the data key they hold instead of making a new
    /// one (they can then still read every value, old and new)
    #[arg(long)]
    pub no_rotate: bool,
    /// Use these recipients instead of the config's
    #[command(flatten)]
    pub recipients: RecipientArgs,
    /// Input format (default: from the file extension)
    #[arg(long, value_enum)]
    pub input_type: Option<FormatArg>,
}

/// Recipients given on the command line.
#[derive(Args, Debug, Default, Clone)]
pub struct RecipientArgs {
    /// age recipient (age1…, ssh-ed25519 …, ssh-rsa …); repeatable
    #[arg(long = "age", short = 'a', value_name = "RECIPIENT")]
    pub age: Vec<String>,
    /// AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable
    #[arg(
        long = "aws-kms",
        visible_alias = "kms",
        short = 'k',
        value_name = "ARN"
    )]
    pub aws_kms: Vec<String>,
    /// AWS shared-config profile for the KMS keys
    #[arg(long, value_name = "PROFILE")]
    pub aws_profile: Option<String>,
    /// KMS encryption context: key1:value1,key2:value2
    #[arg(long, value_name = "CONTEXT")]
    pub encryption_context: Option<String>,
    /// Vault/OpenBao transit key: https://HOST:8200/v1/transit/keys/NAME; repeatable
    #[arg(long = "hc-vault-transit", value_name = "URI")]
    pub hc_vault: Vec<String>,
    /// GCP KMS key: projects/P/locations/L/keyRings/R/cryptoKeys/K; repeatable
    #[arg(long = "gcp-kms", value_name = "RESOURCE_ID")]
    pub gcp_kms: Vec<String>,
    /// Azure Key Vault key: https://VAULT.vault.azure.net/keys/NAME[/VERSION]; repeatable
    #[arg(long = "azure-kv", value_name = "URL")]
    pub azure_kv: Vec<String>,
}

impl RecipientArgs {
    /// The recipients as specs (empty when none was given).
    ///
    /// # Errors
    /// An invalid recipient or encryption context.
    pub fn specs(&self) -> Result<Vec<crate::recipients::Spec>, crate::recipients::RecipientError> {
        let context = self
            .encryption_context
            .as_deref()
            .map(crate::recipients::spec::parse_context)
            .transpose()?;
        crate::recipients::spec::Lists {
            age: &self.age,
            aws_kms: &self.aws_kms,
            hc_vault: &self.hc_vault,
            gcp_kms: &self.gcp_kms,
            azure_kv: &self.azure_kv,
            context: context.as_ref(),
            aws_profile: self.aws_profile.as_deref(),
        }
        .parse()
    }
}

/// `sealbox init`.
#[derive(Args, Debug)]
pub struct InitArgs {
    /// Environment to create (repeatable; default: dev, staging, prod)
    #[arg(short = 'e', long = "env", value_name = "NAME")]
    pub env: Vec<String>,
    /// Keep the identity in $XDG_CONFIG_HOME/sealbox/identities instead of the OS keyring
    #[arg(long)]
    pub no_keyring: bool,
    /// Take the defaults without asking
    #[arg(short, long)]
    pub yes: bool,
    /// Overwrite an existing .sealbox.toml
    #[arg(long)]
    pub force: bool,
    /// Make environments from the .sops.yaml here (its creation rules, recipients and
    /// selectors; the files each rule covers) and keep using the existing keys. The
    /// default when a .sops.yaml is present and no --env is given
    #[arg(long, conflicts_with = "env")]
    pub from_sops: bool,
}

/// `sealbox set`.
#[derive(Args)]
pub struct SetArgs {
    /// Environment
    #[arg(value_name = "ENV")]
    pub env: String,
    /// Variable name (letters, digits, underscore; not starting with a digit)
    #[arg(value_name = "KEY")]
    pub key: String,
    /// The value; `-` reads stdin; omitted: a hidden prompt on a terminal
    #[arg(value_name = "VALUE", conflicts_with_all = ["from_file", "generate"])]
    pub value: Option<String>,
    /// Read the value from a file (bytes as they are)
    #[arg(long, value_name = "FILE", conflicts_with = "generate")]
    pub from_file: Option<PathBuf>,
    /// Generate a random URL-safe value of LEN characters (default 32)
    #[arg(long, value_name = "LEN", num_args = 0..=1, default_missing_value = "32")]
    pub generate: Option<usize>,
}

impl std::fmt::Debug for SetArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The value is a secret: never part of a debug print.
        f.debug_struct("SetArgs")
            .field("env", &self.env)
            .field("key", &self.key)
            .field("value", &self.value.as_ref().map(|_| "<redacted>"))
            .field("from_file", &self.from_file)
            .field("generate", &self.generate)
            .finish()
    }
}

/// `sealbox get`.
#[derive(Args, Debug)]
pub struct GetArgs {
    /// Environment (with -f: the variable name)
    #[arg(value_name = "ENV")]
    pub env: Option<String>,
    /// Variable name; without it, the environment's value names are listed
    #[arg(value_name = "KEY")]
    pub key: Option<String>,
    /// Read this sops file instead of an environment (no config needed): `get -f FILE KEY`
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// `sealbox unset`.
#[derive(Args, Debug)]
pub struct UnsetArgs {
    /// Environment
    #[arg(value_name = "ENV")]
    pub env: String,
    /// Variable name
    #[arg(value_name = "KEY")]
    pub key: String,
}

/// `sealbox exec`.
#[derive(Args, Debug)]
pub struct ExecArgs {
    /// Environment(s) to load, merged in order (later wins)
    #[arg(
        short = 'e',
        long = "env",
        value_name = "ENV",
        required_unless_present = "file"
    )]
    pub env: Vec<String>,
    /// A sops file to load, no config needed (after the environments; repeatable)
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Vec<PathBuf>,
    /// Only these variables (comma-separated)
    #[arg(long, value_name = "K1,K2", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Prefix every variable name
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,
    /// Keep variables that are already set in the environment
    #[arg(long)]
    pub no_override: bool,
    /// Say which environment each variable came from and what was overridden
    #[arg(short, long)]
    pub verbose: bool,
    /// Keep sealbox as the parent and pass the command's stdout and stderr through a
    /// filter that replaces every value (and its base64, URL-encoded and JSON-escaped
    /// forms) with [REDACTED:KEY]; signals are forwarded, the exit code passed back
    #[arg(long)]
    pub redact: bool,
    /// Shortest value --redact replaces, in bytes
    #[arg(long, value_name = "LEN", default_value_t = crate::redact::DEFAULT_MIN, requires = "redact")]
    pub redact_min: usize,
    /// The command and its arguments
    #[arg(required = true, last = true, value_name = "CMD")]
    pub command: Vec<std::ffi::OsString>,
}

/// `sealbox push`.
#[derive(Args, Debug)]
pub struct PushArgs {
    /// Environment whose values are pushed
    #[arg(short = 'e', long = "env", value_name = "ENV")]
    pub env: String,
    /// Target (vault:MOUNT/PATH, aws-sm:NAME, aws-sm-prefix:P/, aws-ssm:/PATH/, …);
    /// default: the environment's `sync =`
    #[arg(long, value_name = "TARGET")]
    pub to: Option<String>,
    /// Say what would change, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Delete keys the environment no longer has
    #[arg(long)]
    pub prune: bool,
}

/// `sealbox pull`.
#[derive(Args, Debug)]
pub struct PullArgs {
    /// Environment whose file receives the values
    #[arg(short = 'e', long = "env", value_name = "ENV")]
    pub env: String,
    /// Target to read; default: the environment's `sync =`
    #[arg(long, value_name = "TARGET")]
    pub from: Option<String>,
    /// Say what would change, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Remove keys the target does not have
    #[arg(long)]
    pub prune: bool,
}

/// Output formats of `diff`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    /// One line per key that differs, then a summary
    Human,
    /// One JSON object: missing, extra and changed key names
    Json,
}

/// `sealbox diff`.
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Environment to compare
    #[arg(short = 'e', long = "env", value_name = "ENV")]
    pub env: String,
    /// Target to compare with; default: the environment's `sync =`
    #[arg(long, value_name = "TARGET")]
    pub against: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: DiffFormat,
}

/// `sealbox redact`.
#[derive(Args, Debug)]
pub struct RedactArgs {
    /// Environment(s) whose values are replaced
    #[arg(short = 'e', long = "env", value_name = "ENV", required = true)]
    pub env: Vec<String>,
    /// Shortest value replaced, in bytes
    #[arg(long, value_name = "LEN", default_value_t = crate::redact::DEFAULT_MIN)]
    pub min: usize,
    /// File to read (default: standard input); the result goes to standard output
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// `sealbox render`.
#[derive(Args, Debug)]
pub struct RenderArgs {
    /// Environment(s) whose values fill the template (merged in order, later wins)
    #[arg(short = 'e', long = "env", value_name = "ENV", required = true)]
    pub env: Vec<String>,
    /// The template (minijinja/Jinja2 syntax: {{ KEY }}, {{ KEY | shell }})
    #[arg(long, value_name = "FILE")]
    pub template: PathBuf,
    /// The file to write (0600, replaced atomically; a tmpfs path keeps it off disk)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Keep running: re-render when the environment's files or the template change
    #[arg(long)]
    pub watch: bool,
    /// Seconds between two looks at the files in --watch mode
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 2.0,
        requires = "watch"
    )]
    pub interval: f64,
    /// Seconds between two reads of the environment's secrets manager (source/sync) in
    /// --watch mode
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 30.0,
        requires = "watch"
    )]
    pub poll: f64,
    /// Signal sent to --pid after a changed render (HUP, TERM, USR1, … or a number)
    #[arg(long, value_name = "SIG", requires = "pid", default_value = "HUP")]
    pub signal: String,
    /// Process to signal after a changed render; --watch ends when it exits
    #[arg(long, value_name = "PID", requires = "watch", conflicts_with = "run")]
    pub pid: Option<i32>,
    /// Command run (with sh -c) after a changed render
    #[arg(long, value_name = "CMD", requires = "watch")]
    pub run: Option<String>,
}

/// Output formats of `export`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// KEY='value' lines that direnv, python-dotenv and sealbox read alike
    Dotenv,
    /// export KEY='value' (bash)
    Bash,
    /// export KEY='value' (zsh)
    Zsh,
    /// set -gx KEY 'value'
    Fish,
    /// {"KEY": "value"}
    Json,
    /// ::add-mask:: lines and $GITHUB_ENV entries
    GithubActions,
    /// A Kubernetes v1 Secret manifest
    K8s,
    /// KEY=value lines for `docker run --env-file` (no quoting)
    Docker,
}

impl ExportFormat {
    /// Whether the format can only carry environment variable names (shells, dotenv
    /// readers, docker); JSON and Kubernetes Secrets can carry any key.
    #[must_use]
    pub fn needs_env_names(self) -> bool {
        !matches!(self, ExportFormat::Json | ExportFormat::K8s)
    }
}

/// `sealbox export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Environment(s), merged in order (later wins)
    #[arg(
        short = 'e',
        long = "env",
        value_name = "ENV",
        required_unless_present = "file"
    )]
    pub env: Vec<String>,
    /// A sops file to load, no config needed (after the environments; repeatable)
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "dotenv")]
    pub format: ExportFormat,
    /// Only these variables (comma-separated)
    #[arg(long, value_name = "K1,K2", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Prefix every variable name
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,
    /// Name of the Kubernetes Secret (default: sealbox-ENV)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

/// Report formats of `check`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckFormat {
    /// One line per finding (or log event)
    Human,
    /// JSON: `check` prints an array of findings, `audit log` one object per line
    Json,
}

/// `sealbox check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Project directory (default: the one whose .sealbox.toml is found from here)
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Instead of the policy checks, report who can read each environment's files
    #[arg(long)]
    pub access: bool,
    /// Report format
    #[arg(long, value_enum, default_value = "human")]
    pub format: CheckFormat,
}

/// `sealbox recipients …`.
#[derive(Subcommand, Debug)]
pub enum RecipientsCommand {
    /// Each environment's recipients: kind, key, and since when its files carry it
    List(RecipientsListArgs),
    /// Add recipients to an environment and wrap its files' data keys for them
    Add(RecipientsChangeArgs),
    /// Remove recipients from an environment: its files get a new data key, wrapped
    /// for the others, and sealbox lists the values the removed person could have copied
    Remove(RecipientsRemoveArgs),
}

/// `sealbox recipients list`.
#[derive(Args, Debug)]
pub struct RecipientsListArgs {
    /// Only this environment (repeatable; default: all)
    #[arg(short = 'e', long = "env", value_name = "ENV")]
    pub env: Vec<String>,
}

/// `sealbox recipients add`.
#[derive(Args, Debug)]
pub struct RecipientsChangeArgs {
    /// The environment
    #[arg(short = 'e', long = "env", value_name = "ENV", required = true)]
    pub env: String,
    /// Recipients: age1…, ssh-ed25519 …, a KMS ARN, projects/…/cryptoKeys/…, an Azure
    /// Key Vault key URL or a Vault transit URI
    #[arg(required = true, value_name = "RECIPIENT")]
    pub keys: Vec<String>,
}

/// `sealbox recipients remove`.
#[derive(Args, Debug)]
pub struct RecipientsRemoveArgs {
    /// The environment and recipients
    #[command(flatten)]
    pub change: RecipientsChangeArgs,
    /// Keep the data key the removed recipients hold (they can still read every value,
    /// old and new)
    #[arg(long)]
    pub no_rotate: bool,
}

/// `sealbox keys`.
#[derive(Args, Debug)]
pub struct KeysArgs {
    /// Environment
    #[arg(value_name = "ENV")]
    pub env: String,
}

/// `sealbox audit …`.
#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check that no line of the audit log was changed, removed or reordered
    Verify,
    /// Show the audit log
    Log(AuditLogArgs),
}

/// `sealbox audit log`.
#[derive(Args, Debug)]
pub struct AuditLogArgs {
    /// Only events since this time (RFC 3339) or this long ago (30m, 12h, 7d)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only events of this environment
    #[arg(short = 'e', long = "env", value_name = "ENV")]
    pub env: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: CheckFormat,
}

/// `sealbox purge`.
#[derive(Args, Debug)]
pub struct PurgeArgs {
    /// JSON report of the secrets to remove (sealbox scan --git --format json --report FILE)
    #[arg(long, value_name = "FILE")]
    pub report: PathBuf,
    /// Text each secret is replaced with
    #[arg(long, value_name = "TEXT", default_value = "***REMOVED***")]
    pub replace_with: String,
    /// Do not ask for confirmation (required without a terminal)
    #[arg(long)]
    pub yes: bool,
}

/// `sealbox scan`.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ScanArgs {
    /// Rule maintenance
    #[command(subcommand)]
    pub sub: Option<ScanSub>,
    /// Directory or file to scan (default: the current directory). Inside a git
    /// repository, reported paths are relative to its root and the root's
    /// .sealboxignore/.gitleaksignore apply (with the scanned directory's own); elsewhere
    /// paths are relative to the scanned directory
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Also scan files .gitignore, .ignore and .git/info/exclude leave out (a directory
    /// scan counts what they skipped)
    #[arg(long, conflicts_with_all = ["stdin", "staged", "git"])]
    pub no_ignore: bool,
    /// Scan the lines the git index adds (the pre-commit check)
    #[arg(long, conflicts_with_all = ["stdin", "path", "git"])]
    pub staged: bool,
    /// Scan git history: the lines each commit adds (each blob once), with commit,
    /// author and date; RANGE is `A..B`, a revision, or nothing for all of HEAD
    #[arg(long = "git", value_name = "RANGE", num_args = 0..=1, default_missing_value = "", conflicts_with_all = ["stdin", "path"])]
    pub git: Option<String>,
    /// gitleaks-format rules and allowlists (default: $GITLEAKS_CONFIG,
    /// $GITLEAKS_CONFIG_TOML, or .gitleaks.toml in the scanned root; else the built-in rules)
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore what a previous JSON report (sealbox's or gitleaks') already lists
    #[arg(long, value_name = "REPORT")]
    pub baseline: Option<PathBuf>,
    /// Scan standard input
    #[arg(long, conflicts_with = "path")]
    pub stdin: bool,
    /// Report format
    #[arg(long, value_enum, default_value = "human")]
    pub format: ScanFormat,
    /// Write the report to FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Show secrets in the human report (they are redacted by default)
    #[arg(long)]
    pub show_secrets: bool,
    /// Redact secrets in the JSON report
    #[arg(long)]
    pub redact: bool,
    /// Look for the real values of the environments given with -e (and their base64,
    /// URL-encoded and JSON-escaped forms) instead of the rules; findings name the key,
    /// never the value
    #[arg(long, requires = "values_env", conflicts_with_all = ["config", "baseline", "show_secrets"])]
    pub values: bool,
    /// Environment(s) whose values --values looks for
    #[arg(
        short = 'e',
        long = "env",
        value_name = "ENV",
        id = "values_env",
        requires = "values"
    )]
    pub values_env: Vec<String>,
    /// Shortest value --values looks for, in bytes
    #[arg(long, value_name = "LEN", default_value_t = crate::redact::DEFAULT_MIN, requires = "values")]
    pub values_min: usize,
}

/// Report formats of `scan`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanFormat {
    /// One line per finding, secrets redacted
    Human,
    /// gitleaks-style JSON
    Json,
    /// SARIF 2.1.0 (code-scanning upload)
    Sarif,
    /// CSV, one row per finding
    Csv,
    /// JUnit XML, one failing test case per finding
    Junit,
}

/// `sealbox scan …` subcommands.
#[derive(Subcommand, Debug)]
pub enum ScanSub {
    /// Built-in rules
    #[command(subcommand)]
    Rules(RulesCommand),
}

/// `sealbox scan rules …`.
#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// Run every rule's examples and negatives; exit 1 if one misbehaves
    Check,
    /// List the rules
    List,
}

/// `sealbox git …`.
#[derive(Subcommand, Debug)]
pub enum GitCommand {
    /// Write .git/hooks/pre-commit running `sealbox scan --staged` (for teams without pre-commit)
    InstallHook(InstallHookArgs),
    /// Make git diff and merge encrypted files by their decrypted keys: .gitattributes for
    /// the files the config names, and a diff and a merge driver in .git/config
    Setup,
    /// Print a file decrypted, for git's diff driver (textconv); other files as they are
    Textconv {
        /// The file git hands over
        file: PathBuf,
    },
    /// Merge three versions of an encrypted file key by key, for git's merge driver
    Merge {
        /// Common ancestor (%O)
        base: PathBuf,
        /// Ours (%A); the result is written here
        ours: PathBuf,
        /// Theirs (%B)
        theirs: PathBuf,
        /// The file's path in the repository (%P), for its format and messages
        path: PathBuf,
    },
}

/// `sealbox git install-hook`.
#[derive(Args, Debug)]
pub struct InstallHookArgs {
    /// Replace an existing pre-commit hook
    #[arg(long)]
    pub force: bool,
}

/// `sealbox completions`.
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `sealbox man`.
#[derive(Args, Debug)]
pub struct ManArgs {
    /// Directory to write sealbox.1 and one page per subcommand into
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
}

impl FormatArg {
    /// The store format.
    #[must_use]
    pub fn format(self) -> crate::store::Format {
        use crate::store::Format;
        match self {
            FormatArg::Yaml => Format::Yaml,
            FormatArg::Json => Format::Json,
            FormatArg::Dotenv => Format::Dotenv,
            FormatArg::Ini => Format::Ini,
            FormatArg::Binary => Format::Binary,
        }
    }
}
