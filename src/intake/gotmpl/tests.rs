use super::*;
use serde_json::json;

fn run(text: &str, values: Option<Value>, iteration: usize) -> (String, Neutral) {
    let mut env = Env::new(values.as_ref(), Some(&json!({"name": "shop"})));
    let n = neutralise(text, &mut env, iteration, Mode::Keep);
    (n.text.clone(), n)
}

#[test]
fn keeps_lines_and_structure() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"shop.fullname\" . }}\n  labels:\n    {{- include \"shop.labels\" . | nindent 4 }}\n    extra: x\n  annotations:\n    {{- toYaml .Values.ann | nindent 4 }}\nspec:\n  replicas: {{ .Values.replicas }}\n  {{- if .Values.on }}\n  paused: true\n  {{- else }}\n  paused: false\n  {{- end }}\n";
    let (out, n) = run(
        text,
        Some(json!({"replicas": 2, "on": true, "ann": {"a": "b"}})),
        0,
    );
    assert_eq!(out.lines().count(), text.lines().count());
    let mut v: Value = serde_norway::from_str::<serde_norway::Value>(&out)
        .map(super::super::yaml::to_json)
        .unwrap();
    n.restore(&mut v);
    assert_eq!(
        v["metadata"]["name"],
        json!("{{ include \"shop.fullname\" . }}")
    );
    assert_eq!(v["metadata"]["labels"], json!({"extra": "x"}));
    assert_eq!(v["metadata"]["annotations"], json!({"a": "b"}));
    assert_eq!(v["spec"], json!({"replicas": 2, "paused": true}));
}

#[test]
fn ranges_take_one_element_per_iteration_and_defines_vanish() {
    let text = "{{- define \"x\" }}\nbad: [\n{{- end }}\n{{- range $name, $app := .Values.apps }}\n---\nkind: Application\nmetadata:\n  name: {{ $name }}\nspec:\n  path: {{ $app.path | quote }}\n{{- end }}\n";
    let vals = json!({"apps": {"web": {"path": "apps/web"}, "api": {"path": "apps/api"}}});
    let (out, n) = run(text, Some(vals.clone()), 1);
    assert!(out.contains("name: ⟦"), "{out}");
    assert!(!out.contains("bad"));
    assert_eq!(
        n.loops,
        vec![Loop {
            first_line: 4,
            last_line: 11,
            len: 2
        }]
    );
    let (out2, _) = run(text, Some(vals), 2);
    assert!(!out2.contains("Application"), "past the end: {out2}");
    let body: String = out.lines().skip(5).collect::<Vec<_>>().join("\n");
    let mut v: Value = serde_norway::from_str::<serde_norway::Value>(&body)
        .map(super::super::yaml::to_json)
        .unwrap();
    n.restore(&mut v);
    assert_eq!(v["metadata"]["name"], json!("web"));
    assert_eq!(v["spec"]["path"], json!("apps/web"));
}

#[test]
fn unclosed_and_odd_actions_do_not_panic() {
    for t in [
        "a: {{",
        "a: {{ \"}}\" }}",
        "{{/* c */}}\na: 1",
        "{{- end }}\n{{ else }}",
        "a: {{ \"é\" }}é\n",
    ] {
        let (out, _) = run(t, None, 0);
        assert_eq!(out.lines().count(), t.lines().count().max(1), "{t}");
    }
}
