//! Which cell styles of an xlsx show their number as a date or a duration:
//! `xl/styles.xml` lists the styles (`<cellXfs><xf numFmtId=…>`) and the
//! workbook's own number formats (`<numFmts><numFmt numFmtId=… formatCode=…>`).
//! A number in a date style is a date, as calamine reads it; the rules below
//! are calamine 0.38's, so the two readers agree cell for cell.

use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::BufRead;

/// How a style shows a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberKind {
    Number,
    DateTime,
    Duration,
}

/// The kind of every style of `xl/styles.xml`, by style index (the `s` of a
/// cell). `None` when the part cannot be read.
pub(crate) fn style_kinds(part: impl BufRead) -> Option<Vec<NumberKind>> {
    let mut xml = quick_xml::Reader::from_reader(part);
    let config = xml.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    let mut formats: HashMap<String, String> = HashMap::new();
    let mut kinds = Vec::new();
    let mut in_cell_xfs = false;
    let mut in_num_fmts = false;
    let mut ended = false;
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf).ok()? {
            // As calamine reads them: formats only inside `<numFmts>`, styles
            // only inside a `<cellXfs>` that has content.
            Event::Start(e) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = true,
            Event::Start(e) if e.local_name().as_ref() == "numFmts" => in_num_fmts = true,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "numFmt" if in_num_fmts => {
                    if let (Some(id), Some(code)) =
                        (attribute(&e, "numFmtId")?, attribute(&e, "formatCode")?)
                    {
                        formats.insert(id, code);
                    }
                }
                "xf" if in_cell_xfs => {
                    kinds.push(match attribute(&e, "numFmtId")? {
                        None => NumberKind::Number,
                        Some(id) => match formats.get(&id) {
                            Some(code) => format_kind(code),
                            None => builtin_kind(&id),
                        },
                    });
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "cellXfs" => in_cell_xfs = false,
                "numFmts" => in_num_fmts = false,
                "styleSheet" => ended = true,
                _ => {}
            },
            // A part cut short (or not in UTF-8) is calamine's to refuse.
            Event::Eof => return ended.then_some(kinds),
            _ => {}
        }
        buf.clear();
    }
}

/// The value of attribute `name`, unescaped; `Some(None)` when it is absent.
fn attribute(element: &BytesStart<'_>, name: &str) -> Option<Option<String>> {
    crate::ingest::package::attribute(element, name).ok()
}

/// The built-in number formats (ECMA-376 18.8.30) that show dates, times and
/// durations, East Asian ones included.
fn builtin_kind(id: &str) -> NumberKind {
    match id {
        "14" | "15" | "16" | "17" | "18" | "19" | "20" | "21" | "22" | "45" | "47" => {
            NumberKind::DateTime
        }
        "27" | "28" | "29" | "30" | "31" | "32" | "33" | "34" | "35" | "36" | "50" | "51"
        | "52" | "53" | "54" | "55" | "56" | "57" | "58" => NumberKind::DateTime,
        "46" => NumberKind::Duration,
        _ => NumberKind::Number,
    }
}

/// What a format code shows, from its first section: a date or time token
/// (`d m h y s`, or `m p /` after an `a` of AM/PM) outside quotes, brackets
/// and escapes makes a date; `[h]`, `[m]` or `[s]` makes a duration.
pub(crate) fn format_kind(code: &str) -> NumberKind {
    let mut escaped = false;
    let mut quoted = false;
    let mut brackets = 0u8;
    let mut previous = ' ';
    let mut elapsed = false;
    let mut after_am = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
        } else if matches!(c, '_' | '\\' | '*') {
            // `\` escapes, `_` skips a width, `*` fills: the next one is literal.
            escaped = true;
        } else if quoted {
            quoted = c != '"';
        } else if c == '"' {
            quoted = true;
        } else if c == ';' {
            return NumberKind::Number;
        } else if c == '[' {
            brackets = brackets.saturating_add(1);
        } else if c == ']' && brackets == 1 && elapsed {
            return NumberKind::Duration;
        } else if c == ']' {
            brackets = brackets.saturating_sub(1);
        } else if matches!(c, 'a' | 'A') && !after_am && brackets == 0 {
            after_am = true;
        } else if brackets == 0 && if after_am { "pm/PM" } else { "dmhysDMHYS" }.contains(c) {
            return NumberKind::DateTime;
        } else if !(elapsed && c.eq_ignore_ascii_case(&previous)) {
            elapsed = previous == '[' && "mhsMHS".contains(c);
        }
        previous = c;
    }
    NumberKind::Number
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_codes() {
        use NumberKind::*;
        for (code, kind) in [
            ("DD/MM/YY", DateTime),
            ("H:MM:SS;@", DateTime),
            ("#,##0\\ [$\\u20bd-46D]", Number),
            ("m\"M\"d\"D\";@", DateTime),
            ("[h]:mm:ss", Duration),
            ("[hh]:mm", Duration),
            ("[Red]#,##0.00", Number),
            ("#,##0.00 \"days\"", Number),
            ("0.00_);(0.00)", Number),
            ("[$-409]h:mm AM/PM", DateTime),
            ("General", Number),
            ("#,##0.00 €", Number),
            ("yyyy-mm-dd", DateTime),
            ("[$€-410] #,##0.00;-[$€-410] #,##0.00", Number),
        ] {
            assert_eq!(format_kind(code), kind, "{code}");
        }
    }

    #[test]
    fn styles_give_each_cell_style_its_kind() {
        let part = r#"<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>
            <numFmt numFmtId="165" formatCode="&quot;€&quot; #,##0.00"/></numFmts>
            <cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>
            <cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"><alignment/></xf>
            <xf numFmtId="165"/><xf numFmtId="14"/><xf/><xf numFmtId="46"/></cellXfs></styleSheet>"#;
        use NumberKind::*;
        assert_eq!(
            style_kinds(part.as_bytes()).unwrap(),
            vec![Number, DateTime, Number, DateTime, Number, Duration]
        );
    }

    #[test]
    fn only_what_calamine_reads_counts() {
        use NumberKind::*;
        // A format outside `<numFmts>`, and `<xf>` outside a `<cellXfs>` that
        // closed at once.
        let part = r#"<styleSheet><dxfs><dxf><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></dxf></dxfs>
            <cellXfs/><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>
            <cellXfs count="1"><xf numFmtId="164"/></cellXfs></styleSheet>"#;
        assert_eq!(style_kinds(part.as_bytes()).unwrap(), vec![Number]);
        let cut = r#"<styleSheet><cellXfs count="1"><xf numFmtId="14"/></cellXfs>"#;
        assert_eq!(style_kinds(cut.as_bytes()), None);
    }
}
