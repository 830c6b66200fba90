//! Loads the bearer token and the TLS files named by the settings, so that
//! an unreadable or invalid one exits 64 before the server starts.

use std::path::Path;
use std::sync::Arc;

use gazetteer::grpc::BearerToken;
use tonic::transport::{Certificate, Identity, ServerTlsConfig};

use crate::config::ConfigError;
use crate::serve::ServeArgs;

/// Variable holding the token itself, as an alternative to a file.
const AUTH_TOKEN_VARIABLE: &str = "GAZETTEER_AUTH_TOKEN";

const AUTH_TOKEN_FILE: &str = "--auth-token-file (GAZETTEER_AUTH_TOKEN_FILE, auth_token_file)";
const TLS_CERT: &str = "--tls-cert (GAZETTEER_TLS_CERT, tls_cert)";
const TLS_KEY: &str = "--tls-key (GAZETTEER_TLS_KEY, tls_key)";
const TLS_CLIENT_CA: &str = "--tls-client-ca (GAZETTEER_TLS_CLIENT_CA, tls_client_ca)";

/// What the server checks and encrypts.
#[derive(Default)]
pub struct Security {
    pub auth: Option<Arc<BearerToken>>,
    pub tls: Option<ServerTlsConfig>,
    mutual_tls: bool,
}

impl Security {
    /// `off`, `tls` or `mutual`, for the startup log.
    pub fn describe_tls(&self) -> &'static str {
        match (&self.tls, self.mutual_tls) {
            (None, _) => "off",
            (Some(_), false) => "tls",
            (Some(_), true) => "mutual",
        }
    }
}

fn invalid(setting: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Setting {
        setting,
        message: message.into(),
    }
}

fn read(setting: &'static str, path: &Path) -> Result<Vec<u8>, ConfigError> {
    std::fs::read(path)
        .map_err(|e| invalid(setting, format!("cannot read {}: {e}", path.display())))
}

/// The token and TLS configuration `args` ask for.
pub fn load(args: &ServeArgs) -> Result<Security, ConfigError> {
    let auth = match (&args.auth_token_file, std::env::var(AUTH_TOKEN_VARIABLE)) {
        (Some(_), Ok(_)) => {
            return Err(invalid(
                AUTH_TOKEN_FILE,
                format!("set both it and {AUTH_TOKEN_VARIABLE}; choose one"),
            ))
        }
        (Some(path), Err(_)) => {
            let bytes = read(AUTH_TOKEN_FILE, path)?;
            let text = String::from_utf8(bytes).map_err(|_| {
                invalid(
                    AUTH_TOKEN_FILE,
                    format!("{} is not UTF-8 text", path.display()),
                )
            })?;
            let token = BearerToken::new(&text)
                .map_err(|e| invalid(AUTH_TOKEN_FILE, format!("{}: {e}", path.display())))?;
            Some(Arc::new(token))
        }
        (None, Ok(text)) => Some(Arc::new(
            BearerToken::new(&text).map_err(|e| invalid("GAZETTEER_AUTH_TOKEN", e))?,
        )),
        (None, Err(_)) => None,
    };

    let (cert, key) = match (&args.tls_cert, &args.tls_key) {
        (None, None) => {
            if args.tls_client_ca.is_some() {
                return Err(invalid(
                    TLS_CLIENT_CA,
                    "client certificates need TLS: set --tls-cert and --tls-key too",
                ));
            }
            return Ok(Security {
                auth,
                ..Security::default()
            });
        }
        (Some(_), None) => return Err(invalid(TLS_KEY, "--tls-cert is set without --tls-key")),
        (None, Some(_)) => return Err(invalid(TLS_CERT, "--tls-key is set without --tls-cert")),
        (Some(cert), Some(key)) => (cert, key),
    };
    let mut tls = ServerTlsConfig::new().identity(Identity::from_pem(
        read(TLS_CERT, cert)?,
        read(TLS_KEY, key)?,
    ));
    if let Some(ca) = &args.tls_client_ca {
        tls = tls.client_ca_root(Certificate::from_pem(read(TLS_CLIENT_CA, ca)?));
    }
    // Building the acceptor parses the PEM files: fail now, not at bind.
    tonic::transport::Server::builder()
        .tls_config(tls.clone())
        .map_err(|e| {
            let setting = if args.tls_client_ca.is_some() {
                "--tls-cert, --tls-key, --tls-client-ca"
            } else {
                "--tls-cert, --tls-key"
            };
            invalid(setting, format!("{e}: {}", source_chain(&e)))
        })?;
    Ok(Security {
        auth,
        tls: Some(tls),
        mutual_tls: args.tls_client_ca.is_some(),
    })
}

fn source_chain(error: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut source = error.source();
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    parts.join(": ")
}
