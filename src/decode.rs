//! Decoding an input file's bytes into text, whatever was scraped.
//!
//! UTF-8 is read as it is; a UTF-8 byte-order mark is dropped; UTF-16 with
//! a byte-order mark (LE or BE) is decoded; invalid UTF-8 is decoded
//! lossily (each bad sequence becomes U+FFFD) with a warning naming the
//! first bad byte; binary files are refused. Decoding may move text: the
//! [`Offsets`] it returns map byte offsets in the decoded text back to byte
//! offsets in the file, so that output offsets always point into the file
//! as it is on disk.

/// Byte offsets in decoded text mapped back to the file's bytes: a sorted
/// list of points where the two start to differ by a new amount. Empty
/// when the text is the file's bytes unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offsets {
    /// (offset in the text, offset in the file), both increasing.
    points: Vec<(usize, usize)>,
}

impl Offsets {
    /// The file offset of byte `at` of the decoded text.
    pub fn original(&self, at: usize) -> usize {
        let i = self.points.partition_point(|&(text, _)| text <= at);
        match i {
            0 => at,
            _ => {
                let (text, file) = self.points[i - 1];
                file + (at - text)
            }
        }
    }

    /// Whether decoding left every offset where it was.
    pub fn is_identity(&self) -> bool {
        self.points.is_empty()
    }

    /// Records that text offset `text` is file offset `file` from here on
    /// (until the next point), skipping points that change nothing.
    fn mark(&mut self, text: usize, file: usize) {
        if self.original(text) != file {
            self.points.push((text, file));
        }
    }
}

/// A file's text and how to find its bytes again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub offsets: Offsets,
    /// What was repaired, for a warning (`None` when nothing was).
    pub warning: Option<String>,
}

/// Decodes a file's bytes; `Err` says why the bytes are not text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok(utf16(rest, 2, u16::from_le_bytes));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok(utf16(rest, 2, u16::from_be_bytes));
    }
    let (body, skip) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, 3),
        None => (bytes, 0),
    };
    if let Some(reason) = binary(body) {
        return Err(reason);
    }
    let mut offsets = Offsets::default();
    offsets.mark(0, skip);
    // Most files are valid UTF-8, which from_utf8 confirms fastest.
    if let Ok(valid) = std::str::from_utf8(body) {
        return Ok(Decoded {
            text: valid.to_string(),
            offsets,
            warning: None,
        });
    }
    let mut text = String::with_capacity(body.len());
    let mut first_bad = None;
    let mut file = skip;
    for chunk in body.utf8_chunks() {
        text.push_str(chunk.valid());
        file += chunk.valid().len();
        let invalid = chunk.invalid();
        if !invalid.is_empty() {
            first_bad.get_or_insert(file);
            text.push(char::REPLACEMENT_CHARACTER);
            file += invalid.len();
            offsets.mark(text.len(), file);
        }
    }
    let warning = first_bad
        .map(|at| format!("not valid UTF-8 (first bad byte at offset {at}); read with bad bytes replaced by U+FFFD"));
    Ok(Decoded { text, offsets, warning })
}

/// Decodes UTF-16 code units after a byte-order mark of `bom` bytes;
/// unpaired surrogates (and an odd last byte) become U+FFFD.
fn utf16(body: &[u8], bom: usize, unit: fn([u8; 2]) -> u16) -> Decoded {
    let units = body.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(body.len() / 2);
    let mut offsets = Offsets::default();
    let mut file = bom;
    let mut bad = None;
    for c in char::decode_utf16(units) {
        offsets.mark(text.len(), file);
        match c {
            Ok(c) => {
                text.push(c);
                file += 2 * c.len_utf16();
            }
            Err(_) => {
                bad.get_or_insert(file);
                text.push(char::REPLACEMENT_CHARACTER);
                file += 2;
            }
        }
    }
    if body.len() % 2 == 1 {
        bad.get_or_insert(file);
        offsets.mark(text.len(), file);
        text.push(char::REPLACEMENT_CHARACTER);
    }
    offsets.mark(text.len(), bom + body.len());
    let warning = bad
        .map(|at| format!("not valid UTF-16 (first bad unit at offset {at}); read with bad units replaced by U+FFFD"));
    Decoded { text, offsets, warning }
}

/// Why bytes are binary rather than text: a NUL byte anywhere (no text
/// encoding but UTF-16 has them, and UTF-16 comes with a byte-order mark),
/// or more than one in ten of the first 8 KiB a control character other
/// than tab, line and page breaks.
fn binary(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(8192)];
    if let Some(at) = memchr::memchr(0, bytes) {
        return Some(format!("binary file (NUL byte at offset {at}), not an article"));
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C) || b == 0x7F)
        .count();
    (controls * 10 > head.len()).then(|| {
        format!(
            "binary file ({controls} control bytes in the first {} bytes), not an article",
            head.len()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_read_unchanged() {
        let d = decode("Kyiv – “peace”".as_bytes()).unwrap();
        assert_eq!(d.text, "Kyiv – “peace”");
        assert!(d.offsets.is_identity());
        assert_eq!(d.warning, None);
    }

    #[test]
    fn utf8_bom_is_dropped_and_offsets_shift_by_three() {
        let d = decode(b"\xEF\xBB\xBFRussia demands").unwrap();
        assert_eq!(d.text, "Russia demands");
        assert_eq!(d.offsets.original(0), 3);
        assert_eq!(d.offsets.original(7), 10);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_offsets_point_into_the_file() {
        let bytes = b"ab\xFF\xFEcd\xC3 ef";
        let d = decode(bytes).unwrap();
        assert_eq!(d.text, "ab\u{FFFD}\u{FFFD}cd\u{FFFD} ef");
        assert!(d.warning.unwrap().contains("offset 2"));
        let c = d.text.find('c').unwrap();
        assert_eq!(bytes[d.offsets.original(c)], b'c');
        let e = d.text.find('e').unwrap();
        assert_eq!(bytes[d.offsets.original(e)], b'e');
        assert_eq!(d.offsets.original(d.text.len()), bytes.len());
    }

    #[test]
    fn utf16_both_byte_orders() {
        let text = "Iran – talks";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for bytes in [le, be] {
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, text);
            assert_eq!(d.warning, None);
            // "talks" is the 8th UTF-16 unit: file offset 2 + 2 * 7.
            let t = d.text.find("talks").unwrap();
            assert_eq!(d.offsets.original(t), 2 + 2 * 7);
            assert_eq!(d.offsets.original(d.text.len()), bytes.len());
        }
    }

    #[test]
    fn utf16_unpaired_surrogate_is_replaced() {
        let bytes = [0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0];
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, "a\u{FFFD}b");
        assert!(d.warning.unwrap().contains("offset 4"));
    }

    #[test]
    fn binary_is_refused() {
        assert!(
            decode(b"PK\x03\x04\x00\x00")
                .unwrap_err()
                .contains("NUL byte at offset 4")
        );
        let controls: Vec<u8> = (0u8..200).map(|i| if i % 3 == 0 { 0x01 } else { b'a' }).collect();
        assert!(decode(&controls).unwrap_err().contains("control bytes"));
        // Text with tabs, form feeds and CRLF is text.
        assert!(decode(b"a\tb\r\n\x0Cc").is_ok());
    }

    #[test]
    fn empty_is_text() {
        assert_eq!(decode(b"").unwrap().text, "");
    }
}
