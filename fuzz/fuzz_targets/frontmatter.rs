//! Front matter: `frontmatter::split` on any text, then the YAML as a plain value, as a model
//! card (`Card::parse`) and as a policy (`Policy::parse`). Each returns Ok or a clear error,
//! never a panic, a hang or a stack overflow.
#![no_main]

use gatehouse::card::Card;
use gatehouse::frontmatter;
use gatehouse::policy::Policy;
use libfuzzer_sys::fuzz_target;

const PATH: &str = "models/m/card.md";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match frontmatter::split(PATH, text) {
        Ok(split) => {
            // The parts are slices of the text, in order, and the line numbers point at them.
            let body_start = text.len() - split.body.len();
            assert_eq!(&text[body_start..], split.body);
            match split.yaml {
                Some(yaml) => {
                    assert!(split.yaml_end <= body_start);
                    assert!(text[..split.yaml_end].ends_with(yaml));
                    assert_eq!(split.body_line, frontmatter::line_of(text, body_start));
                    let _ = frontmatter::parse::<serde_yaml_ng::Value>(PATH, yaml, split.yaml_line);
                }
                None => assert_eq!(split.body, text),
            }
        }
        Err(e) => assert_eq!(e.location.path, PATH),
    }
    if let Err(e) = Card::parse(PATH, "m", text) {
        assert_eq!(e.location.path, PATH);
    }
    let _ = Policy::parse("policies/safety.md", text);
});
