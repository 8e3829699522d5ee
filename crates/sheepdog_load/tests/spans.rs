//! Scalar spans: a value's span covers exactly what was written for it (tag included), not
//! the trailing blanks and comment, so code frames underline the value.

use std::sync::Arc;

use sheepdog_load::node::Node;

/// `(start line, start col, end line, end col)` of the value at `path` in YAML `text`.
fn span_of(text: &str, path: &[&str]) -> (u32, u32, u32, u32) {
    let parsed = sheepdog_load::yaml::parse(&Arc::from("t.yaml"), text)
        .unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
    let mut node: &Node = parsed.root.as_ref().expect("root");
    for key in path {
        node = match key.parse::<usize>() {
            Ok(i) => &node.as_seq().expect("seq")[i],
            Err(_) => node.get(key).unwrap_or_else(|| panic!("{key} in {text:?}")),
        };
    }
    let s = &node.span;
    (s.start.line, s.start.column, s.end.line, s.end.column)
}

#[test]
fn plain_scalars() {
    assert_eq!(span_of("a: x y  z # c\n", &["a"]), (1, 4, 1, 10));
    assert_eq!(span_of("a: python3.12\nb: 1\n", &["a"]), (1, 4, 1, 14));
    assert_eq!(span_of("a: [x  , y  ]\n", &["a", "1"]), (1, 10, 1, 11));
}

#[test]
fn tagged_and_anchored_scalars_cover_the_tag_and_the_value() {
    // The short form becomes `{Ref: Sg}`; the map's span is the whole `!Ref Sg`.
    assert_eq!(span_of("a: !Ref Sg   # c\n", &["a"]), (1, 4, 1, 11));
    assert_eq!(span_of("a: !GetAtt Fn.Arn\n", &["a"]), (1, 4, 1, 18));
    assert_eq!(span_of("a: [x, !Ref y  ]\n", &["a", "1"]), (1, 8, 1, 14));
    assert_eq!(span_of("a: &x val  # c\nb: *x\n", &["a"]), (1, 4, 1, 10));
    assert_eq!(
        span_of("a: !Sub \"arn:${AWS::Partition}:s3:::${B}\"  # c\n", &["a"]),
        (1, 4, 1, 42)
    );
    assert_eq!(span_of("a: !Sub 'x-${Y}'\n", &["a"]), (1, 4, 1, 17));
}

#[test]
fn quoted_scalars_end_at_the_closing_quote() {
    assert_eq!(span_of("a: 'q'  # c\n", &["a"]), (1, 4, 1, 7));
    assert_eq!(span_of("a: 'it''s'  # it's\n", &["a"]), (1, 4, 1, 11));
    assert_eq!(span_of("a: \"q\\\"r\"  # c\n", &["a"]), (1, 4, 1, 10));
    assert_eq!(span_of("a: \"\\u00e9\\n\"\n", &["a"]), (1, 4, 1, 14));
    assert_eq!(span_of("a: \"é\"  # c\n", &["a"]), (1, 4, 1, 7));
    assert_eq!(span_of("- \"x\"  # c\n- 'y'\n", &["1"]), (2, 3, 2, 6));
    assert_eq!(
        span_of("a: {k: \"v\" , j: 'w' }\n", &["a", "k"]),
        (1, 8, 1, 11)
    );
}

#[test]
fn multi_line_quoted_scalars_end_on_their_last_line() {
    assert_eq!(
        span_of("a: \"one\n  two\"  # c\nb: 1\n", &["a"]),
        (1, 4, 2, 7)
    );
    assert_eq!(span_of("a: 'one\n\n  two'\nb: 1\n", &["a"]), (1, 4, 3, 7));
    assert_eq!(span_of("a: \"one\\\n  two\"\nb: 1\n", &["a"]), (1, 4, 2, 7));
}
