//! Where patron keeps its files (XDG paths) and the TOML config file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Every setting, as `config.example.toml` documents them. Missing keys take defaults.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://PATH` or `postgres://USER@HOST/DB`; overridden by --database-url and PATRON_DATABASE_URL.
    pub database_url: Option<String>,
    /// Rows fetched per page on list screens.
    pub page_size: Option<i64>,
    /// Key overrides: context -> key -> action (see the console's keymap).
    pub keys: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    pub theme: Theme,
    /// Account review rules (`patron review` and the `A` screen); see config.example.toml.
    /// Configs written before the rename call it `[hygiene]`.
    #[serde(alias = "hygiene")]
    pub review: patron_domain::review::ReviewRules,
    /// `patron serve`: sessions over SSH.
    pub serve: Serve,
    /// The customer-value model (`patron analytics`, the Insights tab and Analytics screen).
    pub analytics: AnalyticsConfig,
    /// The mail server that email to customers goes through (`patron email`).
    pub smtp: SmtpConfig,
    /// What email to customers says: the shop's name and the template folder.
    pub email: EmailConfig,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpConfig {
    /// smtp://HOST[:PORT] (port 587 by default) or smtps://HOST[:PORT] (TLS from the start,
    /// 465); PATRON_SMTP_URL overrides. No credentials in it.
    pub url: Option<String>,
    /// For smtp://: "opportunistic" (default: STARTTLS when the server offers it), "required"
    /// or "never".
    pub starttls: Option<String>,
    /// The sender, e.g. "Shop Support <support@shop.example>" (needed to send).
    pub from: Option<String>,
    pub reply_to: Option<String>,
    /// The SMTP user; PATRON_SMTP_USER overrides.
    pub user: Option<String>,
    /// A file whose first line is the password; PATRON_SMTP_PASSWORD overrides.
    pub password_file: Option<PathBuf>,
    /// Messages per second at most (default: no limit).
    pub rate_per_second: Option<f64>,
    /// Seconds to wait for the server to connect or answer (default 30, at most 120: a claim
    /// lasts 10 minutes, see `store::outbox::lease`).
    pub timeout_seconds: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailConfig {
    /// The shop's name in templates (default "our shop").
    pub shop_name: Option<String>,
    /// Templates that replace the built-in ones, NAME.txt / NAME.html / NAME.LANG.txt
    /// (default $XDG_CONFIG_HOME/patron/email).
    pub templates: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalyticsConfig {
    /// Days ahead that expected purchases and CLV cover (default 365).
    pub horizon_days: Option<u32>,
    /// Monthly discount rate for CLV (default 0.01, about 12.7% a year).
    pub monthly_discount: Option<f64>,
    /// The win-back filter's "inactive for N+ days" (default 90).
    pub winback_days: Option<u32>,
}

impl AnalyticsConfig {
    pub fn horizon_days(&self) -> u32 {
        self.horizon_days.unwrap_or(365).clamp(1, 3650)
    }
    pub fn monthly_discount(&self) -> f64 {
        self.monthly_discount
            .filter(|d| d.is_finite() && *d > -1.0)
            .unwrap_or(0.01)
    }
    pub fn winback_days(&self) -> u32 {
        self.winback_days.unwrap_or(90).max(1)
    }
    /// The values with their defaults, as the CLI and the console use them.
    pub fn value(&self) -> crate::app::analytics::ValueSettings {
        crate::app::analytics::ValueSettings {
            horizon_days: self.horizon_days(),
            monthly_discount: self.monthly_discount(),
            winback_days: self.winback_days(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Serve {
    /// Address to listen on (default 127.0.0.1:2222; --listen overrides).
    pub listen: Option<String>,
    /// Host key file (default $XDG_DATA_HOME/patron/ssh_host_ed25519_key; --host-key overrides).
    pub host_key: Option<PathBuf>,
    /// Minutes without a keystroke before a session is closed (default 30).
    pub idle_minutes: Option<u64>,
    /// Sessions served at once (default 64).
    pub max_sessions: Option<usize>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Theme {
    /// "auto" (default: colors unless NO_COLOR is set), "color" or "mono".
    pub mode: Option<String>,
}

impl Config {
    pub fn load(path: &Path) -> color_eyre::Result<Config> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text)
                .map_err(|e| color_eyre::eyre::eyre!("bad config file {}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(color_eyre::eyre::eyre!(
                "cannot read config file {}: {e}",
                path.display()
            )),
        }
    }
}

/// `$XDG_DATA_HOME/patron` (or `~/.local/share/patron`).
pub fn data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("patron")
}

pub fn config_path() -> PathBuf {
    dirs::config_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("patron")
        .join("config.toml")
}

pub fn log_dir() -> PathBuf {
    dirs::state_dir().unwrap_or_else(data_dir).join("patron")
}

pub fn default_database_url() -> String {
    sqlite_url(&data_dir().join("patron.db"))
}

pub fn demo_database_url(customers: u64) -> String {
    sqlite_url(&data_dir().join(format!("demo-{customers}.db")))
}

/// The demo databases `patron demo` created (`demo-N.db` in the data dir): size and path, the
/// most recently changed first.
pub fn demo_databases() -> Vec<(u64, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(data_dir()) else {
        return Vec::new();
    };
    let mut found: Vec<(std::time::SystemTime, u64, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name();
            let n = name
                .to_str()?
                .strip_prefix("demo-")?
                .strip_suffix(".db")?
                .parse::<u64>()
                .ok()?;
            let meta = e.metadata().ok().filter(|m| m.is_file() && m.len() > 0)?;
            Some((meta.modified().ok()?, n, e.path()))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    found.into_iter().map(|(_, n, p)| (n, p)).collect()
}

pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// The file behind a `sqlite://` URL, so callers can create its directory first.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_come_out_of_urls() {
        assert_eq!(
            sqlite_path("sqlite:///tmp/a.db"),
            Some(PathBuf::from("/tmp/a.db"))
        );
        assert_eq!(
            sqlite_path("sqlite://rel/a.db?mode=rwc"),
            Some(PathBuf::from("rel/a.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x"), None);
    }

    #[test]
    fn config_rejects_unknown_keys_and_reads_known_ones() {
        let c: Config =
            toml::from_str("database_url = \"sqlite:///x.db\"\npage_size = 80\n").unwrap();
        assert_eq!(c.page_size, Some(80));
        assert!(toml::from_str::<Config>("colour = 1").is_err());
    }

    #[test]
    fn the_example_config_parses_and_its_audit_rules_are_the_defaults() {
        let c: Config = toml::from_str(include_str!("../config.example.toml")).unwrap();
        assert_eq!(c.review, patron_domain::review::ReviewRules::default());
        assert_eq!(
            (c.serve.idle_minutes, c.serve.max_sessions, &c.serve.listen),
            (Some(30), Some(64), &None),
            "the example's [serve] values are the defaults"
        );
        let off: Config = toml::from_str(
            "[review]\nunused_after_days = 30\nshared_ip = { on = false, threshold = 9 }\n",
        )
        .unwrap();
        assert_eq!(off.review.unused_after_days, 30);
        assert!(!off.review.shared_ip.on);
    }
}
