use super::check::{check, WarningKind};
use super::*;

fn card(front: &str) -> Card {
    Card::parse("models/m/card.md", "m", &format!("---\n{front}---\n# m\n")).expect("test card parses")
}

const CARD: &str = "license: apache-2.0\ndatasets:\n  - org/web\n  - org/papers\n";

const BOM: &str = r#"format = 1

[weights]
license = "Apache-2.0"

[[code]]
name = "trainer"
license = "Apache-2.0"
source = "https://example.org/trainer"
revision = "v1"

[[dataset]]
name = "org/web"
license = "ODC-By-1.0"

[[dataset]]
name = "org/papers"
license = "CC-BY-4.0"
"#;

fn kinds(bom: &Bom, card: &Card) -> Vec<WarningKind> {
    check(bom, card).into_iter().map(|w| w.kind).collect()
}

fn with_dataset_license(license: &str) -> String {
    BOM.replace("\"CC-BY-4.0\"", &format!("{license:?}"))
}

#[test]
fn a_clean_bill_has_no_warnings() {
    let c = card(CARD);
    let bom = Bom::parse("m", &c, BOM).unwrap();
    assert_eq!(bom.components.len(), 4, "weights, one code, two datasets");
    assert_eq!(bom.weights().name, "m", "the weights are named after the model by default");
    assert_eq!(bom.outbound.license, "Apache-2.0", "outbound defaults to the card's license");
    assert!(bom.outbound.from_card);
    assert_eq!(bom.components[3].line, Some(18), "each component knows its line");
    assert_eq!(kinds(&bom, &c), vec![], "nothing to warn about");
}

#[test]
fn non_commercial_data_under_commercial_weights_is_a_warning() {
    let c = card(CARD);
    let bom = Bom::parse("m", &c, &with_dataset_license("CC-BY-NC-4.0")).unwrap();
    let w = check(&bom, &c);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].kind, WarningKind::NonCommercialComponent);
    assert_eq!(w[0].kind.code(), "non-commercial-component", "the code is stable");
    assert_eq!(w[0].component.as_deref(), Some("org/papers"));
    assert_eq!(w[0].line, Some(18), "the warning points at the line");
    let nc_outbound = BOM.replace("format = 1\n", "format = 1\noutbound = \"CC-BY-NC-4.0\"\n");
    let bom = Bom::parse("m", &c, &nc_outbound.replace("\"CC-BY-4.0\"", "\"CC-BY-NC-4.0\"")).unwrap();
    assert!(
        !kinds(&bom, &c).contains(&WarningKind::NonCommercialComponent),
        "a non-commercial release may use non-commercial data"
    );
}

#[test]
fn copyleft_code_under_a_permissive_release_is_a_warning_but_share_alike_data_is_not() {
    let c = card(CARD);
    let bom = Bom::parse(
        "m",
        &c,
        &BOM.replace("name = \"trainer\"\nlicense = \"Apache-2.0\"", "name = \"trainer\"\nlicense = \"GPL-3.0-only\""),
    )
    .unwrap();
    assert_eq!(kinds(&bom, &c), vec![WarningKind::CopyleftComponent]);
    let bom = Bom::parse("m", &c, &with_dataset_license("CC-BY-SA-4.0")).unwrap();
    assert_eq!(kinds(&bom, &c), vec![], "share-alike data is the reviewers' judgement, not flagged");
}

#[test]
fn unknown_licenses_are_warnings() {
    let c = card(CARD);
    let bom = Bom::parse("m", &c, &with_dataset_license("NOASSERTION")).unwrap();
    let w = check(&bom, &c);
    assert_eq!(w.iter().map(|w| w.kind).collect::<Vec<_>>(), vec![WarningKind::UnknownLicense]);
    assert_eq!(w[0].component.as_deref(), Some("org/papers"));
    let c = card("datasets: [org/web, org/papers]\n");
    let bom = Bom::parse("m", &c, BOM).unwrap();
    assert_eq!(bom.outbound.license, "NOASSERTION", "a card without a license gives no outbound license");
    assert_eq!(kinds(&bom, &c), vec![WarningKind::UnknownLicense], "the outbound license is unknown");
}

#[test]
fn a_card_license_that_disagrees_with_the_weights_is_a_warning() {
    let c = card(CARD);
    let bom = Bom::parse("m", &c, &BOM.replacen("\"Apache-2.0\"", "\"MIT\"", 1)).unwrap();
    assert_eq!(kinds(&bom, &c), vec![WarningKind::CardLicenseMismatch]);
}

#[test]
fn a_dataset_or_base_model_the_card_names_but_the_bill_lacks_is_a_warning() {
    let c = card("license: apache-2.0\ndatasets: [org/web, org/papers, org/extra]\nbase_model: org/base\n");
    let bom = Bom::parse("m", &c, BOM).unwrap();
    let w = check(&bom, &c);
    assert_eq!(w.iter().map(|w| w.kind).collect::<Vec<_>>(), vec![WarningKind::NotInBom, WarningKind::NotInBom]);
    assert_eq!(w[0].component.as_deref(), Some("org/extra"));
    assert_eq!(w[1].component.as_deref(), Some("org/base"));
}

#[test]
fn without_a_file_the_bill_comes_from_the_card_and_says_so() {
    let c = card("license: other\nlicense_name: tpc-rail-1.0\ndatasets: [org/web]\nbase_model: org/base\n");
    let bom = Bom::from_card("m", &c);
    assert_eq!(bom.origin, Origin::Card);
    assert_eq!(bom.outbound.license, "LicenseRef-tpc-rail-1.0");
    assert_eq!(bom.components.len(), 3, "weights, the dataset, the base model");
    let k = kinds(&bom, &c);
    assert_eq!(k, vec![WarningKind::NoBom, WarningKind::UnknownLicense, WarningKind::UnknownLicense], "{k:?}");
}

fn bad(text: &str) -> Malformed {
    let c = card(CARD);
    Bom::parse("m", &c, text).expect_err("refused")
}

#[test]
fn an_expression_that_does_not_parse_names_the_file_and_line() {
    let m = bad(&with_dataset_license("CC-BY-4.0 AND (MIT"));
    assert_eq!(m.location.path, "models/m/bom.toml");
    assert_eq!(m.location.line, Some(18), "{m:?}");
    assert!(m.message.contains("not a valid SPDX license expression"), "{}", m.message);
}

#[test]
fn an_unknown_license_id_is_refused_with_its_line() {
    let m = bad(&with_dataset_license("CC-BY-4.0-ish"));
    assert_eq!(m.location.line, Some(18));
    assert!(m.message.contains("CC-BY-4.0-ish"), "the unknown id is named: {}", m.message);
    let m = bad(&BOM.replace("format = 1\n", "format = 1\noutbound = \"Apache2\"\n"));
    assert_eq!(m.location.line, Some(2), "the outbound license is checked too");
    let c = card(CARD);
    assert!(Bom::parse("m", &c, &with_dataset_license("LicenseRef-pmc-oa")).is_ok(), "LicenseRef is allowed");
}

#[test]
fn other_bad_files_name_their_line() {
    let m = bad(&BOM.replace("source = \"https://example.org/trainer\"", "sauce = 1"));
    assert_eq!(m.location.line, Some(9), "an unknown key: {m:?}");
    let m = bad(&BOM.replace("format = 1", "format = 2"));
    assert_eq!(m.location.line, Some(1));
    let m = bad(&BOM.replace("name = \"trainer\"\n", ""));
    assert!(m.message.contains("needs a name"), "{}", m.message);
    let m = bad(&format!("{BOM}\n[[dataset]]\nname = \"org/web\"\nlicense = \"MIT\"\n"));
    assert!(m.message.contains("listed twice") && m.location.line == Some(22), "{m:?}");
    let m = bad("format = 1\n");
    assert!(m.message.contains("weights"), "the weights are required: {}", m.message);
    let m = bad("format = 1\n[weights\n");
    assert_eq!(m.location.line, Some(2), "TOML syntax errors name the line");
}

#[test]
fn hostile_input_is_refused_without_a_panic() {
    let big = format!("format = 1\n# {}\n", "x".repeat(MAX_BOM_BYTES));
    assert!(bad(&big).message.contains("bill of materials"), "an oversized file is refused before parsing");
    let deep = format!("format = 1\nx = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let _ = bad(&deep);
    let many: String =
        (0..=MAX_COMPONENTS).map(|n| format!("[[dataset]]\nname = \"d{n}\"\nlicense = \"MIT\"\n")).collect();
    let m = bad(&format!("format = 1\n[weights]\nlicense = \"MIT\"\n{many}"));
    assert!(m.message.contains("at most"), "{}", m.message);
    let _ = bad(&with_dataset_license("MIT WITH WITH ((( ) AND OR"));
    let _ = bad(&with_dataset_license("\u{0}\u{202e}"));
}

#[test]
fn exports_are_deterministic_and_name_every_component() {
    let c = card(CARD);
    let bom = Bom::parse("m", &c, &with_dataset_license("NOASSERTION")).unwrap();
    let info = spdx3::ExportInfo {
        commit: "0".repeat(40),
        created: "2026-11-30T12:00:00Z".into(),
        creator: "TPC".into(),
        tool: "Gatehouse".into(),
        tool_version: "0.1.0".into(),
        supplier: Some("riken".into()),
    };
    let a = spdx3::export(&bom, &info, Some("dense"));
    assert_eq!(a, spdx3::export(&bom, &info, Some("dense")), "the same input gives the same document");
    let graph = a["@graph"].as_array().unwrap();
    let of = |t: &str| graph.iter().filter(|e| e["type"] == t).count();
    assert_eq!((of("ai_AIPackage"), of("dataset_DatasetPackage"), of("software_Package")), (1, 2, 1));
    assert_eq!(of("simplelicensing_LicenseExpression"), 2, "Apache-2.0 and ODC-By-1.0 once each; NOASSERTION none");
    let x = cyclonedx::export(&bom, &info, Some("dense"), Some("text-generation"));
    assert_eq!(x, cyclonedx::export(&bom, &info, Some("dense"), Some("text-generation")));
    assert_eq!(x["metadata"]["component"]["type"], "machine-learning-model");
    assert_eq!(x["components"].as_array().unwrap().len(), 3);
    assert!(x["components"][2].get("licenses").is_none(), "an unknown license is left out, not invented");
}
