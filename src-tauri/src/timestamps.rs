//! RFC 3339 text for instants (journals, consents, backups, credential
//! expiry), written the one way every file and payload of the app uses.

use std::time::{SystemTime, UNIX_EPOCH};

/// `t` as RFC 3339 UTC with milliseconds: `2026-12-01T20:47:42.123Z`.
pub fn rfc3339_millis(t: SystemTime) -> String {
    let (date, since) = civil(t);
    format!("{date}.{:03}Z", since.subsec_millis())
}

/// `t` as RFC 3339 UTC to the second: `2026-12-01T20:47:42Z` (what
/// `aws eks get-token` writes as a credential's expiry).
pub fn rfc3339_seconds(t: SystemTime) -> String {
    format!("{}Z", civil(t).0)
}

/// The system clock, as [`rfc3339_millis`].
pub fn now_rfc3339() -> String {
    rfc3339_millis(SystemTime::now())
}

/// `YYYY-MM-DDTHH:MM:SS` of `t`, and `t` since the epoch.
fn civil(t: SystemTime) -> (String, std::time::Duration) {
    let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let text = format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
    );
    (text, since)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn instants_are_written_in_utc() {
        let t = UNIX_EPOCH + Duration::from_millis(1_796_158_062_123);
        assert_eq!(rfc3339_millis(t), "2026-12-01T20:47:42.123Z");
        assert_eq!(rfc3339_seconds(t), "2026-12-01T20:47:42Z");
        assert_eq!(rfc3339_seconds(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        // A leap day.
        let leap = UNIX_EPOCH + Duration::from_secs(1_709_164_800);
        assert_eq!(rfc3339_seconds(leap), "2024-02-29T00:00:00Z");
    }
}
