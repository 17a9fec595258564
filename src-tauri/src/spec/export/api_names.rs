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
