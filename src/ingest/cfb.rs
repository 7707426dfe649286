//! The streams of a compound file (CFB, OLE2, [MS-CFB]), the container of an xls
//! workbook and of an xlsx, xlsm or xlsb saved with a password: just enough of
//! it to hand [`super::xls_guard`] the Workbook stream that calamine will parse,
//! and [`super::encrypted`] the names of the streams.
//!
//! The file is a 512-byte header and sectors of 512 (version 3) or 4096
//! (version 4) bytes, sector `n` starting at `(n + 1) × size`. The header names
//! the first 109 sectors of the FAT (the table of next-sector links); the DIFAT
//! sectors chained from the header name the rest, the last four bytes of each
//! pointing to the next. The directory is a chain of 128-byte entries (name in
//! UTF-16, start sector, size); the root entry's chain is the mini stream, in
//! which streams smaller than 4,096 bytes live as 64-byte mini sectors linked by
//! the mini FAT. Streams are found by name regardless of ASCII case, small ones
//! read from the mini stream, as calamine 0.38 (`cfb.rs`) does.
//!
//! Every offset is checked against the file and a chain that comes back to a
//! sector it has passed is an error, so nothing read here is larger than the
//! file.

/// The signature that opens every compound file.
pub(crate) const SIGNATURE: &[u8; 8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Sector numbers from here up are markers (end of chain, free, FAT, DIFAT).
const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// Streams smaller than this live in the mini stream (calamine uses the fixed
/// value, not the header's cutoff field, which the standard fixes at 4,096).
const MINI_STREAM_CUTOFF: u64 = 4096;
const MINI_SECTOR: usize = 64;
const DIRECTORY_ENTRY: usize = 128;

/// The content of the first stream named one of `names` (tried in order), in
/// the compound file `bytes`.
///
/// # Errors
/// What is wrong, when `bytes` is not a compound file, a chain or an offset
/// leaves the file, or no stream has any of the names.
pub(crate) fn stream(bytes: &[u8], names: &[&str]) -> Result<Vec<u8>, String> {
    let file = Compound::open(bytes)?;
    for name in names {
        if let Some(entry) = file
            .directory
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
        {
            return file.read(entry);
        }
    }
    Err(format!("no stream named {}", names.join(" or ")))
}

/// The names of the entries (streams and storages) of the compound file
/// `bytes`, in the order of its directory; unused entries, which have no name,
/// are left out.
///
/// # Errors
/// What is wrong, when `bytes` is not a compound file or its directory cannot
/// be read.
pub(crate) fn names(bytes: &[u8]) -> Result<Vec<String>, String> {
    let file = Compound::open(bytes)?;
    let named = file.directory.into_iter().filter(|e| !e.name.is_empty());
    Ok(named.map(|e| e.name).collect())
}

/// One directory entry: its name, first sector and size.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    start: u32,
    size: u64,
}

struct Compound<'a> {
    bytes: &'a [u8],
    sector: usize,
    fat: Vec<u32>,
    directory: Vec<Entry>,
}

impl<'a> Compound<'a> {
    fn open(bytes: &'a [u8]) -> Result<Compound<'a>, String> {
        if bytes.len() < 512 || !bytes.starts_with(SIGNATURE) {
            return Err("not a compound file".into());
        }
        let sector = match u16_at(bytes, 0x1E) {
            9 => 512,
            12 => 4096,
            shift => return Err(format!("sector shift {shift}")),
        };
        let mut file = Compound {
            bytes,
            sector,
            fat: Vec::new(),
            directory: Vec::new(),
        };
        // The FAT's sectors: the header's 109, then those of the DIFAT chain.
        let mut fat_sectors: Vec<u32> = (0..109).map(|i| u32_at(bytes, 0x4C + 4 * i)).collect();
        let per_difat = sector / 4 - 1;
        let mut next = u32_at(bytes, 0x44);
        let mut steps = 0;
        while next < MAX_REGULAR_SECTOR {
            steps += 1;
            if steps > file.sector_count() {
                return Err("the DIFAT chain loops".into());
            }
            let difat = file.sector_bytes(next)?;
            if difat.len() < sector {
                return Err(format!("DIFAT sector {next} is cut short"));
            }
            fat_sectors.extend((0..per_difat).map(|i| u32_at(difat, 4 * i)));
            next = u32_at(difat, 4 * per_difat);
        }
        let mut fat = Vec::new();
        for id in fat_sectors
            .into_iter()
            .filter(|&id| id < MAX_REGULAR_SECTOR)
        {
            if fat.len() / (sector / 4) >= file.sector_count() {
                return Err("the FAT is larger than the file".into());
            }
            let links = file.sector_bytes(id)?;
            fat.extend(links.chunks_exact(4).map(|b| u32_at(b, 0)));
        }
        file.fat = fat;
        let entries = file.chain(u32_at(bytes, 0x30), u64::MAX)?;
        file.directory = entries
            .chunks_exact(DIRECTORY_ENTRY)
            .map(|e| Entry {
                name: entry_name(e),
                start: u32_at(e, 116),
                size: match sector {
                    // Version 3 files may hold garbage in the high half.
                    512 => u64::from(u32_at(e, 120)),
                    _ => u64_at(e, 120),
                },
            })
            .collect();
        if file.directory.is_empty() {
            return Err("the directory is empty".into());
        }
        Ok(file)
    }

    /// How many sectors the file holds, the last one possibly cut short.
    fn sector_count(&self) -> usize {
        self.bytes.len().div_ceil(self.sector)
    }

    /// Sector `id`, shorter than a sector when the file ends inside it.
    fn sector_bytes(&self, id: u32) -> Result<&'a [u8], String> {
        let start = (id as usize)
            .checked_add(1)
            .and_then(|n| n.checked_mul(self.sector))
            .filter(|&start| start < self.bytes.len())
            .ok_or_else(|| format!("sector {id} lies beyond the end of the file"))?;
        let end = (start + self.sector).min(self.bytes.len());
        Ok(&self.bytes[start..end])
    }

    /// The chain of sectors from `start`, at most `size` bytes of it.
    fn chain(&self, start: u32, size: u64) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut id = start;
        let mut seen = vec![false; self.sector_count()];
        while id != END_OF_CHAIN && (out.len() as u64) < size {
            let sector = self.sector_bytes(id)?;
            if std::mem::replace(&mut seen[id as usize], true) {
                return Err("a sector chain loops".into());
            }
            let wanted = (size - out.len() as u64).min(sector.len() as u64) as usize;
            out.extend_from_slice(&sector[..wanted]);
            id = *self
                .fat
                .get(id as usize)
                .ok_or_else(|| format!("sector {id} has no FAT entry"))?;
        }
        Ok(out)
    }

    /// The content of the stream of `entry`.
    fn read(&self, entry: &Entry) -> Result<Vec<u8>, String> {
        if entry.size >= MINI_STREAM_CUTOFF {
            return self.chain(entry.start, entry.size);
        }
        let root = &self.directory[0];
        let mini_stream = self.chain(root.start, root.size)?;
        let mini_fat_sectors = u64::from(u32_at(self.bytes, 0x40));
        let mini_fat = self.chain(
            u32_at(self.bytes, 0x3C),
            mini_fat_sectors.saturating_mul(self.sector as u64),
        )?;
        let mut out = Vec::new();
        let mut id = entry.start;
        let mut seen = vec![false; mini_stream.len().div_ceil(MINI_SECTOR)];
        while id != END_OF_CHAIN && (out.len() as u64) < entry.size {
            let start = (id as usize).saturating_mul(MINI_SECTOR);
            if start >= mini_stream.len() {
                return Err(format!("mini sector {id} lies beyond the mini stream"));
            }
            if std::mem::replace(&mut seen[id as usize], true) {
                return Err("a mini sector chain loops".into());
            }
            let sector = &mini_stream[start..(start + MINI_SECTOR).min(mini_stream.len())];
            let wanted = (entry.size - out.len() as u64).min(sector.len() as u64) as usize;
            out.extend_from_slice(&sector[..wanted]);
            id = mini_fat
                .get(4 * id as usize..4 * id as usize + 4)
                .map(|b| u32_at(b, 0))
                .ok_or_else(|| format!("mini sector {id} has no mini FAT entry"))?;
        }
        Ok(out)
    }
}

/// The name of a directory entry: UTF-16 of the declared length, without the
/// final NUL.
fn entry_name(entry: &[u8]) -> String {
    let len = usize::from(u16_at(entry, 64)).min(64);
    let units: Vec<u16> = entry[..len]
        .chunks_exact(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

pub(crate) fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

pub(crate) fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes"))
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"))
}

/// The tests' compound file writer, shared with the integration tests.
#[cfg(test)]
#[path = "../../tests/common/compound.rs"]
mod writer;

#[cfg(test)]
pub(crate) mod tests {
    pub(crate) use super::writer::compound;
    use super::*;

    #[test]
    fn small_and_large_streams_are_read_back() {
        let small: Vec<u8> = (0..300u32).map(|i| i as u8).collect();
        let large: Vec<u8> = (0..5000u32).map(|i| (i * 7) as u8).collect();
        let file = compound(&[("Small", &small), ("Workbook", &large)]);
        assert_eq!(stream(&file, &["small"]).unwrap(), small);
        assert_eq!(stream(&file, &["Book", "WORKBOOK"]).unwrap(), large);
        assert!(stream(&file, &["Absent"]).unwrap_err().contains("Absent"));
        assert_eq!(names(&file).unwrap(), ["Root Entry", "Small", "Workbook"]);
        assert!(names(b"not a compound file").is_err());
    }

    #[test]
    fn damaged_containers_are_errors_not_panics() {
        let large = vec![1u8; 5000];
        let good = compound(&[("Workbook", &large)]);
        assert!(stream(b"not a compound file", &["Workbook"]).is_err());
        // The FAT sector named beyond the end of the file.
        let mut far = good.clone();
        far[0x4C..0x50].copy_from_slice(&0x00FF_FFFFu32.to_le_bytes());
        assert!(stream(&far, &["Workbook"]).is_err());
        // A chain that loops: the stream's first sector (0) links to itself.
        let mut looped = good.clone();
        let fat = 512 * (1 + u32_at(&good, 0x4C) as usize);
        looped[fat..fat + 4].copy_from_slice(&0u32.to_le_bytes());
        assert!(stream(&looped, &["Workbook"])
            .unwrap_err()
            .contains("loops"));
        // Cut short: the directory's sector is gone.
        assert!(stream(&good[..good.len() - 512], &["Workbook"]).is_err());
        // Every prefix of the file is an error or a stream, never a panic.
        for len in (0..good.len()).step_by(97) {
            let _ = stream(&good[..len], &["Workbook"]);
        }
    }

    #[test]
    fn the_difat_chain_beyond_the_header_is_followed() {
        // Move the FAT's sector number from the header to a DIFAT sector
        // appended at the end of the file.
        let large = vec![3u8; 5000];
        let mut file = compound(&[("Workbook", &large)]);
        let difat_id = (file.len() / 512 - 1) as u32;
        let mut difat = vec![0xFFu8; 512];
        let fat_sector = file[0x4C..0x50].to_owned();
        difat[..4].copy_from_slice(&fat_sector);
        difat[508..].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        file.extend(difat);
        file[0x4C..0x50].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        file[0x44..0x48].copy_from_slice(&difat_id.to_le_bytes());
        file[0x48..0x4C].copy_from_slice(&1u32.to_le_bytes());
        assert_eq!(stream(&file, &["Workbook"]).unwrap(), large);
        // A DIFAT chain pointing at itself is a loop, not a hang.
        let at = file.len() - 4;
        file[at..].copy_from_slice(&difat_id.to_le_bytes());
        assert!(stream(&file, &["Workbook"]).unwrap_err().contains("loops"));
    }
}
