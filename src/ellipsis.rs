//! Text cut to a number of characters for a reader, the last one `…`: a
//! message or a value from the data may run to a million characters, which no
//! console line nor a cell of the PDF shows whole.

use std::borrow::Cow;

/// `text` whole up to `most` characters (one or more), else its first
/// `most - 1` and `…`.
pub(crate) fn cut(text: &str, most: usize) -> Cow<'_, str> {
    // A character takes at least one byte: text of few bytes needs no counting.
    if text.len() <= most {
        return Cow::Borrowed(text);
    }
    // Where the last character kept ends, and whether one more follows it.
    let mut starts = text.char_indices().map(|(at, _)| at);
    match (starts.nth(most.saturating_sub(1)), starts.next()) {
        (Some(at), Some(_)) => Cow::Owned(format!("{}…", &text[..at])),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_longer_than_its_room_ends_with_an_ellipsis() {
        assert_eq!(cut("Aerospazio", 10), "Aerospazio");
        assert_eq!(cut("Aerospazio", 9), "Aerospaz…");
        // Counted in characters, not bytes.
        assert_eq!(cut("àèìòù", 5), "àèìòù");
        assert_eq!(cut("àèìòùé", 5), "àèìò…");
        assert!(matches!(cut("ж", 1), Cow::Borrowed("ж")));
        assert_eq!(cut(&"ж".repeat(1_000_000), 40).chars().count(), 40);
    }
}
