//! The optional TOML configuration file of `gazetteer serve`, merged under
//! flags and environment variables: flag > variable > file > default.

use std::fmt::Display;
use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use clap::parser::ValueSource;
use clap::ArgMatches;
use serde::Deserialize;

use crate::serve::{LogFormat, ServeArgs, MAX_CONCURRENT_REQUESTS, MAX_TEXT_BYTES};

/// The file's keys: one per `serve` flag, named like the flag with `_`.
/// Unknown keys are errors, so a misspelt setting is never ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    listen: Option<SocketAddr>,
    index: Option<PathBuf>,
    max_text_bytes: Option<u64>,
    max_concurrent_requests: Option<u64>,
    log_format: Option<LogFormat>,
    admin: Option<bool>,
    metrics_listen: Option<SocketAddr>,
    auth_token_file: Option<PathBuf>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    tls_client_ca: Option<PathBuf>,
}

/// Why the configuration is unusable; the binary exits with code 64.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not valid TOML, has an unknown key, or a value of the
    /// wrong type or out of range.
    #[error("invalid configuration file {path}: {message}")]
    Invalid { path: PathBuf, message: String },
    /// A setting's value is unusable, wherever it came from.
    #[error("invalid setting {setting}: {message}")]
    Setting {
        setting: &'static str,
        message: String,
    },
}

/// `args` (from flags, variables and defaults) with the `--config` file's
/// values filled in wherever `matches` says the value is only a default.
pub fn resolve(mut args: ServeArgs, matches: &ArgMatches) -> Result<ServeArgs, ConfigError> {
    let Some(path) = args.config.clone() else {
        return Ok(args);
    };
    let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
        path: path.clone(),
        source,
    })?;
    let invalid = |message: String| ConfigError::Invalid {
        path: path.clone(),
        message,
    };
    let file: FileSettings = toml::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    let FileSettings {
        listen,
        index,
        max_text_bytes,
        max_concurrent_requests,
        log_format,
        admin,
        metrics_listen,
        auth_token_file,
        tls_cert,
        tls_key,
        tls_client_ca,
    } = file;
    // Checked even where a flag overrides them: the file is wrong either way.
    check_range("max_text_bytes", max_text_bytes, MAX_TEXT_BYTES).map_err(invalid)?;
    check_range(
        "max_concurrent_requests",
        max_concurrent_requests,
        MAX_CONCURRENT_REQUESTS,
    )
    .map_err(invalid)?;

    let unset = |id: &str| {
        matches!(
            matches.value_source(id),
            None | Some(ValueSource::DefaultValue)
        )
    };
    let base = path.parent().unwrap_or(Path::new(""));
    if let Some(listen) = listen.filter(|_| unset("listen")) {
        args.listen = listen;
    }
    if let Some(dir) = index.filter(|_| unset("index")) {
        args.index.index = Some(base.join(dir));
    }
    if let Some(n) = max_text_bytes.filter(|_| unset("max_text_bytes")) {
        args.max_text_bytes = n;
    }
    if let Some(n) = max_concurrent_requests.filter(|_| unset("max_concurrent_requests")) {
        args.max_concurrent_requests = Some(n);
    }
    if let Some(format) = log_format.filter(|_| unset("log_format")) {
        args.log_format = format;
    }
    if let Some(admin) = admin.filter(|_| unset("admin")) {
        args.admin = admin;
    }
    if let Some(address) = metrics_listen.filter(|_| unset("metrics_listen")) {
        args.metrics_listen = Some(address);
    }
    for (id, value, slot) in [
        (
            "auth_token_file",
            auth_token_file,
            &mut args.auth_token_file,
        ),
        ("tls_cert", tls_cert, &mut args.tls_cert),
        ("tls_key", tls_key, &mut args.tls_key),
        ("tls_client_ca", tls_client_ca, &mut args.tls_client_ca),
    ] {
        if let Some(file) = value.filter(|_| unset(id)) {
            *slot = Some(base.join(file));
        }
    }
    Ok(args)
}

fn check_range<T: PartialOrd + Display>(
    key: &str,
    value: Option<T>,
    range: RangeInclusive<T>,
) -> Result<(), String> {
    match value {
        Some(v) if !range.contains(&v) => Err(format!(
            "{key} = {v} is out of range; it must be from {} to {}",
            range.start(),
            range.end()
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_names_the_key_and_the_range() {
        let error = check_range("max_text_bytes", Some(0), 1..=10).unwrap_err();
        assert_eq!(
            error,
            "max_text_bytes = 0 is out of range; it must be from 1 to 10"
        );
        assert!(check_range("max_text_bytes", Some(10), 1..=10).is_ok());
        assert!(check_range::<u64>("max_text_bytes", None, 1..=10).is_ok());
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_refused() {
        let unknown = toml::from_str::<FileSettings>("max_text_byte = 5").unwrap_err();
        assert!(unknown.to_string().contains("max_text_byte"), "{unknown}");
        let wrong = toml::from_str::<FileSettings>("admin = \"yes\"").unwrap_err();
        assert!(wrong.to_string().contains("admin"), "{wrong}");
    }
}
