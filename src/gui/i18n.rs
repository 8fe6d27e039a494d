//! The wizard's language. Its words are [`Msg`](convert79xx::msg::Msg)s like
//! the core's: a `msg!` with a `gui.` id and the English text where it is
//! said, rendered with [`App::t`](super::app::App::t); their Brazilian
//! Portuguese is in the core's tables (`src/msg/pt_br/wizard.rs`), where the
//! test that every id has Portuguese covers them with the rest.

/// The languages the wizard speaks: the core's, so its messages
/// ([`convert79xx::msg::Msg`]) render in the same one.
pub use convert79xx::msg::Lang;

/// The system's language when it is Portuguese, else English.
pub fn system_lang() -> Lang {
    Lang::from_locale(sys_locale::get_locale().as_deref().unwrap_or("en"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use convert79xx::msg;

    #[test]
    fn system_locale_mapping() {
        assert_eq!(Lang::from_locale("pt-BR"), Lang::PtBr);
        assert_eq!(Lang::from_locale("pt_BR.UTF-8"), Lang::PtBr);
        assert_eq!(Lang::from_locale("en-US"), Lang::En);
        assert_eq!(Lang::from_locale("de"), Lang::En);
        let s = msg!(
            "gui.frame.step_n_of_total",
            "Step {n} of {total}",
            n = 2,
            total = 7
        )
        .render(Lang::PtBr);
        assert_eq!(s, "Passo 2 de 7");
    }
}
