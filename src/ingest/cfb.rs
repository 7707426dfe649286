//! The streams of a compound file (CFB, OLE2, [MS-CFB]), the container of an xls
//! workbook: just enough of it to hand [`super::xls_guard`] the Workbook stream
//! that calamine will parse.
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A version 3 compound file holding `streams` (name, content): a root entry,
    /// the FAT in the last sectors (at most 109 of them), streams of 4,096 bytes or more in regular sectors and the
    /// others in the mini stream. Enough for the tests of this module and of
    /// [`super::super::xls_guard`].
    pub(crate) fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
        const S: usize = 512;
        let mut sectors: Vec<Vec<u8>> = Vec::new();
        let mut fat: Vec<u32> = Vec::new();
        let chain_of = |data: &[u8], sectors: &mut Vec<Vec<u8>>, fat: &mut Vec<u32>| {
            let first = sectors.len() as u32;
            let chunks: Vec<&[u8]> = data.chunks(S).collect();
            for (i, chunk) in chunks.iter().enumerate() {
                let mut sector = chunk.to_vec();
                sector.resize(S, 0);
                sectors.push(sector);
                fat.push(if i + 1 == chunks.len() {
                    END_OF_CHAIN
                } else {
                    first + i as u32 + 1
                });
            }
            if chunks.is_empty() {
                END_OF_CHAIN
            } else {
                first
            }
        };
        let mut mini_stream = Vec::new();
        let mut mini_fat: Vec<u32> = Vec::new();
        let mut entries = Vec::new();
        for (name, data) in streams {
            let (start, size) = if data.len() as u64 >= MINI_STREAM_CUTOFF {
                (chain_of(data, &mut sectors, &mut fat), data.len())
            } else {
                let first = (mini_stream.len() / MINI_SECTOR) as u32;
                let n = data.len().div_ceil(MINI_SECTOR);
                for i in 0..n {
                    mini_fat.push(if i + 1 == n {
                        END_OF_CHAIN
                    } else {
                        first + i as u32 + 1
                    });
                }
                mini_stream.extend_from_slice(data);
                mini_stream.resize(mini_stream.len().div_ceil(MINI_SECTOR) * MINI_SECTOR, 0);
                (if n == 0 { END_OF_CHAIN } else { first }, data.len())
            };
            entries.push(entry(name, 2, start, size as u64));
        }
        let mini_fat_bytes: Vec<u8> = mini_fat.iter().flat_map(|l| l.to_le_bytes()).collect();
        let mini_fat_start = chain_of(&mini_fat_bytes, &mut sectors, &mut fat);
        let root_start = chain_of(&mini_stream, &mut sectors, &mut fat);
        let mut directory = entry("Root Entry", 5, root_start, mini_stream.len() as u64);
        for e in entries {
            directory.extend(e);
        }
        let dir_start = chain_of(&directory, &mut sectors, &mut fat);
        let first_fat = sectors.len() as u32;
        let fat_sectors = (sectors.len() + 1).div_ceil(S / 4 - 1) as u32;
        assert!(
            fat_sectors <= 109,
            "the header's FAT list is enough for the tests"
        );
        fat.extend((0..fat_sectors).map(|_| 0xFFFF_FFFDu32));
        fat.resize(fat_sectors as usize * S / 4, 0xFFFF_FFFF);
        sectors.extend(
            fat.chunks(S / 4)
                .map(|c| c.iter().flat_map(|l| l.to_le_bytes()).collect()),
        );

        let mut header = vec![0u8; 512];
        header[..8].copy_from_slice(SIGNATURE);
        header[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes());
        header[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
        header[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
        header[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
        header[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
        header[0x2C..0x30].copy_from_slice(&fat_sectors.to_le_bytes());
        header[0x30..0x34].copy_from_slice(&dir_start.to_le_bytes());
        header[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
        header[0x3C..0x40].copy_from_slice(&mini_fat_start.to_le_bytes());
        let mini_fat_sectors = mini_fat_bytes.len().div_ceil(S) as u32;
        header[0x40..0x44].copy_from_slice(&mini_fat_sectors.to_le_bytes());
        header[0x44..0x48].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        for i in 0..109 {
            let link = if (i as u32) < fat_sectors {
                first_fat + i as u32
            } else {
                0xFFFF_FFFF
            };
            header[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&link.to_le_bytes());
        }
        header.extend(sectors.concat());
        header
    }

    fn entry(name: &str, kind: u8, start: u32, size: u64) -> Vec<u8> {
        let mut e = vec![0u8; DIRECTORY_ENTRY];
        let units: Vec<u16> = name.encode_utf16().chain([0]).collect();
        for (i, u) in units.iter().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&(2 * units.len() as u16).to_le_bytes());
        e[66] = kind;
        for at in [68, 72, 76] {
            e[at..at + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..128].copy_from_slice(&size.to_le_bytes());
        e
    }

    #[test]
    fn small_and_large_streams_are_read_back() {
        let small: Vec<u8> = (0..300u32).map(|i| i as u8).collect();
        let large: Vec<u8> = (0..5000u32).map(|i| (i * 7) as u8).collect();
        let file = compound(&[("Small", &small), ("Workbook", &large)]);
        assert_eq!(stream(&file, &["small"]).unwrap(), small);
        assert_eq!(stream(&file, &["Book", "WORKBOOK"]).unwrap(), large);
        assert!(stream(&file, &["Absent"]).unwrap_err().contains("Absent"));
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
