//! Length and shape rules shared by the names EKS and IAM accept.

/// A character count the way AWS counts lengths (characters, not bytes).
pub(super) fn length(text: &str) -> usize {
    text.chars().count()
}

/// Letters, digits, hyphens and underscores, starting with a letter or
/// digit: the shape EKS wants for cluster and node group names. Returns
/// the message for the first rule broken; `what` starts the sentence.
pub(super) fn eks_name_problem(what: &str, name: &str, max: usize) -> Option<String> {
    let n = length(name);
    if n == 0 || n > max {
        return Some(format!("{what} must be 1–{max} characters (it has {n})"));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some(format!("{what} must start with a letter or digit"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Some(format!(
            "{what} may only contain letters, digits, hyphens and underscores (not \"{bad}\")"
        ));
    }
    None
}
