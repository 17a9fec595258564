//! Names the EKS API uses that both exports write as they are.

use crate::spec::model::AuthenticationMode;

/// The EKS API's name for the mode (Terraform and eksctl use it as is).
pub(super) fn authentication_mode(mode: AuthenticationMode) -> &'static str {
    match mode {
        AuthenticationMode::Api => "API",
        AuthenticationMode::ApiAndConfigMap => "API_AND_CONFIG_MAP",
        AuthenticationMode::ConfigMap => "CONFIG_MAP",
    }
}

/// The ARN of an EKS access policy the spec names (`AmazonEKSAdminPolicy`);
/// an ARN in the spec is kept as it is.
pub(super) fn access_policy_arn(policy: &str) -> String {
    if policy.starts_with("arn:") {
        policy.to_string()
    } else {
        format!("arn:aws:eks::aws:cluster-access-policy/{policy}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_policies_by_name_or_arn() {
        assert_eq!(
            access_policy_arn("AmazonEKSViewPolicy"),
            "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
        );
        let arn = "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
        assert_eq!(access_policy_arn(arn), arn);
    }
}
