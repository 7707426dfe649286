//! The kinds of input file and the canonical fields of each: the names that the
//! configuration, the normalisation and the outputs share.

use serde::Deserialize;

/// What a data file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SourceKind {
    Members,
    Projects,
    Partners,
    /// An office's monitoring targets: one row per point of a cluster's target
    /// for one indicator.
    Targets,
}

impl SourceKind {
    /// Every kind, in the order they are tried on a file without a `[[source]]`.
    pub(crate) const ALL: [SourceKind; 4] = [
        SourceKind::Members,
        SourceKind::Projects,
        SourceKind::Partners,
        SourceKind::Targets,
    ];

    /// The name written in `consolida.toml` and in the outputs.
    pub(crate) fn key(self) -> &'static str {
        match self {
            SourceKind::Members => "members",
            SourceKind::Projects => "projects",
            SourceKind::Partners => "partners",
            SourceKind::Targets => "targets",
        }
    }

    /// The fields a file of this kind may have.
    pub(crate) fn fields(self) -> &'static [Field] {
        match self {
            SourceKind::Members => &MEMBER_FIELDS,
            SourceKind::Projects => &PROJECT_FIELDS,
            SourceKind::Partners => &PARTNER_FIELDS,
            SourceKind::Targets => &TARGET_FIELDS,
        }
    }

    /// The fields a file of this kind must have, as columns, rules or defaults.
    pub(crate) fn required_fields(self) -> &'static [Field] {
        match self {
            SourceKind::Members => &[Field::MemberId, Field::Category, Field::Cluster],
            SourceKind::Projects => &[
                Field::ProjectId,
                Field::Cluster,
                Field::ProjectValue,
                Field::Financing,
            ],
            SourceKind::Partners => &[Field::ProjectId, Field::MemberId],
            SourceKind::Targets => &TARGET_FIELDS,
        }
    }
}

/// What an input file was taken as, in the list of sources a report gives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) enum InputKind {
    /// A data file read as members, projects, partners or targets.
    Data(SourceKind),
    /// The configuration file.
    Config,
    /// A file none of whose sheets could be read.
    #[default]
    Ignored,
}

impl InputKind {
    /// The name written in the outputs.
    pub(crate) fn key(self) -> &'static str {
        match self {
            InputKind::Data(kind) => kind.key(),
            InputKind::Config => "config",
            InputKind::Ignored => "ignored",
        }
    }
}

/// A canonical field of a member, a project, a partner or a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Field {
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
    Indicator,
    Month,
    /// A target's value (`value`), not to be confused with a project's.
    TargetValue,
}

const MEMBER_FIELDS: [Field; 7] = [
    Field::MemberId,
    Field::Name,
    Field::Category,
    Field::Cluster,
    Field::Province,
    Field::JoinedOn,
    Field::LeftOn,
];

const PROJECT_FIELDS: [Field; 11] = [
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

const PARTNER_FIELDS: [Field; 4] = [
    Field::ProjectId,
    Field::MemberId,
    Field::CostShare,
    Field::FinancingShare,
];

const TARGET_FIELDS: [Field; 4] = [
    Field::Cluster,
    Field::Indicator,
    Field::Month,
    Field::TargetValue,
];

impl Field {
    /// The canonical name, as written in `consolida.toml`.
    pub(crate) fn key(self) -> &'static str {
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
            Field::Indicator => "indicator",
            Field::Month => "month",
            Field::TargetValue => "value",
        }
    }

    /// The field named in Italian with its article, as a message says it:
    /// "il finanziamento", "la data di adesione", "l'indicatore".
    pub(crate) fn italian(self) -> &'static str {
        match self {
            Field::MemberId => "il codice del socio",
            Field::Name => "il nome",
            Field::Category => "la categoria",
            Field::Cluster => "il cluster",
            Field::Province => "la provincia",
            Field::JoinedOn => "la data di adesione",
            Field::LeftOn => "la data di uscita",
            Field::ProjectId => "il codice del progetto",
            Field::Title => "il titolo",
            Field::Call => "il bando",
            Field::LeadMemberId => "il codice del capofila",
            Field::ProjectValue => "il valore del progetto",
            Field::Financing => "il finanziamento",
            Field::ApprovedOn => "la data di approvazione",
            Field::StartOn => "la data di inizio",
            Field::EndOn => "la data di fine",
            Field::AidType => "il tipo di aiuto",
            Field::CostShare => "la quota dei costi",
            Field::FinancingShare => "la quota del finanziamento",
            Field::Indicator => "l'indicatore",
            Field::Month => "il mese",
            Field::TargetValue => "il valore",
        }
    }

    /// [`Field::italian`] after "di": "del finanziamento", "della data di
    /// adesione", "dell'indicatore".
    pub(crate) fn italian_of(self) -> String {
        let named = self.italian();
        if let Some(rest) = named.strip_prefix("il ") {
            format!("del {rest}")
        } else if let Some(rest) = named.strip_prefix("la ") {
            format!("della {rest}")
        } else if let Some(rest) = named.strip_prefix("l'") {
            format!("dell'{rest}")
        } else {
            format!("di {named}")
        }
    }

    /// "Data di adesione non valida", "Valore del progetto non valido": the
    /// field named without its article, agreeing with "non valido".
    pub(crate) fn italian_invalid(self) -> String {
        let named = self.italian();
        let (noun, ending) = if let Some(rest) = named.strip_prefix("la ") {
            (rest, "a")
        } else if let Some(rest) = named.strip_prefix("il ") {
            (rest, "o")
        } else {
            // "l'indicatore": the only field with an elided article is masculine.
            (named.trim_start_matches("l'"), "o")
        };
        let mut chars = noun.chars();
        let first: String = chars
            .next()
            .into_iter()
            .flat_map(char::to_uppercase)
            .collect();
        format!("{first}{} non valid{ending}", chars.as_str())
    }

    /// The field of `kind` whose canonical name is `key`.
    pub(crate) fn from_key(kind: SourceKind, key: &str) -> Option<Field> {
        kind.fields().iter().copied().find(|f| f.key() == key)
    }

    /// Whether the field holds an amount, a date or a share rather than text.
    /// Whether the field holds an amount of euros.
    pub(crate) fn is_amount(self) -> bool {
        matches!(
            self,
            Field::ProjectValue | Field::Financing | Field::CostShare | Field::FinancingShare
        )
    }

    pub(crate) fn is_number_or_date(self) -> bool {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_required_field_is_a_field_of_its_kind() {
        for kind in SourceKind::ALL {
            for field in kind.required_fields() {
                assert_eq!(Field::from_key(kind, field.key()), Some(*field));
            }
        }
    }

    #[test]
    fn fields_take_their_italian_preposition() {
        assert_eq!(Field::Financing.italian_of(), "del finanziamento");
        assert_eq!(Field::JoinedOn.italian_of(), "della data di adesione");
        assert_eq!(Field::Indicator.italian_of(), "dell'indicatore");
        assert_eq!(
            Field::JoinedOn.italian_invalid(),
            "Data di adesione non valida"
        );
        assert_eq!(
            Field::ProjectValue.italian_invalid(),
            "Valore del progetto non valido"
        );
        assert_eq!(Field::Indicator.italian_invalid(), "Indicatore non valido");
    }

    #[test]
    fn input_kinds_keep_their_names() {
        let keys = [
            InputKind::Data(SourceKind::Members),
            InputKind::Data(SourceKind::Projects),
            InputKind::Data(SourceKind::Partners),
            InputKind::Data(SourceKind::Targets),
            InputKind::Config,
            InputKind::Ignored,
        ]
        .map(InputKind::key);
        assert_eq!(
            keys,
            ["members", "projects", "partners", "targets", "config", "ignored"]
        );
    }
}
