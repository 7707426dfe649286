//! Issues grouped by kind, so that a report of any size says in a few lines
//! what is wrong with its inputs: a thousand "Member 0123 appears again in
//! cluster 'Mobilità' …" warnings are one kind, counted once.
//!
//! The kind of an issue is the [`IssueKind`] its site gave it: the issues of a
//! kind share their message's fixed text whatever values they quote, in
//! either language, so grouping never reads the messages. A group shows its
//! first issue's message.
//!
//! Groups come in a fixed order, the same on every run: errors before
//! warnings, then the largest group first, then the one whose first issue
//! comes first in the issues' reading order (file, sheet, row).

use crate::issues::{Issue, IssueKind, Severity};
use rustc_hash::{FxHashMap, FxHashSet};

/// How many issues of a group are kept as its examples.
pub(crate) const EXAMPLES: usize = 3;

/// Issues of one severity and kind, in any file.
#[derive(Debug)]
pub(crate) struct IssueGroup<'a> {
    pub(crate) severity: Severity,
    /// How many issues the group holds.
    pub(crate) count: usize,
    /// How many files they are in.
    pub(crate) files: usize,
    /// The group's first issues in reading order, at most [`EXAMPLES`].
    pub(crate) examples: Vec<&'a Issue>,
    /// Where the group's first issue is among all the issues.
    first: usize,
}

impl<'a> IssueGroup<'a> {
    /// The group's first issue, whose message stands for the kind.
    pub(crate) fn first(&self) -> &'a Issue {
        self.examples[0]
    }

    /// The kind of the group's issues.
    #[cfg(test)]
    fn kind(&self) -> IssueKind {
        self.first().kind
    }
}

/// `issues` (in reading order) grouped by severity and kind, in the order of
/// the module header: errors first, the largest group first, then the first
/// met first.
pub(crate) fn group(issues: &[Issue]) -> Vec<IssueGroup<'_>> {
    let mut index: FxHashMap<(Severity, IssueKind), usize> = FxHashMap::default();
    let mut groups: Vec<IssueGroup<'_>> = Vec::new();
    let mut files: Vec<FxHashSet<&str>> = Vec::new();
    for (at, issue) in issues.iter().enumerate() {
        let key = (issue.severity, issue.kind);
        let slot = match index.get(&key) {
            Some(&slot) => slot,
            None => {
                let slot = groups.len();
                groups.push(IssueGroup {
                    severity: issue.severity,
                    count: 0,
                    files: 0,
                    examples: Vec::with_capacity(EXAMPLES),
                    first: at,
                });
                files.push(FxHashSet::default());
                index.insert(key, slot);
                slot
            }
        };
        let group = &mut groups[slot];
        group.count += 1;
        if group.examples.len() < EXAMPLES {
            group.examples.push(issue);
        }
        files[slot].insert(&issue.location.file);
    }
    for (group, files) in groups.iter_mut().zip(&files) {
        group.files = files.len();
    }
    groups.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then(b.count.cmp(&a.count))
            .then(a.first.cmp(&b.first))
    });
    groups
}

/// The issues of `groups`, counted.
pub(crate) fn issues_in(groups: &[IssueGroup<'_>]) -> usize {
    groups.iter().map(|g| g.count).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::Lang;
    use crate::location::Location;
    use crate::text::Text;

    fn issue(severity: Severity, kind: IssueKind, file: &str, row: u32, en: &str) -> Issue {
        let location = Location::cell(file, Some("Soci"), row, 0);
        let message = Text::new(format!("(it) {en}"), en);
        match severity {
            Severity::Error => Issue::error(location, kind, message),
            Severity::Warning => Issue::warning(location, kind, message),
        }
    }

    #[test]
    fn groups_come_errors_first_then_largest_then_first_met() {
        let duplicate = |row: u32, id: &str, cluster: &str| {
            issue(
                Severity::Warning,
                IssueKind::DuplicateMember,
                "b.xlsx",
                row,
                &format!("Member {id} appears again in cluster '{cluster}' (first at b.xlsx:Soci!A2); it is counted once."),
            )
            .with_value(id)
        };
        let missing_call = |file: &str| {
            issue(
                Severity::Warning,
                IssueKind::MissingCall,
                file,
                3,
                "The call is missing; the project is grouped under no call.",
            )
        };
        let issues = vec![
            missing_call("a.xlsx"),
            duplicate(4, "X1", "Mobilità"),
            duplicate(5, "X2", "Scienze della vita"),
            duplicate(6, "X3", "Energia"),
            duplicate(7, "X4", "Energia"),
            issue(
                Severity::Error,
                IssueKind::UnknownCategory,
                "b.xlsx",
                9,
                "Unknown category 'Fondazione': expected one of PMI; the row is left out.",
            ),
            missing_call("c.xlsx"),
            duplicate(8, "X5", "Energia"),
        ];
        let groups = group(&issues);
        let summary: Vec<(Severity, IssueKind, &str, usize, usize, &str)> = groups
            .iter()
            .map(|g| {
                (
                    g.severity,
                    g.kind(),
                    g.first().location.file.as_str(),
                    g.count,
                    g.files,
                    g.first().message.en(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    Severity::Error,
                    IssueKind::UnknownCategory,
                    "b.xlsx",
                    1,
                    1,
                    issues[5].message.en()
                ),
                (
                    Severity::Warning,
                    IssueKind::DuplicateMember,
                    "b.xlsx",
                    5,
                    1,
                    issues[1].message.en()
                ),
                (
                    Severity::Warning,
                    IssueKind::MissingCall,
                    "a.xlsx",
                    2,
                    2,
                    issues[0].message.en()
                ),
            ]
        );
        let examples: Vec<&str> = groups[1]
            .examples
            .iter()
            .map(|i| i.value.as_deref().unwrap())
            .collect();
        assert_eq!(examples, ["X1", "X2", "X3"]);
        assert_eq!(issues_in(&groups), issues.len());
    }

    #[test]
    fn a_kind_of_both_severities_makes_two_groups() {
        let issues = vec![
            issue(Severity::Warning, IssueKind::NoTable, "a.csv", 1, "W."),
            issue(Severity::Error, IssueKind::NoTable, "a.csv", 2, "E."),
        ];
        let severities: Vec<Severity> = group(&issues).iter().map(|g| g.severity).collect();
        assert_eq!(severities, [Severity::Error, Severity::Warning]);
    }

    #[test]
    fn a_kind_about_a_field_is_a_group_per_field() {
        use crate::schema::Field;
        let invalid = |field: Field, row: u32| {
            issue(
                Severity::Error,
                IssueKind::InvalidValue(field),
                "a.csv",
                row,
                "The value is not valid.",
            )
        };
        let issues = vec![
            invalid(Field::Financing, 2),
            invalid(Field::JoinedOn, 3),
            invalid(Field::Financing, 4),
        ];
        let counts: Vec<(IssueKind, usize)> =
            group(&issues).iter().map(|g| (g.kind(), g.count)).collect();
        assert_eq!(
            counts,
            [
                (IssueKind::InvalidValue(Field::Financing), 2),
                (IssueKind::InvalidValue(Field::JoinedOn), 1),
            ]
        );
    }

    /// The issues the library finds in `tests/fixtures/<folder>`, read as a
    /// run reads them, with the folder's `consolida.toml` when it has one.
    pub(crate) fn fixture_issues(folder: &str) -> Vec<Issue> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(folder);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| crate::ingest::is_input_file(std::path::Path::new(name)))
            .collect();
        names.sort();
        let mut issues = Vec::new();
        let mut files = Vec::new();
        for name in names {
            let shown = format!("inputs/{name}");
            let (file, read) = crate::ingest::read_file(&dir.join(&name), &shown).unwrap();
            issues.extend(read);
            files.push((file, name));
        }
        let config = match dir.join("consolida.toml") {
            path if path.is_file() => crate::config::Config::load(&path, "consolida.toml").unwrap(),
            _ => crate::config::Config::default(),
        };
        let mut data = crate::normalise::normalise(files, &config).unwrap();
        issues.append(&mut data.issues);
        crate::issues::sort_for_reading(&mut issues);
        issues
    }

    #[test]
    fn the_fixtures_in_every_format_group_into_their_kinds() {
        // The same members in seven files: every file after the first repeats
        // the first's twelve members, over three clusters, and each ends with a
        // note below the table.
        let issues = fixture_issues("formats");
        let groups = group(&issues);
        let kinds: Vec<(IssueKind, usize, usize)> = groups
            .iter()
            .map(|g| (g.kind(), g.count, g.files))
            .collect();
        let repeats = issues
            .iter()
            .filter(|i| i.message.en().contains("appears again"))
            .count();
        assert!(repeats >= 12 * 5, "{repeats} repeated members");
        assert_eq!(
            kinds[0],
            (IssueKind::DuplicateMember, repeats, repeats / 12),
            "{kinds:#?}"
        );
        let notes = groups
            .iter()
            .find(|g| g.kind() == IssueKind::NotesBelowTable)
            .unwrap_or_else(|| panic!("{kinds:#?}"));
        assert!(notes.first().message.get(Lang::It).starts_with("La riga "));
        assert_eq!(issues_in(&groups), issues.len());
    }

    #[test]
    fn the_small_fixture_keeps_its_three_kinds_apart() {
        let issues = fixture_issues("small");
        let groups = group(&issues);
        let kinds: Vec<IssueKind> = groups.iter().map(IssueGroup::kind).collect();
        assert_eq!(
            kinds,
            [
                IssueKind::FinancingAboveValue,
                IssueKind::UnknownCategory,
                IssueKind::DuplicateMember,
            ]
        );
    }
}
