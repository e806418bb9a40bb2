use super::*;
use serde_json::json;

fn env() -> Env {
    Env::new(
        Some(
            &json!({"image": {"repository": "shop", "tag": "1.4.2"}, "replicas": 3,
            "ingress": {"enabled": false}, "name": ""}),
        ),
        Some(&json!({"name": "shop", "version": "0.3.0"})),
    )
}

#[test]
fn values_functions_and_unknowns() {
    let e = env();
    let k = |s: &str| e.pipeline(s);
    assert_eq!(k(".Values.image.tag"), R::Known(json!("1.4.2")));
    assert_eq!(k(".Values.replicas"), R::Known(json!(3)));
    assert_eq!(k(".Values.replicas | quote"), R::Known(json!("3")));
    assert_eq!(k(".Values.name | default \"web\""), R::Known(json!("web")));
    assert_eq!(k("default \"web\" .Values.missing"), R::Known(json!("web")));
    assert_eq!(
        k("printf \"%s:%s\" .Values.image.repository .Values.image.tag"),
        R::Known(json!("shop:1.4.2"))
    );
    assert_eq!(k(".Chart.Name | upper"), R::Known(json!("SHOP")));
    assert_eq!(k("not .Values.ingress.enabled"), R::Known(json!(true)));
    assert_eq!(k("include \"shop.fullname\" ."), R::Unknown);
    assert_eq!(k(".Release.Name"), R::Unknown);
    assert_eq!(k("(.Values.image).tag"), R::Unknown);
    let none = Env::new(None, None);
    assert_eq!(none.pipeline(".Values.image.tag"), R::Unknown);
}
