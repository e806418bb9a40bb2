//! Jenkinsfiles: a small parser for the declarative pipeline structure.
//!
//! In: a Jenkinsfile's text. A tokenizer that understands Groovy comments
//! and all four string quotings feeds a block parser (`name(args) { … }`),
//! so braces inside strings or comments cannot confuse it. Out: the
//! pipeline's leaf stages in order (including `parallel` and nested
//! `stages`), and findings for the stage list, credentials bindings, manual
//! `input` gates and a deploy stage that pushes an image tag to a GitOps
//! repository (or deploys directly with kubectl/helm).

use super::ci::pipeline_finding;
use super::facts::{Acc, Pipeline};
use super::findings::Finding;
use super::walk::RepoFile;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Open,
    Close,
    Sym(char),
}

/// A block `name(args) { body }` or a statement `name args` (no body).
#[derive(Debug, Default)]
struct Item {
    name: String,
    args: Vec<Tok>,
    line: usize,
    body: Option<Vec<Item>>,
}

fn tokenize(src: &str) -> Vec<(Tok, usize)> {
    let chars: Vec<char> = src.chars().collect();
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\n' => line += 1,
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if next == Some('*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
                i += 2;
                continue;
            }
            '\'' | '"' => {
                let triple = chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c);
                let start_line = line;
                i += if triple { 3 } else { 1 };
                let mut s = String::new();
                while i < chars.len() {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        s.push(chars[i + 1]);
                        i += 2;
                        continue;
                    }
                    let end = if triple {
                        chars[i] == c
                            && chars.get(i + 1) == Some(&c)
                            && chars.get(i + 2) == Some(&c)
                    } else {
                        chars[i] == c || chars[i] == '\n'
                    };
                    if end {
                        i += if triple { 3 } else { 1 };
                        break;
                    }
                    line += usize::from(chars[i] == '\n');
                    s.push(chars[i]);
                    i += 1;
                }
                out.push((Tok::Str(s), start_line));
                continue;
            }
            '{' => out.push((Tok::Open, line)),
            '}' => out.push((Tok::Close, line)),
            c if c.is_alphanumeric() || c == '_' || c == '$' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '$' | '.'))
                {
                    i += 1;
                }
                out.push((Tok::Ident(chars[start..i].iter().collect()), line));
                continue;
            }
            c if !c.is_whitespace() => out.push((Tok::Sym(c), line)),
            _ => {}
        }
        i += 1;
    }
    out
}

/// Parses items until the matching `}` (or the end).
fn items(toks: &[(Tok, usize)], pos: &mut usize) -> Vec<Item> {
    let mut out = Vec::new();
    while *pos < toks.len() {
        let (tok, line) = &toks[*pos];
        match tok {
            Tok::Close => {
                *pos += 1;
                return out;
            }
            Tok::Open => {
                *pos += 1;
                let body = items(toks, pos);
                out.push(Item {
                    name: String::new(),
                    line: *line,
                    body: Some(body),
                    ..Default::default()
                });
            }
            Tok::Ident(name) => {
                *pos += 1;
                let mut item = Item {
                    name: name.clone(),
                    line: *line,
                    ..Default::default()
                };
                let mut depth = 0i32;
                while let Some((t, l)) = toks.get(*pos) {
                    match t {
                        Tok::Open if depth == 0 => {
                            *pos += 1;
                            item.body = Some(items(toks, pos));
                            break;
                        }
                        Tok::Close if depth == 0 => break,
                        _ if depth == 0 && *l != *line => break,
                        Tok::Sym('(' | '[') => depth += 1,
                        Tok::Sym(')' | ']') => depth -= 1,
                        _ => {}
                    }
                    item.args.push(t.clone());
                    *pos += 1;
                }
                out.push(item);
            }
            _ => *pos += 1,
        }
    }
    out
}

fn first_str(args: &[Tok]) -> Option<String> {
    args.iter().find_map(|t| match t {
        Tok::Str(s) => Some(s.clone()),
        _ => None,
    })
}

/// Leaf stages in order: a stage holding `parallel` or `stages` contributes
/// its children instead of itself.
fn leaf_stages<'a>(list: &'a [Item], out: &mut Vec<&'a Item>) {
    for it in list {
        let Some(body) = &it.body else { continue };
        if it.name == "stage" {
            let nested: Vec<&Item> = body
                .iter()
                .filter(|c| c.name == "parallel" || c.name == "stages")
                .collect();
            if nested.is_empty() {
                out.push(it);
            } else {
                nested
                    .iter()
                    .for_each(|n| leaf_stages(n.body.as_deref().unwrap_or(&[]), out));
            }
        } else {
            leaf_stages(body, out);
        }
    }
}

fn walk<'a>(list: &'a [Item], f: &mut impl FnMut(&'a Item)) {
    for it in list {
        f(it);
        if let Some(b) = &it.body {
            walk(b, f);
        }
    }
}

pub(crate) fn parse(file: &RepoFile, text: &str, acc: &mut Acc) -> bool {
    let toks = tokenize(text);
    let mut pos = 0;
    let tree = items(&toks, &mut pos);
    let f = file.rel.as_str();
    let mut stages = Vec::new();
    leaf_stages(&tree, &mut stages);
    if stages.is_empty() {
        acc.skip(f, "Jenkinsfile without stage('…') blocks");
        return false;
    }
    let names: Vec<String> = stages
        .iter()
        .map(|s| first_str(&s.args).unwrap_or_default())
        .collect();
    let line = stages[0].line;
    acc.facts.pipelines.push(Pipeline {
        tool: "Jenkins",
        file: f.into(),
        stages: names.clone(),
        reusable: false,
    });
    let lines: Vec<&str> = text.lines().collect();
    let stage_quote = |s: &Item| {
        let l = lines.get(s.line.wrapping_sub(1)).map_or("", |s| s.trim());
        l.trim_end_matches('{').trim_end().to_string()
    };
    let quotes = vec![
        stage_quote(stages[0]),
        stage_quote(stages[stages.len() - 1]),
    ];
    acc.finding(pipeline_finding(f, line, "Jenkins", &names, quotes));
    let src_line = |l: usize| {
        lines
            .get(l.wrapping_sub(1))
            .map_or("", |s| s.trim())
            .to_string()
    };
    let mut creds_done = false;
    walk(&tree, &mut |it| {
        if (it.name == "credentials" || it.name == "withCredentials") && !creds_done {
            creds_done = true;
            let id = first_str(&it.args).unwrap_or_default();
            acc.facts.signal("ci-credentials", f, it.line, &id);
            acc.finding(
                Finding::new(
                    "jenkins-credentials",
                    f,
                    it.line,
                    "the pipeline binds credentials from the Jenkins credential store",
                )
                .value(src_line(it.line))
                .param("credential", id.as_str())
                .phrase(&id),
            );
        }
        if it.name == "input" {
            acc.finding(
                Finding::new(
                    "ci-manual-gate",
                    f,
                    it.line,
                    "a stage waits for manual approval (input)",
                )
                .value(src_line(it.line))
                .param("job", "input"),
            );
        }
    });
    for st in &stages {
        let name = first_str(&st.args).unwrap_or_default();
        if !name.to_lowercase().contains("deploy") && !name.to_lowercase().contains("release") {
            continue;
        }
        let mut shells = Vec::new();
        walk(st.body.as_deref().unwrap_or(&[]), &mut |it| {
            if it.name == "sh" {
                shells.push((it.line, first_str(&it.args).unwrap_or_default()));
            }
        });
        let gitops = shells.iter().find(|(_, s)| {
            s.contains("git push") || s.contains("yq ") || s.contains("kustomize edit")
        });
        let push = shells
            .iter()
            .find(|(_, s)| s.contains("kubectl apply") || s.contains("helm upgrade"));
        let (kind, hit, keys, summary): (_, _, &[&str], _) = match (gitops, push) {
            (Some(h), _) => (
                "jenkins-gitops-deploy",
                h,
                &["yq ", "kustomize edit", "git push"],
                "the deploy stage commits the new image tag to a GitOps repository",
            ),
            (None, Some(h)) => (
                "ci-push-deploy",
                h,
                &["kubectl apply", "helm upgrade"],
                "the deploy stage applies to the cluster directly from CI",
            ),
            _ => continue,
        };
        // Quote the command inside the shell string, at its own line.
        let (offset, command) = hit
            .1
            .lines()
            .enumerate()
            .find(|(_, l)| keys.iter().any(|k| l.contains(k)))
            .map_or((0, hit.1.trim().to_string()), |(i, l)| {
                (i, l.trim().to_string())
            });
        let line = hit.0 + offset;
        acc.finding(
            Finding::new(kind, f, line, summary)
                .value(format!("stage('{name}')"))
                .value(command)
                .param("stage", name.as_str())
                .phrase(&name),
        );
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_ignore_braces_in_strings_and_comments() {
        let src = "pipeline {\n  // stage('commented') { }\n  stages {\n    stage('Build') { steps { sh 'echo \"}\"' } }\n    stage('Tests') {\n      parallel {\n        stage('Unit') { steps { sh '''make test''' } }\n        stage(\"E2E\") { steps { sh 'x' } }\n      }\n    }\n    stage('Deploy') { steps { sh \"git push origin main\" } }\n  }\n}\n";
        let toks = tokenize(src);
        let mut pos = 0;
        let tree = items(&toks, &mut pos);
        let mut st = Vec::new();
        leaf_stages(&tree, &mut st);
        let names: Vec<_> = st.iter().map(|s| first_str(&s.args).unwrap()).collect();
        assert_eq!(names, ["Build", "Unit", "E2E", "Deploy"]);
        assert_eq!(st[3].line, 11);
    }
}
