//! Identifier newtypes, parsed once at the edge and trusted everywhere after.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Why an identifier was refused; `what` names the kind of identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdError {
    /// Which kind of identifier (e.g. "purpose id").
    pub what: &'static str,
    /// The offending text.
    pub text: String,
    /// The rule it breaks.
    pub rule: &'static str,
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Pieces only, no formatting machinery (the widget's first module links this).
        for part in ["invalid ", self.what, " \"", &self.text, "\": ", self.rule] {
            f.write_str(part)?;
        }
        Ok(())
    }
}

impl core::error::Error for IdError {}

fn slug(what: &'static str, s: &str) -> Result<String, IdError> {
    let err = |rule| IdError {
        what,
        text: s.into(),
        rule,
    };
    if s.is_empty() || s.len() > 64 {
        return Err(err("must be 1 to 64 characters"));
    }
    let b = s.as_bytes();
    if !b[0].is_ascii_lowercase() {
        return Err(err("must start with a lowercase letter a-z"));
    }
    if !b
        .iter()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
    {
        return Err(err("may contain only a-z, 0-9 and '-'"));
    }
    if s.ends_with('-') || s.contains("--") {
        return Err(err("'-' may not end the id or repeat"));
    }
    Ok(s.into())
}

macro_rules! string_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);
        impl $name {
            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

string_id!(
    /// A processing purpose, e.g. `hotline-call-recording`: lowercase kebab-case, 1–64 chars.
    PurposeId
);
string_id!(
    /// A notice, e.g. `support-privacy-notice`: lowercase kebab-case, 1–64 chars.
    NoticeId
);
string_id!(
    /// A BCP 47 language tag in canonical case, limited to `language[-Script][-REGION]`,
    /// e.g. `en`, `zh-CN`, `zh-Hant-TW`, `pt-BR`, `es-419`.
    LocaleTag
);
string_id!(
    /// An ISO 3166-1 alpha-2 country, optionally with an ISO 3166-2 subdivision: `DE`, `US-CA`.
    RegionCode
);
string_id!(
    /// A receipt id: `urn:uuid:` followed by a lowercase RFC 4122 version-4 UUID.
    ReceiptId
);

impl PurposeId {
    /// Parses a purpose id.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        slug("purpose id", s).map(Self)
    }
}

impl NoticeId {
    /// Parses a notice id.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        slug("notice id", s).map(Self)
    }
}

impl LocaleTag {
    /// Parses a language tag, accepting any letter case and `_` for `-`, and returns it in
    /// canonical case (`zh_cn` → `zh-CN`). Only language, script and region subtags are allowed.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let err = |rule| IdError {
            what: "language tag",
            text: s.into(),
            rule,
        };
        let parts: Vec<&str> = s.split(['-', '_']).collect();
        let lang = parts[0];
        if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|c| c.is_ascii_alphabetic()) {
            return Err(err(
                "must start with a 2- or 3-letter ISO 639 language code",
            ));
        }
        let mut out = lang.to_ascii_lowercase();
        let mut rest = &parts[1..];
        if let Some(script) = rest
            .first()
            .filter(|p| p.len() == 4 && p.bytes().all(|c| c.is_ascii_alphabetic()))
        {
            out.push('-');
            out.push_str(&script[..1].to_ascii_uppercase());
            out.push_str(&script[1..].to_ascii_lowercase());
            rest = &rest[1..];
        }
        if let Some(region) = rest.first() {
            let alpha = region.len() == 2 && region.bytes().all(|c| c.is_ascii_alphabetic());
            let digits = region.len() == 3 && region.bytes().all(|c| c.is_ascii_digit());
            if !alpha && !digits {
                return Err(err(
                    "region must be 2 letters (ISO 3166-1) or 3 digits (UN M.49)",
                ));
            }
            out.push('-');
            out.push_str(&region.to_ascii_uppercase());
            rest = &rest[1..];
        }
        if !rest.is_empty() {
            return Err(err(
                "only language, script and region subtags are supported",
            ));
        }
        Ok(Self(out))
    }
    /// The primary language subtag, e.g. `zh` for `zh-CN`.
    pub fn language(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }
    /// Whether text in this language is written right to left.
    pub fn is_rtl(&self) -> bool {
        matches!(
            self.language(),
            "ar" | "he" | "fa" | "ur" | "ps" | "sd" | "ug" | "yi" | "dv" | "ckb"
        ) || self.0.contains("-Arab")
            || self.0.contains("-Hebr")
    }
    /// The tag with its last subtag removed (`zh-Hant-TW` → `zh-Hant` → `zh`), if any.
    pub fn parent(&self) -> Option<Self> {
        self.0.rfind('-').map(|i| Self(self.0[..i].into()))
    }
}

impl RegionCode {
    /// Parses `DE`, `us-ca`, `US-CA` → canonical upper case.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let err = |rule| IdError {
            what: "region code",
            text: s.into(),
            rule,
        };
        let up = s.to_ascii_uppercase();
        let (country, sub) = match up.split_once('-') {
            Some((c, s)) => (c, Some(s)),
            None => (up.as_str(), None),
        };
        if country.len() != 2 || !country.bytes().all(|c| c.is_ascii_uppercase()) {
            return Err(err("must start with an ISO 3166-1 alpha-2 country code"));
        }
        if let Some(sub) = sub
            && (sub.is_empty() || sub.len() > 3 || !sub.bytes().all(|c| c.is_ascii_alphanumeric()))
        {
            return Err(err(
                "subdivision must be 1 to 3 letters or digits (ISO 3166-2)",
            ));
        }
        Ok(Self(up))
    }
    /// The country part: `US` for `US-CA`.
    pub fn country(&self) -> &str {
        &self.0[..2]
    }
}

impl ReceiptId {
    /// Parses `urn:uuid:xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx` (lowercase).
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let err = |rule| IdError {
            what: "receipt id",
            text: s.into(),
            rule,
        };
        let Some(u) = s.strip_prefix("urn:uuid:") else {
            return Err(err("must start with urn:uuid:"));
        };
        let b = u.as_bytes();
        if b.len() != 36 {
            return Err(err("UUID must be 36 characters"));
        }
        for (i, c) in b.iter().enumerate() {
            let ok = match i {
                8 | 13 | 18 | 23 => *c == b'-',
                _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
            };
            if !ok {
                return Err(err("UUID must be lowercase hex in 8-4-4-4-12 groups"));
            }
        }
        if b[14] != b'4' || !matches!(b[19], b'8' | b'9' | b'a' | b'b') {
            return Err(err("UUID must be version 4, RFC 4122 variant"));
        }
        Ok(Self(s.into()))
    }
    /// Builds the id from 16 random bytes (the caller supplies the randomness).
    pub fn from_random_bytes(mut r: [u8; 16]) -> Self {
        r[6] = (r[6] & 0x0f) | 0x40;
        r[8] = (r[8] & 0x3f) | 0x80;
        let h = crate::encoding::hex(&r);
        let mut s = String::with_capacity(45);
        s.push_str("urn:uuid:");
        s.push_str(&h[0..8]);
        s.push('-');
        s.push_str(&h[8..12]);
        s.push('-');
        s.push_str(&h[12..16]);
        s.push('-');
        s.push_str(&h[16..20]);
        s.push('-');
        s.push_str(&h[20..32]);
        Self(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purpose_ids() {
        assert!(PurposeId::parse("hotline-call-recording").is_ok());
        assert!(PurposeId::parse("a1").is_ok());
        for bad in ["", "1a", "Marketing", "a_b", "a-", "a--b", &"a".repeat(65)] {
            assert!(PurposeId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn locale_tags_canonicalise() {
        assert_eq!(LocaleTag::parse("zh_cn").unwrap().as_str(), "zh-CN");
        assert_eq!(
            LocaleTag::parse("ZH-hant-tw").unwrap().as_str(),
            "zh-Hant-TW"
        );
        assert_eq!(LocaleTag::parse("es-419").unwrap().as_str(), "es-419");
        assert_eq!(
            LocaleTag::parse("pt-BR")
                .unwrap()
                .parent()
                .unwrap()
                .as_str(),
            "pt"
        );
        assert!(LocaleTag::parse("ar").unwrap().is_rtl());
        assert!(!LocaleTag::parse("en").unwrap().is_rtl());
        for bad in ["", "e", "english", "en-", "en-USA", "en-US-x-private", "1a"] {
            assert!(LocaleTag::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn region_codes() {
        assert_eq!(RegionCode::parse("us-ca").unwrap().as_str(), "US-CA");
        assert_eq!(RegionCode::parse("US-CA").unwrap().country(), "US");
        for bad in ["", "U", "USA", "US-", "US-CALI", "1A"] {
            assert!(RegionCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn receipt_ids() {
        let id = ReceiptId::from_random_bytes([0xff; 16]);
        assert_eq!(id.as_str(), "urn:uuid:ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(ReceiptId::parse(id.as_str()), Ok(id));
        assert!(ReceiptId::parse("urn:uuid:FFFFFFFF-ffff-4fff-bfff-ffffffffffff").is_err());
        assert!(ReceiptId::parse("urn:uuid:ffffffff-ffff-1fff-bfff-ffffffffffff").is_err());
        assert!(ReceiptId::parse("ffffffff-ffff-4fff-bfff-ffffffffffff").is_err());
    }
}
