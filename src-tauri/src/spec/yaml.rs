//! Saving and loading specs as YAML. Loading never half-applies: a file is
//! either a complete valid document or an error with line numbers.

use super::model::{ClusterSpec, API_VERSION};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SpecFileError {
    /// Not YAML, or not a spec: `line`/`column` are 1-based when known.
    #[error("{}{message}", location(*.line, *.column))]
    Syntax {
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    #[error("unsupported apiVersion \"{0}\" (this version of EKS Desk reads {API_VERSION})")]
    Version(String),
    #[error("could not write the spec as YAML: {0}")]
    Write(String),
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("line {l}, column {c}: "),
        (Some(l), None) => format!("line {l}: "),
        _ => String::new(),
    }
}

/// "... at line 3 column 5" → (3, 5), from the parser's message.
fn find_location(message: &str) -> (Option<usize>, Option<usize>) {
    let number_after = |word: &str| -> Option<usize> {
        let at = message.find(word)? + word.len();
        let digits: String = message[at..]
            .trim_start_matches([' ', ':'])
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    (number_after("line"), number_after("column"))
}

pub fn from_yaml(text: &str) -> Result<ClusterSpec, SpecFileError> {
    let spec: ClusterSpec = serde_saphyr::from_str(text).map_err(|e| {
        let message = e.to_string();
        let (line, column) = find_location(&message);
        SpecFileError::Syntax {
            line,
            column,
            message: first_line(&message),
        }
    })?;
    if spec.api_version != API_VERSION {
        return Err(SpecFileError::Version(spec.api_version));
    }
    Ok(spec)
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

pub fn to_yaml(spec: &ClusterSpec) -> Result<String, SpecFileError> {
    serde_saphyr::to_string(spec).map_err(|e| SpecFileError::Write(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_spec_round_trips() {
        let spec = ClusterSpec::default();
        let text = to_yaml(&spec).unwrap();
        assert_eq!(from_yaml(&text).unwrap(), spec, "{text}");
    }

    #[test]
    fn unknown_fields_are_errors_with_a_line_number() {
        let mut text = to_yaml(&ClusterSpec::default()).unwrap();
        text = text.replacen("kubernetesVersion:", "kubernetesVersoin:", 1);
        let err = from_yaml(&text).unwrap_err();
        match &err {
            SpecFileError::Syntax { line, message, .. } => {
                assert!(line.is_some(), "{err}");
                assert!(message.contains("kubernetesVersoin"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().starts_with("line "), "{err}");
    }

    #[test]
    fn broken_yaml_reports_where() {
        let err = from_yaml("cluster:\n  name: [unclosed\n").unwrap_err();
        assert!(
            matches!(err, SpecFileError::Syntax { line: Some(_), .. }),
            "{err:?}"
        );
    }

    #[test]
    fn other_api_versions_are_refused() {
        let text = to_yaml(&ClusterSpec::default())
            .unwrap()
            .replace(API_VERSION, "eksdesk.dev/v9");
        assert_eq!(
            from_yaml(&text),
            Err(SpecFileError::Version("eksdesk.dev/v9".into()))
        );
    }
}

#[cfg(test)]
mod example_tests {
    use super::*;

    /// examples/seed-cluster.yaml is the documented seed: it must stay
    /// loadable and equal to the built-in defaults.
    #[test]
    fn the_annotated_example_is_the_seed() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/seed-cluster.yaml");
        let spec = from_yaml(&std::fs::read_to_string(path).unwrap()).unwrap();
        let expected = ClusterSpec {
            id: "seed-my-eks".into(),
            ..Default::default()
        };
        assert_eq!(spec, expected);
    }
}
