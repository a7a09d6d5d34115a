//! Issue 18: the credential files and config idioms real repositories leak. Each format is
//! found by its own rule, once, on the line that holds the secret; the lines beside it
//! that are not credentials (templates, references, public keys, locked accounts) are not.

use crate::harness::{code, Env};

/// Values built at run time, so this file holds no credential-shaped literal.
fn pw(tag: &str) -> String {
    format!("{tag}{}", "-Qm7vKz9pL2xR")
}

/// `(file, 1-based line, rule)` of every finding of `sealbox scan DIR`.
fn scan(env: &Env, dir: &str) -> (i32, Vec<(String, u64, String)>) {
    let o = env
        .cmd()
        .args(["scan", dir, "--format", "json", "--no-ignore"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)));
    let got = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["File"].as_str().unwrap().to_owned(),
                f["StartLine"].as_u64().unwrap(),
                f["RuleID"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (code(&o), got)
}

#[test]
fn each_credential_file_is_found_by_its_rule_on_its_line() {
    let env = Env::new();
    let bcrypt = format!(
        "$2y$05${}",
        "c4WoMPo3SXsafkva.HHa6uXQZWr7oboPiC2bT/r7q1BB8I2s0BRqC"
    );
    let sha512 = format!(
        "$6$Xk9mQ2vL${}",
        "3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY2z4A6bC8dE0fG2hJ4kL6mN8pQ0rS2tU4vW6xY8z0A2bC4dE6fG8hJ"
    );
    let cases: Vec<(&str, String, u64, &str)> = vec![
        (
            "t/.netrc",
            format!("machine git.acme.test\n  login deploy\n  password {}\n", pw("n")),
            3,
            "netrc-password",
        ),
        (
            "t/_netrc",
            format!("machine api.acme.test login ops password {}\n", pw("n2")),
            1,
            "netrc-password",
        ),
        (
            "t/.pgpass",
            format!("# host:port:db:user:password\ndb.internal:5432:app:app:{}\n", pw("p")),
            2,
            "pgpass",
        ),
        (
            "t/.git-credentials",
            format!("https://deploy:{}@git.acme.test\n", pw("g")),
            1,
            "git-credentials",
        ),
        ("t/.htpasswd", format!("admin:{bcrypt}\n"), 1, "htpasswd-hash"),
        (
            "t/etc/shadow",
            format!("daemon:*:19000:0:99999:7:::\nroot:{sha512}:19000:0:99999:7:::\n"),
            2,
            "shadow-hash",
        ),
        (
            "t/.my.cnf",
            format!("[client]\nuser=root\npassword={}\n", pw("m")),
            3,
            "mysql-cnf-password",
        ),
        (
            "t/.s3cfg",
            format!("[default]\nuse_https = True\ngpg_passphrase = {}\n", pw("s")),
            3,
            "s3cfg",
        ),
        (
            "t/.npmrc",
            format!("registry=https://npm.acme.test/\n//npm.acme.test/:_auth={}\n", "ZGVwbG95OlhrOW1RMnZM"),
            2,
            "npmrc-auth",
        ),
        (
            "t/.pypirc",
            format!("[internal]\nusername = ci\npassword = {}\n", pw("y")),
            3,
            "pypirc-password",
        ),
        (
            "t/settings.xml",
            format!("<servers>\n  <server>\n    <id>n</id>\n    <password>{}</password>\n", pw("v")),
            4,
            "maven-settings-password",
        ),
        (
            "t/NuGet.Config",
            format!("<acme>\n  <add key=\"ClearTextPassword\" value=\"{}\" />\n", pw("u")),
            2,
            "nuget-cleartext-password",
        ),
        (
            "t/sitemanager.xml",
            "<Server>\n  <Pass encoding=\"base64\">WGs5bVEydkxwN3pS</Pass>\n".to_owned(),
            2,
            "filezilla-password",
        ),
        (
            "t/wp-config.php",
            format!(
                "<?php\ndefine( 'DB_PASSWORD', '{}' );\ndefine( 'AUTH_KEY', '{}' );\n",
                pw("w"),
                "Xk9mQ2vLp7zR!4nB6c8dE0fG2hJ4kL6mN8pQ0rS2tU4vW6"
            ),
            2,
            "php-define-password",
        ),
        (
            "t/settings.py",
            format!(
                "DEBUG = False\nSECRET_KEY = '{}'\n",
                "django-insecure-9fk2mx8ql4vn7pr3ty6wz1cb!4nb6c8de0fg2hj4"
            ),
            2,
            "django-secret-key",
        ),
        (
            "t/config/master.key",
            "7a1c6e0f3b9d4e2a8c5f1b0d9e3a7c4f\n".to_owned(),
            1,
            "rails-master-key",
        ),
        (
            "t/.env.production",
            format!("APP_NAME=x\nAPP_KEY=base64:{}\n", "Xk9mQ2vLp7zR4nB6c8dE0fG2hJ4kL6mN8pQ0rS2tU4w="),
            2,
            "laravel-app-key",
        ),
        (
            "t/application.properties",
            format!("server.port=8080\nspring.datasource.password={}\n", pw("sp")),
            2,
            "spring-datasource-password",
        ),
        (
            "t/init.sql",
            format!("-- users\nCREATE USER 'app'@'%' IDENTIFIED BY '{}';\n", pw("q")),
            2,
            "sql-identified-by",
        ),
        (
            "t/dump.sql",
            "INSERT INTO `users` VALUES (1,'admin','e10adc3949ba59abbe56e057f20f883f');\n"
                .to_owned(),
            1,
            "sql-insert-password-hash",
        ),
        (
            "t/passwords.csv",
            format!("name,url,username,password,note\nacme,https://acme.test,ops,{},\n", pw("c")),
            2,
            "password-csv-column",
        ),
        (
            "t/secret.asc",
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGZ\n-----END PGP PRIVATE KEY BLOCK-----\n"
                .to_owned(),
            1,
            "pgp-private-key-block",
        ),
        (
            "t/server.cfg",
            format!("hostname \"x\"\nrcon_password \"{}\"\n", pw("r")),
            2,
            "game-server-password",
        ),
    ];
    for (path, text, _, _) in &cases {
        env.write(path, text);
    }
    env.write(
        "t/client.p12",
        b"\x30\x82\x0a\x1f\x02\x01\x03\x00\x01binary",
    );
    let (rc, got) = scan(&env, "t");
    assert_eq!(rc, 1);
    for (path, _, line, rule) in &cases {
        let file = path.trim_start_matches("t/");
        let here: Vec<_> = got
            .iter()
            .filter(|(f, l, _)| f == file && l == line)
            .collect();
        assert!(
            here.iter().any(|(_, _, r)| r == rule),
            "{path}:{line}: expected {rule}, got {here:?} (all: {got:?})"
        );
        assert_eq!(here.len(), 1, "one finding per credential line: {here:?}");
    }
    assert!(
        got.iter()
            .any(|(f, _, r)| f == "client.p12" && r == "pkcs12-file"),
        "{got:?}"
    );
    // The WordPress salt line is its own finding too.
    assert!(got
        .iter()
        .any(|(f, l, r)| f == "wp-config.php" && *l == 3 && r == "wordpress-salt"));
}

#[test]
fn templates_references_public_keys_and_locked_accounts_are_not_credentials() {
    let env = Env::new();
    env.write(
        "n/wp-config-sample.php",
        "<?php\ndefine( 'DB_PASSWORD', 'password_here' );\n\
         define( 'AUTH_KEY',         'put your unique phrase here' );\n",
    );
    env.write(
        "n/.netrc",
        "machine ci.acme.test login bot password $CI_TOKEN\n",
    );
    env.write(
        "n/etc/shadow",
        "root:*:19000:0:99999:7:::\nwww-data:!:19000:0:99999:7:::\nbin:!*:19000::::::\n",
    );
    env.write("n/.my.cnf", "[client]\nuser=root\npassword=\n");
    env.write(
        "n/config/database.php",
        "<?php\nreturn ['password' => env('DB_PASSWORD', ''),];\n",
    );
    env.write(
        "n/config/database.yml",
        "production:\n  password: <%= ENV['DB_PASSWORD'] %>\n",
    );
    env.write(
        "n/settings.xml",
        "<server>\n  <password>${env.MAVEN_PASSWORD}</password>\n</server>\n",
    );
    env.write(
        "n/id_ed25519.pub",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl deploy@build\n",
    );
    env.write(
        "n/ca.pem",
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUXk9mQ2vLp7zR\n-----END CERTIFICATE-----\n",
    );
    env.write(
        "n/pub.asc",
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGZ\n-----END PGP PUBLIC KEY BLOCK-----\n",
    );
    env.write("n/.pgpass", "# hostname:port:database:username:password\n");
    env.write(
        "n/export.csv",
        "name,url,username,password_changed\nacme,https://acme.test,ops,2024-01-01\n",
    );
    let (rc, got) = scan(&env, "n");
    assert_eq!(rc, 0, "{got:?}");
}

#[test]
fn format_rules_name_the_finding_over_generic_ones() {
    // A strong password in .pypirc matches the generic assignment rules too: the format's
    // rule names it, once.
    let env = Env::new();
    env.write(
        "p/.pypirc",
        "[pypi]\nusername = __token__\npassword = Zx81nnQ2vLp7zRk4T9wq\n",
    );
    let (_, got) = scan(&env, "p");
    assert_eq!(
        got,
        vec![(".pypirc".to_owned(), 3, "pypirc-password".to_owned())]
    );
}

// ---------------------------------------------------------------------------------
// Nothing skipped silently: large files in windows, binary files through their
// printable runs, archives through their entries, what is left out counted.

fn token() -> String {
    format!("{}{}", "gh", "p_Zq8Lm3Rt7Wx2Vb9Nc4Hd6Jf1Kg5Ps0Ty3Ua8")
}

fn zip_of(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    use std::io::Write as _;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(
            *name,
            zip::write::SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn tar_gz_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut t = tar::Builder::new(gz);
    for (name, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        t.append_data(&mut h, name, *data).unwrap();
    }
    t.into_inner().unwrap().finish().unwrap()
}

#[test]
fn large_binary_and_archived_files_are_read_not_skipped() {
    let env = Env::new();
    let line = format!("GITHUB_TOKEN={}\n", token());
    // A named file over the one-piece limit: the token sits past the first window.
    let mut big = "2026-01-01T00:00:00 INFO request served in 3 ms, nothing else\n".repeat(300_000);
    big.push_str(&line);
    assert!(big.len() > 17 << 20);
    env.write("a/big.log", &big);
    let o = env
        .cmd()
        .args(["scan", "a/big.log", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["StartLine"], 300_001, "{v}");
    // Binary: the printable run holding the token.
    let mut bin = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    bin.extend_from_slice(line.as_bytes());
    bin.extend_from_slice(&[0, 1, 2, 3]);
    env.write("b/tool", &bin);
    // Zip (stored and deflated), and a zip inside a tar.gz.
    let stored = zip_of(
        &[("conf/app.env", line.as_bytes())],
        zip::CompressionMethod::Stored,
    );
    env.write("b/stored.zip", &stored);
    env.write(
        "b/deflated.jar",
        zip_of(
            &[("META-INF/x.properties", line.as_bytes())],
            zip::CompressionMethod::Deflated,
        ),
    );
    env.write("b/nested.tar.gz", tar_gz_of(&[("dist/inner.zip", &stored)]));
    let (rc, got) = scan(&env, "b");
    assert_eq!(rc, 1);
    let files: Vec<&str> = got.iter().map(|(f, _, _)| f.as_str()).collect();
    for want in [
        "tool",
        "stored.zip!conf/app.env",
        "deflated.jar!META-INF/x.properties",
        "nested.tar.gz!dist/inner.zip!conf/app.env",
    ] {
        assert!(files.contains(&want), "{want} not in {files:?}");
    }
}

#[test]
fn archives_past_the_depth_limit_are_counted_and_a_named_unreadable_file_fails() {
    let env = Env::new();
    let line = format!("GITHUB_TOKEN={}\n", token());
    // Four levels of zip: the innermost is past the depth limit, and the summary says so.
    let mut z = zip_of(
        &[("x.env", line.as_bytes())],
        zip::CompressionMethod::Stored,
    );
    for i in 0..4 {
        z = zip_of(
            &[(&format!("l{i}.zip"), &z)],
            zip::CompressionMethod::Stored,
        );
    }
    env.write("d/deep.zip", &z);
    let o = env.cmd().args(["scan", "d"]).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("archive entry past the depth/size limits"),
        "{err}"
    );
    // A path named on the command line that cannot be read is an error, not a skip.
    let o = env.cmd().args(["scan", "d/missing.txt"]).output().unwrap();
    assert_ne!(code(&o), 0);
    assert_ne!(code(&o), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let p = env.write("u/secret.env", &line);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&p).is_err() {
            // (root reads it anyway)
            let o = env.cmd().args(["scan", "u/secret.env"]).output().unwrap();
            assert_eq!(code(&o), 5, "{}", String::from_utf8_lossy(&o.stderr));
            let o = env.cmd().args(["scan", "u"]).output().unwrap();
            assert!(String::from_utf8_lossy(&o.stderr).contains("1 unreadable file"));
        }
    }
}

/// `sealbox ARGS` with `input` on its standard input.
fn with_stdin(env: &Env, args: &[&str], input: Vec<u8>) -> std::process::Output {
    env.cmd().args(args).write_stdin(input).output().unwrap()
}

#[test]
fn stdin_is_read_in_windows_and_through_archives() {
    let env = Env::new();
    let line = format!("GITHUB_TOKEN={}\n", token());
    // A long base64 line, then the token: found on line 2.
    let mut input = "QUJD".repeat(6 << 20);
    input.push('\n');
    input.push_str(&line);
    let args = ["scan", "--stdin", "--format", "json"];
    let o = with_stdin(&env, &args, input.into_bytes());
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["StartLine"], 2, "{v}");
    // A zip piped in is read through its entries.
    let z = zip_of(
        &[("c.env", line.as_bytes())],
        zip::CompressionMethod::Deflated,
    );
    let o = with_stdin(&env, &args, z);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["File"], "<stdin>!c.env", "{v}");
}

fn git(env: &Env, args: &[&str]) {
    let o = std::process::Command::new("git")
        .current_dir(env.dir.path())
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {o:?}");
}

/// `(file, commit)` of every finding of `sealbox ARGS --format json`.
fn found_in(env: &Env, args: &[&str]) -> (i32, Vec<(String, String)>) {
    let o = env
        .cmd()
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)));
    let got = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["File"].as_str().unwrap().to_owned(),
                f["Commit"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    (code(&o), got)
}

#[test]
fn history_and_staged_scans_read_binary_files_and_archives() {
    let env = Env::new();
    git(&env, &["init", "-q", "-b", "main"]);
    let line = format!("GITHUB_TOKEN={}\n", token());
    env.write("README.md", "nothing here\n");
    git(&env, &["add", "-A"]);
    git(&env, &["commit", "-q", "-m", "start"]);
    let mut bin = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    bin.extend_from_slice(line.as_bytes());
    bin.extend_from_slice(&[0, 1, 2, 3]);
    env.write("bin/tool", &bin);
    let stored = zip_of(
        &[("conf/app.env", line.as_bytes())],
        zip::CompressionMethod::Deflated,
    );
    env.write("dist/bundle.zip", &stored);
    env.write("dist/nested.tar.gz", tar_gz_of(&[("inner.zip", &stored)]));
    // Staged: the pre-commit scan reads the binary files the commit would add.
    git(&env, &["add", "-A"]);
    let (rc, got) = found_in(&env, &["scan", "--staged"]);
    assert_eq!(rc, 1, "{got:?}");
    let files: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
    for want in [
        "bin/tool",
        "dist/bundle.zip!conf/app.env",
        "dist/nested.tar.gz!inner.zip!conf/app.env",
    ] {
        assert!(files.contains(&want), "staged: {want} not in {files:?}");
    }
    git(&env, &["commit", "-q", "-m", "ship the build"]);
    // Deleted since: only history still holds them.
    git(&env, &["rm", "-q", "-r", "bin", "dist"]);
    git(&env, &["commit", "-q", "-m", "remove the build"]);
    let (rc, got) = found_in(&env, &["scan", "--git"]);
    assert_eq!(rc, 1, "{got:?}");
    for want in [
        "bin/tool",
        "dist/bundle.zip!conf/app.env",
        "dist/nested.tar.gz!inner.zip!conf/app.env",
    ] {
        let hit = got.iter().find(|(f, _)| f == want);
        assert!(
            hit.is_some_and(|(_, c)| c.len() == 40),
            "history: {want} with its commit not in {got:?}"
        );
    }
    // The same files through `scan --values`: the value itself, found in history.
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.ci]\nfiles = [\"ci.env\"]\nage = [\"{}\"]\n",
            env.recipient
        ),
    );
    env.set("ci", "GITHUB_TOKEN", &token());
    let o = env
        .cmd_with_key()
        .args(["scan", "--values", "-e", "ci", "--git", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("dist/bundle.zip!conf/app.env") && text.contains("bin/tool"),
        "{text}"
    );
    assert!(!text.contains(&token()), "a value in the report: {text}");
}
