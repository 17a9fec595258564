// Test-only helpers: command results, sample data and a render wrapper with a
// fresh TanStack Query client per test.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import type {
  AppError_Serialize,
  ClusterOverview_Serialize,
  ClusterSummary_Serialize,
  EnvironmentChoices_Serialize,
  ErrorCode,
  KubeContext_Serialize,
  KubeContexts_Serialize,
  KubeconfigWriteOutcome_Serialize,
} from "../bindings";

export function ok<T>(data: T): { status: "ok"; data: T } {
  return { status: "ok", data };
}

export function err(code: ErrorCode, message = `${code} happened`): { status: "error"; error: AppError_Serialize } {
  return { status: "error", error: { code, message } };
}

export function newQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });
}

export function renderWithClient(ui: ReactElement) {
  const client = newQueryClient();
  return { client, ...render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>) };
}

export function cluster(overrides: Partial<ClusterSummary_Serialize> = {}): ClusterSummary_Serialize {
  return {
    name: "demo",
    arn: "arn:aws:eks:eu-west-1:111122223333:cluster/demo",
    status: "ACTIVE",
    isTransitional: false,
    version: "1.31",
    endpoint: "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
    authenticationMode: "API_AND_CONFIG_MAP",
    createdAt: "2024-05-01T10:00:00Z",
    platformVersion: "eks.12",
    tags: {},
    ...overrides,
  };
}

export function kubeContext(overrides: Partial<KubeContext_Serialize> = {}): KubeContext_Serialize {
  return {
    name: "kind-local",
    cluster: "kind-local",
    server: "https://127.0.0.1:6443",
    user: "kind-local",
    namespace: null,
    isCurrent: false,
    eks: null,
    auth: { kind: "token" },
    insecure: false,
    hasProxyUrl: false,
    ...overrides,
  };
}

export function noKubeContexts(): KubeContexts_Serialize {
  return { files: [], contexts: [] };
}

export function choices(overrides: Partial<EnvironmentChoices_Serialize> = {}): EnvironmentChoices_Serialize {
  return {
    profiles: [
      { name: "dev", region: "eu-west-1", kind: "sso", ssoStartUrl: "https://example.awsapps.com/start", loginCommand: "aws sso login --profile dev" },
      { name: "ops", region: null, kind: "access_keys", ssoStartUrl: null, loginCommand: null },
    ],
    regions: [
      { code: "us-east-1", name: "US East (N. Virginia)" },
      { code: "eu-west-1", name: "Europe (Ireland)" },
      { code: "ap-southeast-2", name: "Asia Pacific (Sydney)" },
    ],
    emulatorEndpoint: "http://127.0.0.1:4566",
    initial: { kind: "profile", profile: "dev", region: "eu-west-1" },
    hasCredentials: true,
    emulatorForced: false,
    ...overrides,
  };
}

export function clusterOverview(overrides: Partial<ClusterOverview_Serialize> = {}): ClusterOverview_Serialize {
  return {
    connection: "eks:eu-west-1/demo",
    name: "demo",
    server: "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
    kubernetesVersion: "v1.31.4-eks-2d5f260",
    nodeCount: 3,
    nodesHidden: null,
    identity: {
      username: "arn:aws:sts::111122223333:assumed-role/dev/alice",
      groups: ["system:authenticated"],
      iamArn: "arn:aws:iam::111122223333:role/dev",
    },
    simulated: false,
    warnings: [],
    ...overrides,
  };
}

export function kubeconfigOutcome(
  overrides: Partial<KubeconfigWriteOutcome_Serialize> = {},
): KubeconfigWriteOutcome_Serialize {
  const arn = "arn:aws:eks:eu-west-1:111122223333:cluster/demo";
  return {
    file: "/home/me/.kube/config",
    change: "updated",
    backup: "/home/me/.kube/config.eks-desk-backup",
    context: arn,
    user: `dev@${arn}`,
    cluster: arn,
    isCurrent: false,
    commentsLost: false,
    ...overrides,
  };
}
