//! Words the core says to a person, as data: a message id, its English text
//! and its arguments ([`Msg`], made with [`msg!`](crate::msg!)). Front ends
//! render them in the user's language ([`Lang`]): the wizard from its
//! language switch, the commands from `--lang` or `LANG`. The Brazilian
//! Portuguese texts are in `pt_br.rs`, keyed by id; a test fails when an id
//! has none, and [`untranslated`] lists the ids a run fell back on, so a
//! walk through the wizard in Portuguese can fail on any English left.
//!
//! The Portuguese keeps the words of Cisco's tech note in its Portuguese
//! edition where it has them ("Carregador de aplicativo universal", "carga").

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Mutex;

use serde::{Deserialize, Serialize, Serializer};

mod pt_br;

/// The languages the tool speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    PtBr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::PtBr];

    /// `pt`, `pt-BR`, `pt_BR.UTF-8`… are Portuguese; anything else English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.trim().to_ascii_lowercase().starts_with("pt") {
            Lang::PtBr
        } else {
            Lang::En
        }
    }

    /// The language of the environment as POSIX reads it: the first of
    /// `LC_ALL`, `LC_MESSAGES`, `LANG` that is set and not empty.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
            .map(|v| Lang::from_locale(&v))
            .unwrap_or_default()
    }

    /// The tag the commands take (`--lang en`, `--lang pt-BR`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::PtBr => "pt-BR",
        }
    }

    /// The language's own name, for a language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::PtBr => "Português (Brasil)",
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "en" | "en-us" | "en-gb" | "english" => Ok(Lang::En),
            "pt" | "pt-br" | "portuguese" | "português" => Ok(Lang::PtBr),
            other => Err(format!(
                "unknown language '{other}': use en (English) or pt-BR (português do Brasil)"
            )),
        }
    }
}

/// One thing to say: an id, the English text with `{name}` placeholders,
/// and the values that fill them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Msg {
    /// Stable and unique, e.g. `plan.note.os79xx`: the key of the
    /// Portuguese table.
    pub id: &'static str,
    /// The English text, `{name}` where an argument goes.
    pub en: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// What fills a placeholder: a value shown as it is (a load name, a file),
/// or words of their own, rendered in the same language.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Arg {
    Text(String),
    Msg(Msg),
}

/// `msg!(id, english, name = value, words => other_msg)` with literal id and
/// English text (`{name}` placeholders):
/// a [`Msg`]. `=` takes anything `Display` (shown as it is), `=>` a [`Msg`]
/// (translated too).
#[macro_export]
macro_rules! msg {
    ($id:literal, $en:literal $(, $name:ident $op:tt $value:expr)* $(,)?) => {
        $crate::msg::Msg {
            id: $id,
            en: $en,
            args: vec![$((stringify!($name), $crate::__msg_arg!($op $value))),*],
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __msg_arg {
    (= $value:expr) => {
        $crate::msg::Arg::Text(($value).to_string())
    };
    (=> $value:expr) => {
        $crate::msg::Arg::Msg($value)
    };
}

impl Msg {
    /// Text the core does not word itself (a path, an error from the
    /// operating system): the same in every language.
    pub fn verbatim(text: impl Into<String>) -> Msg {
        crate::msg!("verbatim", "{text}", text = text.into())
    }

    /// Several things said in a row, separated by commas.
    pub fn list(items: impl IntoIterator<Item = Msg>) -> Msg {
        let mut items = items.into_iter();
        let first = items.next().unwrap_or_default();
        items.fold(
            first,
            |list, next| crate::msg!("list", "{list}, {next}", list => list, next => next),
        )
    }

    /// The text in `lang` (English where a translation is missing, which a
    /// test forbids; the id is noted for [`untranslated`]).
    pub fn render(&self, lang: Lang) -> String {
        let template = match lang {
            Lang::En => self.en,
            Lang::PtBr => pt_br::text(self.id).unwrap_or_else(|| {
                note_untranslated(self.id);
                self.en
            }),
        };
        fill(template, &self.args, lang)
    }

    /// The argument named `name` as plain text (English for words).
    pub fn arg(&self, name: &str) -> Option<String> {
        self.args
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| match v {
                Arg::Text(t) => t.clone(),
                Arg::Msg(m) => m.to_string(),
            })
    }

    /// Whether the English text contains `needle` (for tests and checks
    /// that look for a word).
    pub fn contains(&self, needle: &str) -> bool {
        self.to_string().contains(needle)
    }
}

static UNTRANSLATED: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

/// Remembered for [`untranslated`].
fn note_untranslated(id: &'static str) {
    if let Ok(mut set) = UNTRANSLATED.lock() {
        set.insert(id);
    }
}

/// Every id rendered in Portuguese without a Portuguese text since the
/// program started.
pub fn untranslated() -> Vec<&'static str> {
    UNTRANSLATED
        .lock()
        .map(|s| s.iter().copied().collect())
        .unwrap_or_default()
}

/// The names in a template's `{name}` placeholders, sorted, once per
/// use: two texts of one message must name the same ones (the test of
/// the Portuguese tables checks it).
pub fn placeholders(template: &str) -> Vec<String> {
    let mut v: Vec<String> = template
        .split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(name, _)| name.to_owned()))
        .collect();
    v.sort();
    v
}

/// `{name}` placeholders filled in one pass (a value holding braces is left
/// as it is).
fn fill(template: &str, args: &[(&'static str, Arg)], lang: Lang) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let found = after.find('}').and_then(|close| {
            args.iter()
                .find(|(n, _)| *n == &after[..close])
                .map(|(_, a)| (close, a))
        });
        match found {
            Some((close, value)) => {
                match value {
                    Arg::Text(t) => out.push_str(t),
                    Arg::Msg(m) => out.push_str(&m.render(lang)),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Nothing to say (an empty text), for views built before they are filled.
impl Default for Msg {
    fn default() -> Msg {
        Msg::verbatim("")
    }
}

/// English, as the JSON output and the logs carry it.
impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// Read back (a manifest, a journal) as the English text it was written
/// as: words from a file are shown as they are.
impl<'de> Deserialize<'de> for Msg {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Msg, D::Error> {
        String::deserialize(d).map(Msg::verbatim)
    }
}

/// As its English text: the commands' JSON stays what it was.
impl Serialize for Msg {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests;
