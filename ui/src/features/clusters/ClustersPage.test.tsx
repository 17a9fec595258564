import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { commands, type ClusterStatus, type Environment } from "../../bindings";
import { cluster, err, kubeContext, noKubeContexts, ok, renderWithClient } from "../../test/fixtures";
import { ClustersPage, clustersRefetchInterval, TRANSITION_REFRESH_MS } from "./ClustersPage";

vi.mock("../../bindings", () => ({
  commands: {
    listClusters: vi.fn(),
    kubeContexts: vi.fn(),
    callerIdentity: vi.fn(),
    environmentChoices: vi.fn(),
    addToKubeconfig: vi.fn(),
  },
}));

const listClusters = vi.mocked(commands.listClusters);
const kubeContexts = vi.mocked(commands.kubeContexts);

const PROFILE: Environment = { kind: "profile", profile: "dev", region: "eu-west-1" };
const EMULATOR: Environment = { kind: "emulator", region: "us-east-1" };

function renderPage(environment: Environment = PROFILE) {
  const onUseEmulator = vi.fn();
  const onCreate = vi.fn();
  const onOpen = vi.fn();
  const utils = renderWithClient(
    <ClustersPage environment={environment} onUseEmulator={onUseEmulator} onCreate={onCreate} onOpen={onOpen} />,
  );
  return { ...utils, onUseEmulator, onCreate, onOpen };
}

function rowOf(name: string): HTMLElement {
  const row = screen.getByTestId("cluster-table").querySelector<HTMLElement>(`tr[data-cluster="${CSS.escape(name)}"]`);
  if (!row) throw new Error(`no row for cluster ${name}`);
  return row;
}

beforeEach(() => {
  listClusters.mockReset();
  kubeContexts.mockReset();
  kubeContexts.mockResolvedValue(ok(noKubeContexts()));
});

describe("clustersRefetchInterval", () => {
  it.each<ClusterStatus>(["CREATING", "UPDATING", "DELETING", "PENDING"])(
    "refreshes while a cluster is %s",
    (status) => {
      const interval = clustersRefetchInterval([cluster({ name: "a" }), cluster({ name: "b", status, isTransitional: true })]);
      expect(interval).toBe(TRANSITION_REFRESH_MS);
      expect(typeof interval).toBe("number");
    },
  );

  it.each<ClusterStatus>(["ACTIVE", "FAILED", "UNKNOWN"])("does not refresh when every cluster is %s", (status) => {
    expect(clustersRefetchInterval([cluster({ name: "a", status }), cluster({ name: "b", status })])).toBe(false);
  });

  it("does not refresh with no data or no clusters", () => {
    expect(clustersRefetchInterval(undefined)).toBe(false);
    expect(clustersRefetchInterval([])).toBe(false);
  });
});

describe("ClustersPage", () => {
  it("shows a loading state while the list is on its way", () => {
    listClusters.mockReturnValue(new Promise(() => {}));
    renderPage();
    expect(screen.getByTestId("clusters-loading")).toHaveTextContent("Loading clusters");
    expect(screen.queryByTestId("cluster-table")).not.toBeInTheDocument();
    expect(screen.queryByTestId("clusters-empty")).not.toBeInTheDocument();
    expect(listClusters).toHaveBeenCalledWith(PROFILE);
  });

  it("shows an empty state that names the region and offers to create a cluster", async () => {
    listClusters.mockResolvedValue(ok([]));
    const { onCreate } = renderPage();
    const empty = await screen.findByTestId("clusters-empty");
    expect(empty).toHaveTextContent("No EKS clusters in eu-west-1");
    expect(screen.queryByTestId("clusters-loading")).not.toBeInTheDocument();
    expect(screen.queryByTestId("cluster-table")).not.toBeInTheDocument();
    await userEvent.setup().click(within(empty).getByRole("button", { name: "Create a cluster" }));
    expect(onCreate).toHaveBeenCalledTimes(1);
  });

  it("lists one row per cluster with its name, status, version, endpoint, auth mode and tags", async () => {
    listClusters.mockResolvedValue(
      ok([
        cluster({
          name: "alpha",
          status: "ACTIVE",
          version: "1.31",
          endpoint: "https://alpha.eks.example",
          authenticationMode: "API",
          tags: { env: "prod", team: "core" },
        }),
        cluster({
          name: "beta",
          status: "FAILED",
          version: null,
          endpoint: null,
          authenticationMode: "CONFIG_MAP",
          tags: {},
        }),
      ]),
    );
    renderPage();
    const table = await screen.findByTestId("cluster-table");
    // Header row plus one per cluster.
    expect(within(table).getAllByRole("row")).toHaveLength(3);

    const alpha = within(rowOf("alpha"));
    expect(alpha.getByText("alpha")).toBeInTheDocument();
    expect(alpha.getByText("ACTIVE")).toHaveAttribute("data-status", "ACTIVE");
    expect(alpha.getByText("1.31")).toBeInTheDocument();
    expect(alpha.getByText("https://alpha.eks.example")).toBeInTheDocument();
    expect(alpha.getByText("API")).toBeInTheDocument();
    expect(alpha.getByText("env=prod")).toBeInTheDocument();
    expect(alpha.getByText("team=core")).toBeInTheDocument();

    const beta = within(rowOf("beta"));
    expect(beta.getByText("beta")).toBeInTheDocument();
    expect(beta.getByText("FAILED")).toHaveAttribute("data-status", "FAILED");
    expect(beta.getByText("CONFIG_MAP")).toBeInTheDocument();
    expect(beta.queryByText("1.31")).not.toBeInTheDocument();
    expect(beta.queryByText(/=/)).not.toBeInTheDocument();

    expect(screen.queryByTestId("clusters-empty")).not.toBeInTheDocument();
    expect(screen.queryByTestId("clusters-loading")).not.toBeInTheDocument();
  });

  it("shows the auto-refresh hint only while a cluster is changing state", async () => {
    listClusters.mockResolvedValue(ok([cluster({ name: "alpha" }), cluster({ name: "beta", status: "CREATING", isTransitional: true })]));
    renderPage();
    expect(await screen.findByTestId("auto-refresh")).toHaveTextContent(
      `1 changing — refreshing every ${TRANSITION_REFRESH_MS / 1000} s`,
    );
  });

  it("shows no auto-refresh hint when every cluster is settled", async () => {
    listClusters.mockResolvedValue(ok([cluster({ name: "alpha" }), cluster({ name: "beta", status: "FAILED" })]));
    renderPage();
    await screen.findByTestId("cluster-table");
    expect(screen.queryByTestId("auto-refresh")).not.toBeInTheDocument();
    expect(screen.queryByText(/refreshing every/)).not.toBeInTheDocument();
  });

  describe("refetching", () => {
    beforeEach(() => {
      // Only the intervals: Testing Library's waitFor keeps its real timeouts.
      vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it("asks for the list again on the interval while a cluster is changing", async () => {
      listClusters.mockResolvedValue(ok([cluster({ name: "alpha", status: "DELETING", isTransitional: true })]));
      renderPage();
      await screen.findByTestId("auto-refresh");
      expect(listClusters).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(TRANSITION_REFRESH_MS);
      await waitFor(() => expect(listClusters).toHaveBeenCalledTimes(2));
    });

    it("does not poll once every cluster is settled", async () => {
      listClusters.mockResolvedValue(ok([cluster({ name: "alpha", status: "ACTIVE" })]));
      renderPage();
      await screen.findByTestId("cluster-table");
      await vi.advanceTimersByTimeAsync(TRANSITION_REFRESH_MS * 3);
      expect(listClusters).toHaveBeenCalledTimes(1);
    });
  });

  it("refreshes on demand with the Refresh button", async () => {
    listClusters.mockResolvedValue(ok([cluster({ name: "alpha" })]));
    renderPage();
    await screen.findByTestId("cluster-table");
    await userEvent.setup().click(screen.getByRole("button", { name: "Refresh" }));
    await waitFor(() => expect(listClusters).toHaveBeenCalledTimes(2));
  });

  it("shows an access-denied error with its message, and Retry asks again", async () => {
    listClusters.mockResolvedValue(err("access_denied", "User is not authorized to perform: eks:ListClusters"));
    renderPage();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Access denied");
    expect(alert).toHaveTextContent("User is not authorized to perform: eks:ListClusters");
    expect(within(alert).queryByRole("button", { name: "Use the local emulator" })).not.toBeInTheDocument();
    expect(screen.queryByTestId("clusters-loading")).not.toBeInTheDocument();
    expect(listClusters).toHaveBeenCalledTimes(1);

    listClusters.mockResolvedValue(ok([cluster({ name: "alpha" })]));
    await userEvent.setup().click(within(alert).getByRole("button", { name: "Retry" }));
    expect(await screen.findByTestId("cluster-table")).toBeInTheDocument();
    expect(listClusters).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it.each([
    ["endpoint_unreachable", "Endpoint unreachable"],
    ["throttled", "Throttled by AWS"],
    ["invalid_credentials", "Credentials rejected"],
  ] as const)("titles a %s error %j", async (code, title) => {
    listClusters.mockResolvedValue(err(code));
    renderPage();
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText(title)).toBeInTheDocument();
    expect(alert).toHaveTextContent(`${code} happened`);
  });

  it("offers the local emulator when a profile has no credentials", async () => {
    listClusters.mockResolvedValue(err("no_credentials", "No credentials for profile dev."));
    const { onUseEmulator } = renderPage(PROFILE);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("No AWS credentials");
    expect(alert).toHaveTextContent("No credentials for profile dev.");
    await userEvent.setup().click(within(alert).getByRole("button", { name: "Use the local emulator" }));
    expect(onUseEmulator).toHaveBeenCalledTimes(1);
  });

  it("does not offer the emulator when already on the emulator", async () => {
    listClusters.mockResolvedValue(err("no_credentials"));
    renderPage(EMULATOR);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("No AWS credentials");
    expect(within(alert).queryByRole("button", { name: "Use the local emulator" })).not.toBeInTheDocument();
    expect(within(alert).getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });

  it("shows a rejected command (not an AppError) as the app's own failure", async () => {
    listClusters.mockRejectedValue(new Error("IPC bridge went away"));
    renderPage();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Something went wrong in EKS Desk");
    expect(alert).toHaveTextContent("IPC bridge went away");
  });

  it("shows cluster data as text, never as HTML", async () => {
    const payload = "<img src=x onerror=alert(1)>";
    listClusters.mockResolvedValue(
      ok([
        cluster({
          name: payload,
          endpoint: `<b>${payload}</b>`,
          authenticationMode: "<script>alert(2)</script>",
          tags: { owner: payload, [payload]: "v" },
        }),
      ]),
    );
    const { container } = renderPage();
    await screen.findByTestId("cluster-table");
    const row = within(rowOf(payload));
    expect(row.getByText(payload)).toBeInTheDocument();
    expect(row.getByText(`<b>${payload}</b>`)).toBeInTheDocument();
    expect(row.getByText("<script>alert(2)</script>")).toBeInTheDocument();
    expect(row.getByText(`owner=${payload}`)).toBeInTheDocument();
    expect(row.getByText(`${payload}=v`)).toBeInTheDocument();
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("b")).toBeNull();
    expect(container.querySelector("script")).toBeNull();
  });

  it("shows an error message as text, never as HTML", async () => {
    listClusters.mockResolvedValue(err("aws_service", "bad <img src=x onerror=alert(1)> thing"));
    const { container } = renderPage();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("bad <img src=x onerror=alert(1)> thing");
    expect(container.querySelector("img")).toBeNull();
  });

  it("offers Connect on ACTIVE clusters only, and opens the cluster of this environment", async () => {
    listClusters.mockResolvedValue(ok([cluster({ name: "alpha" }), cluster({ name: "beta", status: "CREATING", isTransitional: true })]));
    const { onOpen } = renderPage();
    await screen.findByTestId("cluster-table");
    expect(screen.getByTestId("connect-beta")).toBeDisabled();
    expect(screen.getByTestId("connect-beta")).toHaveAttribute("title", expect.stringContaining("CREATING"));
    const connect = within(rowOf("alpha")).getByRole("button", { name: "Connect" });
    expect(connect).toBe(screen.getByTestId("connect-alpha"));
    expect(connect).toBeEnabled();
    await userEvent.setup().click(connect);
    expect(onOpen).toHaveBeenCalledExactlyOnceWith({ kind: "eks", environment: PROFILE, cluster: "alpha" });
  });

  it("opens a kubeconfig context with the exec command its row shows", async () => {
    listClusters.mockResolvedValue(ok([]));
    kubeContexts.mockResolvedValue(
      ok({
        files: ["/home/me/.kube/config"],
        contexts: [
          kubeContext({ name: "vendor", auth: { kind: "exec", command: "/opt/vendor/get-creds" } }),
          kubeContext({ name: "kind-local" }),
        ],
      }),
    );
    const { onOpen } = renderPage();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("open-context-vendor"));
    expect(onOpen).toHaveBeenLastCalledWith({ kind: "context", context: "vendor", execCommand: "/opt/vendor/get-creds" });
    await user.click(screen.getByTestId("open-context-kind-local"));
    expect(onOpen).toHaveBeenLastCalledWith({ kind: "context", context: "kind-local", execCommand: null });
  });

  it("opens Add to kubeconfig for the row's cluster, and closes it with Cancel", async () => {
    listClusters.mockResolvedValue(ok([cluster({ name: "alpha" }), cluster({ name: "beta" })]));
    renderPage();
    await screen.findByTestId("cluster-table");
    const user = userEvent.setup();
    await user.click(screen.getByTestId("add-kubeconfig-beta"));
    const dialog = screen.getByRole("dialog", { name: "Add beta to kubeconfig" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(commands.addToKubeconfig).not.toHaveBeenCalled();
  });
});
