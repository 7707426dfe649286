//! The PDF file format itself: numbered objects appended to one buffer as they
//! are ready, then the cross-reference table and the trailer.
//!
//! Objects may be written in any order; a number can be reserved before its
//! object is written, so that a page can point at its parent page tree, written
//! last. A page's content stream is therefore deflated and appended the moment
//! the page is full, and the file never holds a page twice.
//!
//! Streams are deflated on a thread of their own while the pages after them are
//! laid out. Objects are appended in the order they were written, each as soon
//! as it and everything before it are ready: the bytes are those of writing
//! them one after the other.
//!
//! The trailer's document id is the SHA-256 of the bytes before it, so equal
//! documents are equal bytes.

use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::mpsc;

/// The number of an indirect object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ObjectId(u32);

impl std::fmt::Display for ObjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} 0 R", self.0)
    }
}

/// Deflate level of the streams: zlib-rs's fastest level that still searches for
/// matches (the page contents of a long project list are most of the file). A
/// higher level costs more time than it saves in size; level 1, which searches
/// for none, saves a little more time for a much larger file (BENCHMARKS.md,
/// change 33).
const DEFLATE_LEVEL: u32 = 2;

/// A PDF file being written.
pub(crate) struct PdfFile {
    bytes: Vec<u8>,
    /// The byte offset of each object, by number − 1; `None` until it is written.
    offsets: Vec<Option<usize>>,
    /// Objects written but not yet appended, in order: those after a stream
    /// still being deflated wait for it.
    queued: VecDeque<Queued>,
    deflater: Deflater,
}

/// An object waiting to be appended.
enum Queued {
    Object(ObjectId, String),
    /// A stream whose data the deflating thread has (and sends back in turn).
    Stream(ObjectId, String),
}

/// A thread that deflates the streams it is sent, in order.
struct Deflater {
    to_deflate: mpsc::SyncSender<Vec<u8>>,
    deflated: mpsc::Receiver<Vec<u8>>,
}

/// How many streams may wait to be deflated before writing another waits.
const QUEUED_STREAMS: usize = 16;

/// Deflating into memory cannot fail, so the thread that does it never stops early.
const DEFLATER_RUNS: &str = "the thread deflating the PDF's streams is running";

impl Deflater {
    fn start() -> Deflater {
        let (to_deflate, streams) = mpsc::sync_channel::<Vec<u8>>(QUEUED_STREAMS);
        let (done, deflated) = mpsc::channel();
        // The thread ends when the file is finished or dropped, its sender with it.
        std::thread::spawn(move || {
            let mut deflater = StreamDeflater::new();
            for data in streams {
                if done.send(deflater.deflate(&data)).is_err() {
                    return;
                }
            }
        });
        Deflater {
            to_deflate,
            deflated,
        }
    }
}

impl PdfFile {
    /// A file with its header written: version 1.7 and the binary-marker comment
    /// that tells transfer tools the file is not text.
    pub(crate) fn new() -> PdfFile {
        let mut bytes = Vec::with_capacity(1 << 16);
        bytes.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        PdfFile {
            bytes,
            offsets: Vec::new(),
            queued: VecDeque::new(),
            deflater: Deflater::start(),
        }
    }

    /// A number for an object to be written later with [`PdfFile::object`] or
    /// [`PdfFile::stream`].
    pub(crate) fn reserve(&mut self) -> ObjectId {
        self.offsets.push(None);
        ObjectId(self.offsets.len() as u32)
    }

    /// Writes the object `id` (reserved earlier) with `body`, a PDF value.
    pub(crate) fn object(&mut self, id: ObjectId, body: &str) {
        if self.queued.is_empty() {
            self.append_object(id, body);
        } else {
            self.queued.push_back(Queued::Object(id, body.to_string()));
        }
    }

    fn append_object(&mut self, id: ObjectId, body: &str) {
        self.begin(id);
        self.bytes.extend_from_slice(body.as_bytes());
        self.bytes.extend_from_slice(b"\nendobj\n");
    }

    /// Writes a new object and returns its number.
    pub(crate) fn add_object(&mut self, body: &str) -> ObjectId {
        let id = self.reserve();
        self.object(id, body);
        id
    }

    /// Writes the stream object `id` with the entries `dict` (without brackets,
    /// may be empty) and `data` deflated.
    pub(crate) fn stream(&mut self, id: ObjectId, dict: &str, data: Vec<u8>) {
        self.deflater.to_deflate.send(data).expect(DEFLATER_RUNS);
        self.queued.push_back(Queued::Stream(id, dict.to_string()));
        self.append_ready(false);
    }

    /// Appends the objects queued that are ready, in order; with `all`, waits
    /// for the streams still being deflated.
    fn append_ready(&mut self, all: bool) {
        while let Some(next) = self.queued.pop_front() {
            match next {
                Queued::Object(id, body) => self.append_object(id, &body),
                Queued::Stream(id, dict) => {
                    let deflated = if all {
                        Some(self.deflater.deflated.recv().expect(DEFLATER_RUNS))
                    } else {
                        self.deflater.deflated.try_recv().ok()
                    };
                    let Some(deflated) = deflated else {
                        self.queued.push_front(Queued::Stream(id, dict));
                        return;
                    };
                    self.append_stream(id, &dict, &deflated);
                }
            }
        }
    }

    fn append_stream(&mut self, id: ObjectId, dict: &str, deflated: &[u8]) {
        self.begin(id);
        let separator = if dict.is_empty() { "" } else { " " };
        let head = format!(
            "<< {dict}{separator}/Length {} /Filter /FlateDecode >>\nstream\n",
            deflated.len()
        );
        self.bytes.extend_from_slice(head.as_bytes());
        self.bytes.extend_from_slice(deflated);
        self.bytes.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// Writes a new stream object of `data` deflated and returns its number.
    pub(crate) fn add_stream(&mut self, dict: &str, data: Vec<u8>) -> ObjectId {
        let id = self.reserve();
        self.stream(id, dict, data);
        id
    }

    fn begin(&mut self, id: ObjectId) {
        let slot = &mut self.offsets[id.0 as usize - 1];
        debug_assert!(slot.is_none(), "object {} written twice", id.0);
        *slot = Some(self.bytes.len());
        let _ = writeln!(self.bytes, "{} 0 obj", id.0);
    }

    /// The finished file: the cross-reference table and the trailer naming `root`
    /// (the catalog) and `info`. Every reserved number must have been written.
    pub(crate) fn finish(mut self, root: ObjectId, info: ObjectId) -> Vec<u8> {
        self.append_ready(true);
        let start = self.bytes.len();
        let count = self.offsets.len() + 1;
        let mut table = format!("xref\n0 {count}\n0000000000 65535 f \n");
        for (number, offset) in self.offsets.iter().enumerate() {
            let offset = offset.unwrap_or_else(|| panic!("object {} never written", number + 1));
            let _ = writeln!(table, "{offset:010} 00000 n ");
        }
        self.bytes.extend_from_slice(table.as_bytes());
        let digest = Sha256::digest(&self.bytes);
        let id: String = digest[..16].iter().map(|b| format!("{b:02X}")).collect();
        let trailer = format!(
            "trailer\n<< /Size {count} /Root {root} /Info {info} /ID [<{id}> <{id}>] >>\nstartxref\n{start}\n%%EOF\n"
        );
        self.bytes.extend_from_slice(trailer.as_bytes());
        self.bytes
    }
}

/// Deflates streams one after another with one encoder, reset between them:
/// a fresh encoder for each of a long list's thousands of pages would allocate
/// and clear its window and tables every time.
struct StreamDeflater {
    encoder: flate2::write::ZlibEncoder<Vec<u8>>,
}

impl StreamDeflater {
    fn new() -> StreamDeflater {
        StreamDeflater {
            encoder: flate2::write::ZlibEncoder::new(
                Vec::new(),
                flate2::Compression::new(DEFLATE_LEVEL),
            ),
        }
    }

    /// `data` deflated with a zlib header, as `/FlateDecode` expects.
    fn deflate(&mut self, data: &[u8]) -> Vec<u8> {
        // Writing into a vector cannot fail.
        self.encoder
            .write_all(data)
            .and_then(|()| self.encoder.reset(Vec::with_capacity(data.len() / 4 + 64)))
            .expect("deflating into memory")
    }
}

/// `text` as a PDF text string: a literal in PDFDocEncoding when it is printable
/// ASCII, otherwise UTF-16BE with a byte-order mark, in hexadecimal.
pub(crate) fn text_string(text: &str) -> String {
    if text.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        let mut out = String::with_capacity(text.len() + 2);
        out.push('(');
        for ch in text.chars() {
            if matches!(ch, '(' | ')' | '\\') {
                out.push('\\');
            }
            out.push(ch);
        }
        out.push(')');
        out
    } else {
        let mut out = String::from("<FEFF");
        for unit in text.encode_utf16() {
            let _ = write!(out, "{unit:04X}");
        }
        out.push('>');
        out
    }
}

/// A number as PDF writes it: at most `decimals` (up to 6) decimals, without
/// trailing zeros.
pub(crate) fn number(value: f32, decimals: u32) -> String {
    let mut out = Vec::new();
    push_number(&mut out, value, decimals);
    String::from_utf8(out).expect("digits are ASCII")
}

/// Appends `value` with at most `decimals` (up to 6) decimals and no trailing
/// zeros. Content streams hold millions of coordinates, so this is integer
/// arithmetic rather than float formatting.
pub(crate) fn push_number(out: &mut Vec<u8>, value: f32, decimals: u32) {
    let scale = 10_i64.pow(decimals.min(6));
    let scaled = (f64::from(value) * scale as f64).round() as i64;
    push_scaled(out, scaled, decimals);
}

/// Appends `scaled` ÷ 10^`decimals` (up to 6) without trailing zeros.
pub(crate) fn push_scaled(out: &mut Vec<u8>, scaled: i64, decimals: u32) {
    let scale = 10_i64.pow(decimals.min(6));
    if scaled < 0 {
        out.push(b'-');
    }
    let magnitude = scaled.unsigned_abs();
    let scale = scale as u64;
    push_digits(out, magnitude / scale);
    let mut fraction = magnitude % scale;
    if fraction > 0 {
        out.push(b'.');
        let mut divisor = scale / 10;
        while fraction > 0 {
            out.push(b'0' + (fraction / divisor) as u8);
            fraction %= divisor;
            divisor /= 10;
        }
    }
}

fn push_digits(out: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_cross_reference_table_points_at_every_object() {
        let mut file = PdfFile::new();
        let later = file.reserve();
        let first = file.add_object("<< /Type /Catalog /Pages 2 0 R >>");
        file.object(later, "(written second)");
        let stream = file.add_stream("", b"BT ET".to_vec());
        let bytes = file.finish(first, later);
        // Offsets are in bytes; the header's marker and the deflated stream are not text.
        let xref = bytes.windows(6).rposition(|w| w == b"\nxref\n").unwrap() + 1;
        let tail = String::from_utf8(bytes[xref..].to_vec()).unwrap();
        let offsets: Vec<usize> = tail
            .lines()
            .skip(3)
            .take(3)
            .map(|l| l[..10].parse().unwrap())
            .collect();
        for (id, offset) in [later, first, stream].iter().zip(offsets) {
            let number = id.to_string().replace(" 0 R", "");
            assert!(bytes[offset..].starts_with(format!("{number} 0 obj\n").as_bytes()));
        }
        let start: usize = tail.lines().rev().nth(1).unwrap().parse().unwrap();
        assert_eq!(start, xref);
        assert!(tail.contains("/Size 4 /Root 2 0 R /Info 1 0 R /ID [<"));
    }

    #[test]
    fn objects_written_after_a_stream_come_after_it_in_the_file() {
        let mut file = PdfFile::new();
        let mut written = Vec::new();
        for page in 0..100 {
            let content = format!("BT ({page}) Tj ET ").repeat(200);
            written.push(file.add_stream("", content.into_bytes()));
            written.push(file.add_object(&format!("<< /Page {page} >>")));
        }
        let bytes = file.finish(written[1], written[1]);
        let at = |id: &ObjectId| {
            let number = id.to_string().replace(" 0 R", "");
            let head = format!("\n{number} 0 obj\n");
            bytes
                .windows(head.len())
                .position(|w| w == head.as_bytes())
                .unwrap()
        };
        let offsets: Vec<usize> = written.iter().map(at).collect();
        assert!(
            offsets.windows(2).all(|w| w[0] < w[1]),
            "in the order written"
        );
        let last = String::from_utf8_lossy(&bytes[offsets[198]..]).into_owned();
        let data = last.find("stream\n").unwrap() + "stream\n".len();
        let mut inflated = String::new();
        let deflated = &bytes[offsets[198] + data..];
        flate2::read::ZlibDecoder::new(deflated)
            .read_to_string(&mut inflated)
            .unwrap();
        assert!(inflated.starts_with("BT (99) Tj ET "));
    }

    #[test]
    fn equal_documents_are_equal_bytes_and_others_get_another_id() {
        let write = |title: &str| {
            let mut file = PdfFile::new();
            let info = file.add_object(&format!("<< /Title {} >>", text_string(title)));
            file.finish(info, info)
        };
        assert_eq!(write("a"), write("a"));
        let id = |bytes: &[u8]| {
            let text = String::from_utf8_lossy(bytes).into_owned();
            text[text.find("/ID").unwrap()..].to_string()
        };
        assert_ne!(id(&write("a")), id(&write("b")));
    }

    #[test]
    fn text_strings_are_literal_when_ascii_and_utf16_otherwise() {
        assert_eq!(text_string("Report (2026)"), "(Report \\(2026\\))");
        assert_eq!(
            text_string("Mobilità €"),
            "<FEFF004D006F00620069006C0069007400E0002020AC>"
        );
    }

    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(number(51.0236, 2), "51.02");
        assert_eq!(number(51.0, 2), "51");
        assert_eq!(number(0.5, 3), "0.5");
        assert_eq!(number(-0.001, 2), "0");
        assert_eq!(number(841.8898, 4), "841.8898");
        assert_eq!(number(-12.345, 2), "-12.35");
        assert_eq!(number(0.05, 2), "0.05");
        assert_eq!(number(1000.0, 3), "1000");
    }
}
