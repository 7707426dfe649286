//! The checks across rows and files, once every file is read: the same member,
//! project or partner twice, a lead member or a partner that is not a member,
//! and a partner of a project that does not exist.

use super::layout::Layout;
use super::partners::Partner;
use super::projects::Project;
use super::Dataset;
use crate::ingest::RawTable;
use crate::issues::{Issue, IssueKind};
use crate::location::Location;
use crate::schema::{Field, InputKind, SourceKind};
use crate::suggestion::closest;
use crate::text::Text;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// Drops the duplicates and names every reference to a member or project that
/// the lists do not hold.
pub(crate) fn run(data: &mut Dataset, id_columns: &IdColumns) {
    drop_duplicates(data, id_columns);
    // The member ids, for both checks (a million of them at national scale).
    let member_ids: FxHashSet<&str> = data.members.iter().map(|m| m.member_id.as_str()).collect();
    let issues = &mut data.issues;
    check_lead_members(&data.projects, &member_ids, id_columns, issues);
    check_partners(&data.partners, &data.projects, &member_ids, issues);
}

/// The column of the id (and of the lead member's id) in each table read, by
/// kind, file and sheet: a duplicate or an unknown lead is reported at its cell,
/// worked out from its row when it is found.
#[derive(Default)]
pub(crate) struct IdColumns(HashMap<TableKey, (u32, Option<u32>)>);

/// A table read as one kind: kind, file and sheet.
type TableKey = (SourceKind, String, Option<String>);

impl IdColumns {
    /// Notes where the ids are in `table`, read with `layout`.
    pub(crate) fn note(&mut self, table: &RawTable, layout: &Layout) {
        let id_field = match layout.kind {
            SourceKind::Members => Some(Field::MemberId),
            SourceKind::Projects => Some(Field::ProjectId),
            SourceKind::Partners | SourceKind::Targets => None,
        };
        if let Some(&id_col) = id_field.and_then(|field| layout.columns.get(&field)) {
            let lead_col = layout.columns.get(&Field::LeadMemberId).copied();
            let key = (layout.kind, table.file.clone(), table.sheet.clone());
            self.0.insert(key, (id_col, lead_col));
        }
    }

    /// The cell of the id of the member or project read from row `source`.
    fn id_cell(&self, kind: SourceKind, source: &Location) -> Location {
        self.cell_at(kind, source, |(id, _)| Some(*id))
    }

    /// The cell of the lead member's id of the project read from row `source`.
    fn lead_cell(&self, source: &Location) -> Location {
        self.cell_at(SourceKind::Projects, source, |(_, lead)| *lead)
    }

    fn cell_at(
        &self,
        kind: SourceKind,
        source: &Location,
        column: impl Fn(&(u32, Option<u32>)) -> Option<u32>,
    ) -> Location {
        let key = (kind, source.file.clone(), source.sheet.clone());
        let col = self.0.get(&key).and_then(column);
        Location {
            col: col.or(source.col),
            ..source.clone()
        }
    }
}

/// The same member twice in one cluster is one member; the same project id twice
/// is one project; the same partner twice in a project is one partner. Later rows
/// are named by an issue that also names the first.
fn drop_duplicates(data: &mut Dataset, ids: &IdColumns) {
    let mut issues = Vec::new();
    let members = &data.members;
    let earlier = earlier_duplicates(members, |m| (m.member_id.as_str(), m.cluster.as_str()));
    for (m, first) in members.iter().zip(&earlier) {
        let Some(first) = first else { continue };
        let first = ids.id_cell(SourceKind::Members, &members[*first].source);
        issues.push(
            Issue::warning(
                ids.id_cell(SourceKind::Members, &m.source),
                IssueKind::DuplicateMember,
                Text::new(
                    format!(
                        "Il socio {} compare di nuovo nel cluster «{}» (la prima volta in {first}); è contato una volta sola.",
                        m.member_id, m.cluster
                    ),
                    format!(
                        "Member {} appears again in cluster '{}' (first at {first}); it is counted once.",
                        m.member_id, m.cluster
                    ),
                ),
            )
            .with_value(m.member_id.clone()),
        );
    }
    keep_first_occurrences(&mut data.members, &earlier);

    let projects = &data.projects;
    let earlier = earlier_duplicates(projects, |p| p.project_id.as_str());
    let mut rejected: HashMap<String, u64> = HashMap::new();
    for (p, first) in projects.iter().zip(&earlier) {
        let Some(first) = first else { continue };
        let first = ids.id_cell(SourceKind::Projects, &projects[*first].source);
        issues.push(
            Issue::error(
                ids.id_cell(SourceKind::Projects, &p.source),
                IssueKind::DuplicateProject,
                Text::new(
                    format!(
                        "Il progetto {} compare di nuovo (la prima volta in {first}); questa riga è esclusa.",
                        p.project_id
                    ),
                    format!(
                        "Project {} appears again (first at {first}); this row is left out.",
                        p.project_id
                    ),
                ),
            )
            .with_value(p.project_id.clone())
            .with_expected(Text::new(
                "un codice di progetto non usato da un'altra riga",
                "a project code not used by another row",
            )),
        );
        *rejected.entry(p.source.file.clone()).or_default() += 1;
    }
    keep_first_occurrences(&mut data.projects, &earlier);

    let partners = &data.partners;
    let earlier = earlier_duplicates(partners, |p| (p.project_id.as_str(), p.member_id.as_str()));
    for (p, first) in partners.iter().zip(&earlier) {
        let Some(first) = first else { continue };
        issues.push(
            Issue::warning(
                p.source.clone(),
                IssueKind::DuplicatePartner,
                Text::new(
                    format!(
                        "Il partner {} del progetto {} compare di nuovo (la prima volta in {}); è contato una volta sola.",
                        p.member_id, p.project_id, partners[*first].source
                    ),
                    format!(
                        "Partner {} of project {} appears again (first at {}); it is counted once.",
                        p.member_id, p.project_id, partners[*first].source
                    ),
                ),
            )
            .with_value(p.member_id.clone()),
        );
    }
    keep_first_occurrences(&mut data.partners, &earlier);

    let projects_read = InputKind::Data(SourceKind::Projects);
    for input in data.inputs.iter_mut().filter(|i| i.kind == projects_read) {
        input.rejected += rejected.get(&input.path).copied().unwrap_or(0);
    }
    data.issues.extend(issues);
}

/// For each item, the position of the first item with the same key when it is
/// not itself the first.
fn earlier_duplicates<'a, T, K: std::hash::Hash + Eq>(
    items: &'a [T],
    key: impl Fn(&'a T) -> K,
) -> Vec<Option<usize>> {
    let mut first: FxHashMap<K, usize> =
        FxHashMap::with_capacity_and_hasher(items.len(), Default::default());
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match first.entry(key(item)) {
            Entry::Occupied(entry) => Some(*entry.get()),
            Entry::Vacant(entry) => {
                entry.insert(i);
                None
            }
        })
        .collect()
}

/// Keeps the items that [`earlier_duplicates`] found no earlier twin for.
fn keep_first_occurrences<T>(items: &mut Vec<T>, earlier: &[Option<usize>]) {
    let mut position = 0;
    items.retain(|_| {
        let keep = earlier[position].is_none();
        position += 1;
        keep
    });
}

/// A lead member must be a member of some cluster.
fn check_lead_members(
    projects: &[Project],
    ids: &FxHashSet<&str>,
    id_columns: &IdColumns,
    issues: &mut Vec<Issue>,
) {
    if ids.is_empty() {
        return;
    }
    // The ids in order, for suggestions: sorted only if a lead is unknown.
    let mut sorted: Vec<&str> = Vec::new();
    for project in projects {
        let Some(lead) = &project.lead_member_id else {
            continue;
        };
        if ids.contains(lead.as_str()) {
            continue;
        }
        if sorted.is_empty() {
            sorted = ids.iter().copied().collect();
            sorted.sort_unstable();
        }
        let cell = id_columns.lead_cell(&project.source);
        issues.push(
            Issue::warning(
                cell,
                IssueKind::LeadNotMember,
                Text::new(
                    format!(
                        "Il capofila {lead} del progetto {} non è negli elenchi dei soci.",
                        project.project_id
                    ),
                    format!(
                        "The lead member {lead} of project {} is not in the member lists.",
                        project.project_id
                    ),
                ),
            )
            .with_value(lead.clone())
            .with_expected(Text::new("il codice di un socio", "the id of a member"))
            .with_suggestion(closest(lead, sorted.iter().copied())),
        );
    }
}

/// A partner must be a member, of a project that exists (each checked when there
/// are members, respectively projects, at all).
fn check_partners(
    partners: &[Partner],
    projects: &[Project],
    members: &FxHashSet<&str>,
    issues: &mut Vec<Issue>,
) {
    if partners.is_empty() {
        return;
    }
    let projects: FxHashSet<&str> = projects.iter().map(|p| p.project_id.as_str()).collect();
    // The codes in order, for suggestions: sorted only if a project is unknown.
    let mut sorted: Vec<&str> = Vec::new();
    for partner in partners {
        if !members.is_empty() && !members.contains(partner.member_id.as_str()) {
            issues.push(
                Issue::warning(
                    partner.member_cell.clone(),
                    IssueKind::PartnerNotMember,
                    Text::new(
                        format!(
                            "Il partner {} del progetto {} non è negli elenchi dei soci.",
                            partner.member_id, partner.project_id
                        ),
                        format!(
                            "The partner {} of project {} is not in the member lists.",
                            partner.member_id, partner.project_id
                        ),
                    ),
                )
                .with_value(partner.member_id.clone())
                .with_expected(Text::new("il codice di un socio", "the id of a member")),
            );
        }
        if !projects.is_empty() && !projects.contains(partner.project_id.as_str()) {
            if sorted.is_empty() {
                sorted = projects.iter().copied().collect();
                sorted.sort_unstable();
            }
            issues.push(
                Issue::warning(
                    partner.project_cell.clone(),
                    IssueKind::PartnerProjectUnknown,
                    Text::new(
                        format!(
                            "Il progetto {} del partner {} non è negli elenchi dei progetti.",
                            partner.project_id, partner.member_id
                        ),
                        format!(
                            "The project {} of partner {} is not in the project lists.",
                            partner.project_id, partner.member_id
                        ),
                    ),
                )
                .with_value(partner.project_id.clone())
                .with_expected(Text::new(
                    "il codice di un progetto",
                    "the code of a project",
                ))
                .with_suggestion(closest(&partner.project_id, sorted.iter().copied())),
            );
        }
    }
}
