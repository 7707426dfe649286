//! A small writer of compound files (CFB, OLE2, [MS-CFB]), the container of xls
//! workbooks and of password-protected xlsx ones, for the unit tests of
//! `src/ingest/cfb.rs` and its users and for the integration tests: the tests
//! build the files they need rather than keep them.
//!
//! It writes a version 3 file (512-byte sectors): the header with the FAT's
//! sectors, the streams, the mini FAT, the mini stream (the root entry's chain)
//! and the directory, its entries in the order given and without the tree links
//! between them, which neither consolida's reader nor calamine's follows.

const SIGNATURE: &[u8; 8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const MINI_STREAM_CUTOFF: u64 = 4096;
const MINI_SECTOR: usize = 64;
const DIRECTORY_ENTRY: usize = 128;

/// A version 3 compound file holding `streams` (name, content): a root entry,
/// the FAT in the last sectors (at most 109 of them), streams of 4,096 bytes or
/// more in regular sectors and the others in the mini stream.
pub fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
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
