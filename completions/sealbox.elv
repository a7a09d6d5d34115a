
use builtin;
use str;

set edit:completion:arg-completer[sealbox] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'sealbox'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'sealbox'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand encrypt 'Encrypt files (sops format); one file without -o/--in-place goes to stdout'
            cand decrypt 'Decrypt files; one file without -o/--in-place goes to stdout'
            cand edit 'Decrypt a file into a private temp file, open $EDITOR, re-encrypt'
            cand rotate 'Give files a new data key and re-encrypt every value'
            cand updatekeys 'Re-wrap files'' data keys for the recipients the config (or --age) names'
            cand init 'Create .sealbox.toml and an age identity (stored in the OS keyring)'
            cand set 'Set one value in an environment''s file (created if missing)'
            cand get 'Print one value of an environment'
            cand unset 'Remove one value from an environment''s file'
            cand exec 'Run a command with an environment''s secrets in its environment'
            cand redact 'Replace an environment''s values (and their encoded forms) in a stream with [REDACTED:KEY]: `tail -f app.log | sealbox redact -e prod`'
            cand render 'Fill a template with an environment''s values into a 0600 file; --watch re-renders on change and signals a process or runs a command'
            cand export 'Print an environment''s secrets for a shell, CI system or Kubernetes'
            cand push 'Write an environment''s values to a secrets manager (only changed keys)'
            cand pull 'Write a secrets manager''s values into an environment''s encrypted file'
            cand diff 'Compare an environment with a secrets manager by key, never printing values (exit 1 on drift)'
            cand check 'Check the project''s policy: encrypted files, recipients, shared recipients, MACs'
            cand audit 'Verify or show the hash-chained audit log'
            cand recipients 'Who can open an environment: list, add or remove recipients (removing one makes a new data key)'
            cand whoami 'The public keys of the identities sealbox would decrypt with, and where each comes from'
            cand keys 'An environment''s value names (no values, no key needed)'
            cand scan 'Scan files, staged changes or stdin for plaintext secrets (exit 1 on findings)'
            cand purge 'Remove leaked secrets from every branch and tag (git-filter-repo), after a backup'
            cand git 'Git integration'
            cand completions 'Print a shell completion script'
            cand man 'Write man pages into a directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sealbox;encrypt'= {
            cand -e 'With --all: only this environment''s files (repeatable)'
            cand --env 'With --all: only this environment''s files (repeatable)'
            cand -a 'age recipient (age1…, ssh-ed25519 …, ssh-rsa …); repeatable'
            cand --age 'age recipient (age1…, ssh-ed25519 …, ssh-rsa …); repeatable'
            cand -k 'AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable'
            cand --aws-kms 'AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable'
            cand --kms 'AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable'
            cand --aws-profile 'AWS shared-config profile for the KMS keys'
            cand --encryption-context 'KMS encryption context: key1:value1,key2:value2'
            cand --hc-vault-transit 'Vault/OpenBao transit key: https://HOST:8200/v1/transit/keys/NAME; repeatable'
            cand --gcp-kms 'GCP KMS key: projects/P/locations/L/keyRings/R/cryptoKeys/K; repeatable'
            cand --azure-kv 'Azure Key Vault key: https://VAULT.vault.azure.net/keys/NAME[/VERSION]; repeatable'
            cand -o 'Write the result to FILE (one input only)'
            cand --output 'Write the result to FILE (one input only)'
            cand --output-dir 'Mirror the inputs into DIR'
            cand --input-type 'Input format (default: from the file extension)'
            cand --output-type 'Output format (default: the input format)'
            cand --unencrypted-suffix 'Keep values under keys ending with SUFFIX in plaintext (default: _unencrypted)'
            cand --encrypted-suffix 'Encrypt only values under keys ending with SUFFIX'
            cand --unencrypted-regex 'Keep values under keys matching REGEX in plaintext'
            cand --encrypted-regex 'Encrypt only values under keys matching REGEX'
            cand --unencrypted-comment-regex 'Keep items after a comment matching REGEX in plaintext'
            cand --encrypted-comment-regex 'Encrypt only items after a comment matching REGEX'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --all 'Every file that .sealbox.toml''s environments name (with -e, only those)'
            cand --in-place 'Rewrite each file in place (atomically)'
            cand --mac-only-encrypted 'Compute the MAC over encrypted values only (sops --mac-only-encrypted)'
            cand --force 'With --in-place: encrypt a file that has other hard links anyway (they keep pointing at the plaintext)'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;decrypt'= {
            cand -e 'With --all: only this environment''s files (repeatable)'
            cand --env 'With --all: only this environment''s files (repeatable)'
            cand -o 'Write the result to FILE (one input only)'
            cand --output 'Write the result to FILE (one input only)'
            cand --output-dir 'Mirror the inputs into DIR'
            cand --extract 'Print only this value, e.g. ''["database"]["password"]'''
            cand --input-type 'Input format (default: from the file extension)'
            cand --output-type 'Output format (default: the input format)'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --all 'Every file that .sealbox.toml''s environments name (with -e, only those)'
            cand --in-place 'Rewrite each file in place (atomically)'
            cand --ignore-mac 'Decrypt even when the MAC does not verify (dangerous)'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;edit'= {
            cand --input-type 'Input format (default: from the file extension)'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;rotate'= {
            cand -e 'Rotate one value of this environment instead of data keys'
            cand --env 'Rotate one value of this environment instead of data keys'
            cand --generate 'New random URL-safe value of LEN characters (default 32)'
            cand --run 'Run CMD (through sh) with KEY set to the new value first; the value is stored only if CMD succeeds'
            cand --input-type 'Input format (default: from the file extension)'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;updatekeys'= {
            cand -e 'With --all: only this environment''s files (repeatable)'
            cand --env 'With --all: only this environment''s files (repeatable)'
            cand -a 'age recipient (age1…, ssh-ed25519 …, ssh-rsa …); repeatable'
            cand --age 'age recipient (age1…, ssh-ed25519 …, ssh-rsa …); repeatable'
            cand -k 'AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable'
            cand --aws-kms 'AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable'
            cand --kms 'AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable'
            cand --aws-profile 'AWS shared-config profile for the KMS keys'
            cand --encryption-context 'KMS encryption context: key1:value1,key2:value2'
            cand --hc-vault-transit 'Vault/OpenBao transit key: https://HOST:8200/v1/transit/keys/NAME; repeatable'
            cand --gcp-kms 'GCP KMS key: projects/P/locations/L/keyRings/R/cryptoKeys/K; repeatable'
            cand --azure-kv 'Azure Key Vault key: https://VAULT.vault.azure.net/keys/NAME[/VERSION]; repeatable'
            cand --input-type 'Input format (default: from the file extension)'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --all 'Every file that .sealbox.toml''s environments name (with -e, only those)'
            cand --no-rotate 'When a recipient is removed, keep the data key they hold instead of making a new one (they can then still read every value, old and new)'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;init'= {
            cand -e 'Environment to create (repeatable; default: dev, staging, prod)'
            cand --env 'Environment to create (repeatable; default: dev, staging, prod)'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-keyring 'Keep the identity in $XDG_CONFIG_HOME/sealbox/identities instead of the OS keyring'
            cand -y 'Take the defaults without asking'
            cand --yes 'Take the defaults without asking'
            cand --force 'Overwrite an existing .sealbox.toml'
            cand --from-sops 'Make environments from the .sops.yaml here (its creation rules, recipients and selectors; the files each rule covers) and keep using the existing keys. The default when a .sops.yaml is present and no --env is given'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;set'= {
            cand --from-file 'Read the value from a file (bytes as they are)'
            cand --generate 'Generate a random URL-safe value of LEN characters (default 32)'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;get'= {
            cand -f 'Read this sops file instead of an environment (no config needed): `get -f FILE KEY`'
            cand --file 'Read this sops file instead of an environment (no config needed): `get -f FILE KEY`'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;unset'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;exec'= {
            cand -e 'Environment(s) to load, merged in order (later wins)'
            cand --env 'Environment(s) to load, merged in order (later wins)'
            cand -f 'A sops file to load, no config needed (after the environments; repeatable)'
            cand --file 'A sops file to load, no config needed (after the environments; repeatable)'
            cand --only 'Only these variables (comma-separated)'
            cand --prefix 'Prefix every variable name'
            cand --redact-min 'Shortest value --redact replaces, in bytes'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-override 'Keep variables that are already set in the environment'
            cand -v 'Say which environment each variable came from and what was overridden'
            cand --verbose 'Say which environment each variable came from and what was overridden'
            cand --redact 'Keep sealbox as the parent and pass the command''s stdout and stderr through a filter that replaces every value (and its base64, URL-encoded and JSON-escaped forms) with [REDACTED:KEY]; signals are forwarded, the exit code passed back'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;redact'= {
            cand -e 'Environment(s) whose values are replaced'
            cand --env 'Environment(s) whose values are replaced'
            cand --min 'Shortest value replaced, in bytes'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;render'= {
            cand -e 'Environment(s) whose values fill the template (merged in order, later wins)'
            cand --env 'Environment(s) whose values fill the template (merged in order, later wins)'
            cand --template 'The template (minijinja/Jinja2 syntax: {{ KEY }}, {{ KEY | shell }})'
            cand --out 'The file to write (0600, replaced atomically; a tmpfs path keeps it off disk)'
            cand --interval 'Seconds between two looks at the files in --watch mode'
            cand --poll 'Seconds between two reads of the environment''s secrets manager (source/sync) in --watch mode'
            cand --signal 'Signal sent to --pid after a changed render (HUP, TERM, USR1, … or a number)'
            cand --pid 'Process to signal after a changed render; --watch ends when it exits'
            cand --run 'Command run (with sh -c) after a changed render'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --watch 'Keep running: re-render when the environment''s files or the template change'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;export'= {
            cand -e 'Environment(s), merged in order (later wins)'
            cand --env 'Environment(s), merged in order (later wins)'
            cand -f 'A sops file to load, no config needed (after the environments; repeatable)'
            cand --file 'A sops file to load, no config needed (after the environments; repeatable)'
            cand --format 'Output format'
            cand --only 'Only these variables (comma-separated)'
            cand --prefix 'Prefix every variable name'
            cand --name 'Name of the Kubernetes Secret (default: sealbox-ENV)'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;push'= {
            cand -e 'Environment whose values are pushed'
            cand --env 'Environment whose values are pushed'
            cand --to 'Target (vault:MOUNT/PATH, aws-sm:NAME, aws-sm-prefix:P/, aws-ssm:/PATH/, …); default: the environment''s `sync =`'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --dry-run 'Say what would change, write nothing'
            cand --prune 'Delete keys the environment no longer has'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;pull'= {
            cand -e 'Environment whose file receives the values'
            cand --env 'Environment whose file receives the values'
            cand --from 'Target to read; default: the environment''s `sync =`'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --dry-run 'Say what would change, write nothing'
            cand --prune 'Remove keys the target does not have'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;diff'= {
            cand -e 'Environment to compare'
            cand --env 'Environment to compare'
            cand --against 'Target to compare with; default: the environment''s `sync =`'
            cand --format 'Output format'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;check'= {
            cand --format 'Report format'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --access 'Instead of the policy checks, report who can read each environment''s files'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;audit'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand verify 'Check that no line of the audit log was changed, removed or reordered'
            cand log 'Show the audit log'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sealbox;audit;verify'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;audit;log'= {
            cand --since 'Only events since this time (RFC 3339) or this long ago (30m, 12h, 7d)'
            cand -e 'Only events of this environment'
            cand --env 'Only events of this environment'
            cand --format 'Output format'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;audit;help'= {
            cand verify 'Check that no line of the audit log was changed, removed or reordered'
            cand log 'Show the audit log'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sealbox;audit;help;verify'= {
        }
        &'sealbox;audit;help;log'= {
        }
        &'sealbox;audit;help;help'= {
        }
        &'sealbox;recipients'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'Each environment''s recipients: kind, key, and since when its files carry it'
            cand add 'Add recipients to an environment and wrap its files'' data keys for them'
            cand remove 'Remove recipients from an environment: its files get a new data key, wrapped for the others, and sealbox lists the values the removed person could have copied'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sealbox;recipients;list'= {
            cand -e 'Only this environment (repeatable; default: all)'
            cand --env 'Only this environment (repeatable; default: all)'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;recipients;add'= {
            cand -e 'The environment'
            cand --env 'The environment'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;recipients;remove'= {
            cand -e 'The environment'
            cand --env 'The environment'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-rotate 'Keep the data key the removed recipients hold (they can still read every value, old and new)'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;recipients;help'= {
            cand list 'Each environment''s recipients: kind, key, and since when its files carry it'
            cand add 'Add recipients to an environment and wrap its files'' data keys for them'
            cand remove 'Remove recipients from an environment: its files get a new data key, wrapped for the others, and sealbox lists the values the removed person could have copied'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sealbox;recipients;help;list'= {
        }
        &'sealbox;recipients;help;add'= {
        }
        &'sealbox;recipients;help;remove'= {
        }
        &'sealbox;recipients;help;help'= {
        }
        &'sealbox;whoami'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;keys'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;scan'= {
            cand --git 'Scan git history: the lines each commit adds (each blob once), with commit, author and date; RANGE is `A..B`, a revision, or nothing for all of HEAD'
            cand -c 'gitleaks-format rules and allowlists (default: $GITLEAKS_CONFIG, $GITLEAKS_CONFIG_TOML, or .gitleaks.toml in the scanned root; else the built-in rules)'
            cand --config 'gitleaks-format rules and allowlists (default: $GITLEAKS_CONFIG, $GITLEAKS_CONFIG_TOML, or .gitleaks.toml in the scanned root; else the built-in rules)'
            cand --baseline 'Ignore what a previous JSON report (sealbox''s or gitleaks'') already lists'
            cand --format 'Report format'
            cand --report 'Write the report to FILE instead of stdout'
            cand -e 'Environment(s) whose values --values looks for'
            cand --env 'Environment(s) whose values --values looks for'
            cand --values-min 'Shortest value --values looks for, in bytes'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-ignore 'Also scan files .gitignore, .ignore and .git/info/exclude leave out (a directory scan counts what they skipped)'
            cand --staged 'Scan the lines the git index adds (the pre-commit check)'
            cand --stdin 'Scan standard input'
            cand --show-secrets 'Show secrets in the human report (they are redacted by default)'
            cand --redact 'Redact secrets in the JSON report'
            cand --values 'Look for the real values of the environments given with -e (and their base64, URL-encoded and JSON-escaped forms) instead of the rules; findings name the key, never the value'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand rules 'Built-in rules'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sealbox;scan;rules'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand check 'Run every rule''s examples and negatives; exit 1 if one misbehaves'
            cand list 'List the rules'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sealbox;scan;rules;check'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;scan;rules;list'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;scan;rules;help'= {
            cand check 'Run every rule''s examples and negatives; exit 1 if one misbehaves'
            cand list 'List the rules'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sealbox;scan;rules;help;check'= {
        }
        &'sealbox;scan;rules;help;list'= {
        }
        &'sealbox;scan;rules;help;help'= {
        }
        &'sealbox;scan;help'= {
            cand rules 'Built-in rules'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sealbox;scan;help;rules'= {
            cand check 'Run every rule''s examples and negatives; exit 1 if one misbehaves'
            cand list 'List the rules'
        }
        &'sealbox;scan;help;rules;check'= {
        }
        &'sealbox;scan;help;rules;list'= {
        }
        &'sealbox;scan;help;help'= {
        }
        &'sealbox;purge'= {
            cand --report 'JSON report of the secrets to remove (sealbox scan --git --format json --report FILE)'
            cand --replace-with 'Text each secret is replaced with'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;git'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand install-hook 'Write .git/hooks/pre-commit running `sealbox scan --staged` (for teams without pre-commit)'
            cand setup 'Make git diff and merge encrypted files by their decrypted keys: .gitattributes for the files the config names, and a diff and a merge driver in .git/config'
            cand textconv 'Print a file decrypted, for git''s diff driver (textconv); other files as they are'
            cand merge 'Merge three versions of an encrypted file key by key, for git''s merge driver'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sealbox;git;install-hook'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --force 'Replace an existing pre-commit hook'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;git;setup'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;git;textconv'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;git;merge'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;git;help'= {
            cand install-hook 'Write .git/hooks/pre-commit running `sealbox scan --staged` (for teams without pre-commit)'
            cand setup 'Make git diff and merge encrypted files by their decrypted keys: .gitattributes for the files the config names, and a diff and a merge driver in .git/config'
            cand textconv 'Print a file decrypted, for git''s diff driver (textconv); other files as they are'
            cand merge 'Merge three versions of an encrypted file key by key, for git''s merge driver'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sealbox;git;help;install-hook'= {
        }
        &'sealbox;git;help;setup'= {
        }
        &'sealbox;git;help;textconv'= {
        }
        &'sealbox;git;help;merge'= {
        }
        &'sealbox;git;help;help'= {
        }
        &'sealbox;completions'= {
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;man'= {
            cand --out-dir 'Directory to write sealbox.1 and one page per subcommand into'
            cand -i 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --identity 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files'
            cand --only-identity 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable'
            cand --no-default-identities 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand --no-audit 'Do not write the audit log for this command'
            cand --audit-syslog 'Also send audit events to syslog (/dev/log)'
            cand --keep-identity-env 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sealbox;help'= {
            cand encrypt 'Encrypt files (sops format); one file without -o/--in-place goes to stdout'
            cand decrypt 'Decrypt files; one file without -o/--in-place goes to stdout'
            cand edit 'Decrypt a file into a private temp file, open $EDITOR, re-encrypt'
            cand rotate 'Give files a new data key and re-encrypt every value'
            cand updatekeys 'Re-wrap files'' data keys for the recipients the config (or --age) names'
            cand init 'Create .sealbox.toml and an age identity (stored in the OS keyring)'
            cand set 'Set one value in an environment''s file (created if missing)'
            cand get 'Print one value of an environment'
            cand unset 'Remove one value from an environment''s file'
            cand exec 'Run a command with an environment''s secrets in its environment'
            cand redact 'Replace an environment''s values (and their encoded forms) in a stream with [REDACTED:KEY]: `tail -f app.log | sealbox redact -e prod`'
            cand render 'Fill a template with an environment''s values into a 0600 file; --watch re-renders on change and signals a process or runs a command'
            cand export 'Print an environment''s secrets for a shell, CI system or Kubernetes'
            cand push 'Write an environment''s values to a secrets manager (only changed keys)'
            cand pull 'Write a secrets manager''s values into an environment''s encrypted file'
            cand diff 'Compare an environment with a secrets manager by key, never printing values (exit 1 on drift)'
            cand check 'Check the project''s policy: encrypted files, recipients, shared recipients, MACs'
            cand audit 'Verify or show the hash-chained audit log'
            cand recipients 'Who can open an environment: list, add or remove recipients (removing one makes a new data key)'
            cand whoami 'The public keys of the identities sealbox would decrypt with, and where each comes from'
            cand keys 'An environment''s value names (no values, no key needed)'
            cand scan 'Scan files, staged changes or stdin for plaintext secrets (exit 1 on findings)'
            cand purge 'Remove leaked secrets from every branch and tag (git-filter-repo), after a backup'
            cand git 'Git integration'
            cand completions 'Print a shell completion script'
            cand man 'Write man pages into a directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sealbox;help;encrypt'= {
        }
        &'sealbox;help;decrypt'= {
        }
        &'sealbox;help;edit'= {
        }
        &'sealbox;help;rotate'= {
        }
        &'sealbox;help;updatekeys'= {
        }
        &'sealbox;help;init'= {
        }
        &'sealbox;help;set'= {
        }
        &'sealbox;help;get'= {
        }
        &'sealbox;help;unset'= {
        }
        &'sealbox;help;exec'= {
        }
        &'sealbox;help;redact'= {
        }
        &'sealbox;help;render'= {
        }
        &'sealbox;help;export'= {
        }
        &'sealbox;help;push'= {
        }
        &'sealbox;help;pull'= {
        }
        &'sealbox;help;diff'= {
        }
        &'sealbox;help;check'= {
        }
        &'sealbox;help;audit'= {
            cand verify 'Check that no line of the audit log was changed, removed or reordered'
            cand log 'Show the audit log'
        }
        &'sealbox;help;audit;verify'= {
        }
        &'sealbox;help;audit;log'= {
        }
        &'sealbox;help;recipients'= {
            cand list 'Each environment''s recipients: kind, key, and since when its files carry it'
            cand add 'Add recipients to an environment and wrap its files'' data keys for them'
            cand remove 'Remove recipients from an environment: its files get a new data key, wrapped for the others, and sealbox lists the values the removed person could have copied'
        }
        &'sealbox;help;recipients;list'= {
        }
        &'sealbox;help;recipients;add'= {
        }
        &'sealbox;help;recipients;remove'= {
        }
        &'sealbox;help;whoami'= {
        }
        &'sealbox;help;keys'= {
        }
        &'sealbox;help;scan'= {
            cand rules 'Built-in rules'
        }
        &'sealbox;help;scan;rules'= {
            cand check 'Run every rule''s examples and negatives; exit 1 if one misbehaves'
            cand list 'List the rules'
        }
        &'sealbox;help;scan;rules;check'= {
        }
        &'sealbox;help;scan;rules;list'= {
        }
        &'sealbox;help;purge'= {
        }
        &'sealbox;help;git'= {
            cand install-hook 'Write .git/hooks/pre-commit running `sealbox scan --staged` (for teams without pre-commit)'
            cand setup 'Make git diff and merge encrypted files by their decrypted keys: .gitattributes for the files the config names, and a diff and a merge driver in .git/config'
            cand textconv 'Print a file decrypted, for git''s diff driver (textconv); other files as they are'
            cand merge 'Merge three versions of an encrypted file key by key, for git''s merge driver'
        }
        &'sealbox;help;git;install-hook'= {
        }
        &'sealbox;help;git;setup'= {
        }
        &'sealbox;help;git;textconv'= {
        }
        &'sealbox;help;git;merge'= {
        }
        &'sealbox;help;completions'= {
        }
        &'sealbox;help;man'= {
        }
        &'sealbox;help;help'= {
        }
    ]
    $completions[$command]
}
