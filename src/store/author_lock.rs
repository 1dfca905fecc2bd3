//! Author locks: how a CouchDB database, which knows no readers, tells that an edit or delete
//! of a comment comes from the browser that wrote it. One hash chain per comment (Lamport).
//!
//! The browser keeps a secret that is never sent. For a comment it derives
//! `x0 = H(secret ":" commentId)` and `x(i) = H(x(i-1))`, where `H(text)` is SHA-256 of the
//! text as lower-case hex. A new comment's document carries `authorLock = x(CHAIN_LENGTH)`.
//! An edit carries the preimage of the stored lock, `x(i-1)`, as its new `authorLock`: only
//! the holder of the secret can name it, and once revealed it opens nothing, since the next
//! edit needs `x(i-2)`. The design document (couchdb/design/colloquy.mjs) checks
//! `H(new lock) == old lock`.

use sha2::{Digest, Sha256};

/// How many edits (deletes included) one comment allows.
pub const CHAIN_LENGTH: u32 = 1000;

/// SHA-256 of `text` (UTF-8), as 64 lower-case hex digits.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Whether `text` has the shape of a lock: 64 lower-case hex digits.
pub fn is_lock(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn chain_start(secret: &str, comment_id: &str) -> String {
    sha256_hex(&format!("{secret}:{comment_id}"))
}

/// The lock a new comment's document is created with.
pub fn initial_lock(secret: &str, comment_id: &str) -> String {
    (0..CHAIN_LENGTH).fold(chain_start(secret, comment_id), |x, _| sha256_hex(&x))
}

/// The lock an edit must carry to replace `current`: its preimage on this secret's chain for
/// the comment. `None` if `current` is not on that chain (another browser's comment) or is
/// its start (every edit used up).
pub fn next_lock(secret: &str, comment_id: &str, current: &str) -> Option<String> {
    if !is_lock(current) {
        return None;
    }
    let mut previous = chain_start(secret, comment_id);
    for _ in 0..CHAIN_LENGTH {
        let next = sha256_hex(&previous);
        if next == current {
            return Some(previous);
        }
        previous = next;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_fips_180_examples() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn each_edit_reveals_the_preimage_of_the_lock_before() {
        let mut lock = initial_lock("secret", "c1");
        assert!(is_lock(&lock));
        for _ in 0..5 {
            let next = next_lock("secret", "c1", &lock).expect("on the chain");
            assert_eq!(sha256_hex(&next), lock);
            lock = next;
        }
    }

    #[test]
    fn another_secret_or_comment_cannot_continue_a_chain() {
        let lock = initial_lock("secret", "c1");
        assert_eq!(next_lock("other secret", "c1", &lock), None);
        assert_eq!(next_lock("secret", "c2", &lock), None);
        assert_eq!(next_lock("secret", "c1", "not a lock"), None);
        assert_ne!(initial_lock("secret", "c1"), initial_lock("secret", "c2"));
    }

    #[test]
    fn the_chain_runs_out_after_its_length() {
        let start = chain_start("s", "c");
        assert_eq!(
            next_lock("s", "c", &start),
            None,
            "the start has no preimage"
        );
        let first = sha256_hex(&start);
        assert_eq!(next_lock("s", "c", &first), Some(start));
    }

    #[test]
    fn locks_are_lower_case_hex_of_64_digits() {
        assert!(is_lock(&"0a".repeat(32)));
        assert!(!is_lock(&"0A".repeat(32)));
        assert!(!is_lock(&"0a".repeat(31)));
        assert!(!is_lock(&format!("{}g", "0".repeat(63))));
    }
}
