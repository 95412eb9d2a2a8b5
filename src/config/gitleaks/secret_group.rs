//! gitleaks names the secret by capture-group number (`secretGroup`); sprawl rules name it
//! with a `secret` group. This rewrites a pattern's text so the right group carries that name,
//! using `regex-syntax`'s parser for exact group spans. Pure.

/// Name the secret capture group `secret`: group `n` (gitleaks' `secretGroup`), or with
/// `n = 0` the first group, or the whole match when the regex has no groups. gitleaks takes
/// the first *non-empty* group when `secretGroup` is unset, which is the first group unless
/// that group can match empty.
pub fn with_secret_group(pattern: &str, n: u32) -> Result<String, String> {
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|e| crate::rules::one_line(&e.kind().to_string()))?;
    let mut groups = Vec::new();
    collect_groups(&ast, &mut groups);
    if groups.is_empty() {
        if n > 0 {
            return Err(format!("secretGroup = {n} but the regex has no groups"));
        }
        return Ok(format!("(?P<secret>{pattern})"));
    }
    let n = n.max(1);
    let Some(target) = groups.iter().find(|g| g.index == n) else {
        return Err(format!(
            "secretGroup = {n} but the regex has {} groups",
            groups.len()
        ));
    };
    if groups
        .iter()
        .any(|g| g.index != n && g.name.as_ref().is_some_and(|(name, _)| name == "secret"))
    {
        return Err("another group is already named `secret`".into());
    }
    let mut out = pattern.to_string();
    match &target.name {
        Some((_, span)) => out.replace_range(span.clone(), "secret"),
        None => out.insert_str(target.open + 1, "?P<secret>"),
    }
    Ok(out)
}

struct GroupAt {
    index: u32,
    /// Byte offset of the `(`.
    open: usize,
    /// The name and its byte range, for named groups.
    name: Option<(String, std::ops::Range<usize>)>,
}

fn collect_groups(ast: &regex_syntax::ast::Ast, out: &mut Vec<GroupAt>) {
    use regex_syntax::ast::{Ast, GroupKind};
    match ast {
        Ast::Group(g) => {
            let open = g.span.start.offset;
            match &g.kind {
                GroupKind::CaptureIndex(index) => out.push(GroupAt {
                    index: *index,
                    open,
                    name: None,
                }),
                GroupKind::CaptureName { name, .. } => out.push(GroupAt {
                    index: name.index,
                    open,
                    name: Some((
                        name.name.clone(),
                        name.span.start.offset..name.span.end.offset,
                    )),
                }),
                GroupKind::NonCapturing(_) => {}
            }
            collect_groups(&g.ast, out);
        }
        Ast::Repetition(r) => collect_groups(&r.ast, out),
        Ast::Alternation(a) => a.asts.iter().for_each(|x| collect_groups(x, out)),
        Ast::Concat(c) => c.asts.iter().for_each(|x| collect_groups(x, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::with_secret_group as g;

    #[test]
    fn names_the_right_group() {
        assert_eq!(g("tok_[a-z]{8}", 0).unwrap(), "(?P<secret>tok_[a-z]{8})");
        assert_eq!(g("a|b", 0).unwrap(), "(?P<secret>a|b)");
        assert_eq!(g("k=(x+)", 0).unwrap(), "k=(?P<secret>x+)");
        assert_eq!(g("(a)(?:b)(c)", 2).unwrap(), "(a)(?:b)(?P<secret>c)");
        assert_eq!(g("((a)(b))", 3).unwrap(), "((a)(?P<secret>b))");
        assert_eq!(g("(?P<tok>a)(b)", 1).unwrap(), "(?P<secret>a)(b)");
        assert_eq!(g("(?<tok>a)", 0).unwrap(), "(?<secret>a)");
        assert_eq!(g("(?i)(a)", 1).unwrap(), "(?i)(?P<secret>a)");
        assert_eq!(g(r"\(lit\)(x)", 1).unwrap(), r"\(lit\)(?P<secret>x)");
    }

    #[test]
    fn explains_what_cannot_be_done() {
        assert!(g("a(?=b)", 0).unwrap_err().contains("look-around"));
        assert_eq!(
            g("(a)", 2).unwrap_err(),
            "secretGroup = 2 but the regex has 1 groups"
        );
        assert_eq!(
            g("abc", 1).unwrap_err(),
            "secretGroup = 1 but the regex has no groups"
        );
        assert_eq!(
            g("(?P<secret>a)(b)", 2).unwrap_err(),
            "another group is already named `secret`"
        );
    }
}
