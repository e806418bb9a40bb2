//! Dockerfiles and Docker Compose files.
//!
//! In: a Dockerfile's text (parsed with the `dockerfile-parser` crate) or a
//! parsed compose document. Out: images (stage count, final base image,
//! USER) and compose services in the facts, health checks as signals, and
//! findings that quote the instructions: multi-stage builds, a final stage
//! with no USER (root) or a non-root USER, floating `latest` base images,
//! HEALTHCHECKs and compose health checks.

use super::facts::{Acc, Compose, DockerImage};
use super::findings::Finding;
use super::walk::RepoFile;
use super::workload::floating_tag;
use super::yaml::{text_at, Locator};
use dockerfile_parser::{Dockerfile, Instruction};
use serde_json::Value;

pub(crate) fn parse_dockerfile(file: &RepoFile, text: &str, acc: &mut Acc) -> bool {
    let f = file.rel.as_str();
    let df = match Dockerfile::parse(text) {
        Ok(d) => d,
        Err(e) => {
            // The parser's message quotes the source line; keep only its position.
            let msg = e.to_string();
            let at = msg
                .split("--> ")
                .nth(1)
                .and_then(|s| s.split_whitespace().next())
                .map(|p| format!(" at {p}"))
                .unwrap_or_default();
            acc.skip(f, format!("invalid Dockerfile syntax{at}"));
            return false;
        }
    };
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    let line_of = |off: usize| starts.partition_point(|&s| s <= off);
    let src = |span: &dockerfile_parser::Span| {
        text.get(span.start..span.end)
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let mut froms = Vec::new();
    let mut aliases = Vec::new();
    let mut user: Option<(String, usize, String)> = None;
    for ins in &df.instructions {
        match ins {
            Instruction::From(from) => {
                froms.push((
                    from.image.content.clone(),
                    line_of(from.span.start),
                    src(&from.span),
                ));
                if let Some(a) = &from.alias {
                    aliases.push(a.content.clone());
                }
                user = None;
            }
            Instruction::Misc(m) if m.instruction.content.eq_ignore_ascii_case("USER") => {
                let who = src(&m.span)
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("")
                    .to_string();
                user = Some((who, line_of(m.span.start), src(&m.span)));
            }
            Instruction::Misc(m) if m.instruction.content.eq_ignore_ascii_case("HEALTHCHECK") => {
                let l = line_of(m.span.start);
                let q = src(&m.span);
                acc.facts.signal("health-endpoint", f, l, &q);
                acc.finding(
                    Finding::new(
                        "docker-healthcheck",
                        f,
                        l,
                        "the image declares a HEALTHCHECK",
                    )
                    .value(q),
                );
            }
            _ => {}
        }
    }
    let Some((base, base_line, base_quote)) = froms.last().cloned() else {
        acc.skip(f, "Dockerfile without FROM");
        return false;
    };
    let component = file
        .dir()
        .rsplit('/')
        .next()
        .filter(|d| !d.is_empty())
        .unwrap_or("app")
        .to_string();
    acc.facts.dockerfiles.push(DockerImage {
        file: f.into(),
        stages: froms.len(),
        final_base: base.clone(),
    });
    if froms.len() > 1 {
        let mut fd = Finding::new(
            "docker-multi-stage",
            f,
            froms[0].1,
            format!("a {}-stage build", froms.len()),
        )
        .param("stages", froms.len().to_string())
        .param("component", component.as_str())
        .param("base", base.as_str())
        .phrase(&component);
        for (_, _, q) in &froms {
            fd = fd.value(q.clone());
        }
        acc.finding(fd);
    }
    match &user {
        Some((who, l, q)) if !matches!(who.as_str(), "root" | "0" | "0:0") => {
            acc.facts.signal("non-root-container", f, *l, who);
            acc.finding(
                Finding::new(
                    "docker-nonroot-user",
                    f,
                    *l,
                    format!("the final stage switches to the non-root user `{who}`"),
                )
                .value(q.clone())
                .param("user", who.as_str())
                .param("component", component.as_str())
                .phrase(who),
            );
        }
        _ => acc.finding(
            Finding::new(
                "docker-no-user",
                f,
                base_line,
                format!("the final stage (`{base}`) has no USER, so it runs as root"),
            )
            .value(base_quote)
            .value(user.map_or("no USER instruction".to_string(), |u| u.2))
            .param("component", component.as_str())
            .param("base", base.as_str())
            .phrase(&component),
        ),
    }
    for (image, l, q) in &froms {
        if !aliases.contains(image) && image != "scratch" && floating_tag(image) {
            acc.finding(
                Finding::new(
                    "image-latest-tag",
                    f,
                    *l,
                    format!("the build starts from `{image}`, a floating tag"),
                )
                .value(q.clone())
                .param("image", image.as_str())
                .param("container", component.as_str())
                .phrase(image),
            );
        }
    }
    true
}

pub(crate) fn compose(file: &RepoFile, v: &Value, loc: &Locator, acc: &mut Acc) {
    let f = file.rel.as_str();
    let Some(services) = v.get("services").and_then(Value::as_object) else {
        return;
    };
    let mut list = Vec::new();
    let mut ordered: Vec<_> = services.iter().collect();
    ordered.sort_by_key(|(n, _)| loc.key(&["services", n.as_str()]));
    for (name, s) in ordered {
        let image = text_at(s, &["image"]);
        list.push((name.clone(), image.clone()));
        let sl = loc.key(&["services", name.as_str()]);
        if let Some(img) = image.as_ref().filter(|i| floating_tag(i)) {
            let l = loc.key_from(sl, &["image"]);
            acc.finding(
                Finding::new(
                    "image-latest-tag",
                    f,
                    l,
                    format!("compose service `{name}` runs `{img}`, a floating tag"),
                )
                .value(loc.text(l))
                .param("image", img.as_str())
                .param("container", name.as_str())
                .phrase(name),
            );
        }
        let Some(hc) = s.get("healthcheck") else {
            continue;
        };
        let test = match hc.get("test") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" "),
            Some(Value::String(t)) => t.clone(),
            _ => continue,
        };
        let l = loc.key_from(sl, &["healthcheck", "test"]);
        acc.facts.signal("health-endpoint", f, l, &test);
        acc.finding(
            Finding::new(
                "compose-healthcheck",
                f,
                l,
                format!("compose service `{name}` has a health check"),
            )
            .value(loc.text(l))
            .param("service", name.as_str())
            .phrase(name),
        );
    }
    acc.facts.compose.push(Compose {
        file: f.into(),
        services: list,
    });
}
