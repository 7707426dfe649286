//! Password-protected workbooks, told apart before a reader tries them, so that
//! the message says what the file is instead of "Cannot detect file format" or
//! an error in the garbage the reader finds:
//!
//! - an xlsx, xlsm or xlsb saved with a password to open is no longer a zip
//!   package: Excel encrypts the package into a compound file ([`super::cfb`])
//!   holding an `EncryptionInfo` and an `EncryptedPackage` stream
//!   ([MS-OFFCRYPTO] 2.3.4.4, 2.3.4.5);
//! - an xls keeps its compound file, but a FILEPASS record (0x002F, [MS-XLS]
//!   2.4.117) among the globals of its Workbook stream says that the records
//!   after it are encrypted;
//! - an ods keeps its zip package, but its `META-INF/manifest.xml` gives each
//!   encrypted part a `manifest:encryption-data` element.
//!
//! Nothing is decrypted: such a file is an unreadable input whose message says
//! to save it without the password.

use super::{cfb, package, xls_guard};
use crate::error::{Error, Result};
use crate::location::Location;
use std::io::Read;

/// FILEPASS: the records after it are encrypted.
const FILEPASS: u16 = 0x002F;
/// EOF: the end of the globals.
const EOF: u16 = 0x000A;
/// The most of an ods manifest read: it lists one line per part of the package.
const MAX_MANIFEST: u64 = 1 << 20;

/// Refuses the workbook `bytes` (shown as `display`) when it is encrypted with a
/// password.
///
/// # Errors
/// [`Error::UnreadableInput`] naming the file and saying to save it without the
/// password.
pub(crate) fn check(bytes: &[u8], display: &str) -> Result<()> {
    if !is_encrypted(bytes) {
        return Ok(());
    }
    Err(Error::unreadable(
        Location::file(display),
        "the workbook is encrypted with a password to open it, and cannot be read: save it again without the password.",
    ))
}

/// Whether `bytes` is an encrypted OOXML package, an xls with a FILEPASS record
/// or an ods with encrypted parts. A file that cannot be read far enough to tell
/// is not called encrypted: its reader will say what is wrong with it.
fn is_encrypted(bytes: &[u8]) -> bool {
    if bytes.starts_with(cfb::SIGNATURE) {
        encrypted_package(bytes) || xls_with_filepass(bytes)
    } else {
        package::is_ods(bytes) && ods_with_encrypted_parts(bytes)
    }
}

fn encrypted_package(bytes: &[u8]) -> bool {
    let Ok(names) = cfb::names(bytes) else {
        return false;
    };
    let has = |stream: &str| names.iter().any(|n| n.eq_ignore_ascii_case(stream));
    has("EncryptionInfo") && has("EncryptedPackage")
}

fn xls_with_filepass(bytes: &[u8]) -> bool {
    let Ok(stream) = cfb::stream(bytes, &["Workbook", "Book"]) else {
        return false;
    };
    let mut globals = xls_guard::records(&stream, 0).take_while(|(typ, _)| *typ != EOF);
    globals.any(|(typ, _)| typ == FILEPASS)
}

fn ods_with_encrypted_parts(bytes: &[u8]) -> bool {
    let Ok(mut zip) = package::Package::open(bytes) else {
        return false;
    };
    let Ok(Some(part)) = zip.part("META-INF/manifest.xml") else {
        return false;
    };
    let mut manifest = Vec::new();
    if part.take(MAX_MANIFEST).read_to_end(&mut manifest).is_err() {
        return false;
    }
    memchr::memmem::find(&manifest, b"manifest:encryption-data").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::cfb::tests::compound;
    use std::io::Write;

    fn record(typ: u16, body: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((body.len() as u16).to_le_bytes());
        r.extend_from_slice(body);
        r
    }

    /// The globals of an xls Workbook stream: BOF, `middle`, EOF.
    fn globals(middle: &[u8]) -> Vec<u8> {
        let mut stream = record(0x0809, &[0x00, 0x06, 0x05, 0x00]);
        stream.extend_from_slice(middle);
        stream.extend(record(EOF, &[]));
        stream
    }

    fn ods(manifest: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("META-INF/manifest.xml", stored).unwrap();
        zip.write_all(manifest.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn an_encrypted_ooxml_package_is_refused_with_a_sentence() {
        let file = compound(&[
            ("EncryptionInfo", &[4, 0, 4, 0, 0x40, 0, 0, 0]),
            ("EncryptedPackage", &[0u8; 600]),
        ]);
        let error = check(&file, "in/bilancio.xlsx").unwrap_err();
        assert_eq!(
            error.to_string(),
            "in/bilancio.xlsx: the workbook is encrypted with a password to open it, and cannot be read: save it again without the password."
        );
        assert_eq!(error.exit_code(), 3);
        // Either stream alone is not the encrypted package.
        assert!(check(&compound(&[("EncryptedPackage", &[0u8; 8])]), "a").is_ok());
    }

    #[test]
    fn an_xls_is_encrypted_when_its_globals_hold_a_filepass_record() {
        let filepass = record(FILEPASS, &[1, 0, 1, 0, 1, 0]);
        let encrypted = compound(&[("Workbook", &globals(&filepass))]);
        assert!(check(&encrypted, "a.xls").is_err());
        // A FILEPASS after the globals' EOF is not theirs; a plain xls passes.
        let mut after = globals(&[]);
        after.extend(&filepass);
        assert!(check(&compound(&[("Workbook", &after)]), "a.xls").is_ok());
        assert!(check(&compound(&[("Workbook", &globals(&[]))]), "a.xls").is_ok());
    }

    #[test]
    fn an_ods_is_encrypted_when_its_manifest_says_so() {
        let plain = r#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"/></manifest:manifest>"#;
        let encrypted = r#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>"#;
        assert!(check(&ods(plain), "a.ods").is_ok());
        assert!(check(&ods(encrypted), "a.ods").is_err());
    }

    #[test]
    fn what_is_not_a_workbook_is_not_called_encrypted() {
        assert!(check(b"", "a").is_ok());
        assert!(check(b"Codice fiscale;Categoria\n", "a").is_ok());
        assert!(check(&cfb::SIGNATURE[..], "a").is_ok());
    }
}
