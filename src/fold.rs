//! Folding text for comparison: case, accents, punctuation and runs of spaces
//! set aside, so that names match however they were typed.

/// Folds text for matching: lower case, accents removed, punctuation and runs of
/// spaces turned into single spaces, trimmed. `"Università'"` → `"universita"`.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.chars().flat_map(char::to_lowercase) {
        let base = strip_accent(ch);
        if base.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(base);
        } else if base != '\'' && base != '’' {
            pending_space = true;
        }
    }
    out
}

/// The unaccented letter for the accented Latin letters of European names.
pub(crate) fn strip_accent(ch: char) -> char {
    match ch {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ą' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' | 'ő' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ç' | 'ć' | 'č' => 'c',
        'ñ' | 'ń' | 'ň' => 'n',
        'ś' | 'š' | 'ş' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ł' => 'l',
        'ý' | 'ÿ' => 'y',
        'ř' => 'r',
        'ď' => 'd',
        'ť' => 't',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("  Mobilità "), "mobilita");
        assert_eq!(fold("Scienze  della-vita"), "scienze della vita");
        assert_eq!(fold("Università'"), "universita");
    }
}
