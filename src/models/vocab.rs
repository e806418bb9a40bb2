//! GPT-2's byte-level BPE stores every byte as a printable character; CT2's
//! `vocabulary.txt` keeps that form, while whisper.cpp's ggml vocab wants the
//! raw bytes. This module inverts GPT-2's bytes↔unicode table.

use std::collections::HashMap;

/// The 256 printable characters GPT-2 uses for bytes 0..=255.
pub fn bytes_to_unicode() -> [char; 256] {
    let mut printable: Vec<u32> = (b'!' as u32..=b'~' as u32)
        .chain(0xA1..=0xAC)
        .chain(0xAE..=0xFF)
        .collect();
    let mut table = ['\0'; 256];
    for &b in &printable {
        table[b as usize] = char::from_u32(b).expect("latin-1 code point");
    }
    let mut n = 0;
    for b in 0..256u32 {
        if !printable.contains(&b) {
            table[b as usize] = char::from_u32(256 + n).expect("valid code point");
            printable.push(b);
            n += 1;
        }
    }
    table
}

/// Maps a token as written in `vocabulary.txt` back to its bytes.
pub struct ByteDecoder {
    map: HashMap<char, u8>,
}

impl Default for ByteDecoder {
    fn default() -> Self {
        let map = bytes_to_unicode()
            .iter()
            .enumerate()
            .map(|(b, &c)| (c, b as u8))
            .collect();
        ByteDecoder { map }
    }
}

impl ByteDecoder {
    /// `None` when the token has a character outside GPT-2's byte alphabet.
    pub fn decode(&self, token: &str) -> Option<Vec<u8>> {
        token.chars().map(|c| self.map.get(&c).copied()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_a_bijection_with_known_anchors() {
        let t = bytes_to_unicode();
        assert_eq!(t[b'A' as usize], 'A');
        assert_eq!(t[b' ' as usize], 'Ġ'); // U+0120
        assert_eq!(t[b'\n' as usize], 'Ċ'); // U+010A
        assert_eq!(t[0], 'Ā'); // U+0100
        let mut seen: Vec<char> = t.to_vec();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 256);
    }

    #[test]
    fn decodes_tokens_to_raw_bytes() {
        let d = ByteDecoder::default();
        assert_eq!(d.decode("Ġhello").unwrap(), b" hello");
        assert_eq!(d.decode("<|endoftext|>").unwrap(), b"<|endoftext|>");
        // "é" in UTF-8 is C3 A9, which GPT-2 writes as "Ã©".
        assert_eq!(d.decode("Ã©").unwrap(), "é".as_bytes());
        assert!(d.decode("日本").is_none());
    }
}
