//! JSON credential files that CLI tools keep in a home: the AWS IAM Identity Center (SSO) token
//! cache and the AWS CLI's cached role credentials, the Azure CLI's token caches and service
//! principal entries, gcloud's application-default and legacy credentials, and Terraform's
//! `credentials.tfrc.json`.
//!
//! Every string value is a context span named by its key path (`Credentials.SecretAccessKey`).
//! The values that are credentials by the format's definition become fields (see
//! `rules/workstation.toml`): `aws.sso-token`, `aws.sts-secret-access-key`, `aws.session-token`,
//! `oauth.access-token`, `oauth.refresh-token`, `oauth.client-secret`, `cli.token`. When the
//! object holding a field also says when it expires (`expiresAt`, `Expiration`, `expires_on`,
//! `expiresOn`, `expiry`), the context says so too (`accessToken, expires 2025-01-01T00:00:00Z`),
//! so a reader sees at once whether a cached token is still good.

use super::json::{self, Json};
use super::{Anchor, Decoded, Derived, clip_label};

/// Which file this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `~/.aws/sso/cache/*.json`.
    AwsSsoCache,
    /// `~/.aws/cli/cache/*.json`.
    AwsCliCache,
    /// `~/.azure/msal_token_cache.json`, `accessTokens.json`, `service_principal_entries.json`.
    Azure,
    /// gcloud `application_default_credentials.json`, legacy `adc.json`, key files.
    Gcloud,
    /// `~/.terraform.d/credentials.tfrc.json`.
    Terraform,
}

/// The field a value at `path` (keys from the root, array indices left out) is, for `kind`.
fn field(kind: Kind, path: &[&str]) -> Option<&'static str> {
    let last = *path.last()?;
    let first = path.first().copied().unwrap_or("");
    Some(match (kind, last) {
        (Kind::AwsSsoCache, "accessToken" | "refreshToken" | "clientSecret") => "aws.sso-token",
        (Kind::AwsCliCache, "SecretAccessKey") => "aws.sts-secret-access-key",
        (Kind::AwsCliCache, "SessionToken") => "aws.session-token",
        (Kind::Azure, "secret") if first == "AccessToken" => "oauth.access-token",
        (Kind::Azure, "secret") if first == "RefreshToken" => "oauth.refresh-token",
        (Kind::Azure, "accessToken") => "oauth.access-token",
        (Kind::Azure, "refreshToken") => "oauth.refresh-token",
        (Kind::Azure, "_clientSecret" | "client_secret") => "oauth.client-secret",
        (Kind::Gcloud, "refresh_token") => "oauth.refresh-token",
        (Kind::Gcloud, "access_token" | "token") => "oauth.access-token",
        (Kind::Terraform, "token") if first == "credentials" => "cli.token",
        _ => return None,
    })
}

/// Keys that say when a sibling credential expires.
const EXPIRY: &[&str] = &[
    "expiresAt",
    "Expiration",
    "expires_on",
    "expiresOn",
    "expiry",
];

/// Decode a JSON credential file of `kind`.
pub fn decode(data: &[u8], kind: Kind) -> Decoded {
    let mut out = Decoded::default();
    if let Some(root) = json::parse(data) {
        let mut path = Vec::new();
        walk(&root, data, kind, &mut path, &mut out);
    }
    out
}

fn walk<'a>(v: &'a Json, data: &[u8], kind: Kind, path: &mut Vec<&'a str>, out: &mut Decoded) {
    match v {
        Json::Object(members) => {
            let expires = members
                .iter()
                .find(|(k, _)| EXPIRY.contains(&k.text.as_str()))
                .and_then(|(_, v)| expiry(v));
            for (key, value) in members {
                path.push(&key.text);
                if let Json::Str(s) = value {
                    let mut label = clip_label(path.join("."));
                    if let Some(f) = field(kind, path) {
                        // The same label on the span and the field, so a text rule's hit and
                        // the field rule's are one location.
                        if let Some(at) = &expires {
                            label = format!("{label}, expires {at}");
                        }
                        let m = s.mapped(data);
                        let d = Derived::new(m.text, Anchor::Map(m.map));
                        out.derived.push(d.field(f).context(label.clone()));
                    }
                    out.spans.push((s.inner(), label));
                } else {
                    walk(value, data, kind, path, out);
                }
                path.pop();
            }
        }
        Json::Array(items) => {
            for item in items {
                walk(item, data, kind, path, out);
            }
        }
        _ => {}
    }
}

/// An expiry as written (an RFC 3339 string), or Unix seconds (a number or a numeric string,
/// as MSAL writes them) as RFC 3339 UTC.
fn expiry(v: &Json) -> Option<String> {
    let secs = match v {
        Json::Num(n) => *n as i64,
        Json::Str(s) => match s.text.parse::<i64>() {
            Ok(n) => n,
            Err(_) => return Some(clip_label(s.text.clone())),
        },
        _ => return None,
    };
    Some(rfc3339(secs))
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, days from civil).
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(d: Decoded) -> Vec<(&'static str, String, String)> {
        d.derived
            .into_iter()
            .map(|x| {
                (
                    x.field.unwrap_or(""),
                    String::from_utf8_lossy(&x.data).into_owned(),
                    x.context.unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn aws_caches() {
        let sso = br#"{"startUrl": "https://x.awsapps.com/start", "accessToken": "aoa1", "expiresAt": "2030-01-01T00:00:00Z", "refreshToken": "aor2", "clientSecret": "cs3"}"#;
        let got = fields(decode(sso, Kind::AwsSsoCache));
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[0],
            (
                "aws.sso-token",
                "aoa1".into(),
                "accessToken, expires 2030-01-01T00:00:00Z".into()
            )
        );
        let cli = br#"{"Credentials": {"AccessKeyId": "ASIA", "SecretAccessKey": "s/k", "SessionToken": "t", "Expiration": "2030-01-01T01:00:00+00:00"}}"#;
        let got = fields(decode(cli, Kind::AwsCliCache));
        assert_eq!(got[0].0, "aws.sts-secret-access-key");
        assert_eq!(
            got[0].2,
            "Credentials.SecretAccessKey, expires 2030-01-01T01:00:00+00:00"
        );
        assert_eq!(got[1].0, "aws.session-token");
    }

    #[test]
    fn azure_msal_and_legacy() {
        let msal = br#"{"AccessToken": {"k1": {"secret": "at", "expires_on": "1893456000"}}, "RefreshToken": {"k2": {"secret": "rt"}}, "IdToken": {"k3": {"secret": "id"}}}"#;
        let got = fields(decode(msal, Kind::Azure));
        assert_eq!(
            got,
            vec![
                (
                    "oauth.access-token",
                    "at".into(),
                    "AccessToken.k1.secret, expires 2030-01-01T00:00:00Z".into()
                ),
                (
                    "oauth.refresh-token",
                    "rt".into(),
                    "RefreshToken.k2.secret".into()
                ),
            ]
        );
        let sp = br#"[{"client_id": "c", "client_secret": "cs", "tenant": "t"}]"#;
        assert_eq!(fields(decode(sp, Kind::Azure))[0].0, "oauth.client-secret");
    }

    #[test]
    fn gcloud_and_terraform() {
        let adc = br#"{"client_id": "x.apps.googleusercontent.com", "client_secret": "public", "refresh_token": "1//0g", "type": "authorized_user"}"#;
        let got = fields(decode(adc, Kind::Gcloud));
        assert_eq!(
            got,
            vec![(
                "oauth.refresh-token",
                "1//0g".into(),
                "refresh_token".into()
            )]
        );
        let tf = br#"{"credentials": {"app.terraform.io": {"token": "abc.atlasv1.def"}}}"#;
        let got = fields(decode(tf, Kind::Terraform));
        assert_eq!(got[0].0, "cli.token");
        assert_eq!(got[0].2, "credentials.app.terraform.io.token");
        assert!(decode(b"{broken", Kind::Terraform).derived.is_empty());
    }

    #[test]
    fn unix_seconds() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }
}
