//! Errors as the UI receives them: a stable `code` to branch on, a message to show, and the
//! input at fault for the form to point at. The library names inputs as data and, in its
//! messages, by their plain nouns ("checklist item", "signing key"), which are the forms' own
//! words; only the CLI words them differently (as its flags).

use gatehouse::error::{ErrorCode, Input};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ApiError {
    /// The library's code, or one of the shell's own (`no-repository`, `no-member`): one union
    /// of every code the UI can receive.
    pub code: ErrorCode,
    pub message: String,
    /// The input at fault (or the one that would lift a refusal, such as the signing key).
    pub field: Option<Input>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into(), field: None }
    }

    pub fn no_repository() -> Self {
        ApiError::new(ErrorCode::NoRepository, "no governance repository is open")
    }
}

impl From<gatehouse::Error> for ApiError {
    fn from(e: gatehouse::Error) -> Self {
        ApiError { code: e.code(), message: e.to_string(), field: e.input() }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use std::path::Path;

    use gatehouse::actions::{clone, init};
    use gatehouse::consortium::Member;
    use ts_rs::TS;

    use super::*;

    fn create(dir: &Path, id: &str) -> ApiResult<()> {
        let founder = Member {
            id: id.into(),
            name: "Ada".into(),
            email: "ada@example.org".into(),
            org: "bsc".into(),
            roles: vec![],
            keys: vec![],
        };
        init::init(&init::InitRequest { dir: dir.into(), name: "C".into(), founder, at: crate::now() })?;
        Ok(())
    }

    #[test]
    fn a_wrong_input_reaches_the_ui_in_the_forms_words_with_its_field() {
        let dir = std::env::temp_dir().join(format!("gatehouse-api-error-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        let e = create(&dir, "ada").unwrap_err();
        assert_eq!((e.code, e.field), (ErrorCode::InvalidArgument, Some(Input::Folder)));
        assert!(e.message.starts_with("folder: ") && e.message.contains("not empty"), "{}", e.message);

        let e = create(&dir.join("new"), "Ada Lovelace").unwrap_err();
        assert_eq!(e.field, Some(Input::Member));
        assert!(e.message.starts_with("member: \"Ada Lovelace\" is not a valid id"), "{}", e.message);

        let e = ApiError::from(clone::clone("", &dir.join("clone")).map(|_| ()).unwrap_err());
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(e.message.starts_with("repository URL: ") && !e.message.contains("--"), "{}", e.message);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "invalid-argument");
        assert_eq!(json["field"], "url", "the UI receives the field as data");
    }

    #[test]
    fn errors_without_an_input_reach_the_ui_with_no_field() {
        let e = ApiError::no_repository();
        assert_eq!(serde_json::to_value(&e).unwrap()["code"], "no-repository");
        assert_eq!(serde_json::to_value(&e).unwrap()["field"], serde_json::Value::Null);
        let missing = ApiError::from(gatehouse::Error::NotFound { what: "model", id: "m".into() });
        assert_eq!((missing.code, missing.field), (ErrorCode::NotFound, None));
    }

    /// The TypeScript union is generated from `ErrorCode`; `ErrorCode::ALL` feeds the tests that
    /// every code is worded. Both must list the same codes.
    #[test]
    fn the_generated_union_lists_every_code() {
        let union = ErrorCode::inline(&ts_rs::Config::new());
        let generated: Vec<&str> = union.split('|').map(|c| c.trim().trim_matches('"')).collect();
        let listed: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(generated, listed);
    }
}
