//! CSV exports with a password column (browsers, password managers): the header names
//! the column, each row below holds one credential there.

/// The fields of one CSV line with their byte offsets: commas split, double quotes
/// group (`""` inside quotes is a quote). A quoted field's offset and value are its
/// contents'.
fn fields(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    loop {
        if bytes.get(i) == Some(&b'"') {
            let start = i + 1;
            let mut value = String::new();
            let mut j = start;
            let mut seg = start;
            while j < bytes.len() {
                if bytes[j] == b'"' {
                    value.push_str(line.get(seg..j).unwrap_or(""));
                    if bytes.get(j + 1) == Some(&b'"') {
                        value.push('"');
                        j += 2;
                        seg = j;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            if j >= bytes.len() {
                value.push_str(line.get(seg..).unwrap_or(""));
            }
            out.push((start, value));
            i = memchr::memchr(b',', bytes.get(j..).unwrap_or_default())
                .map_or(bytes.len(), |k| j + k);
        } else {
            let end = memchr::memchr(b',', bytes.get(i..).unwrap_or_default())
                .map_or(bytes.len(), |k| i + k);
            out.push((
                i,
                line.get(i..end)
                    .unwrap_or("")
                    .trim_end_matches('\r')
                    .to_owned(),
            ));
            i = end;
        }
        if i >= bytes.len() {
            break;
        }
        i += 1;
    }
    out
}

/// The values in the column whose header matches `column`: `(0-based line, byte offset in
/// the line, value)` for each non-empty one. The header is the first non-empty line; a
/// file without such a column gives nothing.
pub(super) fn column_values(text: &str, column: &regex::Regex) -> Vec<(usize, usize, String)> {
    let mut lines = text
        .split('\n')
        .enumerate()
        .skip_while(|(_, l)| l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Vec::new();
    };
    let Some(at) = fields(header)
        .iter()
        .position(|(_, name)| column.is_match(name.trim()))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (idx, line) in lines {
        if let Some((offset, value)) = fields(line).into_iter().nth(at) {
            if !value.trim().is_empty() {
                out.push((idx, offset, value));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoted_and_plain_fields_keep_their_offsets() {
        let f = super::fields(r#"a,"b,""c""",d"#);
        assert_eq!(f[0], (0, "a".to_owned()));
        assert_eq!(f[1], (3, r#"b,"c""#.to_owned()));
        assert_eq!(f[2].1, "d");
        let re = regex::Regex::new("(?i)^password$").unwrap();
        let rows = super::column_values("url,username,password\nx,u,p@ss,w\nx,u,\n", &re);
        assert_eq!(rows, vec![(1, 4, "p@ss".to_owned())]);
        assert!(super::column_values("a,b\n1,2\n", &re).is_empty());
    }
}
