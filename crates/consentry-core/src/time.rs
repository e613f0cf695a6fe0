//! Timestamps. Core never reads the clock: callers pass milliseconds since the Unix epoch.

use alloc::string::String;

/// Milliseconds since 1970-01-01T00:00:00Z (UTC, no leap seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// Why a timestamp string was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimestampError;

impl core::fmt::Display for TimestampError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("not an RFC 3339 UTC timestamp of the form YYYY-MM-DDTHH:MM:SS(.sss)Z")
    }
}

impl core::error::Error for TimestampError {}

impl Timestamp {
    /// RFC 3339 in UTC with millisecond precision: `2026-11-27T19:30:00.123Z`.
    pub fn to_rfc3339(self) -> String {
        let ms = self.0.rem_euclid(1000);
        let secs = self.0.div_euclid(1000);
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let mut s = String::with_capacity(24);
        pad(&mut s, y, 4);
        s.push('-');
        pad(&mut s, m, 2);
        s.push('-');
        pad(&mut s, d, 2);
        s.push('T');
        pad(&mut s, sod / 3600, 2);
        s.push(':');
        pad(&mut s, (sod / 60) % 60, 2);
        s.push(':');
        pad(&mut s, sod % 60, 2);
        s.push('.');
        pad(&mut s, ms, 3);
        s.push('Z');
        s
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.sssZ` (1–3 fraction digits).
    pub fn parse_rfc3339(s: &str) -> Result<Self, TimestampError> {
        let b = s.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(TimestampError);
        }
        let num = |r: core::ops::Range<usize>| -> Result<i64, TimestampError> {
            let mut n = 0i64;
            for &c in &b[r] {
                if !c.is_ascii_digit() {
                    return Err(TimestampError);
                }
                n = n * 10 + i64::from(c - b'0');
            }
            Ok(n)
        };
        let (y, mo, d, h, mi, se) = (
            num(0..4)?,
            num(5..7)?,
            num(8..10)?,
            num(11..13)?,
            num(14..16)?,
            num(17..19)?,
        );
        let mut ms = 0;
        let rest = &b[19..];
        let rest = if rest.first() == Some(&b'.') {
            let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 || digits > 3 {
                return Err(TimestampError);
            }
            let mut frac = num(20..20 + digits)?;
            for _ in digits..3 {
                frac *= 10;
            }
            ms = frac;
            &rest[1 + digits..]
        } else {
            rest
        };
        if rest != b"Z" {
            return Err(TimestampError);
        }
        if !(1..=12).contains(&mo)
            || d < 1
            || d > days_in_month(y, mo)
            || h > 23
            || mi > 59
            || se > 59
        {
            return Err(TimestampError);
        }
        let days = days_from_civil(y, mo, d);
        Ok(Self(
            ((days * 86_400) + h * 3600 + mi * 60 + se) * 1000 + ms,
        ))
    }
}

fn pad(s: &mut String, v: i64, width: usize) {
    let mut digits = String::new();
    crate::json::push_int(&mut digits, v);
    for _ in digits.len()..width {
        s.push('0');
    }
    s.push_str(&digits);
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(Timestamp(0).to_rfc3339(), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            Timestamp(1_795_807_800_123).to_rfc3339(),
            "2026-11-27T19:30:00.123Z"
        );
        assert_eq!(
            Timestamp(951_782_400_000).to_rfc3339(),
            "2000-02-29T00:00:00.000Z"
        );
    }

    #[test]
    fn parses_what_it_formats() {
        for t in [
            0,
            1,
            999,
            1_795_807_800_123,
            4_102_444_799_999,
            951_782_400_000,
        ] {
            let s = Timestamp(t).to_rfc3339();
            assert_eq!(Timestamp::parse_rfc3339(&s), Ok(Timestamp(t)), "{s}");
        }
        assert_eq!(
            Timestamp::parse_rfc3339("2026-11-27T19:30:00Z"),
            Ok(Timestamp(1_795_807_800_000))
        );
        assert_eq!(
            Timestamp::parse_rfc3339("2026-11-27T19:30:00.5Z"),
            Ok(Timestamp(1_795_807_800_500))
        );
    }

    #[test]
    fn refuses_malformed() {
        for s in [
            "",
            "2026-11-27 19:30:00Z",
            "2026-11-27T19:30:00+01:00",
            "2026-02-30T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-11-27T24:00:00Z",
            "2026-11-27T19:30:00.Z",
            "2026-11-27T19:30:00.1234Z",
            "２026-11-27T19:30:00Z",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(s), Err(TimestampError), "{s}");
        }
    }
}
