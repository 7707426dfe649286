//! The inputs folder as it comes: files whose name or encoding says one thing
//! and whose bytes another, names that are not UTF-8, links out of the folder,
//! workbooks encrypted with a password, and a line wider than a sheet. Each test
//! builds the files it needs.

use crate::common::compound::compound;
use crate::common::{root, Run, Workdir};
use serde_json::Value;

const HEADER: &str = "Codice fiscale;Categoria;Cluster\n";

/// A member list in UTF-8: a header and one row per (id, cluster), every member
/// an SME.
fn members(rows: &[(&str, &str)]) -> String {
    let mut text = HEADER.to_string();
    for (id, cluster) in rows {
        text.push_str(&format!("{id};PMI;{cluster}\n"));
    }
    text
}

/// A test folder with an empty `inputs/`.
fn folder(name: &str) -> Workdir {
    let wd = Workdir::new(&format!("inputs-{name}"));
    std::fs::create_dir_all(wd.path("inputs")).unwrap();
    wd
}

fn validate(wd: &Workdir) -> Run {
    wd.run(&["validate", "--inputs", "inputs"])
}

/// Runs the report into `out/` (CSV only, quiet, `extra` flags added).
fn report(wd: &Workdir, extra: &[&str]) -> Run {
    let mut args = vec![
        "--out", "out", "--period", "2026-11", "--format", "csv", "--quiet",
    ];
    args.extend_from_slice(extra);
    wd.run(&args)
}

fn paths(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect()
}

#[test]
fn a_utf16_csv_without_a_byte_order_mark_is_read() {
    let wd = folder("utf16-without-bom");
    let text = "Codice fiscale\tCategoria\tCluster\r\n01\tPMI\tMobilità\r\n02\tGrandi imprese\tEnergia\r\n";
    let little: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for bytes in [little, big] {
        std::fs::write(wd.path("inputs/soci.csv"), bytes).unwrap();
        validate(&wd).expect_code(0).expect_stderr(
            "consolida validate: 1 file, 2 righe lette, 0 scartate, 0 errori, 0 avvisi\n",
        );
    }
}

#[test]
fn a_workbook_named_csv_is_read_as_a_workbook_with_a_warning() {
    let formats = root().join("tests/fixtures/formats");
    for (name, what) in [
        (
            "soci.xlsx",
            "un pacchetto zip, come le cartelle di lavoro xlsx, xlsm, xlsb e ods",
        ),
        (
            "soci.xls",
            "un file composito, come le cartelle di lavoro xls",
        ),
        (
            "soci.ods",
            "un pacchetto zip, come le cartelle di lavoro xlsx, xlsm, xlsb e ods",
        ),
    ] {
        let wd = folder(&format!("workbook-named-csv-{name}"));
        std::fs::copy(formats.join(name), wd.path("inputs/soci.csv")).unwrap();
        validate(&wd).expect_code(0).expect_stderr(&format!(
            concat!(
                "inputs/soci.csv: 0 errori, 2 avvisi\n",
                "  inputs/soci.csv: avviso: Il file ha l'estensione .csv ma è una cartella di lavoro ({}): è letto come tale. Dare al file l'estensione del suo formato.\n",
                "  inputs/soci.csv:Soci!A18: avviso: La riga 18 in fondo alla tabella è una nota, non un dato, e non è letta: «Fonte: segreteria del cluster».\n",
                "consolida validate: 1 file, 12 righe lette, 0 scartate, 0 errori, 2 avvisi\n",
            ),
            what
        ));
    }
}

#[test]
fn bytes_that_are_neither_text_nor_a_workbook_are_an_error_never_a_warning() {
    let wd = folder("not-text");
    std::fs::write(
        wd.path("inputs/soci.csv"),
        members(&[("01", "Mobilità"), ("02", "Energia")]),
    )
    .unwrap();
    // A PNG image saved with a .csv name.
    std::fs::write(
        wd.path("inputs/progetti.csv"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06",
    )
    .unwrap();
    // A [[source]] for the file alone does not stop the run for matching nothing.
    std::fs::write(
        wd.path("inputs/consolida.toml"),
        "[[source]]\npath = \"progetti.csv\"\nkind = \"projects\"\n",
    )
    .unwrap();
    let message = "the file is not text: it holds NUL bytes and is neither UTF-8 nor UTF-16, and it is not a workbook either.";

    // Without --strict: an error among the issues, and the report is made
    // from the other files.
    report(&wd, &[]).expect_code(0).expect_stderr("");
    let summary = wd.json("out/2026-11/summary.json");
    assert_eq!(summary["issues"]["errors"], 1, "{summary}");
    assert_eq!(summary["members"]["total"], 2);
    assert_eq!(
        paths(&summary["inputs"]),
        ["inputs/soci.csv"],
        "the file left out is not among the inputs"
    );
    assert_eq!(
        wd.read("out/2026-11/issues.csv"),
        concat!(
            "severity,file,sheet,cell,row,value,expected,message,suggestion,period,cluster,code\n",
            "error,inputs/progetti.csv,,,,,,\"The file is not text: it holds NUL bytes and is neither UTF-8 nor UTF-16, and it is not a workbook either. The file is left out of the report.\",,2026-11,,file_left_out\n",
        )
    );

    // With --strict, and in validate: exit code 3, naming the file.
    let stderr = format!("consolida: error: inputs/progetti.csv: {message}\n");
    report(&wd, &["--strict"])
        .expect_code(3)
        .expect_stderr(&stderr);
    validate(&wd).expect_code(3).expect_stderr(&stderr);
}

#[test]
fn a_utf8_csv_with_windows_1252_lines_is_decoded_line_by_line() {
    let wd = folder("mixed-encoding");
    let mut bytes = members(&[("01", "Mobilità")]).into_bytes();
    bytes.extend(b"02;PMI;Mobilit\xe0\n03;Universit\xe0;Citt\xe0 della scienza\n");
    bytes.extend("04;Università;Mobilità\n".as_bytes());
    std::fs::write(wd.path("inputs/soci.csv"), bytes).unwrap();

    validate(&wd).expect_code(0).expect_stderr(concat!(
        "inputs/soci.csv: 0 errori, 1 avviso\n",
        "  inputs/soci.csv:3: avviso: Il file è in UTF-8 ma le righe 3 e 4 non lo sono: ciò che non è UTF-8 è letto come Windows-1252. Controllare le lettere accentate e salvare di nuovo il file in UTF-8.\n",
        "consolida validate: 1 file, 4 righe lette, 0 scartate, 0 errori, 1 avviso\n",
    ));
    report(&wd, &[]).expect_code(0);
    let summary = wd.json("out/2026-11/summary.json");
    let clusters: Vec<&String> = summary["members"]["by_cluster"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(clusters, ["Città della scienza", "Mobilità"], "{summary}");
    assert_eq!(summary["members"]["by_cluster"]["Mobilità"]["total"], 3);
}

#[cfg(unix)]
#[test]
fn files_named_with_bytes_that_are_not_utf8_are_shown_apart() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let wd = folder("names-not-utf8");
    let inputs = wd.path("inputs");
    std::fs::write(
        inputs.join(OsStr::from_bytes(b"soci-citt\xe0.csv")),
        members(&[("01", "Mobilità")]),
    )
    .unwrap();
    std::fs::write(
        inputs.join(OsStr::from_bytes(b"soci-citt\xe8.csv")),
        members(&[("02", "Energia"), ("03", "Agrifood")]),
    )
    .unwrap();

    report(&wd, &[]).expect_code(0);
    let names = ["inputs/soci-citt\\xe0.csv", "inputs/soci-citt\\xe8.csv"];
    let summary = wd.json("out/2026-11/summary.json");
    assert_eq!(paths(&summary["inputs"]), names);
    assert_eq!(summary["members"]["total"], 3);
    let manifest = wd.json("out/2026-11/manifest.json");
    assert_eq!(paths(&manifest["inputs"]), names);
    validate(&wd).expect_code(0).expect_stderr(
        "consolida validate: 2 file, 3 righe lette, 0 scartate, 0 errori, 0 avvisi\n",
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_inputs_folder_is_not_followed() {
    let wd = folder("link-outside");
    std::fs::create_dir_all(wd.path("elsewhere")).unwrap();
    std::fs::create_dir_all(wd.path("inputs/archivio")).unwrap();
    let secret = members(&[("99", "Segreto")]);
    std::fs::write(wd.path("elsewhere/segreto.csv"), &secret).unwrap();
    std::fs::write(wd.path("inputs/soci.csv"), members(&[("01", "Mobilità")])).unwrap();
    std::fs::write(
        wd.path("inputs/archivio/energia.csv"),
        members(&[("02", "Energia")]),
    )
    .unwrap();
    std::os::unix::fs::symlink("../elsewhere/segreto.csv", wd.path("inputs/collegato.csv"))
        .unwrap();
    // A link to a file inside the folder is read.
    std::os::unix::fs::symlink("archivio/energia.csv", wd.path("inputs/energia.csv")).unwrap();

    report(&wd, &[]).expect_code(0).expect_stderr("");
    let summary = wd.json("out/2026-11/summary.json");
    assert_eq!(
        paths(&summary["inputs"]),
        ["inputs/energia.csv", "inputs/soci.csv"]
    );
    assert_eq!(summary["members"]["total"], 2);
    assert!(summary["members"]["by_cluster"]["Segreto"].is_null());
    let manifest = wd.read("out/2026-11/manifest.json");
    let secret_sha256 = consolida::sha256_hex(secret.as_bytes());
    assert!(!manifest.contains(&secret_sha256), "{manifest}");
    assert_eq!(
        wd.read("out/2026-11/issues.csv"),
        concat!(
            "severity,file,sheet,cell,row,value,expected,message,suggestion,period,cluster,code\n",
            "error,inputs/collegato.csv,,,,,,\"The file is a symbolic link to a file outside the inputs folder, and is not followed: copy the file into the folder instead. The file is left out of the report.\",,2026-11,,file_left_out\n",
        )
    );

    report(&wd, &["--strict"]).expect_code(3).expect_stderr(
        "consolida: error: inputs/collegato.csv: the file is a symbolic link to a file outside the inputs folder, and is not followed: copy the file into the folder instead.\n",
    );
}

/// BIFF8 records: type, length, body.
fn biff_record(typ: u16, body: &[u8]) -> Vec<u8> {
    let mut record = typ.to_le_bytes().to_vec();
    record.extend((body.len() as u16).to_le_bytes());
    record.extend_from_slice(body);
    record
}

#[test]
fn a_workbook_encrypted_with_a_password_is_named_as_such() {
    // Excel's encrypted package: the two streams of [MS-OFFCRYPTO], their
    // content beside the point.
    let xlsx = compound(&[
        ("EncryptionInfo", &[4, 0, 4, 0, 0x40, 0, 0, 0]),
        ("EncryptedPackage", &[0x5A; 1024]),
    ]);
    // An xls whose globals hold a FILEPASS record (RC4), the rest encrypted.
    let mut globals = biff_record(0x0809, &[0x00, 0x06, 0x05, 0x00]);
    globals.extend(biff_record(0x002F, &[1, 0, 1, 0, 2, 0]));
    globals.extend(biff_record(0x0085, &[0x5A; 12]));
    globals.extend(biff_record(0x000A, &[]));
    let xls = compound(&[("Workbook", &globals)]);
    for (name, bytes) in [("bilancio.xlsx", xlsx), ("bilancio.xls", xls)] {
        let wd = folder(&format!("encrypted-{name}"));
        std::fs::write(wd.path("inputs").join(name), bytes).unwrap();
        validate(&wd).expect_code(3).expect_stderr(&format!(
            "consolida: error: inputs/{name}: the workbook is encrypted with a password to open it, and cannot be read: save it again without the password.\n"
        ));
    }
}

#[test]
fn a_line_wider_than_a_sheet_is_reported_in_bounded_memory() {
    let wd = folder("wide-line");
    // Ten million fields: held as cells, several gigabytes; counted, nothing.
    let mut text = members(&[("01", "Mobilità")]);
    text.push_str(&"1;".repeat(10_000_000));
    text.push_str("1\n02;PMI;Energia\n");
    std::fs::write(wd.path("inputs/soci.csv"), text).unwrap();
    // Half a gigabyte of address space: a few times what the tool needs.
    wd.run_limited(512 * 1024, &["validate", "--inputs", "inputs"])
        .expect_code(1)
        .expect_stderr(concat!(
            "inputs/soci.csv: 1 errore, 0 avvisi\n",
            "  inputs/soci.csv:3: errore: La riga 3 ha 10.000.001 campi, più delle 16.384 colonne di un foglio: la riga non è letta (un file danneggiato, o che ha perso le interruzioni di riga?).\n",
            "consolida validate: 1 file, 2 righe lette, 0 scartate, 1 errore, 0 avvisi\n",
        ));
}
