
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'sealbox' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'sealbox'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'sealbox' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('encrypt', 'encrypt', [CompletionResultType]::ParameterValue, 'Encrypt files (sops format); one file without -o/--in-place goes to stdout')
            [CompletionResult]::new('decrypt', 'decrypt', [CompletionResultType]::ParameterValue, 'Decrypt files; one file without -o/--in-place goes to stdout')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Decrypt a file into a private temp file, open $EDITOR, re-encrypt')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Give files a new data key and re-encrypt every value')
            [CompletionResult]::new('updatekeys', 'updatekeys', [CompletionResultType]::ParameterValue, 'Re-wrap files'' data keys for the recipients the config (or --age) names')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create .sealbox.toml and an age identity (stored in the OS keyring)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one value in an environment''s file (created if missing)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one value of an environment')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove one value from an environment''s file')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with an environment''s secrets in its environment')
            [CompletionResult]::new('redact', 'redact', [CompletionResultType]::ParameterValue, 'Replace an environment''s values (and their encoded forms) in a stream with [REDACTED:KEY]: `tail -f app.log | sealbox redact -e prod`')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Fill a template with an environment''s values into a 0600 file; --watch re-renders on change and signals a process or runs a command')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print an environment''s secrets for a shell, CI system or Kubernetes')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Write an environment''s values to a secrets manager (only changed keys)')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Write a secrets manager''s values into an environment''s encrypted file')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare an environment with a secrets manager by key, never printing values (exit 1 on drift)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the project''s policy: encrypted files, recipients, shared recipients, MACs')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Verify or show the hash-chained audit log')
            [CompletionResult]::new('recipients', 'recipients', [CompletionResultType]::ParameterValue, 'Who can open an environment: list, add or remove recipients (removing one makes a new data key)')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'The public keys of the identities sealbox would decrypt with, and where each comes from')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'An environment''s value names (no values, no key needed)')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Scan files, staged changes or stdin for plaintext secrets (exit 1 on findings)')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Remove leaked secrets from every branch and tag (git-filter-repo), after a backup')
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'Git integration')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sealbox;encrypt' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'With --all: only this environment''s files (repeatable)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'With --all: only this environment''s files (repeatable)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'age recipient (age1…, ssh-ed25519 …, ssh-rsa …); repeatable')
            [CompletionResult]::new('--age', '--age', [CompletionResultType]::ParameterName, 'age recipient (age1…, ssh-ed25519 …, ssh-rsa …); repeatable')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable')
            [CompletionResult]::new('--aws-kms', '--aws-kms', [CompletionResultType]::ParameterName, 'AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable')
            [CompletionResult]::new('--kms', '--kms', [CompletionResultType]::ParameterName, 'AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable')
            [CompletionResult]::new('--aws-profile', '--aws-profile', [CompletionResultType]::ParameterName, 'AWS shared-config profile for the KMS keys')
            [CompletionResult]::new('--encryption-context', '--encryption-context', [CompletionResultType]::ParameterName, 'KMS encryption context: key1:value1,key2:value2')
            [CompletionResult]::new('--hc-vault-transit', '--hc-vault-transit', [CompletionResultType]::ParameterName, 'Vault/OpenBao transit key: https://HOST:8200/v1/transit/keys/NAME; repeatable')
            [CompletionResult]::new('--gcp-kms', '--gcp-kms', [CompletionResultType]::ParameterName, 'GCP KMS key: projects/P/locations/L/keyRings/R/cryptoKeys/K; repeatable')
            [CompletionResult]::new('--azure-kv', '--azure-kv', [CompletionResultType]::ParameterName, 'Azure Key Vault key: https://VAULT.vault.azure.net/keys/NAME[/VERSION]; repeatable')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to FILE (one input only)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to FILE (one input only)')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Mirror the inputs into DIR')
            [CompletionResult]::new('--input-type', '--input-type', [CompletionResultType]::ParameterName, 'Input format (default: from the file extension)')
            [CompletionResult]::new('--output-type', '--output-type', [CompletionResultType]::ParameterName, 'Output format (default: the input format)')
            [CompletionResult]::new('--unencrypted-suffix', '--unencrypted-suffix', [CompletionResultType]::ParameterName, 'Keep values under keys ending with SUFFIX in plaintext (default: _unencrypted)')
            [CompletionResult]::new('--encrypted-suffix', '--encrypted-suffix', [CompletionResultType]::ParameterName, 'Encrypt only values under keys ending with SUFFIX')
            [CompletionResult]::new('--unencrypted-regex', '--unencrypted-regex', [CompletionResultType]::ParameterName, 'Keep values under keys matching REGEX in plaintext')
            [CompletionResult]::new('--encrypted-regex', '--encrypted-regex', [CompletionResultType]::ParameterName, 'Encrypt only values under keys matching REGEX')
            [CompletionResult]::new('--unencrypted-comment-regex', '--unencrypted-comment-regex', [CompletionResultType]::ParameterName, 'Keep items after a comment matching REGEX in plaintext')
            [CompletionResult]::new('--encrypted-comment-regex', '--encrypted-comment-regex', [CompletionResultType]::ParameterName, 'Encrypt only items after a comment matching REGEX')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every file that .sealbox.toml''s environments name (with -e, only those)')
            [CompletionResult]::new('--in-place', '--in-place', [CompletionResultType]::ParameterName, 'Rewrite each file in place (atomically)')
            [CompletionResult]::new('--mac-only-encrypted', '--mac-only-encrypted', [CompletionResultType]::ParameterName, 'Compute the MAC over encrypted values only (sops --mac-only-encrypted)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'With --in-place: encrypt a file that has other hard links anyway (they keep pointing at the plaintext)')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;decrypt' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'With --all: only this environment''s files (repeatable)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'With --all: only this environment''s files (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result to FILE (one input only)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result to FILE (one input only)')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Mirror the inputs into DIR')
            [CompletionResult]::new('--extract', '--extract', [CompletionResultType]::ParameterName, 'Print only this value, e.g. ''["database"]["password"]''')
            [CompletionResult]::new('--input-type', '--input-type', [CompletionResultType]::ParameterName, 'Input format (default: from the file extension)')
            [CompletionResult]::new('--output-type', '--output-type', [CompletionResultType]::ParameterName, 'Output format (default: the input format)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every file that .sealbox.toml''s environments name (with -e, only those)')
            [CompletionResult]::new('--in-place', '--in-place', [CompletionResultType]::ParameterName, 'Rewrite each file in place (atomically)')
            [CompletionResult]::new('--ignore-mac', '--ignore-mac', [CompletionResultType]::ParameterName, 'Decrypt even when the MAC does not verify (dangerous)')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;edit' {
            [CompletionResult]::new('--input-type', '--input-type', [CompletionResultType]::ParameterName, 'Input format (default: from the file extension)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;rotate' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Rotate one value of this environment instead of data keys')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Rotate one value of this environment instead of data keys')
            [CompletionResult]::new('--generate', '--generate', [CompletionResultType]::ParameterName, 'New random URL-safe value of LEN characters (default 32)')
            [CompletionResult]::new('--run', '--run', [CompletionResultType]::ParameterName, 'Run CMD (through sh) with KEY set to the new value first; the value is stored only if CMD succeeds')
            [CompletionResult]::new('--input-type', '--input-type', [CompletionResultType]::ParameterName, 'Input format (default: from the file extension)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;updatekeys' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'With --all: only this environment''s files (repeatable)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'With --all: only this environment''s files (repeatable)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'age recipient (age1…, ssh-ed25519 …, ssh-rsa …); repeatable')
            [CompletionResult]::new('--age', '--age', [CompletionResultType]::ParameterName, 'age recipient (age1…, ssh-ed25519 …, ssh-rsa …); repeatable')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable')
            [CompletionResult]::new('--aws-kms', '--aws-kms', [CompletionResultType]::ParameterName, 'AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable')
            [CompletionResult]::new('--kms', '--kms', [CompletionResultType]::ParameterName, 'AWS KMS key ARN, or ARN+ROLE_ARN to assume a role first; repeatable')
            [CompletionResult]::new('--aws-profile', '--aws-profile', [CompletionResultType]::ParameterName, 'AWS shared-config profile for the KMS keys')
            [CompletionResult]::new('--encryption-context', '--encryption-context', [CompletionResultType]::ParameterName, 'KMS encryption context: key1:value1,key2:value2')
            [CompletionResult]::new('--hc-vault-transit', '--hc-vault-transit', [CompletionResultType]::ParameterName, 'Vault/OpenBao transit key: https://HOST:8200/v1/transit/keys/NAME; repeatable')
            [CompletionResult]::new('--gcp-kms', '--gcp-kms', [CompletionResultType]::ParameterName, 'GCP KMS key: projects/P/locations/L/keyRings/R/cryptoKeys/K; repeatable')
            [CompletionResult]::new('--azure-kv', '--azure-kv', [CompletionResultType]::ParameterName, 'Azure Key Vault key: https://VAULT.vault.azure.net/keys/NAME[/VERSION]; repeatable')
            [CompletionResult]::new('--input-type', '--input-type', [CompletionResultType]::ParameterName, 'Input format (default: from the file extension)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every file that .sealbox.toml''s environments name (with -e, only those)')
            [CompletionResult]::new('--no-rotate', '--no-rotate', [CompletionResultType]::ParameterName, 'When a recipient is removed, keep the data key they hold instead of making a new one (they can then still read every value, old and new)')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;init' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Environment to create (repeatable; default: dev, staging, prod)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to create (repeatable; default: dev, staging, prod)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-keyring', '--no-keyring', [CompletionResultType]::ParameterName, 'Keep the identity in $XDG_CONFIG_HOME/sealbox/identities instead of the OS keyring')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Take the defaults without asking')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Take the defaults without asking')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite an existing .sealbox.toml')
            [CompletionResult]::new('--from-sops', '--from-sops', [CompletionResultType]::ParameterName, 'Make environments from the .sops.yaml here (its creation rules, recipients and selectors; the files each rule covers) and keep using the existing keys. The default when a .sops.yaml is present and no --env is given')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;set' {
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Read the value from a file (bytes as they are)')
            [CompletionResult]::new('--generate', '--generate', [CompletionResultType]::ParameterName, 'Generate a random URL-safe value of LEN characters (default 32)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;get' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read this sops file instead of an environment (no config needed): `get -f FILE KEY`')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read this sops file instead of an environment (no config needed): `get -f FILE KEY`')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;unset' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;exec' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Environment(s) to load, merged in order (later wins)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment(s) to load, merged in order (later wins)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A sops file to load, no config needed (after the environments; repeatable)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A sops file to load, no config needed (after the environments; repeatable)')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Only these variables (comma-separated)')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Prefix every variable name')
            [CompletionResult]::new('--redact-min', '--redact-min', [CompletionResultType]::ParameterName, 'Shortest value --redact replaces, in bytes')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-override', '--no-override', [CompletionResultType]::ParameterName, 'Keep variables that are already set in the environment')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say which environment each variable came from and what was overridden')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say which environment each variable came from and what was overridden')
            [CompletionResult]::new('--redact', '--redact', [CompletionResultType]::ParameterName, 'Keep sealbox as the parent and pass the command''s stdout and stderr through a filter that replaces every value (and its base64, URL-encoded and JSON-escaped forms) with [REDACTED:KEY]; signals are forwarded, the exit code passed back')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;redact' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Environment(s) whose values are replaced')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment(s) whose values are replaced')
            [CompletionResult]::new('--min', '--min', [CompletionResultType]::ParameterName, 'Shortest value replaced, in bytes')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;render' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Environment(s) whose values fill the template (merged in order, later wins)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment(s) whose values fill the template (merged in order, later wins)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'The template (minijinja/Jinja2 syntax: {{ KEY }}, {{ KEY | shell }})')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The file to write (0600, replaced atomically; a tmpfs path keeps it off disk)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Seconds between two looks at the files in --watch mode')
            [CompletionResult]::new('--poll', '--poll', [CompletionResultType]::ParameterName, 'Seconds between two reads of the environment''s secrets manager (source/sync) in --watch mode')
            [CompletionResult]::new('--signal', '--signal', [CompletionResultType]::ParameterName, 'Signal sent to --pid after a changed render (HUP, TERM, USR1, … or a number)')
            [CompletionResult]::new('--pid', '--pid', [CompletionResultType]::ParameterName, 'Process to signal after a changed render; --watch ends when it exits')
            [CompletionResult]::new('--run', '--run', [CompletionResultType]::ParameterName, 'Command run (with sh -c) after a changed render')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Keep running: re-render when the environment''s files or the template change')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;export' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Environment(s), merged in order (later wins)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment(s), merged in order (later wins)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A sops file to load, no config needed (after the environments; repeatable)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A sops file to load, no config needed (after the environments; repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Only these variables (comma-separated)')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Prefix every variable name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the Kubernetes Secret (default: sealbox-ENV)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;push' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Environment whose values are pushed')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment whose values are pushed')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Target (vault:MOUNT/PATH, aws-sm:NAME, aws-sm-prefix:P/, aws-ssm:/PATH/, …); default: the environment''s `sync =`')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would change, write nothing')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Delete keys the environment no longer has')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;pull' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Environment whose file receives the values')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment whose file receives the values')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Target to read; default: the environment''s `sync =`')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would change, write nothing')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Remove keys the target does not have')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;diff' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Environment to compare')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment to compare')
            [CompletionResult]::new('--against', '--against', [CompletionResultType]::ParameterName, 'Target to compare with; default: the environment''s `sync =`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;check' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Report format')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--access', '--access', [CompletionResultType]::ParameterName, 'Instead of the policy checks, report who can read each environment''s files')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;audit' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check that no line of the audit log was changed, removed or reordered')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the audit log')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sealbox;audit;verify' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;audit;log' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events since this time (RFC 3339) or this long ago (30m, 12h, 7d)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Only events of this environment')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Only events of this environment')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;audit;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check that no line of the audit log was changed, removed or reordered')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the audit log')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sealbox;audit;help;verify' {
            break
        }
        'sealbox;audit;help;log' {
            break
        }
        'sealbox;audit;help;help' {
            break
        }
        'sealbox;recipients' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Each environment''s recipients: kind, key, and since when its files carry it')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add recipients to an environment and wrap its files'' data keys for them')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove recipients from an environment: its files get a new data key, wrapped for the others, and sealbox lists the values the removed person could have copied')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sealbox;recipients;list' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Only this environment (repeatable; default: all)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Only this environment (repeatable; default: all)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;recipients;add' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'The environment')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The environment')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;recipients;remove' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'The environment')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The environment')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-rotate', '--no-rotate', [CompletionResultType]::ParameterName, 'Keep the data key the removed recipients hold (they can still read every value, old and new)')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;recipients;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Each environment''s recipients: kind, key, and since when its files carry it')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add recipients to an environment and wrap its files'' data keys for them')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove recipients from an environment: its files get a new data key, wrapped for the others, and sealbox lists the values the removed person could have copied')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sealbox;recipients;help;list' {
            break
        }
        'sealbox;recipients;help;add' {
            break
        }
        'sealbox;recipients;help;remove' {
            break
        }
        'sealbox;recipients;help;help' {
            break
        }
        'sealbox;whoami' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;keys' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;scan' {
            [CompletionResult]::new('--git', '--git', [CompletionResultType]::ParameterName, 'Scan git history: the lines each commit adds (each blob once), with commit, author and date; RANGE is `A..B`, a revision, or nothing for all of HEAD')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'gitleaks-format rules and allowlists (default: $GITLEAKS_CONFIG, $GITLEAKS_CONFIG_TOML, or .gitleaks.toml in the scanned root; else the built-in rules)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'gitleaks-format rules and allowlists (default: $GITLEAKS_CONFIG, $GITLEAKS_CONFIG_TOML, or .gitleaks.toml in the scanned root; else the built-in rules)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Ignore what a previous JSON report (sealbox''s or gitleaks'') already lists')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Report format')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Environment(s) whose values --values looks for')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment(s) whose values --values looks for')
            [CompletionResult]::new('--values-min', '--values-min', [CompletionResultType]::ParameterName, 'Shortest value --values looks for, in bytes')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Also scan files .gitignore, .ignore and .git/info/exclude leave out (a directory scan counts what they skipped)')
            [CompletionResult]::new('--staged', '--staged', [CompletionResultType]::ParameterName, 'Scan the lines the git index adds (the pre-commit check)')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Scan standard input')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in the human report (they are redacted by default)')
            [CompletionResult]::new('--redact', '--redact', [CompletionResultType]::ParameterName, 'Redact secrets in the JSON report')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'Look for the real values of the environments given with -e (and their base64, URL-encoded and JSON-escaped forms) instead of the rules; findings name the key, never the value')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'Built-in rules')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sealbox;scan;rules' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Run every rule''s examples and negatives; exit 1 if one misbehaves')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the rules')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sealbox;scan;rules;check' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;scan;rules;list' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;scan;rules;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Run every rule''s examples and negatives; exit 1 if one misbehaves')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the rules')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sealbox;scan;rules;help;check' {
            break
        }
        'sealbox;scan;rules;help;list' {
            break
        }
        'sealbox;scan;rules;help;help' {
            break
        }
        'sealbox;scan;help' {
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'Built-in rules')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sealbox;scan;help;rules' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Run every rule''s examples and negatives; exit 1 if one misbehaves')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the rules')
            break
        }
        'sealbox;scan;help;rules;check' {
            break
        }
        'sealbox;scan;help;rules;list' {
            break
        }
        'sealbox;scan;help;help' {
            break
        }
        'sealbox;purge' {
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'JSON report of the secrets to remove (sealbox scan --git --format json --report FILE)')
            [CompletionResult]::new('--replace-with', '--replace-with', [CompletionResultType]::ParameterName, 'Text each secret is replaced with')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;git' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('install-hook', 'install-hook', [CompletionResultType]::ParameterValue, 'Write .git/hooks/pre-commit running `sealbox scan --staged` (for teams without pre-commit)')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Make git diff and merge encrypted files by their decrypted keys: .gitattributes for the files the config names, and a diff and a merge driver in .git/config')
            [CompletionResult]::new('textconv', 'textconv', [CompletionResultType]::ParameterValue, 'Print a file decrypted, for git''s diff driver (textconv); other files as they are')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge three versions of an encrypted file key by key, for git''s merge driver')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sealbox;git;install-hook' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing pre-commit hook')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;git;setup' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;git;textconv' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;git;merge' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;git;help' {
            [CompletionResult]::new('install-hook', 'install-hook', [CompletionResultType]::ParameterValue, 'Write .git/hooks/pre-commit running `sealbox scan --staged` (for teams without pre-commit)')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Make git diff and merge encrypted files by their decrypted keys: .gitattributes for the files the config names, and a diff and a merge driver in .git/config')
            [CompletionResult]::new('textconv', 'textconv', [CompletionResultType]::ParameterValue, 'Print a file decrypted, for git''s diff driver (textconv); other files as they are')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge three versions of an encrypted file key by key, for git''s merge driver')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sealbox;git;help;install-hook' {
            break
        }
        'sealbox;git;help;setup' {
            break
        }
        'sealbox;git;help;textconv' {
            break
        }
        'sealbox;git;help;merge' {
            break
        }
        'sealbox;git;help;help' {
            break
        }
        'sealbox;completions' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;man' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Directory to write sealbox.1 and one page per subcommand into')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age identity file (private key) to decrypt with; repeatable. Tried before $SEALBOX_AGE_KEY, $SOPS_AGE_KEY*, the keyring and the default key files')
            [CompletionResult]::new('--only-identity', '--only-identity', [CompletionResultType]::ParameterName, 'Decrypt with this identity file and nothing else (no environment variables, keyring, default key files or key services): "can this key read it?"; repeatable')
            [CompletionResult]::new('--no-default-identities', '--no-default-identities', [CompletionResultType]::ParameterName, 'Use only the -i/--identity files: no $SEALBOX_AGE_KEY*, $SOPS_AGE_*, keyring, default key files or key services')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--no-audit', '--no-audit', [CompletionResultType]::ParameterName, 'Do not write the audit log for this command')
            [CompletionResult]::new('--audit-syslog', '--audit-syslog', [CompletionResultType]::ParameterName, 'Also send audit events to syslog (/dev/log)')
            [CompletionResult]::new('--keep-identity-env', '--keep-identity-env', [CompletionResultType]::ParameterName, 'Pass $SEALBOX_AGE_KEY*, $SOPS_AGE_KEY* and the key-service credentials sealbox used on to the programs it starts (exec, the editor, rotate --run); by default they are removed, so a child cannot open every other secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sealbox;help' {
            [CompletionResult]::new('encrypt', 'encrypt', [CompletionResultType]::ParameterValue, 'Encrypt files (sops format); one file without -o/--in-place goes to stdout')
            [CompletionResult]::new('decrypt', 'decrypt', [CompletionResultType]::ParameterValue, 'Decrypt files; one file without -o/--in-place goes to stdout')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Decrypt a file into a private temp file, open $EDITOR, re-encrypt')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Give files a new data key and re-encrypt every value')
            [CompletionResult]::new('updatekeys', 'updatekeys', [CompletionResultType]::ParameterValue, 'Re-wrap files'' data keys for the recipients the config (or --age) names')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create .sealbox.toml and an age identity (stored in the OS keyring)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one value in an environment''s file (created if missing)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one value of an environment')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove one value from an environment''s file')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with an environment''s secrets in its environment')
            [CompletionResult]::new('redact', 'redact', [CompletionResultType]::ParameterValue, 'Replace an environment''s values (and their encoded forms) in a stream with [REDACTED:KEY]: `tail -f app.log | sealbox redact -e prod`')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Fill a template with an environment''s values into a 0600 file; --watch re-renders on change and signals a process or runs a command')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print an environment''s secrets for a shell, CI system or Kubernetes')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Write an environment''s values to a secrets manager (only changed keys)')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Write a secrets manager''s values into an environment''s encrypted file')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare an environment with a secrets manager by key, never printing values (exit 1 on drift)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the project''s policy: encrypted files, recipients, shared recipients, MACs')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Verify or show the hash-chained audit log')
            [CompletionResult]::new('recipients', 'recipients', [CompletionResultType]::ParameterValue, 'Who can open an environment: list, add or remove recipients (removing one makes a new data key)')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'The public keys of the identities sealbox would decrypt with, and where each comes from')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'An environment''s value names (no values, no key needed)')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Scan files, staged changes or stdin for plaintext secrets (exit 1 on findings)')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Remove leaked secrets from every branch and tag (git-filter-repo), after a backup')
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'Git integration')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sealbox;help;encrypt' {
            break
        }
        'sealbox;help;decrypt' {
            break
        }
        'sealbox;help;edit' {
            break
        }
        'sealbox;help;rotate' {
            break
        }
        'sealbox;help;updatekeys' {
            break
        }
        'sealbox;help;init' {
            break
        }
        'sealbox;help;set' {
            break
        }
        'sealbox;help;get' {
            break
        }
        'sealbox;help;unset' {
            break
        }
        'sealbox;help;exec' {
            break
        }
        'sealbox;help;redact' {
            break
        }
        'sealbox;help;render' {
            break
        }
        'sealbox;help;export' {
            break
        }
        'sealbox;help;push' {
            break
        }
        'sealbox;help;pull' {
            break
        }
        'sealbox;help;diff' {
            break
        }
        'sealbox;help;check' {
            break
        }
        'sealbox;help;audit' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check that no line of the audit log was changed, removed or reordered')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the audit log')
            break
        }
        'sealbox;help;audit;verify' {
            break
        }
        'sealbox;help;audit;log' {
            break
        }
        'sealbox;help;recipients' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Each environment''s recipients: kind, key, and since when its files carry it')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add recipients to an environment and wrap its files'' data keys for them')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove recipients from an environment: its files get a new data key, wrapped for the others, and sealbox lists the values the removed person could have copied')
            break
        }
        'sealbox;help;recipients;list' {
            break
        }
        'sealbox;help;recipients;add' {
            break
        }
        'sealbox;help;recipients;remove' {
            break
        }
        'sealbox;help;whoami' {
            break
        }
        'sealbox;help;keys' {
            break
        }
        'sealbox;help;scan' {
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'Built-in rules')
            break
        }
        'sealbox;help;scan;rules' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Run every rule''s examples and negatives; exit 1 if one misbehaves')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the rules')
            break
        }
        'sealbox;help;scan;rules;check' {
            break
        }
        'sealbox;help;scan;rules;list' {
            break
        }
        'sealbox;help;purge' {
            break
        }
        'sealbox;help;git' {
            [CompletionResult]::new('install-hook', 'install-hook', [CompletionResultType]::ParameterValue, 'Write .git/hooks/pre-commit running `sealbox scan --staged` (for teams without pre-commit)')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Make git diff and merge encrypted files by their decrypted keys: .gitattributes for the files the config names, and a diff and a merge driver in .git/config')
            [CompletionResult]::new('textconv', 'textconv', [CompletionResultType]::ParameterValue, 'Print a file decrypted, for git''s diff driver (textconv); other files as they are')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge three versions of an encrypted file key by key, for git''s merge driver')
            break
        }
        'sealbox;help;git;install-hook' {
            break
        }
        'sealbox;help;git;setup' {
            break
        }
        'sealbox;help;git;textconv' {
            break
        }
        'sealbox;help;git;merge' {
            break
        }
        'sealbox;help;completions' {
            break
        }
        'sealbox;help;man' {
            break
        }
        'sealbox;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
