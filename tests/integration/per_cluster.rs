//! `--per-cluster`: besides the report, a PDF for each cluster of the shipped
//! inputs, `consolida-2026-11-<slug>.pdf`, written through the same writer as
//! every output, so listed in `manifest.json` and `SHA256SUMS`, and opening
//! with its cluster's name (read back with poppler's `pdftotext`). Without
//! the flag, no such file.

use crate::common::Workdir;
use crate::pdf::layout_text;

/// A cluster's name as its file names it, written here without the library:
/// lower case, the accents of the shipped names folded, every other
/// character a single `-`.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for ch in name.to_lowercase().chars() {
        let ch = match ch {
            'à' | 'á' => 'a',
            'è' | 'é' => 'e',
            'ì' => 'i',
            'ò' => 'o',
            'ù' => 'u',
            _ => ch,
        };
        if ch.is_ascii_alphanumeric() {
            slug.push(ch);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_string()
}

/// The PDFs of the period folder named after a cluster.
fn cluster_pdfs(wd: &Workdir) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(wd.path("out/2026-11"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("consolida-2026-11-") && n.ends_with(".pdf"))
        .collect();
    names.sort();
    names
}

#[test]
#[cfg_attr(not(has_pdftotext), ignore = "needs pdftotext (poppler-utils)")]
fn every_cluster_gets_a_listed_pdf_that_opens_with_its_name() {
    let wd = Workdir::new("per-cluster");
    wd.run_shipped(&["--format", "pdf", "--per-cluster", "--quiet"])
        .expect_code(0);
    let summary = wd.json("out/2026-11/summary.json");
    let manifest = wd.json("out/2026-11/manifest.json");
    let sums = wd.read("out/2026-11/SHA256SUMS");
    let clusters: Vec<&String> = summary["members"]["by_cluster"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(clusters.len(), 10);
    let mut expected = Vec::new();
    for cluster in clusters {
        let name = format!("consolida-2026-11-{}.pdf", slug(cluster));
        let listed = manifest["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["path"] == name.as_str())
            .unwrap_or_else(|| panic!("{name} is not in manifest.json"));
        let sha = listed["sha256"].as_str().unwrap();
        assert!(
            sums.lines().any(|l| l == format!("{sha}  {name}")),
            "{name} with its digest is not in SHA256SUMS:\n{sums}"
        );
        let text = layout_text(&wd.path(&format!("out/2026-11/{name}")));
        let first = text.lines().map(str::trim).find(|l| !l.is_empty());
        assert_eq!(first, Some(cluster.as_str()), "{name} opens with:\n{text}");
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for part in ["Scheda del cluster", "Progetti del cluster", "Anomalie"] {
            assert!(words.contains(part), "{part:?} in {name}:\n{text}");
        }
        expected.push(name);
    }
    expected.sort();
    assert_eq!(cluster_pdfs(&wd), expected, "one PDF per cluster, no other");

    let wd = Workdir::new("per-cluster-not-asked");
    wd.run_shipped(&["--format", "pdf", "--quiet"])
        .expect_code(0);
    assert!(cluster_pdfs(&wd).is_empty());
}
