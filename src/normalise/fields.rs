//! The canonical fields and the header words that name them in real files.

use crate::category::fold;
use crate::config::SourceKind;

/// A canonical field of a member or a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    MemberId,
    Name,
    Category,
    Cluster,
    Province,
    JoinedOn,
    LeftOn,
    ProjectId,
    Title,
    Call,
    LeadMemberId,
    ProjectValue,
    Financing,
    ApprovedOn,
    StartOn,
    EndOn,
    AidType,
    CostShare,
    FinancingShare,
}

pub const MEMBER_FIELDS: [Field; 7] = [
    Field::MemberId,
    Field::Name,
    Field::Category,
    Field::Cluster,
    Field::Province,
    Field::JoinedOn,
    Field::LeftOn,
];

pub const PROJECT_FIELDS: [Field; 11] = [
    Field::ProjectId,
    Field::Title,
    Field::Cluster,
    Field::Call,
    Field::LeadMemberId,
    Field::ProjectValue,
    Field::Financing,
    Field::ApprovedOn,
    Field::StartOn,
    Field::EndOn,
    Field::AidType,
];

pub const PARTNER_FIELDS: [Field; 4] = [
    Field::ProjectId,
    Field::MemberId,
    Field::CostShare,
    Field::FinancingShare,
];

/// The fields a file of `kind` must have, as columns, rules or defaults.
pub fn required(kind: SourceKind) -> &'static [Field] {
    match kind {
        SourceKind::Members => &[Field::MemberId, Field::Category, Field::Cluster],
        SourceKind::Projects => &[
            Field::ProjectId,
            Field::Cluster,
            Field::ProjectValue,
            Field::Financing,
        ],
        SourceKind::Partners => &[Field::ProjectId, Field::MemberId],
    }
}

/// The fields of `kind`.
pub fn of_kind(kind: SourceKind) -> &'static [Field] {
    match kind {
        SourceKind::Members => &MEMBER_FIELDS,
        SourceKind::Projects => &PROJECT_FIELDS,
        SourceKind::Partners => &PARTNER_FIELDS,
    }
}

impl Field {
    /// The canonical name, as in DESIGN.md and `consolida.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Field::MemberId => "member_id",
            Field::Name => "name",
            Field::Category => "category",
            Field::Cluster => "cluster",
            Field::Province => "province",
            Field::JoinedOn => "joined_on",
            Field::LeftOn => "left_on",
            Field::ProjectId => "project_id",
            Field::Title => "title",
            Field::Call => "call",
            Field::LeadMemberId => "lead_member_id",
            Field::ProjectValue => "project_value",
            Field::Financing => "financing",
            Field::ApprovedOn => "approved_on",
            Field::StartOn => "start_on",
            Field::EndOn => "end_on",
            Field::AidType => "aid_type",
            Field::CostShare => "cost_share",
            Field::FinancingShare => "financing_share",
        }
    }

    /// The field of `kind` whose canonical name is `key`.
    pub fn from_key(kind: SourceKind, key: &str) -> Option<Field> {
        of_kind(kind).iter().copied().find(|f| f.key() == key)
    }

    /// Header words (Italian and English) that name this field.
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::MemberId => &[
                "id",
                "codice",
                "codice socio",
                "id socio",
                "codice fiscale",
                "partita iva",
                "p iva",
                "piva",
                "codice fiscale partita iva",
                "codice fiscale p iva",
                "cf piva",
                "cf p iva",
                "tax code",
                "vat number",
                "vat",
                "organisation id",
                "organisationid",
                "member id",
                "partner",
                "codice partner",
                "partner id",
            ],
            Field::Name => &[
                "nome",
                "denominazione",
                "ragione sociale",
                "socio",
                "organisation",
                "organization",
                "member",
                "nome socio",
            ],
            Field::Category => &[
                "categoria",
                "tipologia",
                "tipologia socio",
                "tipo soggetto",
                "type",
                "member type",
            ],
            Field::Cluster => &["cluster tecnologico", "ctl", "cluster di appartenenza"],
            Field::Province => &["provincia", "prov", "pr", "sigla provincia"],
            Field::JoinedOn => &[
                "data adesione",
                "adesione",
                "data di adesione",
                "data ingresso",
                "joined",
                "join date",
                "member since",
            ],
            Field::LeftOn => &[
                "data recesso",
                "recesso",
                "data di recesso",
                "data uscita",
                "left",
                "leave date",
            ],
            Field::ProjectId => &[
                "cup",
                "codice progetto",
                "id progetto",
                "codice cup",
                "project code",
                "project id",
            ],
            Field::Title => &[
                "titolo",
                "titolo progetto",
                "project title",
                "titolo del progetto",
                "acronimo",
            ],
            Field::Call => &[
                "bando",
                "asse",
                "bando asse",
                "misura",
                "linea",
                "call name",
                "programma",
            ],
            Field::LeadMemberId => &[
                "capofila",
                "codice capofila",
                "id capofila",
                "capofila codice",
                "lead",
                "lead member",
                "coordinator",
                "codice fiscale capofila",
            ],
            Field::ProjectValue => &[
                "valore progetto",
                "valore economico progetto",
                "valore del progetto",
                "costo totale",
                "costo ammissibile",
                "costo del progetto",
                "total cost",
                "project value",
                "totalcost",
            ],
            Field::Financing => &[
                "finanziamento",
                "valore economico finanziamento",
                "contributo",
                "contributo concesso",
                "finanziamento concesso",
                "agevolazione",
                "grant",
                "funding",
                "ec contribution",
                "eu contribution",
            ],
            Field::ApprovedOn => &[
                "data approvazione",
                "approvazione",
                "data decreto",
                "data concessione",
                "approval date",
            ],
            Field::StartOn => &["data avvio", "data inizio", "avvio", "inizio", "start date"],
            Field::EndOn => &[
                "data fine",
                "data conclusione",
                "fine",
                "conclusione",
                "end date",
            ],
            Field::AidType => &[
                "tipo aiuto",
                "tipologia aiuto",
                "regime di aiuto",
                "aid type",
                "tipo di aiuto",
            ],
            Field::CostShare => &[
                "quota di costo",
                "quota costo",
                "costo partner",
                "costo del partner",
                "partner cost",
            ],
            Field::FinancingShare => &[
                "quota di contributo",
                "quota contributo",
                "contributo partner",
                "contributo del partner",
                "partner contribution",
            ],
        }
    }

    /// Whether the field holds an amount, a date or a share rather than text.
    pub fn is_number_or_date(self) -> bool {
        matches!(
            self,
            Field::ProjectValue
                | Field::Financing
                | Field::CostShare
                | Field::FinancingShare
                | Field::JoinedOn
                | Field::LeftOn
                | Field::ApprovedOn
                | Field::StartOn
                | Field::EndOn
        )
    }

    /// Whether a header cell names this field: its canonical name or a synonym,
    /// compared case-, accent- and punctuation-insensitively.
    pub fn matches_header(self, header: &str) -> bool {
        self.matches_folded(&fold(header))
    }

    /// [`Field::matches_header`] for a header already folded.
    pub fn matches_folded(self, folded: &str) -> bool {
        folded_names()
            .iter()
            .find(|(field, _)| *field == self)
            .is_some_and(|(_, names)| names.iter().any(|n| n == folded))
    }
}

/// Every field with its canonical name and synonyms, folded once.
fn folded_names() -> &'static [(Field, Vec<String>)] {
    static NAMES: std::sync::OnceLock<Vec<(Field, Vec<String>)>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        MEMBER_FIELDS
            .iter()
            .chain(&PROJECT_FIELDS)
            .chain(&PARTNER_FIELDS)
            .map(|f| {
                let names = std::iter::once(f.key())
                    .chain(f.synonyms().iter().copied())
                    .map(fold)
                    .collect();
                (*f, names)
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_and_english_headers_name_fields() {
        assert!(Field::MemberId.matches_header("Codice fiscale / P.IVA"));
        assert!(Field::MemberId.matches_header("member_id"));
        assert!(Field::Name.matches_header("Denominazione"));
        assert!(Field::ProjectValue.matches_header("Valore economico progetto"));
        assert!(
            Field::Financing.matches_header("Finanziamento (€)")
                || Field::Financing.matches_header("Finanziamento")
        );
        assert!(Field::JoinedOn.matches_header("Data adesione"));
        assert!(!Field::Cluster.matches_header("Categoria"));
    }

    #[test]
    fn every_synonym_names_one_field_only_within_a_kind() {
        for kind in [
            SourceKind::Members,
            SourceKind::Projects,
            SourceKind::Partners,
        ] {
            for field in of_kind(kind) {
                for word in field.synonyms().iter().chain([&field.key()]) {
                    let others: Vec<_> = of_kind(kind)
                        .iter()
                        .filter(|f| f.matches_header(word))
                        .collect();
                    assert_eq!(others, vec![field], "{word}");
                }
            }
        }
    }
}
