import { useState } from "react";
import type { AppError } from "../../bindings";
import { useLoginCommand } from "../environment/EnvironmentContext";

type Props = {
  error: AppError;
  /** Offered when the error is one the local emulator would avoid. */
  onUseEmulator?: () => void;
  onRetry?: () => void;
  /** Offered for `no_access_entry`: the Access page grants the IAM identity an entry. */
  onOpenAccess?: () => void;
};

const TITLES: Record<AppError["code"], string> = {
  no_credentials: "No AWS credentials",
  sso_expired: "SSO session expired",
  invalid_credentials: "Credentials rejected",
  access_denied: "Access denied",
  endpoint_unreachable: "Endpoint unreachable",
  throttled: "Throttled by AWS",
  profile_not_found: "Profile not found",
  config_file: "Configuration file problem",
  invalid_input: "Invalid value",
  aws_service: "AWS error",
  conflict: "Conflict",
  cancelled: "Cancelled",
  internal: "Something went wrong in EKS Desk",
  no_access_entry: "No access entry on this cluster",
  unauthorized: "Credentials refused by Kubernetes",
  forbidden: "Denied by Kubernetes",
  private_endpoint: "Private endpoint out of reach",
  kube_api: "Kubernetes API error",
  kube_credentials: "Could not get Kubernetes credentials",
  exec_consent_required: "Run this credential plugin?",
};

/** An error shown where it happened, with the fix that fits its code. */
export function ErrorPanel({ error, onUseEmulator, onRetry, onOpenAccess }: Props) {
  const profileLogin = useLoginCommand();
  const loginCommand = error.code === "sso_expired" ? profileLogin : null;
  const [copyState, setCopyState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = (text: string) => {
    const clipboard = navigator.clipboard;
    if (!clipboard) {
      setCopyState("failed");
      return;
    }
    clipboard.writeText(text).then(
      () => setCopyState("copied"),
      () => setCopyState("failed"),
    );
  };
  return (
    <div className="error-panel" role="alert" data-code={error.code}>
      <strong>{TITLES[error.code]}</strong>
      <p>{error.message}</p>
      <div className="error-actions">
        {loginCommand && (
          <button
            type="button"
            onClick={() => copy(loginCommand)}
            title="Copy the login command"
          >
            Copy <code>{loginCommand}</code>
          </button>
        )}
        {copyState === "copied" && <span className="muted">Copied.</span>}
        {copyState === "failed" && (
          <span className="muted">Could not copy: select the command above and copy it by hand.</span>
        )}
        {onUseEmulator &&
          (error.code === "no_credentials" || error.code === "profile_not_found") && (
            <button type="button" onClick={onUseEmulator}>
              Use the local emulator
            </button>
          )}
        {onOpenAccess && error.code === "no_access_entry" && (
          <button type="button" onClick={onOpenAccess}>
            Open the cluster's access page
          </button>
        )}
        {onRetry && (
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        )}
      </div>
    </div>
  );
}
