//! Shell completion as sops offers it: `sops completion bash|zsh` prints a script
//! that asks the binary itself for candidates, urfave/cli's protocol: the words typed
//! so far followed by `--generate-bash-completion`, one candidate per line. A script
//! sops printed keeps working against sealbox, and the other way round.

use super::{args, cmdflags, Fail};

/// The argument that asks for candidates instead of running the command.
pub(crate) const ASK: &str = "--generate-bash-completion";

/// Subcommands in the order sops lists them.
const COMMANDS: &[&str] = &[
    "completion",
    "exec-env",
    "exec-file",
    "publish",
    "keyservice",
    "filestatus",
    "groups",
    "updatekeys",
    "decrypt",
    "encrypt",
    "rotate",
    "edit",
    "set",
    "unset",
    "help",
    "h",
];

/// The commands that have their own subcommands.
fn children(command: &str) -> &'static [&'static str] {
    match command {
        "groups" => &["add", "delete", "help", "h"],
        "completion" => &["bash", "zsh", "help", "h"],
        _ => &[],
    }
}

/// The candidates for `words` (the command line after `sops`, without [`ASK`]).
#[must_use]
pub(crate) fn candidates(words: &[String]) -> String {
    let positional: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect();
    let command = positional.first().copied().filter(|c| COMMANDS.contains(c));
    let mut out = String::new();
    match words.last().map(String::as_str) {
        Some(cur) if cur.starts_with('-') => {
            // As urfave/cli v1 answers: the application's flags, then the command's.
            let sub = positional.get(1).copied();
            let mut longs = args::legacy_flags();
            if let Some(c) = command {
                longs.extend(cmdflags::of(c, sub).unwrap_or_default());
            }
            for long in longs {
                for name in args::completion_names(long) {
                    if name.starts_with(cur) {
                        out.push_str(&name);
                        out.push('\n');
                    }
                }
            }
        }
        _ => {
            let list: &[&str] = match command {
                None => COMMANDS,
                Some(c) if positional.len() == 1 => children(c),
                Some(_) => &[],
            };
            for c in list {
                out.push_str(c);
                out.push('\n');
            }
        }
    }
    out
}

/// `sops completion [bash|zsh]`.
///
/// # Errors
/// Another shell: exit 3, as sops' "No help topic".
pub(crate) fn script(shell: Option<&str>) -> Result<String, Fail> {
    match shell {
        Some("bash") => Ok(BASH.to_owned()),
        Some("zsh") => Ok(ZSH.to_owned()),
        None | Some("help" | "h") => Ok(HELP.to_owned()),
        Some(other) => Err(Fail::new(3, format!("No help topic for '{other}'"))),
    }
}

const HELP: &str = "NAME:
   sops completion - Generate shell completion scripts

USAGE:
   sops completion command [arguments...]

COMMANDS:
   bash  bash completions; load them with: source <(sops completion bash)
   zsh   zsh completions; load them with: source <(sops completion zsh)
";

const BASH: &str = r#"# sops completion for bash (sealbox): source <(sops completion bash)
_sops_sealbox_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local -a ask=("${COMP_WORDS[@]:0:COMP_CWORD}")
  [[ "$cur" == -* ]] && ask+=("$cur")
  local IFS=$'\n'
  COMPREPLY=($(compgen -W "$("${ask[@]}" --generate-bash-completion 2>/dev/null)" -- "$cur"))
  return 0
}
complete -o bashdefault -o default -F _sops_sealbox_complete sops
"#;

const ZSH: &str = r#"#compdef sops
# sops completion for zsh (sealbox): source <(sops completion zsh)
_sops_sealbox_complete() {
  local cur=${words[-1]}
  local -a ask candidates
  ask=(${words[@]:0:#words[@]-1})
  [[ "$cur" == -* ]] && ask+=("$cur")
  candidates=("${(@f)$(${ask[@]} --generate-bash-completion 2>/dev/null)}")
  if [[ -n "${candidates[1]}" ]]; then
    _describe 'values' candidates
  else
    _files
  fi
}
compdef _sops_sealbox_complete sops
"#;

#[cfg(test)]
mod tests {
    use super::candidates;

    fn ask(line: &str) -> Vec<String> {
        let words: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        candidates(&words).lines().map(str::to_owned).collect()
    }

    #[test]
    fn commands_subcommands_and_flags() {
        assert_eq!(ask("")[..3], ["completion", "exec-env", "exec-file"]);
        assert_eq!(ask("groups"), ["add", "delete", "help", "h"]);
        assert!(ask("decrypt").is_empty());
        assert!(ask("decrypt f.yaml").is_empty());
        assert_eq!(ask("decrypt --ext"), ["--extract", "--extract"]);
        assert!(ask("--i").contains(&"--in-place".to_owned()));
        assert!(ask("-").contains(&"-d".to_owned()));
        assert!(ask("exec-file --no").contains(&"--no-fifo".to_owned()));
    }
}
