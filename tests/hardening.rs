//! Hardening: hostile Markdown renders inert, paths and links cannot leave the record, and
//! oversized, deeply nested or binary files cost a clear error naming the file, never a hang,
//! a crash or a stack overflow. Files reach the library the two ways they do in life: given to
//! the CLI, and committed with plain git by a clone that does not use Gatehouse.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{finding_kinds, signoff_args, signoffs_dir, Fixture};
use gatehouse::record::Framework;
use gatehouse::render::to_html;
use gatehouse::views::documents::document;
use gatehouse::views::model::model_detail;
use gatehouse::Governance;
use serde_json::Value;

// ---- an HTML checker ------------------------------------------------------------------------

/// Elements that run code, load or embed other documents, submit data, restyle the page or
/// redirect it. None may leave the sanitizer.
const FORBIDDEN_TAGS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "button",
    "select",
    "textarea",
    "meta",
    "link",
    "base",
    "svg",
    "math",
    "template",
    "noscript",
    "xmp",
    "noembed",
    "noframes",
    "plaintext",
    "portal",
    "video",
    "audio",
    "source",
    "track",
    "canvas",
    "dialog",
    "body",
    "html",
    "head",
];

/// Attributes whose value is an address a browser may load or navigate to.
const URL_ATTRIBUTES: &[&str] =
    &["href", "src", "xlink:href", "action", "formaction", "data", "poster", "background", "cite", "ping", "codebase"];

/// One tag of the serialized output: name (lowercase), attributes with decoded values.
#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
}

/// Reads every tag of sanitized HTML as a browser's tokenizer would (html5ever serializes
/// attributes double-quoted, text with `<` escaped). Panics on anything it cannot read, so a
/// construct the checker does not understand fails the test instead of slipping by.
fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        assert!(!html[i..].starts_with("<!"), "a comment or declaration survived at byte {i}: {html}");
        i += 1;
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        assert!(
            !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b':'),
            "unreadable tag name {name:?} in: {html}"
        );
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            assert!(i < b.len(), "unterminated tag <{name} in: {html}");
            if b[i] == b'>' {
                i += 1;
                break;
            }
            let a = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'>' {
                i += 1;
            }
            let attr = html[a..i].to_ascii_lowercase();
            let mut value = String::new();
            if b.get(i) == Some(&b'=') {
                i += 1;
                assert_eq!(b.get(i), Some(&b'"'), "attribute {attr} of <{name}> must be double-quoted: {html}");
                i += 1;
                let v = i;
                while i < b.len() && b[i] != b'"' {
                    i += 1;
                }
                value = decode_entities(&html[v..i]);
                i += 1;
            }
            attrs.push((attr, value));
        }
        out.push(Tag { name, closing, attrs });
    }
    out
}

fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "nbsp" => Some('\u{a0}'),
            e if e.starts_with("#x") || e.starts_with("#X") => {
                u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32)
            }
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a browser does to an address before reading its scheme: strip leading and trailing
/// C0 controls and spaces, drop tabs and newlines anywhere, lowercase.
fn browser_url(raw: &str) -> String {
    raw.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_lowercase()
}

/// Asserts that `html` holds nothing a browser would run, load from elsewhere, submit, or
/// restyle the page with: no forbidden element, no event handler, no `style`, and every
/// address `http(s):`, `mailto:` or an anchor in the document.
fn assert_inert(html: &str, what: &str) {
    for tag in tags(html) {
        assert!(!FORBIDDEN_TAGS.contains(&tag.name.as_str()), "{what}: <{}> survived in: {html}", tag.name);
        if tag.closing {
            continue;
        }
        for (attr, value) in &tag.attrs {
            assert!(!attr.starts_with("on"), "{what}: event handler {attr} on <{}> survived in: {html}", tag.name);
            assert!(
                !matches!(attr.as_str(), "style" | "srcset" | "srcdoc" | "http-equiv" | "content" | "formaction"),
                "{what}: attribute {attr} on <{}> survived in: {html}",
                tag.name
            );
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                let url = browser_url(value);
                assert!(
                    url.starts_with("https://")
                        || url.starts_with("http://")
                        || url.starts_with("mailto:")
                        || url.starts_with('#'),
                    "{what}: {attr}={value:?} on <{}> is not an http(s), mailto or in-document address: {html}",
                    tag.name
                );
            }
        }
        if tag.name == "input" {
            let attr = |n: &str| tag.attrs.iter().find(|(a, _)| a == n).map(|(_, v)| v.as_str());
            assert_eq!(attr("type"), Some("checkbox"), "{what}: an input is only ever a check box: {html}");
            assert!(attr("disabled").is_some(), "{what}: a check box cannot be ticked: {html}");
        }
    }
}

/// Markdown a hostile member might commit: every construct the sanitizer must defuse.
const HOSTILE: &[&str] = &[
    "<script>alert('script')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert('split')</script>",
    "<img src=x onerror=\"alert('onerror')\">",
    "<IMG SRC=x OnErRoR=alert('mixed-case-handler')>",
    "<body onload=alert('onload')>",
    "<div onmouseover=\"alert('hover')\">hover me</div>",
    "<a href=\"https://ok.example/\" onclick=\"alert('click')\">ok</a>",
    "<details open ontoggle=alert('toggle')>x</details>",
    "[link](javascript:alert('link'))",
    "[mixed](JaVaScRiPt:alert('mixed'))",
    "[entity](&#106;avascript:alert('entity'))",
    "[hex-entity](&#x6A;avascript:alert('hex'))",
    "[tab](java&#x09;script:alert('tab'))",
    "<a href=\"jav&#x0A;ascript:alert('newline')\">newline</a>",
    "<a href=\"  javascript:alert('spaces')\">spaces</a>",
    "<a href=\"javascript&colon;alert('colon')\">colon entity</a>",
    "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert('padded')\">padded</a>",
    "[angle](<javascript:alert('angle')>)",
    "<javascript:alert('autolink')>",
    "[reference][r]\n\n[r]: javascript:alert('reference')",
    "[vb](vbscript:msgbox('vb'))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![data-image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<img src=\"DATA:image/png;base64,AAAA\">",
    "<img src=\"&#100;ata:image/svg+xml,<svg onload=alert('entity-data')>\">",
    "![js-image](javascript:alert('image'))",
    "<svg><script>alert('svg-script')</script></svg>",
    "<svg onload=alert('svg-onload')>",
    "<svg><a xlink:href=\"javascript:alert('xlink')\"><text>x</text></a></svg>",
    "<svg><animate attributeName=href values=javascript:alert('animate') /><a><text>y</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('noscript')>\">",
    "<template><script>alert('template')</script></template>",
    "<div>\n<p onclick=alert('raw-block')>raw html block</p>\n<script>alert('in-block')</script>\n</div>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<iframe srcdoc=\"<script>alert('srcdoc')</script>\"></iframe>",
    "<object data=\"https://evil.example/x.swf\"></object>",
    "<embed src=\"https://evil.example/x.swf\">",
    "<form action=\"https://evil.example/\"><input type=\"password\" name=\"k\"><button formaction=\"javascript:alert('formaction')\">go</button></form>",
    "<input type=\"text\" value=\"phish\" onfocus=alert('focus') autofocus>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    "<base href=\"https://evil.example/\">",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>body { background: url(javascript:alert('style')) }</style>",
    "<p style=\"background:url(https://evil.example/track)\">styled</p>",
    "<a href=\"//evil.example/protocol-relative\">protocol-relative</a>",
    "<img src=\"//evil.example/pixel.png\">",
    "<a href=\"/etc/passwd\">absolute path</a>",
    "<!-- <script>alert('comment')</script> -->",
    "<textarea><script>alert('textarea')</script></textarea>",
    "<video poster=javascript:alert('poster')><source src=x onerror=alert('source')></video>",
];

/// Harmless Markdown that must come through.
const HARMLESS: &str = "# Overview\n\n## Evaluation\n\n| suite | score |\n|---|---|\n| mmlu | 0.71 |\n\n```html\n<script>alert('shown as code')</script>\n```\n\nSee [the report](https://example.org/report?a=1&b=2) and write to <mailto:ada@example.org>.\n\n- [x] `done` a finished item\n";

fn assert_harmless_survives(html: &str, what: &str) {
    for needle in [
        "<h1>Overview</h1>",
        "<h2>Evaluation</h2>",
        "<table>",
        "<td>mmlu</td>",
        "&lt;script&gt;alert('shown as code')&lt;/script&gt;",
        "href=\"https://example.org/report?a=1&amp;b=2\"",
        "rel=\"noopener noreferrer\"",
    ] {
        assert!(html.contains(needle), "{what}: {needle:?} should survive sanitizing: {html}");
    }
    assert!(tags(html).iter().any(|t| t.name == "code"), "{what}: code stays code: {html}");
}

#[test]
fn every_hostile_construct_is_defused_and_harmless_markdown_survives() {
    for (n, markdown) in HOSTILE.iter().enumerate() {
        let html = to_html(markdown);
        assert_inert(&html, &format!("vector {n} {markdown:?}"));
    }
    let all = format!("{HARMLESS}\n\n{}", HOSTILE.join("\n\n"));
    let html = to_html(&all);
    assert_inert(&html, "all vectors in one document");
    assert_harmless_survives(&to_html(HARMLESS), "harmless alone");
    // Footnotes link within the document; that is the one relative address kept.
    let foot = to_html("A claim.[^1]\n\n[^1]: Its source.\n");
    assert!(foot.contains("href=\"#"), "an in-document footnote link stays: {foot}");
}

#[test]
fn the_checker_itself_catches_what_it_looks_for() {
    for bad in [
        "<p><script>x</script></p>",
        "<img src=\"x\" onerror=\"y\">",
        "<a href=\"java&#x09;script:x\">a</a>",
        "<a href=\" JAVASCRIPT:x\">a</a>",
        "<p style=\"color:red\">a</p>",
        "<svg></svg>",
        "<input type=\"text\">",
        "<!-- x -->",
    ] {
        let caught = std::panic::catch_unwind(|| assert_inert(bad, "checker self-test")).is_err();
        assert!(caught, "the checker must reject {bad}");
    }
}

// ---- hostile content through a real repository ----------------------------------------------

fn hostile_body(title: &str) -> String {
    format!("# {title}\n\n{HARMLESS}\n\n{}\n", HOSTILE.join("\n\n"))
}

/// Every string under a key ending in `html`, anywhere in a JSON document.
fn html_fields(v: &Value, out: &mut Vec<(String, String)>, at: &str) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let path = format!("{at}.{k}");
                match x {
                    Value::String(s) if k.ends_with("html") => out.push((path, s.clone())),
                    _ => html_fields(x, out, &path),
                }
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                html_fields(x, out, &format!("{at}[{i}]"));
            }
        }
        _ => {}
    }
}

fn assert_all_html_inert(v: &Value, what: &str) -> usize {
    let mut fields = Vec::new();
    html_fields(v, &mut fields, "");
    for (path, html) in &fields {
        assert_inert(html, &format!("{what} {path}"));
    }
    fields.len()
}

#[test]
fn hostile_cards_policies_checklists_and_comments_render_inert_everywhere() {
    let f = Fixture::sample();
    // A policy and a checklist committed with plain git, as any clone could.
    std::fs::write(
        f.repo.join("policies/hostile.md"),
        format!("---\ntitle: Hostile policy\n---\n{}", hostile_body("Hostile policy")),
    )
    .unwrap();
    let items = "- [ ] `probe` <img src=x onerror=alert('item')> [go](javascript:alert('item-link')) <script>alert(1)</script>\n- [ ] `other` **bold** <iframe src=https://evil.example></iframe>\n";
    std::fs::write(
        f.repo.join("policies/checklists/hostile.md"),
        format!(
            "---\ngate: hostile\ntitle: Hostile gate\norder: 99\nsigners:\n  role: registry-steward\n---\n{}\n{items}",
            hostile_body("Hostile gate")
        ),
    )
    .unwrap();
    f.commit_as("Mallory", "mallory@evil.example", "add hostile documents\n");

    // A card through the CLI, and a sign-off comment.
    let card = f.root.join("hostile-card.md");
    std::fs::write(&card, format!("---\norg: cscs\nowners: [akeller]\n---\n{}", hostile_body("Hostile card"))).unwrap();
    f.gh(&["--as", "akeller", "model", "add", "hostile-1b", "--card", &card.display().to_string()]).ok();
    let comment = "<script>alert('comment')</script><img src=x onerror=alert('c')> \u{1b}[31mred";
    f.gh(&signoff_args("akeller", "hostile-1b", "intake", "approve", &["--item", "all=done", "--comment", comment]))
        .ok();

    // The CLI's JSON: every HTML field inert, the harmless parts kept.
    let model = f.gh(&["--json", "show", "model", "hostile-1b"]).ok().json();
    assert!(assert_all_html_inert(&model, "show model") >= 1, "show --json model carries the card's HTML");
    assert_harmless_survives(model["card_html"].as_str().unwrap(), "show model card_html");
    let comments: Vec<&str> = model["gates"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["signoffs"].as_array().unwrap())
        .filter_map(|s| s["comment"].as_str())
        .collect();
    assert!(comments.contains(&comment), "a comment is kept as data, exactly as written: {comments:?}");
    let gate = f.gh(&["--json", "show", "gate", "hostile"]).ok().json();
    assert_eq!(assert_all_html_inert(&gate, "show gate"), 1);
    assert_harmless_survives(gate["html"].as_str().unwrap(), "show gate html");
    let policy = f.gh(&["--json", "show", "policy", "hostile"]).ok().json();
    assert_eq!(assert_all_html_inert(&policy, "show policy"), 1);
    assert_harmless_survives(policy["html"].as_str().unwrap(), "show policy html");

    // The app's views, which carry HTML to the web view.
    let gov = Governance::open(&f.repo).unwrap();
    let head = gov.head().unwrap();
    let tree = gov.tree_of(head).unwrap();
    let fw = Framework::load(gov.repo(), &tree).unwrap();
    let detail = model_detail(gov.repo(), &tree, &head.to_string(), &fw, "hostile-1b", &HashMap::new()).unwrap();
    let detail = serde_json::to_value(&detail).unwrap();
    let n = assert_all_html_inert(&detail, "views::model_detail");
    assert!(n > 1, "the card and every checklist item carry HTML: {n}");
    let mut fields = Vec::new();
    html_fields(&detail, &mut fields, "");
    assert!(
        fields.iter().all(|(_, h)| !h.contains("alert('comment')")),
        "a comment is text for the web view, never put in an HTML field"
    );
    for (kind, id) in [("policy", "hostile"), ("checklist", "hostile")] {
        let view = serde_json::to_value(document(gov.repo(), head, &fw, kind, id).unwrap()).unwrap();
        assert_eq!(assert_all_html_inert(&view, &format!("views::document {kind}")), 1);
    }

    // The terminal: no escape sequence from any of them.
    for args in [["show", "model", "hostile-1b"], ["show", "gate", "hostile"], ["show", "policy", "hostile"]] {
        let out = f.gh(&args).ok().stdout;
        assert!(!out.contains('\u{1b}'), "`gatehouse {}` prints no terminal escape: {out}", args.join(" "));
    }
}

// ---- ids and paths -----------------------------------------------------------------------------

const ESCAPING_IDS: &[&str] = &["../x", "..", "/abs", "/etc/passwd", "a\\b", "..\\x", "a/../../b", "x/"];

#[test]
fn ids_that_try_to_escape_are_refused_naming_the_argument() {
    let f = Fixture::sample();
    let card = f.root.join("card.md");
    std::fs::write(&card, "---\norg: cscs\nowners: [akeller]\n---\n# A model\n").unwrap();
    let card = card.display().to_string();
    for raw in ESCAPING_IDS {
        // Messages quote the id as Rust does (`"a\\b"`), so a backslash shows doubled.
        let quoted = format!("{raw:?}");
        let id = quoted.trim_matches('"');
        f.assert_refused(
            &["--as", "akeller", "model", "add", raw, "--card", &card],
            2,
            &["MODEL", id, "not a valid id"],
        );
        f.assert_refused(
            &["--as", "akeller", "model", "add", "fine", "--card", &card, "--owner", raw],
            2,
            &["--owner", id, "not a valid id"],
        );
        f.assert_refused(
            &["--as", "akeller", "model", "add", "fine", "--card", &card, "--org", raw],
            2,
            &["--org", id, "not a valid id"],
        );
        f.assert_refused(
            &signoff_args("akeller", "baseline-1.4b", raw, "approve", &[]),
            2,
            &["--gate", id, "not a valid id"],
        );
        f.assert_refused(&["show", "gate", raw], 2, &["GATE", id, "not a valid id"]);
        f.assert_refused(&["show", "policy", raw], 2, &["POLICY", id, "not a valid id"]);
        f.assert_refused(&["--as", raw, "model", "update", "baseline-1.4b", "--card", &card], 2, &["--as", id]);
    }
}

#[test]
fn an_id_with_a_nul_byte_is_refused_by_the_library() {
    // A NUL cannot reach the CLI through argv; the library is also called by the app.
    use gatehouse::error::Input;
    let e = gatehouse::id::check(Input::Model, "a\0b").unwrap_err();
    assert_eq!(e.code(), "invalid-argument");
    assert_eq!(e.input(), Some(Input::Model), "{e}");
    assert!(e.to_string().starts_with("model: "), "{e}");
    let e = gatehouse::actions::evidence_path(Input::Evidence, "m", "evidence/a\0b").unwrap_err();
    assert_eq!(e.input(), Some(Input::Evidence), "{e}");
    assert!(e.to_string().starts_with("evidence file: "), "{e}");
}

#[test]
fn evidence_destinations_outside_the_models_evidence_folder_are_refused() {
    let f = Fixture::sample();
    let file = f.root.join("notes.md");
    std::fs::write(&file, "# notes\n").unwrap();
    for dest in [
        "/etc/passwd",
        "../../consortium.toml",
        "evidence/../../../policies/safety.md",
        "evidence\\..\\..\\x",
        "models/switch-c-1.6t/evidence/x",
        "evidence/.git/config",
        "evidence/.GIT/hooks/post-checkout",
        "evidence/tab\there",
    ] {
        let ev = format!("{}={dest}", file.display());
        let shown = format!("{dest:?}");
        f.assert_refused(
            &["--as", "akeller", "model", "update", "baseline-1.4b", "--evidence", &ev],
            2,
            &["--evidence", shown.trim_matches('"')],
        );
    }
}

#[cfg(unix)]
#[test]
fn files_given_through_links_out_of_their_folder_are_refused() {
    use std::os::unix::fs::symlink;
    let f = Fixture::sample();
    let release = f.root.join("release");
    std::fs::create_dir_all(release.join("v2")).unwrap();
    std::fs::write(f.root.join("private-key"), "-----BEGIN OPENSSH PRIVATE KEY-----\n").unwrap();
    std::fs::write(release.join("v2/report.md"), "# Report\n").unwrap();
    std::fs::write(release.join("card.md"), "---\norg: cscs\nowners: [akeller]\n---\n# Released\n").unwrap();
    symlink("../private-key", release.join("key.md")).unwrap();
    symlink("/etc/passwd", release.join("passwd.md")).unwrap();
    symlink("v2/report.md", release.join("report.md")).unwrap();
    let arg = |name: &str| release.join(name).display().to_string();

    for name in ["key.md", "passwd.md"] {
        f.assert_refused(
            &["--as", "akeller", "model", "update", "baseline-1.4b", "--evidence", &arg(name)],
            2,
            &["--evidence", name, "symbolic link", "outside"],
        );
        f.assert_refused(
            &["--as", "akeller", "model", "add", "linked-1b", "--card", &arg(name)],
            2,
            &["--card", name, "symbolic link", "outside"],
        );
    }
    f.assert_refused(
        &["--as", "akeller", "model", "add", "dir-1b", "--card", &release.display().to_string()],
        2,
        &["--card", "not a regular file"],
    );
    f.assert_refused(
        &["--as", "akeller", "model", "add", "dev-1b", "--card", "/dev/zero"],
        2,
        &["--card", "/dev/zero", "not a regular file"],
    );
    // A link that stays inside the folder is the caller's own arrangement.
    f.gh(&[
        "--as",
        "akeller",
        "model",
        "add",
        "released-1b",
        "--card",
        &arg("card.md"),
        "--evidence",
        &arg("report.md"),
    ])
    .ok();
    assert_eq!(f.git_ok(&["show", "main:models/released-1b/evidence/report.md"]), "# Report");
    let mode = f.git_ok(&["ls-tree", "main", "models/released-1b/evidence/report.md"]);
    assert!(mode.starts_with("100644 blob"), "stored as a regular file, not a link: {mode}");
}

// ---- links and submodules committed with plain git ---------------------------------------------

fn problems_of(f: &Fixture, model: &str) -> Vec<(String, String)> {
    let shown = f.gh(&["--json", "show", "model", model]).ok().json();
    shown["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["path"].as_str().unwrap().to_string(), p["message"].as_str().unwrap().to_string()))
        .collect()
}

fn malformed_paths(f: &Fixture) -> Vec<String> {
    let (code, report) = f.verify();
    assert_eq!(code, 1, "verify finds breaches");
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "malformed-file")
        .filter_map(|x| x["path"].as_str().map(str::to_string))
        .collect()
}

/// `status` still works and lists every sample model; its warnings name each path.
fn assert_everything_else_loads(f: &Fixture, warned: &[&str]) {
    let r = f.gh(&["status"]).ok();
    for p in warned {
        assert!(r.stderr.contains(p), "status warns about {p}: {}", r.stderr);
    }
    let status = f.status_json();
    let ids: Vec<&str> = status["models"].as_array().unwrap().iter().filter_map(|m| m["id"].as_str()).collect();
    for m in common::MODELS {
        assert!(ids.contains(m), "{m} still loads: {ids:?}");
    }
}

#[cfg(unix)]
#[test]
fn committed_links_are_never_followed_and_are_malformed_files() {
    use std::os::unix::fs::symlink;
    let f = Fixture::sample();
    std::fs::create_dir_all(f.repo.join("models/linked-1b")).unwrap();
    symlink("/etc/passwd", f.repo.join("models/linked-1b/card.md")).unwrap();
    let ev = f.repo.join("models/baseline-1.4b/evidence");
    std::fs::create_dir_all(&ev).unwrap();
    symlink("../../../consortium.toml", ev.join("rules.toml")).unwrap();
    symlink("/etc/passwd", ev.join("passwd")).unwrap();
    symlink("../consortium.toml", f.repo.join("policies/linked.md")).unwrap();
    f.commit_as("Mallory", "mallory@evil.example", "links\n");
    assert_eq!(f.git_ok(&["ls-tree", "main", "models/linked-1b/card.md"]).split(' ').next(), Some("120000"));

    assert_everything_else_loads(&f, &["models/linked-1b/card.md", "policies/linked.md"]);
    let linked = problems_of(&f, "linked-1b");
    assert!(
        linked.iter().any(|(p, m)| p == "models/linked-1b/card.md" && m.contains("symbolic link")),
        "the linked card is a malformed file: {linked:?}"
    );
    let shown = f.gh(&["--json", "show", "model", "linked-1b"]).ok();
    let linked = shown.json();
    assert!(
        linked["card_html"] == "" && linked["org"].is_null() && linked["owners"] == serde_json::json!([]),
        "a link is not read as a card: {linked}"
    );
    assert!(!shown.stdout.contains("root:"), "nothing of /etc/passwd is read: {}", shown.stdout);
    let baseline = f.gh(&["--json", "show", "model", "baseline-1.4b"]).ok().json();
    let evidence: Vec<&str> = baseline["evidence"].as_array().unwrap().iter().filter_map(|e| e.as_str()).collect();
    assert!(
        !evidence.contains(&"evidence/passwd") && !evidence.contains(&"evidence/rules.toml"),
        "links are not evidence: {evidence:?}"
    );
    let problems = problems_of(&f, "baseline-1.4b");
    for p in ["models/baseline-1.4b/evidence/passwd", "models/baseline-1.4b/evidence/rules.toml"] {
        assert!(problems.iter().any(|(x, _)| x == p), "{p} is reported: {problems:?}");
    }
    // A reviewer cannot cite a link as evidence either.
    f.assert_refused(
        &signoff_args(
            "akeller",
            "baseline-1.4b",
            "intake",
            "approve",
            &["--item", "all=done", "--evidence", &format!("{}=evidence/passwd", f.checklist_items("intake")[0])],
        ),
        2,
        &["--evidence", "evidence/passwd"],
    );

    let malformed = malformed_paths(&f);
    for p in [
        "models/linked-1b/card.md",
        "models/baseline-1.4b/evidence/passwd",
        "models/baseline-1.4b/evidence/rules.toml",
        "policies/linked.md",
    ] {
        assert!(malformed.iter().any(|x| x == p), "verify reports malformed-file for {p}: {malformed:?}");
    }
}

#[test]
fn a_submodule_where_a_file_belongs_is_a_malformed_file() {
    let f = Fixture::sample();
    let some_commit = f.main();
    for path in ["models/sub-1b/card.md", "models/baseline-1.4b/evidence/vendored"] {
        f.git(&["update-index", "--add", "--cacheinfo", &format!("160000,{some_commit},{path}")]).ok();
    }
    f.git(&["commit", "-q", "-m", "submodules"]).ok();
    assert_everything_else_loads(&f, &["models/sub-1b/card.md"]);
    let problems = problems_of(&f, "sub-1b");
    assert!(problems.iter().any(|(p, m)| p == "models/sub-1b/card.md" && m.contains("submodule")), "{problems:?}");
    let problems = problems_of(&f, "baseline-1.4b");
    assert!(problems.iter().any(|(p, _)| p == "models/baseline-1.4b/evidence/vendored"), "{problems:?}");
    let malformed = malformed_paths(&f);
    for p in ["models/sub-1b/card.md", "models/baseline-1.4b/evidence/vendored"] {
        assert!(malformed.iter().any(|x| x == p), "verify reports {p}: {malformed:?}");
    }
}

#[cfg(unix)]
#[test]
fn a_file_turned_into_a_link_with_the_same_bytes_is_still_caught() {
    let f = Fixture::sample();
    let path = f.repo.join("models/baseline-1.4b/evidence/pointer");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "/etc/passwd").unwrap();
    f.commit_as("Mallory", "mallory@evil.example", "a file\n");
    let (_, before) = f.verify();
    let before: Vec<&Value> = before["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "malformed-file" && x["path"] == "models/baseline-1.4b/evidence/pointer")
        .collect();
    assert!(before.is_empty(), "a regular file is fine: {before:?}");
    std::fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", &path).unwrap();
    let tip = f.commit_as("Mallory", "mallory@evil.example", "the same bytes, now a link\n");
    let (_, report) = f.verify();
    let found = report["findings"].as_array().unwrap().iter().any(|x| {
        x["kind"] == "malformed-file"
            && x["commit"] == tip.as_str()
            && x["path"] == "models/baseline-1.4b/evidence/pointer"
    });
    assert!(found, "the mode change is a change, and the link is malformed: {report}");
}

// ---- sizes, depth, binary ------------------------------------------------------------------------

fn big_card() -> String {
    let line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n";
    format!("---\norg: cscs\nowners: [akeller]\n---\n# Big\n\n{}", line.repeat(5 * 1024 * 1024 / line.len()))
}

/// Front matter nested `depth` levels, block style (one level per line), valid YAML.
fn nested_block(depth: usize) -> String {
    let mut s = String::from("---\norg: cscs\nowners: [akeller]\ndeep:\n");
    for level in 1..depth {
        s.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
    }
    s.push_str(&format!("{}leaf\n---\n# Deep\n", " ".repeat(depth)));
    s
}

/// Front matter nested `depth` levels in flow style: `[[[...]]]`.
fn nested_flow(depth: usize) -> String {
    format!("---\norg: cscs\nowners: [akeller]\ndeep: {}x{}\n---\n# Deep\n", "[".repeat(depth), "]".repeat(depth))
}

/// The line a `warning: PATH:LINE: ...` names for `path`.
fn line_of_warning(stderr: &str, path: &str) -> Option<usize> {
    let rest = stderr.split(&format!("{path}:")).nth(1)?;
    rest.split(':').next()?.trim().parse().ok()
}

fn checklist(items: usize) -> String {
    let mut s = String::from("---\ngate: huge\ntitle: Huge\norder: 99\nsigners:\n  role: registry-steward\n---\n");
    for i in 0..items {
        s.push_str(&format!("- [ ] `item-{i}` Check {i}.\n"));
    }
    s
}

#[test]
fn oversized_deep_and_binary_cards_given_to_the_cli_are_refused() {
    let f = Fixture::sample();
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        ("big.md", big_card().into_bytes(), vec!["big.md", "1 MiB"]),
        ("deep100.md", nested_block(100).into_bytes(), vec!["deep100.md:", "nested more than 32 levels"]),
        ("deep10k.md", nested_flow(10_000).into_bytes(), vec!["deep10k.md:", "nested more than 32 levels"]),
        ("nul.md", b"---\norg: cscs\n---\n# Bin\n\x00\x01\x02".to_vec(), vec!["nul.md:5", "binary"]),
        ("latin1.md", b"---\norg: cscs\n---\n# Caf\xe9\n".to_vec(), vec!["latin1.md:4", "UTF-8"]),
        (
            "front.md",
            format!("---\nx: \"{}\"\n---\n", "a".repeat(300 * 1024)).into_bytes(),
            vec!["front.md:1", "front matter"],
        ),
    ];
    for (name, content, needles) in cases {
        let path = f.root.join(name);
        std::fs::write(&path, content).unwrap();
        let started = std::time::Instant::now();
        f.assert_refused(
            &["--as", "akeller", "model", "add", "refused-1b", "--card", &path.display().to_string()],
            2,
            &needles,
        );
        assert!(started.elapsed().as_secs() < 60, "{name} is refused promptly");
    }
    // 32 levels are fine: the limit is a ceiling, not a target.
    let ok = f.root.join("deep32.md");
    std::fs::write(&ok, nested_block(32)).unwrap();
    f.gh(&["--as", "akeller", "model", "add", "deep-1b", "--card", &ok.display().to_string()]).ok();
}

#[test]
fn oversized_deep_and_binary_files_committed_with_git_are_malformed_and_the_rest_loads() {
    let f = Fixture::sample();
    let write = |rel: &str, content: &[u8]| {
        let p = f.repo.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    };
    write("models/big-1b/card.md", big_card().as_bytes());
    write("models/deep-1b/card.md", nested_block(100).as_bytes());
    write("models/deeper-1b/card.md", nested_flow(10_000).as_bytes());
    write("models/binary-1b/card.md", b"---\norg: cscs\n---\n\x00\xff\xfe binary");
    write("policies/checklists/huge.md", checklist(10_000).as_bytes());
    write(
        "policies/deep.md",
        format!("---\ntitle: Deep\nx: {}1{}\n---\n", "{a: ".repeat(200), "}".repeat(200)).as_bytes(),
    );
    let signoff_dir = &format!("{}/intake", signoffs_dir("baseline-1.4b"));
    write(
        &format!("{signoff_dir}/20261129T180000Z-akeller.toml"),
        format!("model = \"baseline-1.4b\"\ncomment = \"{}\"\n", "x".repeat(300 * 1024)).as_bytes(),
    );
    write(
        &format!("{signoff_dir}/20261129T180001Z-akeller.toml"),
        format!("model = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000)).as_bytes(),
    );
    let started = std::time::Instant::now();
    f.commit_as("Mallory", "mallory@evil.example", "hostile sizes\n");

    let expect = [
        ("models/big-1b/card.md", "1 MiB"),
        ("models/deep-1b/card.md", "nested more than 32 levels"),
        ("models/deeper-1b/card.md", "nested more than 32 levels"),
        ("models/binary-1b/card.md", "binary"),
        ("policies/checklists/huge.md", "at most 1000 items"),
        ("policies/deep.md", "nested more than 32 levels"),
        (&format!("{signoff_dir}/20261129T180000Z-akeller.toml"), "256 KiB"),
    ];
    let r = f.gh(&["status"]).ok();
    for (path, message) in &expect {
        assert!(
            r.stderr.lines().any(|l| l.contains(path) && l.contains(message)),
            "status warns about {path} ({message}):\n{}",
            r.stderr
        );
    }
    assert!(r.stderr.contains(&format!("{signoff_dir}/20261129T180001Z-akeller.toml")), "{}", r.stderr);
    // Lines where they make sense: the deep card near the line that went too deep (`k32:` is
    // line 36), the checklist at its 1001st item.
    let deep_line = line_of_warning(&r.stderr, "models/deep-1b/card.md");
    assert!(deep_line.is_some_and(|l| (34..=37).contains(&l)), "{deep_line:?}: {}", r.stderr);
    let item_1001 = 7 + 1001;
    assert!(r.stderr.contains(&format!("policies/checklists/huge.md:{item_1001}:")), "{}", r.stderr);
    assert_everything_else_loads(&f, &[]);
    for model in ["big-1b", "deep-1b", "deeper-1b", "binary-1b"] {
        let problems = problems_of(&f, model);
        assert!(problems.iter().any(|(p, _)| p == &format!("models/{model}/card.md")), "{model}: {problems:?}");
    }

    let malformed = malformed_paths(&f);
    for (path, _) in &expect {
        assert!(malformed.iter().any(|x| x == path), "verify reports malformed-file for {path}: {malformed:?}");
    }
    assert!(finding_kinds(&f.verify().1).contains("malformed-file"));
    assert!(started.elapsed().as_secs() < 120, "no hang: {:?}", started.elapsed());
}

#[test]
fn pathological_markdown_renders_promptly_without_overflowing_the_stack() {
    // Test threads have a 2 MiB stack: recursion on any of these would overflow it.
    let n = 100_000;
    let cases = [
        ("block quotes", ">".repeat(n) + " deep"),
        ("nested lists", (0..700).map(|i| format!("{}- x\n", "  ".repeat(i))).collect::<String>()),
        ("html elements", "<div>".repeat(n) + &"</div>".repeat(n / 2)),
        ("html blocks", "<div>\n\n".repeat(n)),
        ("inline html", "<b>x".repeat(n)),
        ("inline links", "[".repeat(n) + &"](https://e.org)".repeat(n / 10)),
        ("emphasis", "*a **".repeat(n / 2)),
        ("backticks", "`".repeat(n) + "x"),
        ("tables", "|a".repeat(n / 4) + "|\n" + &"|-".repeat(n / 4) + "|\n"),
    ];
    for (what, md) in cases {
        assert!(md.len() <= gatehouse::limits::MAX_MARKDOWN_BYTES, "{what} fits the document limit");
        let started = std::time::Instant::now();
        let html = to_html(&md);
        assert_inert(&html, what);
        let text = gatehouse::render::to_text(&md);
        assert!(!text.is_empty() || md.is_empty());
        assert!(started.elapsed().as_secs() < 10, "{what} took {:?}", started.elapsed());
    }
}

#[test]
fn the_limits_are_read_from_one_place() {
    use gatehouse::limits::*;
    assert_eq!(gatehouse::card::MAX_CARD_BYTES, MAX_MARKDOWN_BYTES);
    assert_eq!(gatehouse::checklist::MAX_ITEMS, MAX_CHECKLIST_ITEMS);
    assert_eq!(gatehouse::frontmatter::MAX_FRONT_MATTER, MAX_FRONT_MATTER_BYTES);
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md")).unwrap();
    assert!(docs.contains("## Limits"), "docs/format.md documents the limits");
    for shown in ["1 MiB", "256 KiB", "32 levels", "1,000", "100 MiB"] {
        assert!(docs.contains(shown), "docs/format.md gives {shown}");
    }
}
