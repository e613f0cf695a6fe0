//! Retention periods as ISO 8601 durations (`P2Y`, `P6M`, `P90D`, `P1Y6M`, `PT72H`).

use alloc::string::String;
use core::fmt;

/// A retention period: an ISO 8601 duration with whole-number parts, as written.
///
/// Accepted: `P`, then any of `nY nM nW nD` in that order, then optionally `T` and any of
/// `nH nM nS` in that order; at least one part; at most 6 digits per part; no fractions, signs
/// or spaces.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Retention {
    text: String,
    parts: [u32; 7],
}

/// Why a retention period was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetentionError {
    /// Does not start with `P`.
    MissingP,
    /// No number-and-unit part at all (`P`, `PT`).
    Empty,
    /// A unit letter without a number before it, or a number without a unit after it.
    MissingNumber,
    /// A number longer than 6 digits.
    TooLong,
    /// A character that is not a digit or an allowed unit letter, or units out of order or
    /// repeated.
    Unexpected(char),
}

impl fmt::Display for RetentionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetentionError::MissingP => f.write_str("an ISO 8601 duration starts with \"P\""),
            RetentionError::Empty => f.write_str("the duration has no number and unit"),
            RetentionError::MissingNumber => {
                f.write_str("every unit needs a whole number before it, every number a unit")
            }
            RetentionError::TooLong => f.write_str("a number has more than 6 digits"),
            RetentionError::Unexpected(c) => write!(
                f,
                "unexpected {c:?}: use Y, M, W, D before T and H, M, S after it, in that order"
            ),
        }
    }
}

impl core::error::Error for RetentionError {}

impl Retention {
    /// Parses an ISO 8601 duration such as `P2Y` or `P90D`.
    pub fn parse(s: &str) -> Result<Self, RetentionError> {
        let rest = s.strip_prefix('P').ok_or(RetentionError::MissingP)?;
        // Units in the order they may appear; index into `parts`.
        const DATE: [char; 4] = ['Y', 'M', 'W', 'D'];
        const TIME: [char; 3] = ['H', 'M', 'S'];
        let mut parts = [0u32; 7];
        let mut any = false;
        let mut in_time = false;
        let mut next_unit = 0; // position in DATE or TIME the next unit may take
        let mut number: Option<u32> = None;
        let mut digits = 0;
        for c in rest.chars() {
            if let Some(d) = c.to_digit(10) {
                digits += 1;
                if digits > 6 {
                    return Err(RetentionError::TooLong);
                }
                number = Some(number.unwrap_or(0) * 10 + d);
                continue;
            }
            if c == 'T' && !in_time {
                if number.is_some() {
                    return Err(RetentionError::MissingNumber);
                }
                in_time = true;
                next_unit = 0;
                continue;
            }
            let units: &[char] = if in_time { &TIME } else { &DATE };
            let Some(pos) = units.iter().position(|&u| u == c) else {
                return Err(RetentionError::Unexpected(c));
            };
            if pos < next_unit {
                return Err(RetentionError::Unexpected(c));
            }
            let n = number.take().ok_or(RetentionError::MissingNumber)?;
            digits = 0;
            parts[if in_time { 4 + pos } else { pos }] = n;
            next_unit = pos + 1;
            any = true;
        }
        if number.is_some() {
            return Err(RetentionError::MissingNumber);
        }
        if !any || (in_time && next_unit == 0) {
            return Err(RetentionError::Empty);
        }
        Ok(Self {
            text: s.into(),
            parts,
        })
    }

    /// The duration as written, e.g. `P2Y`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Years, months, weeks and days.
    pub fn date_parts(&self) -> [u32; 4] {
        [self.parts[0], self.parts[1], self.parts[2], self.parts[3]]
    }

    /// Hours, minutes and seconds.
    pub fn time_parts(&self) -> [u32; 3] {
        [self.parts[4], self.parts[5], self.parts[6]]
    }
}

impl fmt::Display for Retention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_iso_durations() {
        for ok in [
            "P2Y",
            "P90D",
            "P1Y6M",
            "P2W",
            "PT72H",
            "P1DT12H",
            "P1Y2M3DT4H5M6S",
            "P0D",
        ] {
            assert_eq!(Retention::parse(ok).unwrap().as_str(), ok);
        }
        let r = Retention::parse("P1Y6MT2H").unwrap();
        assert_eq!(r.date_parts(), [1, 6, 0, 0]);
        assert_eq!(r.time_parts(), [2, 0, 0]);
        // M before T is months, after T minutes.
        assert_eq!(Retention::parse("PT30M").unwrap().time_parts(), [0, 30, 0]);
    }

    #[test]
    fn refuses_other_text() {
        use RetentionError::*;
        for (bad, why) in [
            ("2 years", MissingP),
            ("P", Empty),
            ("PT", Empty),
            ("P1DT", Empty),
            ("PY", MissingNumber),
            ("P2", MissingNumber),
            ("P1.5Y", Unexpected('.')),
            ("P2D1Y", Unexpected('Y')),
            ("P1Y1Y", Unexpected('Y')),
            ("P1H", Unexpected('H')),
            ("p2y", MissingP),
            ("P1234567D", TooLong),
            ("P2Y ", Unexpected(' ')),
            ("P-2Y", Unexpected('-')),
            ("P2T1H", MissingNumber),
        ] {
            assert_eq!(Retention::parse(bad), Err(why), "{bad}");
        }
    }
}
