//! The header words that name each canonical field in real files, Italian and
//! English, compared case-, accent- and punctuation-insensitively.

use crate::fold::fold;
use crate::schema::{Field, SourceKind};

/// Header words (Italian and English) that name `field`.
pub(crate) fn synonyms(field: Field) -> &'static [&'static str] {
    match field {
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
        Field::Indicator => &["indicatore", "indicator"],
        Field::Month => &["mese", "month", "periodo", "period"],
        Field::TargetValue => &["valore", "value"],
    }
}

/// Whether a header cell, folded ([`fold`]), names `field`: its canonical name or
/// a synonym.
pub(crate) fn folded_header_names(folded: &str, field: Field) -> bool {
    folded_names()
        .iter()
        .find(|(f, _)| *f == field)
        .is_some_and(|(_, names)| names.iter().any(|n| n == folded))
}

/// Every field with its canonical name and synonyms, folded once.
fn folded_names() -> &'static [(Field, Vec<String>)] {
    static NAMES: std::sync::OnceLock<Vec<(Field, Vec<String>)>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        SourceKind::ALL
            .iter()
            .flat_map(|kind| kind.fields())
            .map(|f| {
                let names = std::iter::once(f.key())
                    .chain(synonyms(*f).iter().copied())
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

    fn header_names(header: &str, field: Field) -> bool {
        folded_header_names(&fold(header), field)
    }

    #[test]
    fn italian_and_english_headers_name_fields() {
        assert!(header_names("Codice fiscale / P.IVA", Field::MemberId));
        assert!(header_names("member_id", Field::MemberId));
        assert!(header_names("Denominazione", Field::Name));
        assert!(header_names(
            "Valore economico progetto",
            Field::ProjectValue
        ));
        assert!(
            header_names("Finanziamento (€)", Field::Financing)
                || header_names("Finanziamento", Field::Financing)
        );
        assert!(header_names("Data adesione", Field::JoinedOn));
        assert!(!header_names("Categoria", Field::Cluster));
        assert!(header_names("Indicatore", Field::Indicator));
        assert!(header_names("PERIODO", Field::Month));
        assert!(header_names("Valore", Field::TargetValue));
    }

    #[test]
    fn every_synonym_names_one_field_only_within_a_kind() {
        for kind in SourceKind::ALL {
            for field in kind.fields() {
                for word in synonyms(*field).iter().chain([&field.key()]) {
                    let others: Vec<_> = kind
                        .fields()
                        .iter()
                        .filter(|f| header_names(word, **f))
                        .collect();
                    assert_eq!(others, vec![field], "{word}");
                }
            }
        }
    }
}
