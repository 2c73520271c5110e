//! Fingerprints that code-scanning services use to match a finding across
//! runs. They build on [`Finding::fingerprint`] (rule, enclosing item and
//! flagged code, no line numbers), so adding lines above a finding does not
//! turn it into a new one.

use std::collections::HashMap;

use connlint_rules::Finding;

/// Numbers identical defects of one file, so that each gets its own
/// fingerprint without using lines.
#[derive(Default)]
pub struct Occurrences<'a> {
    seen: HashMap<(&'a str, String), usize>,
}

impl<'a> Occurrences<'a> {
    /// `<finding fingerprint>:<occurrence>`, unique within `path`.
    pub fn in_file(&mut self, path: &'a str, finding: &Finding) -> String {
        let fingerprint = finding.fingerprint();
        let occurrence = self.seen.entry((path, fingerprint.clone())).or_default();
        *occurrence += 1;
        format!("{fingerprint}:{occurrence}")
    }

    /// A fingerprint unique within the whole report: the path hashed with
    /// [`Occurrences::in_file`], as 32 hexadecimal digits.
    pub fn in_report(&mut self, path: &'a str, finding: &Finding) -> String {
        let in_file = self.in_file(path, finding);
        hex_pair(path, &in_file)
    }
}

/// Two strings hashed into 32 hexadecimal digits.
pub fn hex_pair(first: &str, second: &str) -> String {
    format!(
        "{:016x}{:016x}",
        fnv1a(first.as_bytes()),
        fnv1a(second.as_bytes())
    )
}

/// FNV-1a, 64 bits: stable across Rust releases, unlike `DefaultHasher`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
