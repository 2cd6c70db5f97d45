//! A bill of materials as a CycloneDX 1.6 ML-BOM in JSON: the model is the document's subject
//! (`metadata.component`, a `machine-learning-model` with a model card naming its datasets),
//! datasets are `data` components, code `application` components, base models
//! `machine-learning-model` components; licenses are SPDX expressions; `dependencies` says the
//! model depends on all of them. A component whose license is unknown carries no license.
//! Deterministic: the time comes from the caller, the serial number from the model and commit.

use serde_json::{json, Value};

use super::spdx3::ExportInfo;
use super::{license, Bom, Component, Kind};

fn licenses(expr: &str) -> Option<Value> {
    (!license::is_unknown(expr)).then(|| json!([{"expression": expr}]))
}

fn component(c: &Component, bom_ref: &str) -> Value {
    let kind = match c.kind {
        Kind::Weights | Kind::BaseModel => "machine-learning-model",
        Kind::Dataset => "data",
        Kind::Code => "application",
    };
    let mut v = json!({"type": kind, "bom-ref": bom_ref, "name": c.name});
    if let Some(r) = &c.revision {
        v["version"] = json!(r);
    }
    if let Some(l) = licenses(&c.license) {
        v["licenses"] = l;
    }
    if let Some(n) = c.description() {
        v["description"] = json!(n);
    }
    if let Some(s) = c.source_url() {
        let kind = if c.kind == Kind::Code { "vcs" } else { "distribution" };
        v["externalReferences"] = json!([{"type": kind, "url": s}]);
    }
    if c.kind == Kind::Dataset {
        v["data"] = json!([{"type": "dataset", "name": c.name}]);
    }
    v
}

/// The document as JSON.
pub fn export(bom: &Bom, info: &ExportInfo, architecture: Option<&str>, task: Option<&str>) -> Value {
    let serial = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("urn:gatehouse:bom:{}:{}", bom.model, info.commit).as_bytes(),
    );
    let model_ref = format!("model:{}", bom.model);
    let refs: Vec<String> = bom
        .components
        .iter()
        .enumerate()
        .map(|(n, c)| match c.kind {
            Kind::Weights => model_ref.clone(),
            Kind::Code => format!("code-{n}:{}", c.name),
            Kind::Dataset => format!("dataset-{n}:{}", c.name),
            Kind::BaseModel => format!("base-model-{n}:{}", c.name),
        })
        .collect();
    let weights = bom.weights();
    let mut model = component(weights, &model_ref);
    // The model's own license is the one it is released under; the weights' license is in the
    // bill beside it (the two differ only when the bill says so).
    if let Some(l) = licenses(&bom.outbound.license) {
        model["licenses"] = l;
    } else if let Some(o) = model.as_object_mut() {
        o.remove("licenses");
    }
    let datasets: Vec<Value> = bom
        .components
        .iter()
        .zip(&refs)
        .filter(|(c, _)| c.kind == Kind::Dataset)
        .map(|(_, r)| json!({"ref": r}))
        .collect();
    let mut parameters = json!({"datasets": datasets});
    if let Some(a) = architecture {
        parameters["architectureFamily"] = json!(a);
    }
    if let Some(t) = task {
        parameters["task"] = json!(t);
    }
    model["modelCard"] = json!({"modelParameters": parameters});
    let others: Vec<Value> = bom.components.iter().zip(&refs).skip(1).map(|(c, r)| component(c, r)).collect();
    let mut dependencies = vec![json!({"ref": model_ref, "dependsOn": refs[1..].to_vec()})];
    dependencies.extend(refs[1..].iter().map(|r| json!({"ref": r})));
    let mut metadata = json!({
        "timestamp": info.created,
        "tools": {"components": [{"type": "application", "name": info.tool, "version": info.tool_version}]},
        "authors": [{"name": info.creator}],
        "component": model,
    });
    if let Some(org) = &info.supplier {
        metadata["supplier"] = json!({"name": org});
    }
    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{serial}"),
        "version": 1,
        "metadata": metadata,
        "components": others,
        "dependencies": dependencies,
    })
}
