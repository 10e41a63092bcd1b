//! The little URL handling OpenID4VCI needs: which issuer URLs are acceptable, well-known
//! locations (RFC 8615 path insertion), query strings and form bodies
//! (`application/x-www-form-urlencoded`), through `percent-encoding`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Characters left alone in form values and query parameters (RFC 3986 unreserved).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The longest URL accepted anywhere.
pub(crate) const MAX_URL_LEN: usize = 2048;

/// Percent-encodes `value` for a query or form.
pub(crate) fn encode(value: &str) -> String {
    utf8_percent_encode(value, UNRESERVED).to_string()
}

/// Decodes one form or query value (`+` is a space); `None` if it is not UTF-8.
pub(crate) fn decode(value: &str) -> Option<String> {
    let spaced = value.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// Parses `a=1&b=2` into decoded pairs; `None` if a value is not UTF-8 or a name repeats.
pub(crate) fn parse_form(text: &str) -> Option<Vec<(String, String)>> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in text.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        let name = decode(name)?;
        if pairs.iter().any(|(n, _)| *n == name) {
            return None;
        }
        pairs.push((name, decode(value)?));
    }
    Some(pairs)
}

/// Encodes pairs as a form body.
pub(crate) fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| format!("{}={}", encode(n), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Whether `url` is an acceptable issuer or endpoint URL: `https://host…`, or `http://` when
/// `allow_http` (a desk on a local network, tests), no fragment, no user info, not too long.
pub(crate) fn check(url: &str, allow_http: bool) -> Result<(), String> {
    if url.len() > MAX_URL_LEN {
        return Err("URL too long".into());
    }
    let rest = if let Some(rest) = url.strip_prefix("https://") {
        rest
    } else if let Some(rest) = url.strip_prefix("http://") {
        if !allow_http {
            return Err("not https (plain http is allowed only when asked for)".into());
        }
        rest
    } else {
        return Err("not an https URL".into());
    };
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    if authority.is_empty() {
        return Err("URL has no host".into());
    }
    if authority.contains('@') || url.contains('#') {
        return Err("URL has user info or a fragment".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("URL contains spaces or control characters".into());
    }
    Ok(())
}

/// The well-known location of `name` for `issuer` (RFC 8615, with the issuer's path after
/// the well-known segment, as OpenID4VCI s12.2.2 and RFC 8414 s3.1 say).
pub(crate) fn well_known(issuer: &str, name: &str) -> String {
    let (scheme, rest) = issuer.split_once("://").unwrap_or(("https", issuer));
    let (authority, path) = match rest.find('/') {
        Some(i) => (rest.get(..i).unwrap_or(rest), rest.get(i..).unwrap_or("")),
        None => (rest, ""),
    };
    let path = path.trim_end_matches('/');
    format!("{scheme}://{authority}/.well-known/{name}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_inserts_before_the_path() {
        assert_eq!(
            well_known("https://issuer.example", "openid-credential-issuer"),
            "https://issuer.example/.well-known/openid-credential-issuer"
        );
        assert_eq!(
            well_known("https://issuer.example/tenant/", "openid-credential-issuer"),
            "https://issuer.example/.well-known/openid-credential-issuer/tenant"
        );
    }

    #[test]
    fn forms_round_trip_and_refuse_repeats() {
        let body = form(&[("a b", "x&y=z"), ("code", "12+3")]);
        assert_eq!(
            parse_form(&body).unwrap(),
            vec![
                ("a b".into(), "x&y=z".into()),
                ("code".into(), "12+3".into())
            ]
        );
        assert!(parse_form("a=1&a=2").is_none());
        assert!(parse_form("a=%ff").is_none());
    }

    #[test]
    fn only_https_unless_asked() {
        assert!(check("https://issuer.example/x", false).is_ok());
        assert!(check("http://127.0.0.1:8080", false).is_err());
        assert!(check("http://127.0.0.1:8080", true).is_ok());
        assert!(check("ftp://issuer.example", true).is_err());
        assert!(check("https://user@issuer.example", false).is_err());
        assert!(check("https://", false).is_err());
    }
}
