//! The facts parsers record about a repository, and the accumulator that
//! collects them from many files and threads.
//!
//! In: calls from each parser (`acc.facts.*.push`, [`Acc::finding`],
//! [`Acc::secret`], [`Acc::skip`]). Out: one merged, sorted [`Acc`] that
//! `post`, `layers` and `availability` read. Secret values are held here only
//! until [`Acc::redact`] has scrubbed the report; they are never serialised.

use super::findings::Finding;
use super::secrets::{Redactor, SecretRef};
use super::{Skipped, Stats};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub(crate) struct TfResource {
    pub ty: String,
    pub file: String,
    pub dir: String,
    pub line: usize,
    /// `data` block rather than `resource`.
    pub data: bool,
    /// `count`/`for_each`: a number, `var:NAME`, or `?`; `None` for one.
    pub repeat: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct TfModule {
    pub name: String,
    pub source: String,
    pub file: String,
    pub dir: String,
    pub line: usize,
    /// Literal arguments: (name, value, line, quote).
    pub args: Vec<(String, String, usize, String)>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct TfBackend {
    pub ty: String,
    pub file: String,
    pub dir: String,
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct HelmRelease {
    pub chart: String,
    pub version: Option<String>,
    pub local: bool,
    pub file: String,
    pub line: usize,
}

/// Any Kubernetes object, from plain YAML, a Helm template or a Terraform
/// `kubernetes_manifest`.
#[derive(Debug, Clone, Default)]
pub(crate) struct K8sObj {
    pub kind: String,
    pub name: String,
    pub file: String,
    pub line: usize,
    /// Pod template labels (workloads) or the selector (PDBs, HPAs target).
    pub selector: BTreeMap<String, String>,
    pub replicas: Option<i64>,
    /// Read from a Helm template.
    pub templated: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct ArgoApp {
    pub name: String,
    pub file: String,
    pub line: usize,
    pub automated: bool,
    pub self_heal: bool,
    pub prune: bool,
    pub wave: Option<i64>,
    /// The sync-wave annotation's line as written.
    pub wave_quote: String,
    pub source_path: Option<String>,
    /// The `path` line as written (YAML or HCL).
    pub path_quote: String,
    /// Read from a Helm template.
    pub templated: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct AppSet {
    pub name: String,
    pub file: String,
    pub line: usize,
    /// Generator kinds (`list`, `git directories`, `clusters`, …).
    pub generators: Vec<String>,
    pub templated: bool,
}

/// A resource run at a sync or release phase rather than applied with the rest.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hook {
    /// "Argo CD" or "Helm".
    pub engine: &'static str,
    /// `PreSync`, `PostSync`… or `pre-install,pre-upgrade`…
    pub phase: String,
    pub kind: String,
    pub name: String,
    pub file: String,
    pub line: usize,
}

/// A resource with an `argocd.argoproj.io/sync-wave` annotation that is not
/// an Application.
#[derive(Debug, Clone, Default)]
pub(crate) struct Wave {
    pub wave: i64,
    pub kind: String,
    pub name: String,
    pub file: String,
    pub line: usize,
    /// The annotation's line as written.
    pub quote: String,
}

/// An Argo Rollouts `Rollout`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rollout {
    pub name: String,
    pub file: String,
    pub line: usize,
    /// "blue-green" or "canary".
    pub strategy: &'static str,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Chart {
    pub dir: String,
    pub name: String,
    pub version: String,
    pub deps: Vec<String>,
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Pipeline {
    pub tool: &'static str,
    pub file: String,
    pub stages: Vec<String>,
    /// A GitHub reusable workflow (`on: workflow_call`).
    pub reusable: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct DockerImage {
    pub file: String,
    pub stages: usize,
    pub final_base: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Compose {
    pub file: String,
    /// (service, image if any)
    pub services: Vec<(String, Option<String>)>,
}

/// A tagged observation that layers and availability count.
#[derive(Debug, Clone, Default)]
pub(crate) struct Signal {
    pub tag: &'static str,
    pub file: String,
    pub line: usize,
    pub detail: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    pub tf_files: Vec<String>,
    pub tf_resources: Vec<TfResource>,
    pub tf_modules: Vec<TfModule>,
    pub tf_backends: Vec<TfBackend>,
    pub helm_releases: Vec<HelmRelease>,
    pub k8s: Vec<K8sObj>,
    pub argo_apps: Vec<ArgoApp>,
    pub app_sets: Vec<AppSet>,
    pub hooks: Vec<Hook>,
    pub waves: Vec<Wave>,
    pub rollouts: Vec<Rollout>,
    pub charts: Vec<Chart>,
    pub pipelines: Vec<Pipeline>,
    pub dockerfiles: Vec<DockerImage>,
    pub compose: Vec<Compose>,
    pub kustomizations: Vec<String>,
    pub scripts: Vec<String>,
    pub docs: Vec<String>,
    pub python: Vec<String>,
    pub signals: Vec<Signal>,
}

impl Facts {
    pub(crate) fn signal(&mut self, tag: &'static str, file: &str, line: usize, detail: &str) {
        self.signals.push(Signal {
            tag,
            file: file.into(),
            line,
            detail: detail.into(),
        });
    }

    pub(crate) fn signals<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a Signal> + 'a {
        self.signals.iter().filter(move |s| s.tag == tag)
    }

    pub(crate) fn has(&self, tag: &str) -> bool {
        self.signals(tag).next().is_some()
    }

    /// How many instances a resource block makes, resolving `var.x` list
    /// defaults from the same directory; unknown repetition counts as one.
    pub(crate) fn instances(&self, r: &TfResource) -> usize {
        match r.repeat.as_deref() {
            None => 1,
            Some(rep) => match rep.strip_prefix("var:") {
                Some(var) => self
                    .signals("tf-var-len")
                    .filter(|s| s.file.rsplit_once('/').map_or("", |(d, _)| d) == r.dir)
                    .find_map(|s| {
                        s.detail
                            .strip_prefix(&format!("{var}="))
                            .and_then(|n| n.parse().ok())
                    })
                    .unwrap_or(1),
                None => rep.parse().unwrap_or(1),
            },
        }
    }

    pub(crate) fn k8s_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a K8sObj> + 'a {
        self.k8s.iter().filter(move |o| o.kind == kind)
    }

    fn extend(&mut self, o: Facts) {
        self.tf_files.extend(o.tf_files);
        self.tf_resources.extend(o.tf_resources);
        self.tf_modules.extend(o.tf_modules);
        self.tf_backends.extend(o.tf_backends);
        self.helm_releases.extend(o.helm_releases);
        self.k8s.extend(o.k8s);
        self.argo_apps.extend(o.argo_apps);
        self.app_sets.extend(o.app_sets);
        self.hooks.extend(o.hooks);
        self.waves.extend(o.waves);
        self.rollouts.extend(o.rollouts);
        self.charts.extend(o.charts);
        self.pipelines.extend(o.pipelines);
        self.dockerfiles.extend(o.dockerfiles);
        self.compose.extend(o.compose);
        self.kustomizations.extend(o.kustomizations);
        self.scripts.extend(o.scripts);
        self.docs.extend(o.docs);
        self.python.extend(o.python);
        self.signals.extend(o.signals);
    }

    fn sort(&mut self) {
        self.tf_files.sort();
        self.tf_resources
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        self.tf_modules
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        self.tf_backends
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        self.helm_releases
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        self.k8s
            .sort_by(|a, b| (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)));
        self.argo_apps
            .sort_by(|a, b| (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)));
        self.app_sets
            .sort_by(|a, b| (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)));
        self.hooks
            .sort_by(|a, b| (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)));
        self.waves
            .sort_by(|a, b| (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)));
        self.rollouts
            .sort_by(|a, b| (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)));
        self.charts.sort_by(|a, b| a.file.cmp(&b.file));
        self.pipelines.sort_by(|a, b| a.file.cmp(&b.file));
        self.dockerfiles.sort_by(|a, b| a.file.cmp(&b.file));
        self.compose.sort_by(|a, b| a.file.cmp(&b.file));
        self.kustomizations.sort();
        self.scripts.sort();
        self.docs.sort();
        self.python.sort();
        self.signals.sort_by(|a, b| {
            (a.tag, &a.file, a.line, &a.detail).cmp(&(b.tag, &b.file, b.line, &b.detail))
        });
    }
}

/// Everything gathered so far; one per worker thread, then merged.
#[derive(Debug, Default)]
pub(crate) struct Acc {
    pub facts: Facts,
    pub findings: Vec<Finding>,
    pub secrets: Vec<SecretRef>,
    /// Raw secret values, kept only to scrub the report; never serialised.
    pub secret_values: Vec<String>,
    pub skipped: Vec<super::Skipped>,
    pub stats: Stats,
}

impl Acc {
    pub(crate) fn skip(&mut self, path: &str, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            path: path.into(),
            reason: reason.into(),
        });
    }

    pub(crate) fn finding(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// Records that a secret exists at `file:line`; the value is kept only
    /// for redaction.
    pub(crate) fn secret(&mut self, file: &str, line: usize, kind: &str, name: &str, value: &str) {
        if self
            .secrets
            .iter()
            .any(|s| s.file == file && s.line == line)
        {
            self.secret_values.push(value.to_string());
            return;
        }
        self.secrets.push(SecretRef::new(file, line, kind, name));
        self.secret_values.push(value.to_string());
    }

    pub(crate) fn merge(&mut self, o: Acc) {
        self.facts.extend(o.facts);
        self.findings.extend(o.findings);
        self.secrets.extend(o.secrets);
        self.secret_values.extend(o.secret_values);
        self.skipped.extend(o.skipped);
        self.stats.files_read += o.stats.files_read;
        self.stats.files_parsed += o.stats.files_parsed;
    }

    pub(crate) fn sort(&mut self) {
        self.facts.sort();
        self.findings
            .sort_by(|a, b| (&a.file, a.line, &a.kind).cmp(&(&b.file, b.line, &b.kind)));
        self.findings
            .dedup_by(|a, b| a.file == b.file && a.line == b.line && a.kind == b.kind);
        self.secrets
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        self.secrets
            .dedup_by(|a, b| a.file == b.file && a.line == b.line);
        self.skipped.sort();
        self.skipped.dedup();
    }

    /// Scrubs every string that can reach output of known secret values.
    pub(crate) fn redact(&mut self, r: &Redactor) {
        for f in &mut self.findings {
            f.redact(r);
        }
        for s in &mut self.skipped {
            s.reason = r.clean(&s.reason);
            s.path = r.clean(&s.path);
        }
        for s in &mut self.facts.signals {
            s.detail = r.clean(&s.detail);
        }
    }
}
