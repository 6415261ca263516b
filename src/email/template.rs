//! Email templates: the built-in ones in `assets/email/`, replaced by files of the same name in
//! the template folder, in the customer's language where a translation exists. `NAME.txt`
//! starts with a `Subject:` line and a blank line; `NAME.html` (optional) is the HTML part,
//! auto-escaped. Every value is sanitized before it is put in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, UndefinedBehavior, context};
use patron_domain::sanitize;

use crate::store::model::Customer;

/// (file name, contents) of every built-in template.
const BUILT_IN: &[(&str, &str)] = &[
    (
        "welcome.txt",
        include_str!("../../assets/email/welcome.txt"),
    ),
    (
        "welcome.html",
        include_str!("../../assets/email/welcome.html"),
    ),
    (
        "welcome.de.txt",
        include_str!("../../assets/email/welcome.de.txt"),
    ),
    (
        "welcome.de.html",
        include_str!("../../assets/email/welcome.de.html"),
    ),
    (
        "password_reset.txt",
        include_str!("../../assets/email/password_reset.txt"),
    ),
    (
        "password_reset.html",
        include_str!("../../assets/email/password_reset.html"),
    ),
    (
        "order_confirmation.txt",
        include_str!("../../assets/email/order_confirmation.txt"),
    ),
    (
        "order_confirmation.html",
        include_str!("../../assets/email/order_confirmation.html"),
    ),
    ("free.txt", include_str!("../../assets/email/free.txt")),
    ("free.html", include_str!("../../assets/email/free.html")),
];

/// The built-in template names, for help and errors.
pub const NAMES: &[&str] = &["welcome", "password_reset", "order_confirmation", "free"];

/// A rendered message: one header line and the two parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    /// The language whose files were used ("en" when there was no translation).
    pub language: String,
}

/// Where templates come from.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    /// Files here win over the built-in ones.
    pub dir: Option<PathBuf>,
    pub shop_name: String,
}

impl Templates {
    pub fn from_config(cfg: &crate::config::EmailConfig) -> Templates {
        let dir = cfg.templates.clone().unwrap_or_else(|| {
            crate::config::config_path()
                .parent()
                .map(|p| p.join("email"))
                .unwrap_or_else(|| PathBuf::from("email"))
        });
        Templates {
            dir: Some(dir),
            shop_name: cfg.shop_name.clone().unwrap_or_else(|| "our shop".into()),
        }
    }

    fn file(&self, file: &str) -> Option<String> {
        if let Some(dir) = &self.dir {
            if let Ok(text) = std::fs::read_to_string(dir.join(file)) {
                return Some(text);
            }
        }
        BUILT_IN
            .iter()
            .find(|(n, _)| *n == file)
            .map(|(_, t)| t.to_string())
    }

    /// The source of `name`'s `ext` part in `lang`, else in English: (language, source).
    fn find(&self, name: &str, lang: &str, ext: &str) -> Option<(String, String)> {
        let lang = lang.trim().to_ascii_lowercase();
        let lang = lang.split(['-', '_']).next().unwrap_or("");
        if !lang.is_empty() && lang != "en" && lang.chars().all(|c| c.is_ascii_alphabetic()) {
            if let Some(t) = self.file(&format!("{name}.{lang}.{ext}")) {
                return Some((lang.to_string(), t));
            }
        }
        self.file(&format!("{name}.{ext}"))
            .map(|t| ("en".to_string(), t))
    }

    /// Renders `name` for `customer` with extra values (`order_number`, `reset_url`, `subject`,
    /// `body`, ...). A value the template uses but nobody gave is an error, not an empty gap.
    pub fn render(
        &self,
        name: &str,
        customer: &Customer,
        vars: &BTreeMap<String, String>,
    ) -> Result<Rendered, String> {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("template {name:?}: letters, digits and _ only"));
        }
        let (language, txt) = self.find(name, &customer.language, "txt").ok_or_else(|| {
            format!(
                "no template {name:?} (built in: {}; or {}.txt in {})",
                NAMES.join(", "),
                name,
                self.dir
                    .as_deref()
                    .map(Path::display)
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "the template folder".into())
            )
        })?;
        let html = match self.file(&format!("{name}.{language}.html")) {
            Some(h) if language != "en" => Some(h),
            _ => self.file(&format!("{name}.html")),
        };
        let (subject_src, text_src) = split_subject(&txt)
            .ok_or_else(|| format!("template {name}.txt must start with a \"Subject:\" line"))?;

        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|n| {
            if n.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        let clean: BTreeMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.clone(), sanitize::multiline(v).into_owned()))
            .collect();
        let ctx = context! {
            shop => sanitize::display(&self.shop_name).into_owned(),
            first_name => sanitize::display(&customer.first_name).into_owned(),
            last_name => sanitize::display(&customer.last_name).into_owned(),
            email => sanitize::display(&customer.email).into_owned(),
            customer_id => customer.id,
            ..minijinja::Value::from(clean)
        };
        let fail = |part: &str, e: minijinja::Error| {
            let hint = if e.kind() == minijinja::ErrorKind::UndefinedError {
                "; a value it uses was not given: pass it with --var KEY=VALUE \
                 (order_confirmation needs order_number, password_reset reset_url)"
            } else {
                ""
            };
            format!("template {name} ({part}): {e}{hint}")
        };
        let subject = env
            .render_named_str(&format!("{name}.subject"), subject_src, ctx.clone())
            .map_err(|e| fail("subject", e))?;
        // One header line whatever went in: line breaks and control characters become visible
        // marks instead of new headers.
        let subject = sanitize::display(subject.trim()).into_owned();
        let text = env
            .render_named_str(&format!("{name}.txt"), text_src, ctx.clone())
            .map_err(|e| fail("text", e))?;
        let html = match html {
            Some(src) => Some(
                env.render_named_str(&format!("{name}.html"), &src, ctx)
                    .map_err(|e| fail("html", e))?,
            ),
            None => None,
        };
        Ok(Rendered {
            subject,
            text: text.trim_end().to_string() + "\n",
            html,
            language,
        })
    }
}

/// ("Subject" template, body) of a `.txt` template.
fn split_subject(txt: &str) -> Option<(&str, &str)> {
    let txt = txt.strip_prefix('\u{feff}').unwrap_or(txt);
    let (first, rest) = txt.split_once('\n').unwrap_or((txt, ""));
    let subject = first.strip_prefix("Subject:")?.trim();
    Some((
        subject,
        rest.strip_prefix("\r\n")
            .or(rest.strip_prefix('\n'))
            .unwrap_or(rest),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(lang: &str, first: &str) -> Customer {
        let mut c = crate::testing::fixtures::customer(7);
        c.language = lang.into();
        c.first_name = first.into();
        c
    }

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_built_in_template_renders_with_both_parts() {
        let t = Templates {
            dir: None,
            shop_name: "Shop".into(),
        };
        let v = vars(&[
            ("order_number", "1001"),
            ("reset_url", "https://shop.example/r/abc"),
            ("subject", "About your order"),
            ("body", "Hello,\n\nit ships today."),
        ]);
        for name in NAMES {
            let r = t.render(name, &customer("en", "Ann"), &v).unwrap();
            assert!(!r.subject.is_empty(), "{name}");
            assert!(r.text.len() > 10 && r.html.is_some(), "{name}");
        }
    }

    #[test]
    fn html_is_escaped_subjects_stay_one_line_and_translations_are_used() {
        let t = Templates {
            dir: None,
            shop_name: "Shop".into(),
        };
        let evil = customer("de-AT", "<b>Eve</b>\r\nBcc: x@evil.example");
        let r = t.render("welcome", &evil, &vars(&[])).unwrap();
        assert_eq!(r.language, "de");
        let html = r.html.unwrap();
        assert!(html.contains("&lt;b&gt;Eve&lt;&#x2f;b&gt;"), "{html}");
        assert!(!html.contains("<b>Eve"), "{html}");
        assert!(!r.subject.contains('\n') && !r.subject.contains('\r'));
        let en = t
            .render("welcome", &customer("fr", "Ann"), &vars(&[]))
            .unwrap();
        assert_eq!(en.language, "en");
        let e = t
            .render("order_confirmation", &customer("en", "Ann"), &vars(&[]))
            .unwrap_err();
        assert!(e.contains("--var KEY=VALUE"), "{e}");
        assert!(t.render("nope", &customer("en", "A"), &vars(&[])).is_err());
        assert!(
            t.render("../etc", &customer("en", "A"), &vars(&[]))
                .is_err()
        );
    }

    #[test]
    fn a_file_in_the_template_folder_wins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("welcome.txt"),
            "Subject: Hi {{ first_name }}\n\nOurs.\n",
        )
        .unwrap();
        let t = Templates {
            dir: Some(dir.path().into()),
            shop_name: "Shop".into(),
        };
        let r = t
            .render("welcome", &customer("en", "Ann"), &vars(&[]))
            .unwrap();
        assert_eq!((r.subject.as_str(), r.text.as_str()), ("Hi Ann", "Ours.\n"));
    }
}
