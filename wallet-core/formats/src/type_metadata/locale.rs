//! Choosing the entry for a locale among a `display` list: the exact tag (`en-US`), then the
//! same language (`en`, or another region of it such as `en-GB`), then English, then none.
//! Tags compare without regard to case, as BCP 47 says.

/// The entry of `items` for `wanted`, by the rules of this module.
pub fn choose<'a, T>(
    items: &'a [T],
    wanted: &str,
    locale_of: impl Fn(&T) -> &str,
) -> Option<&'a T> {
    let exact = items
        .iter()
        .find(|item| locale_of(item).eq_ignore_ascii_case(wanted));
    exact
        .or_else(|| {
            let language = language_of(wanted);
            let same_language =
                |item: &&T| language_of(locale_of(item)).eq_ignore_ascii_case(language);
            // The bare language first (`en` for `en-US`), then any region of it.
            items
                .iter()
                .filter(same_language)
                .find(|item| !locale_of(item).contains('-'))
                .or_else(|| items.iter().find(same_language))
        })
        .or_else(|| {
            items
                .iter()
                .find(|item| language_of(locale_of(item)).eq_ignore_ascii_case("en"))
        })
}

/// The primary language subtag of a BCP 47 tag (`en` of `en-US`).
pub fn language_of(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick<'a>(items: &'a [&'a str], wanted: &str) -> Option<&'a str> {
        choose(items, wanted, |s| s).copied()
    }

    #[test]
    fn fallbacks() {
        let items = ["en-US", "de-DE", "ar", "fr-FR", "fr"];
        assert_eq!(pick(&items, "en-US"), Some("en-US"));
        assert_eq!(pick(&items, "EN-us"), Some("en-US"));
        assert_eq!(pick(&items, "de"), Some("de-DE"));
        assert_eq!(pick(&items, "de-AT"), Some("de-DE"));
        assert_eq!(pick(&items, "fr-CA"), Some("fr"));
        assert_eq!(pick(&items, "ar-SY"), Some("ar"));
        assert_eq!(pick(&items, "sw"), Some("en-US"));
        assert_eq!(pick(&["de-DE"], "sw"), None);
        assert_eq!(pick(&[], "en"), None);
    }
}
