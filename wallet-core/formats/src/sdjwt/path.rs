//! Claim paths: where a claim sits in a credential, e.g. `given_name`, `address.locality`,
//! `nationalities[0]`, `a["key.with.dots"]`.
//!
//! Syntax: the first segment is a bare key; then `.key` for an object member, `[n]` for an
//! array element (decimal, no leading zeros), and `["…"]` (a JSON string) for a member
//! whose name is empty or contains `.`, `[`, `]`, `"` or `\`. [`ClaimPath`]'s `Display`
//! writes exactly this form and [`ClaimPath::parse`] reads it back.

use std::fmt;
use std::str::FromStr;

use super::error::SdJwtError;

/// One step of a [`ClaimPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSegment {
    /// An object member.
    Key(String),
    /// An array element, counted in the array as the reader sees it (undisclosed and decoy
    /// elements do not count).
    Index(usize),
}

/// The position of a claim, from the top of the credential's claims.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ClaimPath(Vec<PathSegment>);

impl ClaimPath {
    /// A path from its segments.
    pub fn new(segments: Vec<PathSegment>) -> Self {
        Self(segments)
    }

    /// The top-level member `name`.
    pub fn key(name: impl Into<String>) -> Self {
        Self(vec![PathSegment::Key(name.into())])
    }

    /// Parses the text form (see the module documentation).
    pub fn parse(text: &str) -> Result<Self, SdJwtError> {
        let mut segments = Vec::new();
        let mut rest = text;
        let mut first = true;
        while !rest.is_empty() || first {
            if let Some(after) = rest.strip_prefix('[') {
                let (segment, remaining) = bracket(after)?;
                segments.push(segment);
                rest = remaining;
            } else {
                let body = if first {
                    rest
                } else {
                    rest.strip_prefix('.')
                        .ok_or(SdJwtError::InvalidClaimPath("expected '.' or '['"))?
                };
                let end = body.find(['.', '[', ']']).unwrap_or(body.len());
                let name = &body[..end];
                if name.is_empty() {
                    return Err(SdJwtError::InvalidClaimPath("empty member name"));
                }
                if name.contains(['"', '\\']) {
                    return Err(SdJwtError::InvalidClaimPath(
                        "quote or backslash in a bare member name",
                    ));
                }
                segments.push(PathSegment::Key(name.to_owned()));
                rest = &body[end..];
            }
            first = false;
        }
        Ok(Self(segments))
    }

    /// The segments.
    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }

    /// Whether this is the empty path (the whole claims object).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// This path extended by one segment.
    pub fn child(&self, segment: PathSegment) -> Self {
        let mut segments = self.0.clone();
        segments.push(segment);
        Self(segments)
    }

    /// The enclosing path, `None` for the empty path.
    pub fn parent(&self) -> Option<Self> {
        let (_, init) = self.0.split_last()?;
        Some(Self(init.to_vec()))
    }

    /// Whether `self` equals `other` or encloses it.
    pub fn is_prefix_of(&self, other: &ClaimPath) -> bool {
        other.0.starts_with(&self.0)
    }
}

/// Reads `n]` or `"…"]` after a `[`.
fn bracket(after: &str) -> Result<(PathSegment, &str), SdJwtError> {
    if after.starts_with('"') {
        let close = closing_quote(after).ok_or(SdJwtError::InvalidClaimPath(
            "unterminated quoted member name",
        ))?;
        let name: String = serde_json::from_str(&after[..=close])
            .map_err(|_| SdJwtError::InvalidClaimPath("bad quoted member name"))?;
        let rest = after[close + 1..]
            .strip_prefix(']')
            .ok_or(SdJwtError::InvalidClaimPath("expected ']'"))?;
        return Ok((PathSegment::Key(name), rest));
    }
    let end = after
        .find(']')
        .ok_or(SdJwtError::InvalidClaimPath("expected ']'"))?;
    let digits = &after[..end];
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || (digits.len() > 1 && digits.starts_with('0'))
    {
        return Err(SdJwtError::InvalidClaimPath("bad array index"));
    }
    let index = digits
        .parse()
        .map_err(|_| SdJwtError::InvalidClaimPath("array index too large"))?;
    Ok((PathSegment::Index(index), &after[end + 1..]))
}

/// Byte offset of the `"` closing the JSON string that starts at offset 0.
fn closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (offset, c) in text.char_indices().skip(1) {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return Some(offset),
            _ => {}
        }
    }
    None
}

fn is_bare(name: &str) -> bool {
    !name.is_empty() && !name.contains(['.', '[', ']', '"', '\\'])
}

impl fmt::Display for ClaimPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Key(name) if is_bare(name) => {
                    if position > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                PathSegment::Key(name) => {
                    let quoted = serde_json::to_string(name).map_err(|_| fmt::Error)?;
                    write!(f, "[{quoted}]")?;
                }
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

impl FromStr for ClaimPath {
    type Err = SdJwtError;

    fn from_str(text: &str) -> Result<Self, SdJwtError> {
        Self::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PathSegment::{Index, Key};
    use proptest::prelude::*;

    fn key(name: &str) -> PathSegment {
        Key(name.into())
    }

    #[test]
    fn parses_the_usual_forms() {
        assert_eq!(
            ClaimPath::parse("given_name").unwrap(),
            ClaimPath::key("given_name")
        );
        assert_eq!(
            ClaimPath::parse("address.locality").unwrap().segments(),
            &[key("address"), key("locality")]
        );
        assert_eq!(
            ClaimPath::parse("nationalities[0]").unwrap().segments(),
            &[key("nationalities"), Index(0)]
        );
        assert_eq!(
            ClaimPath::parse("a[1][20].b[\"x.y\"]").unwrap().segments(),
            &[key("a"), Index(1), Index(20), key("b"), key("x.y")]
        );
        assert_eq!(ClaimPath::parse("[\"\"]").unwrap().segments(), &[key("")]);
        assert_eq!(ClaimPath::parse("[3]").unwrap().segments(), &[Index(3)]);
        assert_eq!(
            ClaimPath::parse("age_equal_or_over.18").unwrap().segments(),
            &[key("age_equal_or_over"), key("18")]
        );
    }

    #[test]
    fn refuses_bad_forms() {
        for bad in [
            "",
            ".a",
            "a.",
            "a..b",
            "a[",
            "a[]",
            "a[01]",
            "a[x]",
            "a[-1]",
            "a]",
            "a[0]b",
            "a[\"x]",
            "a[\"x\"",
            "a\"b",
            "a[99999999999999999999999]",
        ] {
            assert!(ClaimPath::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prefixes() {
        let address = ClaimPath::parse("address").unwrap();
        let locality = ClaimPath::parse("address.locality").unwrap();
        assert!(address.is_prefix_of(&locality));
        assert!(address.is_prefix_of(&address));
        assert!(!locality.is_prefix_of(&address));
        assert_eq!(locality.parent(), Some(address.clone()));
        assert_eq!(address.child(key("locality")), locality);
        assert_eq!(ClaimPath::default().parent(), None);
    }

    fn segment() -> impl Strategy<Value = PathSegment> {
        prop_oneof![
            any::<usize>().prop_map(Index),
            "[a-z_]{1,8}".prop_map(Key),
            any::<String>().prop_map(Key),
        ]
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(segments in proptest::collection::vec(segment(), 1..6)) {
            let path = ClaimPath::new(segments);
            let text = path.to_string();
            prop_assert_eq!(ClaimPath::parse(&text).unwrap(), path);
        }

        #[test]
        fn parse_never_panics(text in any::<String>()) {
            let _ = ClaimPath::parse(&text);
        }
    }
}
