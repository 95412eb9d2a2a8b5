//! Tool and client configs, password hashes and keys (#15): one test per group of formats under
//! `fixtures/client-configs/`, each file written after its format's documentation with fake
//! secrets. Every location is asserted: rule, `path:line:column`, context, class, decode chain
//! and the secret itself (`--show-secrets`).
//!
//! Rules: the built-in client-config, config-store, password-hash, private-key and workstation
//! (CLI login files: gh and hub tokens) files only, so the results do not move when the rest of
//! the pack changes.

use base64::Engine as _;

use crate::util::*;

/// rule, `path:line:column`, context, decoded, secret (`KEYSTORE`: the file, base64; `PEM`: the
/// key in `keys/service.json`; `PPK`: `Private-Lines` to `Private-MAC` of the `.ppk`; `LOG_PEM`:
/// the `\n`-escaped key in the log line, unescaped).
type Want = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
);

const KEYSTORE: &str = "<the file, base64>";
const PEM: &str = "<the PEM in keys/service.json>";
const PPK: &str = "<the private part of the .ppk>";
const LOG_PEM: &str = "<the escaped PEM in the log line>";

/// Scan a copy of `fixtures/client-configs/<group>`: the JSON report.
fn scan_json(group: &str) -> serde_json::Value {
    let env = TestEnv::new();
    copy_dir(
        &repo().join("fixtures/client-configs").join(group),
        &env.path().join(group),
    );
    let r = |p: &str| repo().join(p).to_string_lossy().into_owned();
    let mut cmd = env.cmd();
    cmd.args([
        "scan",
        "--no-builtin-rules",
        "--no-history",
        "--show-secrets",
        "-q",
    ]);
    for file in [
        "client-configs",
        "config-stores",
        "password-hashes",
        "private-keys",
        "workstation",
    ] {
        cmd.args(["--rules", &r(&format!("rules/{file}.toml"))]);
    }
    let out = cmd.args(["-f", "json", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    json(&out)
}

/// The class of every location in these fixtures: `config` (a tool's own file), but for the
/// SQL dump and the log, which are data (`source` by the path rules).
fn want_class(path: &str) -> &'static str {
    match path {
        "hashes/forum-dump.sql" | "keys/worker.log" => "source",
        _ => "config",
    }
}

/// Scan a copy of `fixtures/client-configs/<group>` and return every location, sorted by place
/// (each location's class is checked here).
fn scan_group(group: &str) -> Vec<(String, String, String, Vec<String>, String)> {
    let doc = scan_json(group);
    let mut rows = Vec::new();
    for f in doc["findings"].as_array().unwrap() {
        for l in f["locations"].as_array().unwrap() {
            let path = l["path"].as_str().unwrap();
            assert_eq!(l["class"], want_class(path), "class of {path}");
            let decoded = l["decoded"]
                .as_array()
                .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
                .unwrap_or_default();
            rows.push((
                format!(
                    "{}:{}:{}",
                    l["path"].as_str().unwrap(),
                    l["line"],
                    l["column"]
                ),
                f["rule"]["id"].as_str().unwrap().to_string(),
                l["context"].as_str().unwrap_or("").to_string(),
                decoded,
                f["secret"].as_str().unwrap().to_string(),
            ));
        }
    }
    rows.sort();
    rows.into_iter()
        .map(|(place, rule, ctx, dec, secret)| (rule, place, ctx, dec, secret))
        .collect()
}

/// `want` with the placeholders for whole files resolved.
fn resolve(want: &[Want]) -> Vec<(String, String, String, Vec<String>, String)> {
    let fixture = |p: &str| repo().join("fixtures/client-configs").join(p);
    want.iter()
        .map(|&(rule, place, ctx, dec, secret)| {
            let path = place.split(':').next().unwrap();
            let secret = match secret {
                KEYSTORE => base64::engine::general_purpose::STANDARD
                    .encode(std::fs::read(fixture(path)).unwrap()),
                PEM => {
                    let doc: serde_json::Value =
                        serde_json::from_slice(&std::fs::read(fixture(path)).unwrap()).unwrap();
                    doc["private_key"].as_str().unwrap().trim_end().to_string()
                }
                PPK => {
                    let text = std::fs::read_to_string(fixture(path)).unwrap();
                    let from = text.find("Private-Lines:").unwrap();
                    let mac = text.find("Private-MAC: ").unwrap();
                    let end = mac + text[mac..].find('\n').unwrap();
                    text[from..end].to_string()
                }
                LOG_PEM => {
                    let text = std::fs::read_to_string(fixture(path)).unwrap();
                    let from = text.find("-----BEGIN").unwrap();
                    let end = text.find("-----END EC PRIVATE KEY-----").unwrap() + 28;
                    text[from..end].replace("\\n", "\n")
                }
                s => s.to_string(),
            };
            (
                rule.to_string(),
                place.to_string(),
                ctx.to_string(),
                dec.iter().map(|s| s.to_string()).collect(),
                secret,
            )
        })
        .collect()
}

/// Sort by path, then line and column as numbers.
fn by_place(rows: &mut [(String, String, String, Vec<String>, String)]) {
    rows.sort_by_key(|r| {
        let mut parts = r.1.rsplitn(3, ':');
        let col: u64 = parts.next().unwrap().parse().unwrap();
        let line: u64 = parts.next().unwrap().parse().unwrap();
        (parts.next().unwrap().to_string(), line, col, r.0.clone())
    });
}

fn check(group: &str, want: &[Want]) {
    let mut got = scan_group(group);
    let mut want = resolve(want);
    by_place(&mut got);
    by_place(&mut want);
    assert_eq!(got, want);
}

/// Redis `requirepass`, `masterauth` and ACL `>password`; wpa_supplicant `psk` and EAP `password`
/// per network (the commented `foobared` default is not read).
#[test]
fn redis_and_wpa_supplicant() {
    check(
        "daemons",
        &[
            (
                "redis.config.password",
                "daemons/redis.conf:3:13",
                "requirepass",
                &[],
                "GStG.S=3Op9!s@seyeGI7TUmSsNd6rpb",
            ),
            (
                "redis.config.password",
                "daemons/redis.conf:4:13",
                "masterauth",
                &[],
                "4h.+BBJ9R3v59ANx5@.MP!SM",
            ),
            (
                "redis.config.password",
                "daemons/redis.conf:5:17",
                "user worker",
                &[],
                "Gj+_Eg!8u3y!gYVQ",
            ),
            (
                "wpa-supplicant.secret",
                "daemons/wpa_supplicant.conf:6:7",
                "network ssid HomeNet psk",
                &[],
                "qrYXg9bD4FgfhM@Z",
            ),
            (
                "wpa-supplicant.secret",
                "daemons/wpa_supplicant.conf:15:12",
                "network ssid CorpWiFi password",
                &[],
                "6l12-g5Fh%f_ay",
            ),
        ],
    );
}

/// DBeaver: a pre-configured `auth-properties` password, and `credentials-config.json` decrypted
/// with the published key (both passwords located at the start of the binary file).
#[test]
fn dbeaver_data_sources_and_encrypted_credentials() {
    check(
        "dbeaver",
        &[
            (
                "dbeaver.password",
                "dbeaver/.dbeaver/credentials-config.json:1:1",
                "connection mysql8-2b3c4d5e6f7-8091a2b3c4d5e6f7 section network/ssh_tunnel user tunnel",
                &["dbeaver-aes"],
                "Gt+OO=%DK7sZAm",
            ),
            (
                "dbeaver.password",
                "dbeaver/.dbeaver/credentials-config.json:1:1",
                "connection postgres-jdbc-1a2b3c4d5e6-7f8091a2b3c4d5e6 section #connection user etl",
                &["dbeaver-aes"],
                "9q.sy8fu8qqM+gH4bK",
            ),
            (
                "dbeaver.password",
                "dbeaver/.dbeaver/data-sources.json:18:23",
                "connections.postgres-jdbc-1a2b3c4d5e6-7f8091a2b3c4d5e6.configuration.auth-properties.userPassword (name warehouse@pg-prod host pg-prod.internal user etl)",
                &[],
                "nvppk23aVS%tqC@O",
            ),
        ],
    );
}

/// `web.config` connection strings: `Password=` and an Entity Framework `pwd=` inside `provider
/// connection string=&quot;...&quot;`; integrated security has none.
#[test]
fn dotnet_connection_strings() {
    check(
        "dotnet",
        &[
            (
                "dotnet.connection-string.password",
                "dotnet/Web.config:4:106",
                "connectionStrings Shop",
                &[],
                "FG+4Y4mrzm6o!QLU",
            ),
            (
                "dotnet.connection-string.password",
                "dotnet/Web.config:6:166",
                "connectionStrings Model",
                &[],
                "MleT5wamRt%jlM",
            ),
        ],
    );
}

/// VS Code SFTP (profiles, `"password": true` skipped), Sublime SFTP with comments and trailing
/// commas (the commented template lines are not read), remote-sync (empty passphrase skipped),
/// Remote-FTP `pass`.
#[test]
fn editor_deployment_configs() {
    check(
        "editor",
        &[
            (
                "editor-sftp.password",
                "editor/.ftpconfig:6:14",
                "pass (host ftp.dentist.example user dentist)",
                &[],
                "Se=uYOR!pS6d",
            ),
            (
                "editor-sftp.password",
                "editor/.remote-sync.json:6:16",
                "password (user www)",
                &[],
                "sdML!p1lAeBbIog7",
            ),
            (
                "editor-sftp.password",
                "editor/.vscode/sftp.json:7:18",
                "password (name Production host 203.0.113.40 user deploy)",
                &[],
                "AnPvnwxA+%ozcQw+",
            ),
            (
                "editor-sftp.password",
                "editor/.vscode/sftp.json:13:28",
                "profiles.staging.passphrase (name Production host staging.shop.example user deploy)",
                &[],
                "6isjDzs22AEGvGISHr",
            ),
            (
                "editor-sftp.password",
                "editor/sftp-config.json:13:18",
                "password (host web.bakery.example user bakery)",
                &[],
                "nNiyTZjfcy=qc4",
            ),
        ],
    );
}

/// FileZilla: a base64 `<Pass>` decoded (pointing at the encoded text), a plain one, and neither a
/// key-file site nor a master-password `crypt` entry.
#[test]
fn filezilla_site_manager_and_recent_servers() {
    check(
        "filezilla",
        &[
            (
                "filezilla.password",
                "filezilla/recentservers.xml:9:10",
                "host 10.20.0.7:21 user backup",
                &[],
                "vxAdikaw6oQB",
            ),
            (
                "filezilla.password",
                "filezilla/sitemanager.xml:10:28",
                "site Bakery site host ftp.bakery.example:21 user bakery",
                &["base64"],
                "bQNRqd_Lddw9rh",
            ),
        ],
    );
}

/// Hashes reported by algorithm, each with its own rule: bcrypt, md5-crypt, Argon2 and MySQL native
/// in a dump (not the empty hash or the file digest), apr1 / unsalted SHA-1 / bcrypt in htpasswd
/// with the user as context.
#[test]
fn password_hashes_in_dumps_and_htpasswd() {
    check(
        "hashes",
        &[
            (
                "password-hash.apr1",
                "hashes/.htpasswd:2:5",
                "user ops",
                &[],
                "$apr1$Gq4vHRdZ$2KRqz8Sgn00dS7bbZOZkE/",
            ),
            (
                "password-hash.ldap-unsalted",
                "hashes/.htpasswd:3:8",
                "user legacy",
                &[],
                "{SHA}nD0iROKn8m+1VI8F/mOATMfKUJE=",
            ),
            (
                "password-hash.bcrypt",
                "hashes/.htpasswd:4:5",
                "user web",
                &[],
                "$2y$12$NFV9WILdUn32s6jSpK6/au8qvrrpjM6tX9si9wt/.xKyzdT.CBhjW",
            ),
            (
                "password-hash.bcrypt",
                "hashes/forum-dump.sql:6:54",
                "",
                &[],
                "$2y$12$NFV9WILdUn32s6jSpK6/au8qvrrpjM6tX9si9wt/.xKyzdT.CBhjW",
            ),
            (
                "password-hash.crypt",
                "hashes/forum-dump.sql:7:52",
                "",
                &[],
                "$1$Vhmnbb1v$MVXTsiLmMEJBPQVfEDldz0",
            ),
            (
                "password-hash.argon2",
                "hashes/forum-dump.sql:8:52",
                "",
                &[],
                "$argon2id$v=19$m=65536,t=3,p=4$3zvxu+h1mtMbqqkQuTo3gw$MrM2QBeWri5my800qY6aejmwS8vpokrxKGiZ88cNOJ4",
            ),
            (
                "password-hash.mysql-native",
                "hashes/forum-dump.sql:10:56",
                "",
                &[],
                "*3110C0C6593242FEA86565C7830D159730B9425F",
            ),
        ],
    );
}

/// s3cmd (the secret key joins the AWS field, the GnuPG passphrase has its own), MySQL option
/// groups (quotes stripped), Ventrilo, a NetworkManager keyfile and gradle.properties (by property
/// name; ids and files skipped).
#[test]
fn ini_style_tool_configs() {
    check(
        "ini",
        &[
            (
                "mysql.option-file.password",
                "ini/.my.cnf:3:13",
                "[client] password",
                &[],
                "J6LwzSD@%P4N9W3Z",
            ),
            (
                "mysql.option-file.password",
                "ini/.my.cnf:8:12",
                "[mysqldump] password",
                &[],
                "dump2024",
            ),
            (
                "aws.credentials-file.secret-access-key",
                "ini/.s3cfg:3:14",
                "[default] secret_key",
                &[],
                "BTYpbM1vNru3OpS85b5JIZ+3dJ+pwDK5fy2Xopqg",
            ),
            (
                "s3cmd.gpg-passphrase",
                "ini/.s3cfg:8:18",
                "[default] gpg_passphrase",
                &[],
                "Y=!e@qEIzpsXA+xts=HU",
            ),
            (
                "gradle.properties.credential",
                "ini/gradle.properties:3:18",
                "signing.password",
                &[],
                "56BcrT26iXeuTzGO",
            ),
            (
                "gradle.properties.credential",
                "ini/gradle.properties:6:15",
                "ossrhPassword",
                &[],
                "Bx8bTLm_l3T=t-",
            ),
            (
                "gradle.properties.credential",
                "ini/gradle.properties:8:24",
                "RELEASE_STORE_PASSWORD",
                &[],
                "android",
            ),
            (
                "networkmanager.secret",
                "ini/system-connections/Office.nmconnection:12:5",
                "[wifi-security] psk",
                &[],
                "zKN71rI3YAm1N-",
            ),
            (
                "ventrilo.server.password",
                "ini/ventrilo_srv.ini:4:15",
                "[Server] AdminPassword",
                &[],
                "WmXTu5fhhEx.",
            ),
            (
                "ventrilo.server.password",
                "ini/ventrilo_srv.ini:5:10",
                "[Server] Password",
                &[],
                "owls",
            ),
        ],
    );
}

/// JetBrains `webServers.xml` and `dataSources.local.xml`: PasswordUtil hex decoded, located at the
/// hex text.
#[test]
fn jetbrains_password_util_values_are_decoded() {
    check(
        "jetbrains",
        &[
            (
                "jetbrains.password",
                "jetbrains/.idea/dataSources.local.xml:7:22",
                "data-source orders@db-stage user orders",
                &["jetbrains-passwordutil"],
                "TTaTRu_AiotOa_o",
            ),
            (
                "jetbrains.password",
                "jetbrains/.idea/webServers.xml:6:122",
                "webServer production host ftp.bakery.example login bakery",
                &["jetbrains-passwordutil"],
                "6!fU0N6NwVdQS",
            ),
        ],
    );
}

/// Keys: PKCS#8 DER base64 after a key name (not the SPKI public key beside it), a private JWK
/// (not the public JWKS), a PEM inside JSON and one escaped in a log line, an unencrypted PuTTY
/// key (not the encrypted one), key stores with a key (PKCS#12 with encrypted or clear
/// certificates, JKS, JCEKS with a secret key; not trust stores), and
/// neither decoy PEM.
#[test]
fn keys_key_stores_and_decoys() {
    check(
        "keys",
        &[
            (
                "private-key.der-base64",
                "keys/apple.env:3:19",
                "APPLE_PRIVATE_KEY",
                &[],
                "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgqr9+K8HG8PXeKT9+Wk+ngnK8II++99grM7OpczasxOihRANCAAT/KG+1LzMJB4lbvvXD8Lrm36Y8zA2H6+5TPdSEKXMZoUGY5wxZ+yVD8RVJNIXnEzd6dX7T/XVfCzPKkCeYuxg1",
            ),
            (
                "private-key.jwk",
                "keys/jwks/signing.json:11:13",
                "",
                &[],
                "5vUeFOK2VdUQEVTNc9Sycr2IcqNCB5XDjCCVyhB6ja0",
            ),
            (
                "keystore.jks",
                "keys/server.jks:1:1",
                "Java key store, key entries: server",
                &[],
                KEYSTORE,
            ),
            (
                "private-key.pkcs12-base64",
                "keys/client-legacy.pfx:1:1",
                "PKCS#12 key store with a private key",
                &[],
                KEYSTORE,
            ),
            (
                "keystore.jks",
                "keys/secrets.jceks:1:1",
                "Java key store, key entries: db-master",
                &[],
                KEYSTORE,
            ),
            (
                "private-key.pkcs12-base64",
                "keys/server.p12:1:1",
                "PKCS#12 key store with a private key",
                &[],
                KEYSTORE,
            ),
            ("private-key.rsa", "keys/service.json:1:84", "", &[], PEM),
            ("private-key.putty", "keys/deploy.ppk:7:1", "", &[], PPK),
            ("private-key.ec", "keys/worker.log:2:52", "", &[], LOG_PEM),
        ],
    );
}

/// The identity of key stores (type, key entry names, certificate subject where it is in clear:
/// values `keytool -list -v` and `openssl x509 -subject -nameopt RFC2253` printed for the
/// fixtures) and of keys caught inside strings (the key's own type and public fingerprint).
#[test]
fn key_stores_and_escaped_keys_have_an_identity() {
    let doc = scan_json("keys");
    let identity = |path: &str| {
        let f = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["locations"][0]["path"] == format!("keys/{path}"))
            .unwrap_or_else(|| panic!("no finding in {path}"));
        f["identity"].clone()
    };
    assert_eq!(
        identity("server.jks"),
        serde_json::json!({"key_store": "JKS", "key_aliases": "server",
            "certificate_subject": "CN=api.example"})
    );
    assert_eq!(
        identity("secrets.jceks"),
        serde_json::json!({"key_store": "JCEKS", "key_aliases": "db-master"})
    );
    assert_eq!(
        identity("client-legacy.pfx"),
        serde_json::json!({"key_store": "PKCS#12", "key_aliases": "client-signing",
            "certificate_subject": "CN=client.example, OU=Payments, O=Example Widgets\\, B.V., C=NL"})
    );
    // OpenSSL's default PKCS#12: certificates encrypted, the key bag without a name.
    assert_eq!(
        identity("server.p12"),
        serde_json::json!({"key_store": "PKCS#12"})
    );
    // What `ssh-keygen -lf` prints for the keys, unescaped into files.
    for (path, kind, bits, fp) in [
        (
            "service.json",
            "RSA",
            "2048",
            "SHA256:GrZQRA1OCSCEhu+GSliB7qqLPeEzeP01Wgfg7n3iiDs",
        ),
        (
            "worker.log",
            "ECDSA",
            "256",
            "SHA256:lcxsiDqeeKmSxnaNBgRzg424t8x54fzGWaBN/2D6+tQ",
        ),
    ] {
        let id = identity(path);
        assert_eq!(id["key_type"], kind, "{path}");
        assert_eq!(id["key_bits"], bits, "{path}");
        assert_eq!(id["public_key_fingerprint"], fp, "{path}");
    }
}

/// Mail clients: esmtp identities (`password = x` and `certificate_passphrase`), msmtp accounts
/// (not `passwordeval`), mutt `set *_pass` (not a commented one), fetchmail over free-form lines.
#[test]
fn mail_client_configs() {
    check(
        "mail",
        &[
            (
                "mail-client.password",
                "mail/.esmtprc:5:12",
                "identity jane@mail.example.org password",
                &[],
                "2I=WBbcMoxy!ICaZ",
            ),
            (
                "mail-client.password",
                "mail/.esmtprc:12:13",
                "identity alerts@monitoring.example password",
                &[],
                "alerts7",
            ),
            (
                "mail-client.password",
                "mail/.esmtprc:13:26",
                "identity alerts@monitoring.example certificate_passphrase",
                &[],
                "G29BoUhu6ld1",
            ),
            (
                "mail-client.password",
                "mail/.fetchmailrc:3:36",
                "poll imap.mail.example user jane",
                &[],
                "uFwRQelS+!mXpN",
            ),
            (
                "mail-client.password",
                "mail/.fetchmailrc:5:57",
                "poll pop.isp.example user jdoe",
                &[],
                "isp2019",
            ),
            (
                "mail-client.password",
                "mail/.msmtprc:11:16",
                "account work password",
                &[],
                "7+xU6I0CWvSE552S",
            ),
            (
                "mail-client.password",
                "mail/.muttrc:3:18",
                "set smtp_pass",
                &[],
                "aMmh!+3IhA2G.!",
            ),
            (
                "mail-client.password",
                "mail/.muttrc:5:18",
                "set imap_pass",
                &[],
                "Y.cx+crIanm1EXol",
            ),
        ],
    );
}

/// Maven `settings.xml`: server password and key passphrase; `{...}` encrypted and `${env.X}`
/// values are not credentials in the file.
#[test]
fn maven_settings_servers() {
    check(
        "maven",
        &[
            (
                "maven.settings.password",
                "maven/settings.xml:6:17",
                "server releases",
                &[],
                "7rdyp@%+_DoUIKQiyp",
            ),
            (
                "maven.settings.password",
                "maven/settings.xml:11:19",
                "server site",
                &[],
                "rdqOON512BjvZBIjohW-",
            ),
        ],
    );
}

/// NuGet: `ClearTextPassword` under the source (spaces decoded from `_x0020_`), not
/// `%NUGET_PASSWORD%`.
#[test]
fn nuget_clear_text_password() {
    check(
        "nuget",
        &[(
            "nuget.config.password",
            "nuget/NuGet.Config:9:43",
            "packageSourceCredentials Contoso Feed",
            &[],
            "xo5kp@Q1K7ogx80GkJDpm-",
        )],
    );
}

/// Robo 3T: the credential and the SSH tunnel `userPassword`; empty passphrases skipped.
#[test]
fn robo3t_connections() {
    check(
        "robomongo",
        &[
            (
                "robomongo.password",
                "robomongo/.3T/robo-3t/1.4.4/robo3t.json:13:38",
                "connections.0.credentials.0.userPassword (name catalog prod host mongo1.internal user dba)",
                &[],
                "PL.8tUG+F2cNFgn.",
            ),
            (
                "robomongo.password",
                "robomongo/.3T/robo-3t/1.4.4/robo3t.json:26:34",
                "connections.0.ssh.userPassword (name catalog prod host bastion.example user tunnel)",
                &[],
                "Zs!2IK87btJmjx",
            ),
        ],
    );
}

/// shadow (hash without the `!` lock, DES crypt by field rule, `*`/`!` skipped), PgBouncer userlist
/// (md5 and SCRAM by their hash rules, the plaintext by the userlist rule, the empty one skipped),
/// Postfix sasl_passwd, fstab CIFS options (not `credentials=`), OpenVPN auth file and inline
/// block, `.pgpass` (a wildcard entry with an escaped `\:`; the commented sample skipped).
#[test]
fn system_credential_files() {
    check(
        "system",
        &[
            (
                "postgres.pgpass",
                "system/.pgpass:3:44",
                "db.internal.example:5432:orders:orders_app",
                &[],
                "NjNN2uj5oPOnkosj",
            ),
            (
                "postgres.pgpass",
                "system/.pgpass:4:18",
                "*:*:*:replicator",
                &[],
                "5iAtJpgU9JBc:r2",
            ),
            (
                "openvpn.auth-user-pass",
                "system/client.ovpn:7:1",
                "auth-user-pass user jane",
                &[],
                "yWHTgkR_qwj!Mc",
            ),
            (
                "cifs.fstab.password",
                "system/etc/fstab:3:70",
                "mount //nas.corp.internal/media",
                &[],
                "5247KFQ%hrqbF8",
            ),
            (
                "openvpn.auth-user-pass",
                "system/etc/openvpn/client/auth.txt:2:1",
                "auth-user-pass user vpnuser17",
                &[],
                "Ue1tKb-A@D!f%a2z",
            ),
            (
                "password-hash.postgres-md5",
                "system/etc/pgbouncer/userlist.txt:1:8",
                "user app",
                &[],
                "md57edbc034c9bb027bc19de6a6b2325fae",
            ),
            (
                "pgbouncer.userlist.password",
                "system/etc/pgbouncer/userlist.txt:2:14",
                "user reporting",
                &[],
                "Q@Bsg0qASMNR2V@x",
            ),
            (
                "password-hash.scram-sha-256",
                "system/etc/pgbouncer/userlist.txt:3:10",
                "user admin",
                &[],
                "SCRAM-SHA-256$4096:7FE9lVGVV3aaWRkAwisbeA==$cuSK2brDdPCooMBn2M3SmeMbncjR8ggXmmhX56AA1co=:nsPQxCZF9SHZa63MSZq6Q3xi7NDdyQWOifr8YqygNpo=",
            ),
            (
                "postfix.sasl-password",
                "system/etc/postfix/sasl_passwd:1:45",
                "[smtp.relay.example]:587 user relay@corp.example",
                &[],
                "XaeoSvSPlrWS=201",
            ),
            (
                "postfix.sasl-password",
                "system/etc/postfix/sasl_passwd:2:36",
                "[smtp.sendgrid.example]:587 user apikey",
                &[],
                "YA36p240SV.JX.M!gXz!bkkM-2p+c4LqGx8MtyEW",
            ),
            (
                "password-hash.crypt",
                "system/etc/shadow:1:6",
                "user root",
                &[],
                "$6$RawFWK1bebDQ5g1E$bQugzCT02fjHjrIgRWUdkZeSWbYTallwuFZ5VydWyNJBds4qY2Xbk0advFd2M2ilzFnoqsq03NGcdbhEw4Wn9.",
            ),
            (
                "password-hash.yescrypt",
                "system/etc/shadow:4:8",
                "user ubuntu",
                &[],
                "$y$j9T$C9AWKXjUTCgP5TmI$ee8jmLr32kn4Y8Uaw47zPIE6Kb.mXBjsuJXewW27W09",
            ),
            (
                "password-hash.des-crypt",
                "system/etc/shadow:5:8",
                "user legacy",
                &[],
                "ab.p368utj5n2",
            ),
            (
                "password-hash.crypt",
                "system/etc/shadow:6:9",
                "user backup",
                &[],
                "$6$RawFWK1bebDQ5g1E$bQugzCT02fjHjrIgRWUdkZeSWbYTallwuFZ5VydWyNJBds4qY2Xbk0advFd2M2ilzFnoqsq03NGcdbhEw4Wn9.",
            ),
        ],
    );
}

/// Tomcat: users (the commented `<must-be-changed>` sample is not read) and a keystore password
/// attribute.
#[test]
fn tomcat_users_and_server_xml() {
    check(
        "tomcat",
        &[
            (
                "tomcat.password",
                "tomcat/conf/server.xml:6:96",
                "certificateKeystorePassword",
                &[],
                "N5tF05TrOu7-tu",
            ),
            (
                "tomcat.password",
                "tomcat/conf/tomcat-users.xml:4:36",
                "user admin password",
                &[],
                "admin",
            ),
            (
                "tomcat.password",
                "tomcat/conf/tomcat-users.xml:5:39",
                "user deployer password",
                &[],
                "t7@gqVYDtosb9@D7",
            ),
        ],
    );
}

/// gh `hosts.yml` (per user and per host) and hub (read by the workstation decoder), tugboat,
/// database.yml `password:` (weak `shop` included, ERB skipped) and mongoid.yml client options
/// (a commented sample and ERB skipped).
#[test]
fn yaml_client_configs() {
    check(
        "yaml",
        &[
            (
                "workstation.cli-token",
                "yaml/.config/gh/hosts.yml:4:26",
                "\"github.com\".users.octo-dev.oauth_token",
                &[],
                "91537189740a71e645166505be767ec334af13bb",
            ),
            (
                "workstation.cli-token",
                "yaml/.config/gh/hosts.yml:10:18",
                "\"ghe.corp.example\".oauth_token",
                &[],
                "99fada3405da2b27f82935072921f9822868f23b",
            ),
            (
                "workstation.cli-token",
                "yaml/.config/hub:3:16",
                "\"github.com\"[0].oauth_token",
                &[],
                "f2d87ac74ed011527c7638b26303f3ffe66b640c",
            ),
            (
                "tugboat.access-token",
                "yaml/.tugboat:3:17",
                "authentication.access_token",
                &[],
                "f5b16a01df0854aa1ce6107698947472ad15c73b217c11835c890a5af3493888",
            ),
            (
                "rails.database-yml.password",
                "yaml/config/database.yml:9:13",
                "development.password",
                &[],
                "shop",
            ),
            (
                "rails.database-yml.password",
                "yaml/config/database.yml:18:14",
                "staging.password",
                &[],
                "xEn8P%5lqglj_OHySF",
            ),
            (
                "rails.database-yml.password",
                "yaml/config/mongoid.yml:10:20",
                "development.clients.default.options.password",
                &[],
                "8vqLGAMPDrCutnRTOu-2",
            ),
        ],
    );
}
