//! A small HCL writer that lays a file out exactly as `terraform fmt` would,
//! so that an exported file is left unchanged by `terraform fmt -check`.
//!
//! `hcl-rs` has a formatter, but it does not align `=` signs, so its output
//! would be rewritten by `terraform fmt`. The rules reproduced here are those
//! of hclwrite (the formatter behind `terraform fmt`): two spaces per nesting
//! level, and the `=` of consecutive single-line attributes aligned one space
//! after the longest name. A line whose value opens a bracket it does not
//! close (a multi-line object or list), a nested block, a closing bracket and
//! a blank line all end such a run of aligned lines.

use std::fmt::Write as _;

/// An HCL expression, as the exporter builds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A string literal; escaped when written.
    Str(String),
    /// A quoted template mixing literal text (escaped) and interpolations.
    Template(Vec<TemplatePart>),
    /// A reference or function call, written as given: `aws_vpc.main.id`.
    Raw(String),
    Bool(bool),
    Number(u64),
    /// A list on one line: `["a", "b"]`.
    List(Vec<Expr>),
    /// A list with one element per line, each followed by a comma.
    ListLines(Vec<Expr>),
    /// An object with one key per line; `{}` when empty.
    Object(Vec<(String, Expr)>),
    /// An object on one line: `{ cidr = "10.0.0.0/28", az = "a" }`.
    InlineObject(Vec<(String, Expr)>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    Text(String),
    /// The expression inside `${...}`.
    Interpolation(String),
}

impl Expr {
    pub fn str(value: impl Into<String>) -> Self {
        Expr::Str(value.into())
    }

    pub fn raw(value: impl Into<String>) -> Self {
        Expr::Raw(value.into())
    }

    /// A list of string literals on one line.
    pub fn strings<S: AsRef<str>>(values: &[S]) -> Self {
        Expr::List(values.iter().map(|v| Expr::str(v.as_ref())).collect())
    }

    /// The expression on one line, or `None` if it spans several lines.
    fn single_line(&self) -> Option<String> {
        Some(match self {
            Expr::Str(s) => format!("\"{}\"", escape(s)),
            Expr::Template(parts) => {
                let mut out = String::from("\"");
                for part in parts {
                    match part {
                        TemplatePart::Text(text) => out.push_str(&escape(text)),
                        TemplatePart::Interpolation(expr) => {
                            let _ = write!(out, "${{{expr}}}");
                        }
                    }
                }
                out.push('"');
                out
            }
            Expr::Raw(raw) => raw.clone(),
            Expr::Bool(b) => b.to_string(),
            Expr::Number(n) => n.to_string(),
            Expr::List(items) => {
                let items: Option<Vec<String>> = items.iter().map(Expr::single_line).collect();
                format!("[{}]", items?.join(", "))
            }
            Expr::ListLines(items) if items.is_empty() => "[]".to_string(),
            Expr::Object(entries) if entries.is_empty() => "{}".to_string(),
            Expr::InlineObject(entries) if entries.is_empty() => "{}".to_string(),
            Expr::InlineObject(entries) => {
                let entries: Option<Vec<String>> = entries
                    .iter()
                    .map(|(k, v)| Some(format!("{} = {}", object_key(k), v.single_line()?)))
                    .collect();
                format!("{{ {} }}", entries?.join(", "))
            }
            Expr::ListLines(_) | Expr::Object(_) => return None,
        })
    }

    /// Writes the expression starting at the current column; lines after
    /// the first are indented to `indent` levels (the closing bracket's).
    fn write(&self, out: &mut String, indent: usize) {
        if let Some(line) = self.single_line() {
            out.push_str(&line);
            return;
        }
        match self {
            Expr::ListLines(items) => {
                out.push_str("[\n");
                for item in items {
                    push_indent(out, indent + 1);
                    item.write(out, indent + 1);
                    out.push_str(",\n");
                }
                push_indent(out, indent);
                out.push(']');
            }
            Expr::Object(entries) => {
                out.push_str("{\n");
                let lines: Vec<Line> = entries
                    .iter()
                    .map(|(k, v)| Line::Assign(object_key(k), v))
                    .collect();
                write_lines(out, &lines, indent + 1);
                push_indent(out, indent);
                out.push('}');
            }
            // Everything else has a single-line form, handled above.
            _ => unreachable!("expression without a single-line form: {self:?}"),
        }
    }
}

/// Escapes text for a quoted HCL string: quotes, backslashes and control
/// characters, and the template introducers `${` and `%{`, which HCL would
/// otherwise evaluate (they are written `$${` and `%%{`).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// An object key: bare when it is an identifier HCL will read as a plain
/// key, quoted otherwise (`"kubernetes.io/role/internal-elb"`). Keywords are
/// quoted too, since `for` opens a for-expression and `null`/`true`/`false`
/// would read as values.
fn object_key(key: &str) -> String {
    let is_identifier = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let is_keyword = matches!(key, "for" | "in" | "if" | "null" | "true" | "false");
    if is_identifier && !is_keyword {
        key.to_string()
    } else {
        format!("\"{}\"", escape(key))
    }
}

/// A Terraform identifier made from a name, for resource labels:
/// everything but ASCII letters, digits and `_` becomes `_` (so `vpc-cni`
/// gives `vpc_cni`), and a leading digit gets a `_` in front.
pub fn identifier(name: &str) -> String {
    let mut id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if id.is_empty() || id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert(0, '_');
    }
    id
}

#[derive(Debug, Clone, PartialEq)]
enum Item {
    Attribute(String, Expr),
    Block(Block),
    /// A blank line, to group attributes (Terraform style puts `count`
    /// first and `depends_on` last, each set apart).
    Blank,
}

/// The inside of a block: attributes and nested blocks, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    items: Vec<Item>,
}

impl Body {
    pub fn attr(&mut self, name: &str, value: Expr) -> &mut Self {
        self.items.push(Item::Attribute(name.to_string(), value));
        self
    }

    pub fn block(&mut self, block: Block) -> &mut Self {
        self.items.push(Item::Block(block));
        self
    }

    pub fn blank(&mut self) -> &mut Self {
        self.items.push(Item::Blank);
        self
    }

    fn is_empty(&self) -> bool {
        self.items.iter().all(|item| *item == Item::Blank)
    }

    fn write(&self, out: &mut String, indent: usize) {
        // Blocks are set apart from whatever precedes or follows them by one
        // blank line; explicit blanks add none where there already is one,
        // and none at the start or end of the body.
        let mut lines: Vec<Line> = Vec::new();
        for item in &self.items {
            let needs_gap = match item {
                Item::Blank | Item::Block(_) => !lines.is_empty(),
                Item::Attribute(..) => matches!(lines.last(), Some(Line::Block(_))),
            };
            if needs_gap && lines.last() != Some(&Line::Blank) {
                lines.push(Line::Blank);
            }
            match item {
                Item::Attribute(name, value) => lines.push(Line::Assign(name.clone(), value)),
                Item::Block(block) => lines.push(Line::Block(block)),
                Item::Blank => {}
            }
        }
        while lines.last() == Some(&Line::Blank) {
            lines.pop();
        }
        write_lines(out, &lines, indent);
    }
}

/// A block: `resource "aws_vpc" "main" { ... }`, with optional comment
/// lines written above it.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    kind: String,
    labels: Vec<String>,
    comment: Vec<String>,
    body: Body,
}

impl Block {
    pub fn new(kind: &str, labels: &[&str], body: Body) -> Self {
        Self {
            kind: kind.to_string(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            comment: Vec::new(),
            body,
        }
    }

    /// Comment lines to write above the block, each as `# line`.
    pub fn with_comment(mut self, lines: &[&str]) -> Self {
        self.comment = lines.iter().map(|l| comment_text(l)).collect();
        self
    }

    fn write(&self, out: &mut String, indent: usize) {
        for line in &self.comment {
            push_indent(out, indent);
            out.push('#');
            if !line.is_empty() {
                out.push(' ');
                out.push_str(line);
            }
            out.push('\n');
        }
        push_indent(out, indent);
        out.push_str(&self.kind);
        for label in &self.labels {
            let _ = write!(out, " \"{}\"", escape(label));
        }
        if self.body.is_empty() {
            out.push_str(" {}\n");
            return;
        }
        out.push_str(" {\n");
        self.body.write(out, indent + 1);
        push_indent(out, indent);
        out.push_str("}\n");
    }
}

/// Comment text cannot hold a line break (the rest would be read as
/// code), so control characters become spaces.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// A whole file: header comment lines, then top-level blocks separated by
/// one blank line, ending with a newline.
pub fn render_file(header: &[&str], blocks: &[Block]) -> String {
    let mut out = String::new();
    for line in header {
        let line = comment_text(line);
        out.push('#');
        if !line.is_empty() {
            out.push(' ');
            out.push_str(&line);
        }
        out.push('\n');
    }
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 || !header.is_empty() {
            out.push('\n');
        }
        block.write(&mut out, 0);
    }
    out
}

/// One line (or one multi-line construct) of a body, as laid out.
#[derive(Debug, PartialEq)]
enum Line<'a> {
    Assign(String, &'a Expr),
    Block(&'a Block),
    Blank,
}

/// Writes lines at `indent`, aligning the `=` of each run of consecutive
/// single-line assignments.
fn write_lines(out: &mut String, lines: &[Line], indent: usize) {
    let mut i = 0;
    while i < lines.len() {
        match &lines[i] {
            Line::Assign(name, value) if value.single_line().is_none() => {
                push_indent(out, indent);
                let _ = write!(out, "{name} = ");
                value.write(out, indent);
                out.push('\n');
                i += 1;
            }
            Line::Assign(..) => {
                let run_end = lines[i..]
                    .iter()
                    .position(|l| !matches!(l, Line::Assign(_, v) if v.single_line().is_some()))
                    .map_or(lines.len(), |n| i + n);
                let run = &lines[i..run_end];
                let width = run
                    .iter()
                    .map(|l| match l {
                        Line::Assign(name, _) => name.chars().count(),
                        _ => 0,
                    })
                    .max()
                    .unwrap_or(0);
                for line in run {
                    if let Line::Assign(name, value) = line {
                        push_indent(out, indent);
                        let pad = width - name.chars().count();
                        let value = value.single_line().unwrap_or_default();
                        let _ = writeln!(out, "{name}{} = {value}", " ".repeat(pad));
                    }
                }
                i = run_end;
            }
            Line::Block(block) => {
                block.write(out, indent);
                i += 1;
            }
            Line::Blank => {
                out.push('\n');
                i += 1;
            }
        }
    }
}

fn push_indent(out: &mut String, levels: usize) {
    out.push_str(&"  ".repeat(levels));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(block: Block) -> String {
        render_file(&[], &[block])
    }

    #[test]
    fn equals_signs_align_within_a_run_of_single_line_attributes() {
        let mut body = Body::default();
        body.attr("name", Expr::str("my-eks"))
            .attr("role_arn", Expr::raw("aws_iam_role.eks.arn"))
            .attr("version", Expr::str("1.33"));
        let text = render(Block::new("resource", &["aws_eks_cluster", "main"], body));
        assert_eq!(
            text,
            "resource \"aws_eks_cluster\" \"main\" {\n\
             \x20 name     = \"my-eks\"\n\
             \x20 role_arn = aws_iam_role.eks.arn\n\
             \x20 version  = \"1.33\"\n\
             }\n"
        );
    }

    #[test]
    fn blank_lines_multi_line_values_and_blocks_end_an_alignment_run() {
        let mut inner = Body::default();
        inner
            .attr("desired_size", Expr::Number(1))
            .attr("max_size", Expr::Number(3));
        let mut body = Body::default();
        body.attr("count", Expr::Number(2))
            .blank()
            .attr("cidr_block", Expr::str("10.0.0.0/28"))
            .attr("vpc_id", Expr::raw("aws_vpc.main.id"))
            .attr(
                "tags",
                Expr::Object(vec![
                    ("Name".into(), Expr::str("x")),
                    ("kubernetes.io/role/internal-elb".into(), Expr::str("1")),
                ]),
            )
            .attr("a", Expr::Bool(true))
            .block(Block::new("scaling_config", &[], inner))
            .blank()
            .attr(
                "depends_on",
                Expr::ListLines(vec![Expr::raw("aws_vpc.main")]),
            );
        let text = render(Block::new("resource", &["x", "y"], body));
        let expected = r#"resource "x" "y" {
  count = 2

  cidr_block = "10.0.0.0/28"
  vpc_id     = aws_vpc.main.id
  tags = {
    Name                              = "x"
    "kubernetes.io/role/internal-elb" = "1"
  }
  a = true

  scaling_config {
    desired_size = 1
    max_size     = 3
  }

  depends_on = [
    aws_vpc.main,
  ]
}
"#;
        assert_eq!(text, expected);
    }

    #[test]
    fn empty_bodies_and_collections_stay_on_one_line() {
        let mut body = Body::default();
        body.attr("labels", Expr::Object(vec![]))
            .attr("ids", Expr::ListLines(vec![]));
        let text = render_file(
            &["header"],
            &[
                Block::new("data", &["aws_caller_identity", "current"], Body::default()),
                Block::new("locals", &[], body),
            ],
        );
        assert_eq!(
            text,
            "# header\n\ndata \"aws_caller_identity\" \"current\" {}\n\nlocals {\n  labels = {}\n  ids    = []\n}\n"
        );
    }

    #[test]
    fn strings_escape_quotes_backslashes_and_template_introducers() {
        assert_eq!(escape(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(escape("${x} %{if} $ % {}"), "$${x} %%{if} $ % {}");
        assert_eq!(escape("line\nnext\u{1}"), "line\\nnext\\u0001");
    }

    #[test]
    fn identifiers_and_object_keys() {
        assert_eq!(identifier("vpc-cni"), "vpc_cni");
        assert_eq!(identifier("1gpu.pool"), "_1gpu_pool");
        assert_eq!(identifier(""), "_");
        assert_eq!(object_key("Name"), "Name");
        assert_eq!(object_key("team-a"), "team-a");
        assert_eq!(
            object_key("node.kubernetes.io/x"),
            "\"node.kubernetes.io/x\""
        );
        assert_eq!(object_key("for"), "\"for\"");
    }

    #[test]
    fn comments_cannot_break_out_of_their_line() {
        let block = Block::new("locals", &[], Body::default()).with_comment(&["a\nb = 1"]);
        assert_eq!(render(block), "# a b = 1\nlocals {}\n");
    }
}
