import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { commands, type ClusterOverview, type ClusterOverview_Serialize, type Environment } from "../../bindings";
import { clusterOverview, err, ok, renderWithClient } from "../../test/fixtures";
import { overview as workloadsOverview } from "../../test/workloadsFixtures";
import { ClusterView } from "./ClusterView";
import type { ConnectTarget } from "./connectTarget";

vi.mock("../../bindings", () => ({
  commands: {
    connectCluster: vi.fn(),
    connectContext: vi.fn(),
    allowExecPlugin: vi.fn(),
    watchWorkloads: vi.fn(),
    stopWorkloads: vi.fn(),
    podsWindow: vi.fn(),
    workloadsOverview: vi.fn(),
    nodeCards: vi.fn(),
  },
}));
vi.mock("@tauri-apps/api/core", async () => ({ Channel: (await import("../../test/runFixtures")).FakeChannel }));

const connectCluster = vi.mocked(commands.connectCluster);
const connectContext = vi.mocked(commands.connectContext);
const allowExecPlugin = vi.mocked(commands.allowExecPlugin);

const PROFILE: Environment = { kind: "profile", profile: "dev", region: "eu-west-1" };
const DEMO: ConnectTarget = { kind: "eks", environment: PROFILE, cluster: "demo" };
const VENDOR: ConnectTarget = { kind: "context", context: "vendor", execCommand: "get-creds" };
const CONSENT_MESSAGE =
  "Context vendor gets its credentials by running /opt/vendor/bin/get-creds; a kubeconfig exec plugin runs whatever program it names, so EKS Desk asks once before it runs one it does not know.";

function renderView(target: ConnectTarget = DEMO) {
  const onBack = vi.fn();
  const onOpenAccess = vi.fn();
  // The cluster's live screens are the router's (src/app/routes.test.tsx); here, what they are given.
  const connected = (overview: ClusterOverview) => <p data-testid="connected-as">{overview.connection}</p>;
  const utils = renderWithClient(
    <ClusterView target={target} onBack={onBack} onOpenAccess={onOpenAccess} connected={connected} />,
  );
  return { ...utils, onBack, onOpenAccess };
}

beforeEach(() => {
  connectCluster.mockReset();
  connectContext.mockReset();
  allowExecPlugin.mockReset();
  vi.mocked(commands.watchWorkloads).mockReset().mockResolvedValue(ok(null));
  vi.mocked(commands.stopWorkloads).mockReset().mockResolvedValue(ok(null));
  vi.mocked(commands.workloadsOverview).mockReset().mockResolvedValue(ok(workloadsOverview()));
});

describe("ClusterView", () => {
  it("says it is signing in, then shows the version, nodes and who you are", async () => {
    let answer!: (v: ReturnType<typeof ok<ClusterOverview_Serialize>>) => void;
    connectCluster.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    renderView();
    expect(screen.getByTestId("connecting")).toHaveTextContent("Signing in to demo…");
    expect(connectCluster).toHaveBeenCalledExactlyOnceWith(PROFILE, { cluster: "demo" });

    answer(
      ok(
        clusterOverview({
          nodeCount: 3,
          simulated: true,
          identity: {
            username: "eks-desk:alice",
            groups: ["system:authenticated", "eks-desk:admins"],
            iamArn: "arn:aws:iam::111122223333:role/dev",
          },
        }),
      ),
    );
    expect(await screen.findByTestId("kubernetes-version")).toHaveTextContent("v1.31.4-eks-2d5f260");
    expect(screen.queryByTestId("connecting")).not.toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "demo" })).toBeInTheDocument();
    expect(screen.getByTestId("node-count")).toHaveTextContent("3");
    expect(screen.getByTestId("identity-username")).toHaveTextContent("eks-desk:alice");
    const groups = screen.getByLabelText("Groups");
    expect(within(groups).getByText("system:authenticated")).toBeInTheDocument();
    expect(within(groups).getByText("eks-desk:admins")).toBeInTheDocument();
    expect(screen.getByTestId("identity-iam-arn")).toHaveTextContent("arn:aws:iam::111122223333:role/dev");
    const badge = screen.getByTestId("simulated-badge");
    expect(badge).toHaveTextContent("simulated");
    expect(badge).toHaveAttribute("title", expect.stringContaining("simulated API server"));
    // The opened cluster's live screens are given the connection Rust named.
    expect(screen.getByTestId("connected-as")).toHaveTextContent(/^eks:eu-west-1\/demo$/);
  });

  it("shows no simulated badge, IAM ARN or warnings a real cluster does not have", async () => {
    connectCluster.mockResolvedValue(
      ok(clusterOverview({ simulated: false, identity: { username: "alice", groups: [], iamArn: null } })),
    );
    renderView();
    expect(await screen.findByTestId("identity-username")).toHaveTextContent("alice");
    expect(screen.queryByTestId("simulated-badge")).not.toBeInTheDocument();
    expect(screen.queryByTestId("identity-iam-arn")).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Groups")).not.toBeInTheDocument();
    expect(screen.queryByTestId("connect-warnings")).not.toBeInTheDocument();
  });

  it("says the nodes are hidden, and why, when they may not be listed", async () => {
    const why = 'nodes is forbidden: User "alice" cannot list resource "nodes" at the cluster scope (403)';
    connectCluster.mockResolvedValue(ok(clusterOverview({ nodeCount: null, nodesHidden: why })));
    renderView();
    expect(await screen.findByTestId("node-count")).toHaveTextContent("hidden");
    expect(screen.getByTestId("nodes-hidden")).toHaveTextContent(why);
  });

  it("counts zero nodes as zero, not as hidden", async () => {
    connectCluster.mockResolvedValue(ok(clusterOverview({ nodeCount: 0 })));
    renderView();
    expect(await screen.findByTestId("node-count")).toHaveTextContent(/^0$/);
    expect(screen.queryByTestId("nodes-hidden")).not.toBeInTheDocument();
  });

  it("shows how you are connected as warnings", async () => {
    connectContext.mockResolvedValue(
      ok(clusterOverview({ name: "lab", warnings: ["TLS verification is off for lab", "Reached through proxy http://proxy:3128"] })),
    );
    renderView({ kind: "context", context: "lab", execCommand: null });
    const warnings = await screen.findByTestId("connect-warnings");
    expect(within(warnings).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "TLS verification is off for lab",
      "Reached through proxy http://proxy:3128",
    ]);
    expect(connectContext).toHaveBeenCalledExactlyOnceWith({ context: "lab" });
    expect(connectCluster).not.toHaveBeenCalled();
  });

  it("names the IAM ARN of a missing access entry and offers the access page and a retry", async () => {
    const message =
      "Your IAM identity arn:aws:iam::111122223333:role/dev has no access entry on cluster demo, so EKS does not let it in (401).";
    connectCluster.mockResolvedValue(err("no_access_entry", message));
    const { onOpenAccess } = renderView();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("No access entry on this cluster");
    expect(alert).toHaveTextContent("arn:aws:iam::111122223333:role/dev");
    const user = userEvent.setup();
    await user.click(within(alert).getByRole("button", { name: "Open the cluster's access page" }));
    expect(onOpenAccess).toHaveBeenCalledTimes(1);

    connectCluster.mockResolvedValue(ok(clusterOverview()));
    await user.click(within(alert).getByRole("button", { name: "Retry" }));
    expect(await screen.findByTestId("kubernetes-version")).toBeInTheDocument();
    expect(connectCluster).toHaveBeenCalledTimes(2);
  });

  it("goes back to the clusters with Back to clusters", async () => {
    connectCluster.mockResolvedValue(err("private_endpoint", "The API endpoint of cluster demo is private."));
    const { onBack } = renderView();
    expect(await screen.findByRole("alert")).toHaveTextContent("Private endpoint out of reach");
    expect(screen.queryByRole("button", { name: "Open the cluster's access page" })).not.toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("button", { name: "Back to clusters" }));
    expect(onBack).toHaveBeenCalledTimes(1);
  });

  it("shows cluster data as text, never as HTML", async () => {
    const payload = "<img src=x onerror=alert(1)>";
    connectCluster.mockResolvedValue(
      ok(clusterOverview({ name: payload, identity: { username: payload, groups: [payload], iamArn: null }, warnings: [payload] })),
    );
    const { container } = renderView();
    expect(await screen.findByTestId("identity-username")).toHaveTextContent(payload);
    expect(screen.getByRole("heading", { name: payload })).toBeInTheDocument();
    expect(container.querySelector("img")).toBeNull();
  });

  describe("an exec plugin that needs consent", () => {
    it("asks, and Run it allows the plugin, connects again and shows the cluster", async () => {
      connectContext.mockResolvedValueOnce(err("exec_consent_required", CONSENT_MESSAGE));
      connectContext.mockResolvedValueOnce(ok(clusterOverview({ name: "vendor" })));
      allowExecPlugin.mockResolvedValue(
        ok({ context: "vendor", written: "get-creds", resolved: "/opt/vendor/bin/get-creds" }),
      );
      renderView(VENDOR);
      const dialog = await screen.findByRole("dialog", { name: "Run this credential plugin?" });
      expect(within(dialog).getByTestId("exec-consent-question")).toHaveTextContent(
        "Run get-creds to get credentials for context vendor?",
      );
      expect(within(dialog).getByTestId("exec-consent-program")).toHaveTextContent("/opt/vendor/bin/get-creds");
      expect(dialog).toHaveTextContent("runs any program it names");
      // The keyboard lands on Cancel: running the plugin takes a click on Run it.
      expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
      expect(allowExecPlugin).not.toHaveBeenCalled();

      await userEvent.setup().click(within(dialog).getByRole("button", { name: "Run it" }));
      expect(await screen.findByTestId("kubernetes-version")).toBeInTheDocument();
      expect(allowExecPlugin).toHaveBeenCalledExactlyOnceWith({ context: "vendor" });
      expect(connectContext).toHaveBeenCalledTimes(2);
      expect(allowExecPlugin.mock.invocationCallOrder[0]).toBeLessThan(connectContext.mock.invocationCallOrder[1]);
      expect(screen.getByTestId("exec-resolved")).toHaveTextContent("/opt/vendor/bin/get-creds");
      expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    });

    it("Cancel goes back to the contexts without allowing or connecting again", async () => {
      connectContext.mockResolvedValue(err("exec_consent_required", CONSENT_MESSAGE));
      const { onBack } = renderView(VENDOR);
      const dialog = await screen.findByRole("dialog");
      await userEvent.setup().click(within(dialog).getByRole("button", { name: "Cancel" }));
      expect(onBack).toHaveBeenCalledTimes(1);
      expect(allowExecPlugin).not.toHaveBeenCalled();
      expect(connectContext).toHaveBeenCalledTimes(1);
    });

    it("keeps asking, with the reason, when the consent cannot be recorded", async () => {
      connectContext.mockResolvedValue(err("exec_consent_required", CONSENT_MESSAGE));
      allowExecPlugin.mockResolvedValue(err("config_file", "could not create the directory /home/me/.config/eks-desk"));
      renderView(VENDOR);
      const dialog = await screen.findByRole("dialog");
      await userEvent.setup().click(within(dialog).getByRole("button", { name: "Run it" }));
      expect(await within(dialog).findByRole("alert")).toHaveTextContent("could not create the directory");
      await waitFor(() => expect(within(dialog).getByRole("button", { name: "Run it" })).toBeEnabled());
      expect(connectContext).toHaveBeenCalledTimes(1);
    });
  });
});
