//! Numbers as the reports write them (times and ratios are in `stats`).

/// 25001 as "25,001".
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes as megabytes (10^6 bytes).
pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// "18.2 MB".
pub fn size_mb(bytes: u64) -> String {
    format!("{:.1} MB", mb(bytes))
}

/// A file's size: "812 B", "34.5 kB", "1.2 MB" (powers of 10).
pub fn size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        _ => size_mb(bytes),
    }
}

/// A target's verdict in a terminal table.
pub fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT met"
    }
}

/// A target's verdict in prose.
pub fn met(b: bool) -> &'static str {
    if b {
        "met"
    } else {
        "not met"
    }
}

/// A target's verdict in a Markdown table.
pub fn met_bold(b: bool) -> &'static str {
    if b {
        "**met**"
    } else {
        "**not met**"
    }
}
