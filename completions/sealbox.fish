# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_sealbox_global_optspecs
    string join \n i/identity= only-identity= no-default-identities q/quiet no-audit audit-syslog keep-identity-env h/help V/version
end

function __fish_sealbox_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_sealbox_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_sealbox_using_subcommand
    set -l cmd (__fish_sealbox_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c sealbox -n "__fish_sealbox_needs_command" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_needs_command" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_needs_command" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_needs_command" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_needs_command" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_needs_command" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_needs_command" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_needs_command" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_needs_command" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "encrypt" -d 'Encrypt files (sops format); one file without -o/--in-place goes to stdout'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "decrypt" -d 'Decrypt files; one file without -o/--in-place goes to stdout'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "edit" -d 'Decrypt a file into a private temp file, open $EDITOR, re-encrypt'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "rotate" -d 'Give files a new data key and re-encrypt every value'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "updatekeys" -d 'Re-wrap files\' data keys for the recipients the config (or --age) names'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "init" -d 'Create .sealbox.toml and an age identity (stored in the OS keyring)'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "set" -d 'Set one value in an environment\'s file (created if missing)'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "get" -d 'Print one value of an environment'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "unset" -d 'Remove one value from an environment\'s file'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "exec" -d 'Run a command with an environment\'s secrets in its environment'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "redact" -d 'Replace an environment\'s values (and their encoded forms) in a stream with [REDACTED:KEY]: `tail -f app.log | sealbox redact -e prod`'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "render" -d 'Fill a template with an environment\'s values into a 0600 file; --watch re-renders on change and signals a process or runs a command'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "export" -d 'Print an environment\'s secrets for a shell, CI system or Kubernetes'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "push" -d 'Write an environment\'s values to a secrets manager (only changed keys)'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "pull" -d 'Write a secrets manager\'s values into an environment\'s encrypted file'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "diff" -d 'Compare an environment with a secrets manager by key, never printing values (exit 1 on drift)'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "check" -d 'Check the project\'s policy: encrypted files, recipients, shared recipients, MACs'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "audit" -d 'Verify or show the hash-chained audit log'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "recipients" -d 'Who can open an environment: list, add or remove recipients (removing one makes a new data key)'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "whoami" -d 'The public keys of the identities sealbox would decrypt with, and where each comes from'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "keys" -d 'An environment\'s value names (no values, no key needed)'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "scan" -d 'Scan files, staged changes or stdin for plaintext secrets (exit 1 on findings)'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "purge" -d 'Remove leaked secrets from every branch and tag (git-filter-repo), after a backup'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "git" -d 'Git integration'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "man" -d 'Write man pages into a directory'
complete -c sealbox -n "__fish_sealbox_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -s e -l env -d 'With --all: only this environment\'s files (repeatable)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -s a -l age -d 'age recipient (age1…, ssh-ed25519 …, ssh-rsa …); repeatable' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -s k -l aws-kms -l kms -d 'AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l aws-profile -d 'AWS shared-config profile for the KMS keys' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l encryption-context -d 'KMS encryption context: key1:value1,key2:value2' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l hc-vault-transit -d 'Vault/OpenBao transit key: https://HOST:8200/v1/transit/keys/NAME; repeatable' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l gcp-kms -d 'GCP KMS key: projects/P/locations/L/keyRings/R/cryptoKeys/K; repeatable' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l azure-kv -d 'Azure Key Vault key: https://VAULT.vault.azure.net/keys/NAME[/VERSION]; repeatable' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -s o -l output -d 'Write the result to FILE (one input only)' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l output-dir -d 'Mirror the inputs into DIR' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l input-type -d 'Input format (default: from the file extension)' -r -f -a "yaml\t'YAML'
json\t'JSON'
dotenv\t'KEY=value lines'
ini\t'INI sections'
binary\t'The whole file as one value'"
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l output-type -d 'Output format (default: the input format)' -r -f -a "yaml\t'YAML'
json\t'JSON'
dotenv\t'KEY=value lines'
ini\t'INI sections'
binary\t'The whole file as one value'"
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l unencrypted-suffix -d 'Keep values under keys ending with SUFFIX in plaintext (default: _unencrypted)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l encrypted-suffix -d 'Encrypt only values under keys ending with SUFFIX' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l unencrypted-regex -d 'Keep values under keys matching REGEX in plaintext' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l encrypted-regex -d 'Encrypt only values under keys matching REGEX' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l unencrypted-comment-regex -d 'Keep items after a comment matching REGEX in plaintext' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l encrypted-comment-regex -d 'Encrypt only items after a comment matching REGEX' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l all -d 'Every file that .sealbox.toml\'s environments name (with -e, only those)'
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l in-place -d 'Rewrite each file in place (atomically)'
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l mac-only-encrypted -d 'Compute the MAC over encrypted values only (sops --mac-only-encrypted)'
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l force -d 'With --in-place: encrypt a file that has other hard links anyway (they keep pointing at the plaintext)'
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sealbox -n "__fish_sealbox_using_subcommand encrypt" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -s e -l env -d 'With --all: only this environment\'s files (repeatable)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -s o -l output -d 'Write the result to FILE (one input only)' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -l output-dir -d 'Mirror the inputs into DIR' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -l extract -d 'Print only this value, e.g. \'["database"]["password"]\'' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -l input-type -d 'Input format (default: from the file extension)' -r -f -a "yaml\t'YAML'
json\t'JSON'
dotenv\t'KEY=value lines'
ini\t'INI sections'
binary\t'The whole file as one value'"
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -l output-type -d 'Output format (default: the input format)' -r -f -a "yaml\t'YAML'
json\t'JSON'
dotenv\t'KEY=value lines'
ini\t'INI sections'
binary\t'The whole file as one value'"
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -l all -d 'Every file that .sealbox.toml\'s environments name (with -e, only those)'
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -l in-place -d 'Rewrite each file in place (atomically)'
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -l ignore-mac -d 'Decrypt even when the MAC does not verify (dangerous)'
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sealbox -n "__fish_sealbox_using_subcommand decrypt" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand edit" -l input-type -d 'Input format (default: from the file extension)' -r -f -a "yaml\t'YAML'
json\t'JSON'
dotenv\t'KEY=value lines'
ini\t'INI sections'
binary\t'The whole file as one value'"
complete -c sealbox -n "__fish_sealbox_using_subcommand edit" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand edit" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand edit" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand edit" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand edit" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand edit" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand edit" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sealbox -n "__fish_sealbox_using_subcommand edit" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand rotate" -s e -l env -d 'Rotate one value of this environment instead of data keys' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand rotate" -l generate -d 'New random URL-safe value of LEN characters (default 32)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand rotate" -l run -d 'Run CMD (through sh) with KEY set to the new value first; the value is stored only if CMD succeeds' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand rotate" -l input-type -d 'Input format (default: from the file extension)' -r -f -a "yaml\t'YAML'
json\t'JSON'
dotenv\t'KEY=value lines'
ini\t'INI sections'
binary\t'The whole file as one value'"
complete -c sealbox -n "__fish_sealbox_using_subcommand rotate" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand rotate" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand rotate" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand rotate" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand rotate" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand rotate" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand rotate" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sealbox -n "__fish_sealbox_using_subcommand rotate" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -s e -l env -d 'With --all: only this environment\'s files (repeatable)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -s a -l age -d 'age recipient (age1…, ssh-ed25519 …, ssh-rsa …); repeatable' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -s k -l aws-kms -l kms -d 'AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -l aws-profile -d 'AWS shared-config profile for the KMS keys' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -l encryption-context -d 'KMS encryption context: key1:value1,key2:value2' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -l hc-vault-transit -d 'Vault/OpenBao transit key: https://HOST:8200/v1/transit/keys/NAME; repeatable' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -l gcp-kms -d 'GCP KMS key: projects/P/locations/L/keyRings/R/cryptoKeys/K; repeatable' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -l azure-kv -d 'Azure Key Vault key: https://VAULT.vault.azure.net/keys/NAME[/VERSION]; repeatable' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -l input-type -d 'Input format (default: from the file extension)' -r -f -a "yaml\t'YAML'
json\t'JSON'
dotenv\t'KEY=value lines'
ini\t'INI sections'
binary\t'The whole file as one value'"
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -l all -d 'Every file that .sealbox.toml\'s environments name (with -e, only those)'
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -l no-rotate -d 'When a recipient is removed, keep the data key they hold instead of making a new one (they can then still read every value, old and new)'
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sealbox -n "__fish_sealbox_using_subcommand updatekeys" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand init" -s e -l env -d 'Environment to create (repeatable; default: dev, staging, prod)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand init" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand init" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand init" -l no-keyring -d 'Keep the identity in $XDG_CONFIG_HOME/sealbox/identities instead of the OS keyring'
complete -c sealbox -n "__fish_sealbox_using_subcommand init" -s y -l yes -d 'Take the defaults without asking'
complete -c sealbox -n "__fish_sealbox_using_subcommand init" -l force -d 'Overwrite an existing .sealbox.toml'
complete -c sealbox -n "__fish_sealbox_using_subcommand init" -l from-sops -d 'Make environments from the .sops.yaml here (its creation rules, recipients and selectors; the files each rule covers) and keep using the existing keys. The default when a .sops.yaml is present and no --env is given'
complete -c sealbox -n "__fish_sealbox_using_subcommand init" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand init" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand init" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand init" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand init" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand init" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand init" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand set" -l from-file -d 'Read the value from a file (bytes as they are)' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand set" -l generate -d 'Generate a random URL-safe value of LEN characters (default 32)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand set" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand set" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand set" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand set" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand set" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand set" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand set" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand set" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand set" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand get" -s f -l file -d 'Read this sops file instead of an environment (no config needed): `get -f FILE KEY`' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand get" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand get" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand get" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand get" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand get" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand get" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand get" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand get" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand get" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand unset" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand unset" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand unset" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand unset" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand unset" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand unset" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand unset" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand unset" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand unset" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -s e -l env -d 'Environment(s) to load, merged in order (later wins)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -s f -l file -d 'A sops file to load, no config needed (after the environments; repeatable)' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -l only -d 'Only these variables (comma-separated)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -l prefix -d 'Prefix every variable name' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -l redact-min -d 'Shortest value --redact replaces, in bytes' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -l no-override -d 'Keep variables that are already set in the environment'
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -s v -l verbose -d 'Say which environment each variable came from and what was overridden'
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -l redact -d 'Keep sealbox as the parent and pass the command\'s stdout and stderr through a filter that replaces every value (and its base64, URL-encoded and JSON-escaped forms) with [REDACTED:KEY]; signals are forwarded, the exit code passed back'
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand exec" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand redact" -s e -l env -d 'Environment(s) whose values are replaced' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand redact" -l min -d 'Shortest value replaced, in bytes' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand redact" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand redact" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand redact" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand redact" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand redact" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand redact" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand redact" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand redact" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand redact" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -s e -l env -d 'Environment(s) whose values fill the template (merged in order, later wins)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -l template -d 'The template (minijinja/Jinja2 syntax: {{ KEY }}, {{ KEY | shell }})' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -l out -d 'The file to write (0600, replaced atomically; a tmpfs path keeps it off disk)' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -l interval -d 'Seconds between two looks at the files in --watch mode' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -l poll -d 'Seconds between two reads of the environment\'s secrets manager (source/sync) in --watch mode' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -l signal -d 'Signal sent to --pid after a changed render (HUP, TERM, USR1, … or a number)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -l pid -d 'Process to signal after a changed render; --watch ends when it exits' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -l run -d 'Command run (with sh -c) after a changed render' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -l watch -d 'Keep running: re-render when the environment\'s files or the template change'
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand render" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -s e -l env -d 'Environment(s), merged in order (later wins)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -s f -l file -d 'A sops file to load, no config needed (after the environments; repeatable)' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -l format -d 'Output format' -r -f -a "dotenv\t'KEY=\'value\' lines that direnv, python-dotenv and sealbox read alike'
bash\t'export KEY=\'value\' (bash)'
zsh\t'export KEY=\'value\' (zsh)'
fish\t'set -gx KEY \'value\''
json\t'{"KEY": "value"}'
github-actions\t'::add-mask:: lines and $GITHUB_ENV entries'
k8s\t'A Kubernetes v1 Secret manifest'
docker\t'KEY=value lines for `docker run --env-file` (no quoting)'"
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -l only -d 'Only these variables (comma-separated)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -l prefix -d 'Prefix every variable name' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -l name -d 'Name of the Kubernetes Secret (default: sealbox-ENV)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sealbox -n "__fish_sealbox_using_subcommand export" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand push" -s e -l env -d 'Environment whose values are pushed' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand push" -l to -d 'Target (vault:MOUNT/PATH, aws-sm:NAME, aws-sm-prefix:P/, aws-ssm:/PATH/, …); default: the environment\'s `sync =`' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand push" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand push" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand push" -l dry-run -d 'Say what would change, write nothing'
complete -c sealbox -n "__fish_sealbox_using_subcommand push" -l prune -d 'Delete keys the environment no longer has'
complete -c sealbox -n "__fish_sealbox_using_subcommand push" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand push" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand push" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand push" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand push" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand push" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand push" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand pull" -s e -l env -d 'Environment whose file receives the values' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand pull" -l from -d 'Target to read; default: the environment\'s `sync =`' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand pull" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand pull" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand pull" -l dry-run -d 'Say what would change, write nothing'
complete -c sealbox -n "__fish_sealbox_using_subcommand pull" -l prune -d 'Remove keys the target does not have'
complete -c sealbox -n "__fish_sealbox_using_subcommand pull" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand pull" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand pull" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand pull" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand pull" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand pull" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand pull" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand diff" -s e -l env -d 'Environment to compare' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand diff" -l against -d 'Target to compare with; default: the environment\'s `sync =`' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand diff" -l format -d 'Output format' -r -f -a "human\t'One line per key that differs, then a summary'
json\t'One JSON object: missing, extra and changed key names'"
complete -c sealbox -n "__fish_sealbox_using_subcommand diff" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand diff" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand diff" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand diff" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand diff" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand diff" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand diff" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sealbox -n "__fish_sealbox_using_subcommand diff" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand check" -l format -d 'Report format' -r -f -a "human\t'One line per finding (or log event)'
json\t'JSON: `check` prints an array of findings, `audit log` one object per line'"
complete -c sealbox -n "__fish_sealbox_using_subcommand check" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand check" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand check" -l access -d 'Instead of the policy checks, report who can read each environment\'s files'
complete -c sealbox -n "__fish_sealbox_using_subcommand check" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand check" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand check" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand check" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand check" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sealbox -n "__fish_sealbox_using_subcommand check" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and not __fish_seen_subcommand_from verify log help" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and not __fish_seen_subcommand_from verify log help" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and not __fish_seen_subcommand_from verify log help" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and not __fish_seen_subcommand_from verify log help" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and not __fish_seen_subcommand_from verify log help" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and not __fish_seen_subcommand_from verify log help" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and not __fish_seen_subcommand_from verify log help" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and not __fish_seen_subcommand_from verify log help" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and not __fish_seen_subcommand_from verify log help" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and not __fish_seen_subcommand_from verify log help" -f -a "verify" -d 'Check that no line of the audit log was changed, removed or reordered'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and not __fish_seen_subcommand_from verify log help" -f -a "log" -d 'Show the audit log'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and not __fish_seen_subcommand_from verify log help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from verify" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from verify" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from verify" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from verify" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from verify" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from verify" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from log" -l since -d 'Only events since this time (RFC 3339) or this long ago (30m, 12h, 7d)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from log" -s e -l env -d 'Only events of this environment' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from log" -l format -d 'Output format' -r -f -a "human\t'One line per finding (or log event)'
json\t'JSON: `check` prints an array of findings, `audit log` one object per line'"
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from log" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from log" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from log" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from log" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from log" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from log" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from log" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from log" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check that no line of the audit log was changed, removed or reordered'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "log" -d 'Show the audit log'
complete -c sealbox -n "__fish_sealbox_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and not __fish_seen_subcommand_from list add remove help" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and not __fish_seen_subcommand_from list add remove help" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and not __fish_seen_subcommand_from list add remove help" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and not __fish_seen_subcommand_from list add remove help" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and not __fish_seen_subcommand_from list add remove help" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and not __fish_seen_subcommand_from list add remove help" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and not __fish_seen_subcommand_from list add remove help" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and not __fish_seen_subcommand_from list add remove help" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and not __fish_seen_subcommand_from list add remove help" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and not __fish_seen_subcommand_from list add remove help" -f -a "list" -d 'Each environment\'s recipients: kind, key, and since when its files carry it'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and not __fish_seen_subcommand_from list add remove help" -f -a "add" -d 'Add recipients to an environment and wrap its files\' data keys for them'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and not __fish_seen_subcommand_from list add remove help" -f -a "remove" -d 'Remove recipients from an environment: its files get a new data key, wrapped for the others, and sealbox lists the values the removed person could have copied'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and not __fish_seen_subcommand_from list add remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from list" -s e -l env -d 'Only this environment (repeatable; default: all)' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from list" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from list" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from list" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from list" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from list" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from list" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from add" -s e -l env -d 'The environment' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from add" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from add" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from add" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from add" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from add" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from add" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from remove" -s e -l env -d 'The environment' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from remove" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from remove" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from remove" -l no-rotate -d 'Keep the data key the removed recipients hold (they can still read every value, old and new)'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from remove" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from remove" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from remove" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from remove" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "list" -d 'Each environment\'s recipients: kind, key, and since when its files carry it'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add recipients to an environment and wrap its files\' data keys for them'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove recipients from an environment: its files get a new data key, wrapped for the others, and sealbox lists the values the removed person could have copied'
complete -c sealbox -n "__fish_sealbox_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sealbox -n "__fish_sealbox_using_subcommand whoami" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand whoami" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand whoami" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand whoami" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand whoami" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand whoami" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand whoami" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand whoami" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand keys" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand keys" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand keys" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand keys" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand keys" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand keys" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand keys" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand keys" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand keys" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l git -d 'Scan git history: the lines each commit adds (each blob once), with commit, author and date; RANGE is `A..B`, a revision, or nothing for all of HEAD' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -s c -l config -d 'gitleaks-format rules and allowlists (default: $GITLEAKS_CONFIG, $GITLEAKS_CONFIG_TOML, or .gitleaks.toml in the scanned root; else the built-in rules)' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l baseline -d 'Ignore what a previous JSON report (sealbox\'s or gitleaks\') already lists' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l format -d 'Report format' -r -f -a "human\t'One line per finding, secrets redacted'
json\t'gitleaks-style JSON'
sarif\t'SARIF 2.1.0 (code-scanning upload)'
csv\t'CSV, one row per finding'
junit\t'JUnit XML, one failing test case per finding'"
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l report -d 'Write the report to FILE instead of stdout' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -s e -l env -d 'Environment(s) whose values --values looks for' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l values-min -d 'Shortest value --values looks for, in bytes' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l no-ignore -d 'Also scan files .gitignore, .ignore and .git/info/exclude leave out (a directory scan counts what they skipped)'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l staged -d 'Scan the lines the git index adds (the pre-commit check)'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l stdin -d 'Scan standard input'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l show-secrets -d 'Show secrets in the human report (they are redacted by default)'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l redact -d 'Redact secrets in the JSON report'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l values -d 'Look for the real values of the environments given with -e (and their base64, URL-encoded and JSON-escaped forms) instead of the rules; findings name the key, never the value'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -a "rules" -d 'Built-in rules'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and not __fish_seen_subcommand_from rules help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and __fish_seen_subcommand_from rules" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and __fish_seen_subcommand_from rules" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and __fish_seen_subcommand_from rules" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and __fish_seen_subcommand_from rules" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and __fish_seen_subcommand_from rules" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and __fish_seen_subcommand_from rules" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and __fish_seen_subcommand_from rules" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and __fish_seen_subcommand_from rules" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and __fish_seen_subcommand_from rules" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and __fish_seen_subcommand_from rules" -f -a "check" -d 'Run every rule\'s examples and negatives; exit 1 if one misbehaves'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and __fish_seen_subcommand_from rules" -f -a "list" -d 'List the rules'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and __fish_seen_subcommand_from rules" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and __fish_seen_subcommand_from help" -f -a "rules" -d 'Built-in rules'
complete -c sealbox -n "__fish_sealbox_using_subcommand scan; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sealbox -n "__fish_sealbox_using_subcommand purge" -l report -d 'JSON report of the secrets to remove (sealbox scan --git --format json --report FILE)' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand purge" -l replace-with -d 'Text each secret is replaced with' -r
complete -c sealbox -n "__fish_sealbox_using_subcommand purge" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand purge" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand purge" -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c sealbox -n "__fish_sealbox_using_subcommand purge" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand purge" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand purge" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand purge" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand purge" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand purge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sealbox -n "__fish_sealbox_using_subcommand purge" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and not __fish_seen_subcommand_from install-hook setup textconv merge help" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and not __fish_seen_subcommand_from install-hook setup textconv merge help" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and not __fish_seen_subcommand_from install-hook setup textconv merge help" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and not __fish_seen_subcommand_from install-hook setup textconv merge help" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and not __fish_seen_subcommand_from install-hook setup textconv merge help" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and not __fish_seen_subcommand_from install-hook setup textconv merge help" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and not __fish_seen_subcommand_from install-hook setup textconv merge help" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and not __fish_seen_subcommand_from install-hook setup textconv merge help" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and not __fish_seen_subcommand_from install-hook setup textconv merge help" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and not __fish_seen_subcommand_from install-hook setup textconv merge help" -f -a "install-hook" -d 'Write .git/hooks/pre-commit running `sealbox scan --staged` (for teams without pre-commit)'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and not __fish_seen_subcommand_from install-hook setup textconv merge help" -f -a "setup" -d 'Make git diff and merge encrypted files by their decrypted keys: .gitattributes for the files the config names, and a diff and a merge driver in .git/config'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and not __fish_seen_subcommand_from install-hook setup textconv merge help" -f -a "textconv" -d 'Print a file decrypted, for git\'s diff driver (textconv); other files as they are'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and not __fish_seen_subcommand_from install-hook setup textconv merge help" -f -a "merge" -d 'Merge three versions of an encrypted file key by key, for git\'s merge driver'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and not __fish_seen_subcommand_from install-hook setup textconv merge help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from install-hook" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from install-hook" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from install-hook" -l force -d 'Replace an existing pre-commit hook'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from install-hook" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from install-hook" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from install-hook" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from install-hook" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from install-hook" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from install-hook" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from install-hook" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from setup" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from setup" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from setup" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from setup" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from setup" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from setup" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from setup" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from setup" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from setup" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from textconv" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from textconv" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from textconv" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from textconv" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from textconv" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from textconv" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from textconv" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from textconv" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from textconv" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from merge" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from merge" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from merge" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from merge" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from merge" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from merge" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from merge" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from merge" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from merge" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from help" -f -a "install-hook" -d 'Write .git/hooks/pre-commit running `sealbox scan --staged` (for teams without pre-commit)'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from help" -f -a "setup" -d 'Make git diff and merge encrypted files by their decrypted keys: .gitattributes for the files the config names, and a diff and a merge driver in .git/config'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from help" -f -a "textconv" -d 'Print a file decrypted, for git\'s diff driver (textconv); other files as they are'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from help" -f -a "merge" -d 'Merge three versions of an encrypted file key by key, for git\'s merge driver'
complete -c sealbox -n "__fish_sealbox_using_subcommand git; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sealbox -n "__fish_sealbox_using_subcommand completions" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand completions" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand completions" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand completions" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand completions" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand completions" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand completions" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand completions" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand completions" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand man" -l out-dir -d 'Directory to write sealbox.1 and one page per subcommand into' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand man" -s i -l identity -d 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand man" -l only-identity -d 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable' -r -F
complete -c sealbox -n "__fish_sealbox_using_subcommand man" -l no-default-identities -d 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
complete -c sealbox -n "__fish_sealbox_using_subcommand man" -s q -l quiet -d 'Print only errors'
complete -c sealbox -n "__fish_sealbox_using_subcommand man" -l no-audit -d 'Do not write the audit log for this command'
complete -c sealbox -n "__fish_sealbox_using_subcommand man" -l audit-syslog -d 'Also send audit events to syslog (/dev/log)'
complete -c sealbox -n "__fish_sealbox_using_subcommand man" -l keep-identity-env -d 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
complete -c sealbox -n "__fish_sealbox_using_subcommand man" -s h -l help -d 'Print help'
complete -c sealbox -n "__fish_sealbox_using_subcommand man" -s V -l version -d 'Print version'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "encrypt" -d 'Encrypt files (sops format); one file without -o/--in-place goes to stdout'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "decrypt" -d 'Decrypt files; one file without -o/--in-place goes to stdout'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "edit" -d 'Decrypt a file into a private temp file, open $EDITOR, re-encrypt'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "rotate" -d 'Give files a new data key and re-encrypt every value'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "updatekeys" -d 'Re-wrap files\' data keys for the recipients the config (or --age) names'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "init" -d 'Create .sealbox.toml and an age identity (stored in the OS keyring)'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "set" -d 'Set one value in an environment\'s file (created if missing)'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "get" -d 'Print one value of an environment'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "unset" -d 'Remove one value from an environment\'s file'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "exec" -d 'Run a command with an environment\'s secrets in its environment'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "redact" -d 'Replace an environment\'s values (and their encoded forms) in a stream with [REDACTED:KEY]: `tail -f app.log | sealbox redact -e prod`'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "render" -d 'Fill a template with an environment\'s values into a 0600 file; --watch re-renders on change and signals a process or runs a command'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "export" -d 'Print an environment\'s secrets for a shell, CI system or Kubernetes'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "push" -d 'Write an environment\'s values to a secrets manager (only changed keys)'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "pull" -d 'Write a secrets manager\'s values into an environment\'s encrypted file'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "diff" -d 'Compare an environment with a secrets manager by key, never printing values (exit 1 on drift)'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "check" -d 'Check the project\'s policy: encrypted files, recipients, shared recipients, MACs'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "audit" -d 'Verify or show the hash-chained audit log'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "recipients" -d 'Who can open an environment: list, add or remove recipients (removing one makes a new data key)'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "whoami" -d 'The public keys of the identities sealbox would decrypt with, and where each comes from'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "keys" -d 'An environment\'s value names (no values, no key needed)'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "scan" -d 'Scan files, staged changes or stdin for plaintext secrets (exit 1 on findings)'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "purge" -d 'Remove leaked secrets from every branch and tag (git-filter-repo), after a backup'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "git" -d 'Git integration'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "man" -d 'Write man pages into a directory'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and not __fish_seen_subcommand_from encrypt decrypt edit rotate updatekeys init set get unset exec redact render export push pull diff check audit recipients whoami keys scan purge git completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Check that no line of the audit log was changed, removed or reordered'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "log" -d 'Show the audit log'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "list" -d 'Each environment\'s recipients: kind, key, and since when its files carry it'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "add" -d 'Add recipients to an environment and wrap its files\' data keys for them'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "remove" -d 'Remove recipients from an environment: its files get a new data key, wrapped for the others, and sealbox lists the values the removed person could have copied'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and __fish_seen_subcommand_from scan" -f -a "rules" -d 'Built-in rules'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and __fish_seen_subcommand_from git" -f -a "install-hook" -d 'Write .git/hooks/pre-commit running `sealbox scan --staged` (for teams without pre-commit)'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and __fish_seen_subcommand_from git" -f -a "setup" -d 'Make git diff and merge encrypted files by their decrypted keys: .gitattributes for the files the config names, and a diff and a merge driver in .git/config'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and __fish_seen_subcommand_from git" -f -a "textconv" -d 'Print a file decrypted, for git\'s diff driver (textconv); other files as they are'
complete -c sealbox -n "__fish_sealbox_using_subcommand help; and __fish_seen_subcommand_from git" -f -a "merge" -d 'Merge three versions of an encrypted file key by key, for git\'s merge driver'
