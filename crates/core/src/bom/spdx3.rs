//! A bill of materials as an SPDX 3.0.1 document in JSON-LD, with the AI and Dataset profiles:
//! the model is an `ai_AIPackage`, each dataset a `dataset_DatasetPackage`, code a
//! `software_Package`, each base model an `ai_AIPackage` the model descends from. Licenses are
//! `simplelicensing_LicenseExpression`s joined by `hasDeclaredLicense` relationships (and the
//! model's outbound license by `hasConcludedLicense`); a component whose license is unknown has
//! no license relationship, which SPDX reads as no assertion. Deterministic: the time comes
//! from the caller and every id from the model and the commit.

use serde_json::{json, Value};

use super::{license, Bom, Component, Kind};

/// What the export needs besides the bill: nothing here is read from a clock or the
/// environment.
#[derive(Debug, Clone)]
pub struct ExportInfo {
    /// The commit the bill was read at (its full id).
    pub commit: String,
    /// When the document was created, RFC 3339 in UTC to the second (`2026-11-30T12:00:00Z`):
    /// the front end passes the commit's time, so the same commit gives the same document.
    pub created: String,
    /// The consortium's name: who the document is created by.
    pub creator: String,
    /// The tool's name (`Gatehouse`) and version (`0.1.0`).
    pub tool: String,
    pub tool_version: String,
    /// The model's organisation, its supplier.
    pub supplier: Option<String>,
}

pub const CONTEXT: &str = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";

struct Ids {
    base: String,
}

impl Ids {
    fn new(bom: &Bom, info: &ExportInfo) -> Ids {
        Ids { base: format!("urn:gatehouse:bom:{}:{}", bom.model, info.commit) }
    }
    fn id(&self, what: &str) -> String {
        format!("{}#{what}", self.base)
    }
    fn component(&self, c: &Component, n: usize) -> String {
        let kind = match c.kind {
            Kind::Weights => "model",
            Kind::Code => "code",
            Kind::Dataset => "dataset",
            Kind::BaseModel => "base-model",
        };
        if c.kind == Kind::Weights {
            self.id(kind)
        } else {
            self.id(&format!("{kind}-{n}"))
        }
    }
}

const CREATION: &str = "_:creationinfo";

fn package(kind: &str, id: &str, c: &Component, purpose: &str) -> Value {
    let mut p = json!({
        "type": kind,
        "spdxId": id,
        "creationInfo": CREATION,
        "name": c.name,
        "software_primaryPurpose": purpose,
    });
    if let Some(s) = c.source_url() {
        p["software_downloadLocation"] = json!(s);
    }
    if let Some(r) = &c.revision {
        p["software_packageVersion"] = json!(r);
    }
    if let Some(n) = c.description() {
        p["comment"] = json!(n);
    }
    p
}

/// The document as JSON-LD.
pub fn export(bom: &Bom, info: &ExportInfo, architecture: Option<&str>) -> Value {
    let ids = Ids::new(bom, info);
    let mut graph: Vec<Value> = Vec::new();
    let mut elements: Vec<String> = Vec::new();
    let creator = ids.id("creator");
    let tool = ids.id("tool");
    graph.push(json!({
        "type": "CreationInfo",
        "@id": CREATION,
        "specVersion": "3.0.1",
        "created": info.created,
        "createdBy": [creator],
        "createdUsing": [tool],
    }));
    graph.push(json!({"type": "Organization", "spdxId": creator, "creationInfo": CREATION, "name": info.creator}));
    graph.push(json!({
        "type": "Tool",
        "spdxId": tool,
        "creationInfo": CREATION,
        "name": format!("{} {}", info.tool, info.tool_version),
    }));
    elements.extend([creator.clone(), tool.clone()]);
    let supplier = info.supplier.as_ref().map(|org| {
        let id = ids.id("supplier");
        graph.push(json!({"type": "Organization", "spdxId": id, "creationInfo": CREATION, "name": org}));
        elements.push(id.clone());
        id
    });

    // One element per distinct license expression.
    let mut licenses: Vec<(String, String)> = Vec::new();
    let mut license_id = |expr: &str, graph: &mut Vec<Value>, elements: &mut Vec<String>| -> Option<String> {
        if license::is_unknown(expr) {
            return None;
        }
        if let Some((_, id)) = licenses.iter().find(|(e, _)| e == expr) {
            return Some(id.clone());
        }
        let id = ids.id(&format!("license-{}", licenses.len()));
        graph.push(json!({
            "type": "simplelicensing_LicenseExpression",
            "spdxId": id,
            "creationInfo": CREATION,
            "simplelicensing_licenseExpression": expr,
        }));
        elements.push(id.clone());
        licenses.push((expr.to_string(), id.clone()));
        Some(id)
    };

    let mut relationships: Vec<(String, &str, Vec<String>)> = Vec::new();
    let model = ids.id("model");
    let mut by_kind: Vec<(Kind, String)> = Vec::new();
    for (n, c) in bom.components.iter().enumerate() {
        let id = ids.component(c, n);
        let mut p = match c.kind {
            Kind::Weights | Kind::BaseModel => package("ai_AIPackage", &id, c, "model"),
            Kind::Dataset => {
                let mut p = package("dataset_DatasetPackage", &id, c, "data");
                p["dataset_datasetType"] = json!(["noAssertion"]);
                p
            }
            Kind::Code => package("software_Package", &id, c, "source"),
        };
        if c.kind == Kind::Weights {
            if let Some(s) = &supplier {
                p["suppliedBy"] = json!(s);
            }
            if let Some(a) = architecture {
                p["ai_typeOfModel"] = json!([a]);
            }
        }
        graph.push(p);
        elements.push(id.clone());
        if let Some(l) = license_id(&c.license, &mut graph, &mut elements) {
            relationships.push((id.clone(), "hasDeclaredLicense", vec![l]));
        }
        by_kind.push((c.kind, id));
    }
    if let Some(l) = license_id(&bom.outbound.license, &mut graph, &mut elements) {
        relationships.push((model.clone(), "hasConcludedLicense", vec![l]));
    }
    let of = |kind: Kind| by_kind.iter().filter(|(k, _)| *k == kind).map(|(_, id)| id.clone()).collect::<Vec<_>>();
    for (kind, rel) in [(Kind::Dataset, "trainedOn"), (Kind::Code, "dependsOn"), (Kind::BaseModel, "descendantOf")] {
        let to = of(kind);
        if !to.is_empty() {
            relationships.push((model.clone(), rel, to));
        }
    }
    for (n, (from, kind, to)) in relationships.into_iter().enumerate() {
        let id = ids.id(&format!("relationship-{n}"));
        graph.push(json!({
            "type": "Relationship",
            "spdxId": id,
            "creationInfo": CREATION,
            "from": from,
            "relationshipType": kind,
            "to": to,
        }));
        elements.push(id);
    }
    graph.push(json!({
        "type": "SpdxDocument",
        "spdxId": ids.id("document"),
        "creationInfo": CREATION,
        "name": format!("{} bill of materials", bom.model),
        "profileConformance": ["core", "software", "simpleLicensing", "ai", "dataset"],
        "rootElement": [model],
        "element": elements,
    }));
    json!({"@context": CONTEXT, "@graph": graph})
}
