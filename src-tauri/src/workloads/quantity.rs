//! Kubernetes resource quantities (`250m`, `2`, `512Mi`, `1.5Gi`, `1e3`),
//! as CPU millicores and memory bytes, for the node map's bars.

/// `text` in thousandths of its unit (CPU: millicores), or `None` when it
/// is not a quantity.
pub fn milli(text: &str) -> Option<u64> {
    let (number, scale) = split(text)?;
    Some((number * scale * 1000.0).round() as u64)
}

/// `text` in its unit (memory: bytes; pods: a count).
pub fn units(text: &str) -> Option<u64> {
    let (number, scale) = split(text)?;
    Some((number * scale).ceil() as u64)
}

fn split(text: &str) -> Option<(f64, f64)> {
    let text = text.trim();
    let suffixes: [(&str, f64); 13] = [
        ("Ki", 1024.0),
        ("Mi", 1024f64.powi(2)),
        ("Gi", 1024f64.powi(3)),
        ("Ti", 1024f64.powi(4)),
        ("Pi", 1024f64.powi(5)),
        ("Ei", 1024f64.powi(6)),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
    ];
    let (digits, scale) = suffixes
        .iter()
        .find_map(|(s, f)| text.strip_suffix(s).map(|d| (d, *f)))
        .unwrap_or((text, 1.0));
    let digits = digits.trim();
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
    {
        return None;
    }
    let number: f64 = digits.parse().ok()?;
    (number.is_finite() && number >= 0.0).then_some((number, scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_and_memory_quantities_as_kubernetes_writes_them() {
        assert_eq!(milli("250m"), Some(250));
        assert_eq!(milli("2"), Some(2000));
        assert_eq!(milli("1.5"), Some(1500));
        assert_eq!(milli("3920m"), Some(3920));
        assert_eq!(units("512Mi"), Some(512 * 1024 * 1024));
        assert_eq!(units("15896452Ki"), Some(15_896_452 * 1024));
        assert_eq!(units("1G"), Some(1_000_000_000));
        assert_eq!(units("1e3"), Some(1000));
        assert_eq!(units("110"), Some(110));
        for bad in ["", "Mi", "abc", "-1", "1Xi"] {
            assert_eq!(units(bad), None, "{bad}");
        }
    }
}
