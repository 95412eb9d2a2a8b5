//! The built-in rule files, embedded at build time.
//!
//! An explicit list rather than a directory walk at build time, so adding a file to `rules/`
//! without listing it here fails `tests/rules.rs` instead of silently shipping a stale binary.

/// `(file name, contents)` of every built-in rule file.
pub const FILES: &[(&str, &str)] = &[
    ("anthropic.toml", include_str!("../../rules/anthropic.toml")),
    ("atlassian.toml", include_str!("../../rules/atlassian.toml")),
    ("aws.toml", include_str!("../../rules/aws.toml")),
    ("azure.toml", include_str!("../../rules/azure.toml")),
    (
        "config-stores.toml",
        include_str!("../../rules/config-stores.toml"),
    ),
    ("database.toml", include_str!("../../rules/database.toml")),
    (
        "databricks.toml",
        include_str!("../../rules/databricks.toml"),
    ),
    ("datadog.toml", include_str!("../../rules/datadog.toml")),
    (
        "digitalocean.toml",
        include_str!("../../rules/digitalocean.toml"),
    ),
    ("discord.toml", include_str!("../../rules/discord.toml")),
    ("doppler.toml", include_str!("../../rules/doppler.toml")),
    ("generic.toml", include_str!("../../rules/generic.toml")),
    (
        "generic-assignment.toml",
        include_str!("../../rules/generic-assignment.toml"),
    ),
    ("github.toml", include_str!("../../rules/github.toml")),
    ("gitlab.toml", include_str!("../../rules/gitlab.toml")),
    ("google.toml", include_str!("../../rules/google.toml")),
    ("heroku.toml", include_str!("../../rules/heroku.toml")),
    (
        "huggingface.toml",
        include_str!("../../rules/huggingface.toml"),
    ),
    ("jwt.toml", include_str!("../../rules/jwt.toml")),
    ("linear.toml", include_str!("../../rules/linear.toml")),
    ("mailchimp.toml", include_str!("../../rules/mailchimp.toml")),
    ("mailgun.toml", include_str!("../../rules/mailgun.toml")),
    ("notion.toml", include_str!("../../rules/notion.toml")),
    ("npm.toml", include_str!("../../rules/npm.toml")),
    ("openai.toml", include_str!("../../rules/openai.toml")),
    ("postman.toml", include_str!("../../rules/postman.toml")),
    (
        "private-keys.toml",
        include_str!("../../rules/private-keys.toml"),
    ),
    ("pypi.toml", include_str!("../../rules/pypi.toml")),
    ("sendgrid.toml", include_str!("../../rules/sendgrid.toml")),
    ("sentry.toml", include_str!("../../rules/sentry.toml")),
    ("shopify.toml", include_str!("../../rules/shopify.toml")),
    ("slack.toml", include_str!("../../rules/slack.toml")),
    ("square.toml", include_str!("../../rules/square.toml")),
    ("stripe.toml", include_str!("../../rules/stripe.toml")),
    ("telegram.toml", include_str!("../../rules/telegram.toml")),
    ("twilio.toml", include_str!("../../rules/twilio.toml")),
];
