import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { commands } from "../../bindings";
import { err, kubeContext, ok, renderWithClient } from "../../test/fixtures";
import { KubeContextsSection } from "./KubeContextsSection";

vi.mock("../../bindings", () => ({
  commands: { kubeContexts: vi.fn() },
}));

const kubeContexts = vi.mocked(commands.kubeContexts);

function rowOf(name: string): HTMLElement {
  // The context name is the first text of the row's first cell.
  const row = screen
    .getAllByRole("row")
    .find((r) => r instanceof HTMLTableRowElement && r.cells[0]?.firstChild?.textContent === name);
  if (!row) throw new Error(`no row for context ${name}`);
  return row;
}

beforeEach(() => {
  kubeContexts.mockReset();
});

describe("KubeContextsSection", () => {
  it("says it is reading the kubeconfig while loading", () => {
    kubeContexts.mockReturnValue(new Promise(() => {}));
    renderWithClient(<KubeContextsSection onOpen={vi.fn()} />);
    expect(screen.getByText("Reading kubeconfig…")).toBeInTheDocument();
  });

  it("shows an empty state when there are no contexts", async () => {
    kubeContexts.mockResolvedValue(ok({ files: [], contexts: [] }));
    renderWithClient(<KubeContextsSection onOpen={vi.fn()} />);
    expect(await screen.findByText(/No kubeconfig contexts found/)).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("lists contexts, marks EKS ones and the current one", async () => {
    kubeContexts.mockResolvedValue(
      ok({
        files: ["/home/me/.kube/config", "/home/me/.kube/extra"],
        contexts: [
          kubeContext({
            name: "prod",
            cluster: "arn:aws:eks:eu-west-1:111122223333:cluster/prod",
            server: "https://PROD.gr7.eu-west-1.eks.amazonaws.com",
            user: "prod-user",
            namespace: "apps",
            isCurrent: true,
            eks: { clusterName: "prod", region: "eu-west-1" },
          }),
          kubeContext({ name: "kind-local", server: null, user: null }),
        ],
      }),
    );
    renderWithClient(<KubeContextsSection onOpen={vi.fn()} />);
    const section = await screen.findByTestId("kube-contexts");
    await within(section).findByRole("table");
    expect(section).toHaveTextContent("/home/me/.kube/config, /home/me/.kube/extra");
    expect(screen.queryByText(/No kubeconfig contexts found/)).not.toBeInTheDocument();

    const prod = within(rowOf("prod"));
    expect(prod.getByText("current")).toBeInTheDocument();
    expect(prod.getByText("EKS")).toHaveAttribute("title", "prod in eu-west-1");
    expect(prod.getByText("https://PROD.gr7.eu-west-1.eks.amazonaws.com")).toBeInTheDocument();
    expect(prod.getByText("prod-user")).toBeInTheDocument();
    expect(prod.getByText("apps")).toBeInTheDocument();

    const kind = within(rowOf("kind-local"));
    expect(kind.queryByText("current")).not.toBeInTheDocument();
    expect(kind.queryByText("EKS")).not.toBeInTheDocument();
    expect(kind.getByText("default")).toBeInTheDocument();

    expect(screen.getAllByText("EKS")).toHaveLength(1);
    expect(screen.getAllByText("current")).toHaveLength(1);
  });

  it("shows an error with a Retry that reads again", async () => {
    kubeContexts.mockResolvedValue(err("config_file", "~/.kube/config: invalid YAML at line 3"));
    renderWithClient(<KubeContextsSection onOpen={vi.fn()} />);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Configuration file problem");
    expect(alert).toHaveTextContent("invalid YAML at line 3");
    kubeContexts.mockResolvedValue(ok({ files: [], contexts: [] }));
    await userEvent.setup().click(within(alert).getByRole("button", { name: "Retry" }));
    expect(await screen.findByText(/No kubeconfig contexts found/)).toBeInTheDocument();
    expect(kubeContexts).toHaveBeenCalledTimes(2);
  });

  it("says what credentials each context uses and flags unchecked TLS and proxies", async () => {
    kubeContexts.mockResolvedValue(
      ok({
        files: ["/home/me/.kube/config"],
        contexts: [
          kubeContext({ name: "vendor", auth: { kind: "exec", command: "/opt/vendor/get-creds" }, insecure: true }),
          kubeContext({ name: "lab", auth: { kind: "userNotFound", user: "ghost" }, hasProxyUrl: true }),
          kubeContext({ name: "kind-local" }),
        ],
      }),
    );
    renderWithClient(<KubeContextsSection onOpen={vi.fn()} />);
    await screen.findByRole("table");
    const vendor = within(rowOf("vendor"));
    expect(vendor.getByText("/opt/vendor/get-creds")).toBeInTheDocument();
    expect(vendor.getByText("TLS not verified")).toBeInTheDocument();
    expect(vendor.queryByText("proxy")).not.toBeInTheDocument();
    const lab = within(rowOf("lab"));
    expect(lab.getByText("user ghost missing")).toBeInTheDocument();
    expect(lab.getByText("proxy")).toBeInTheDocument();
    const kind = within(rowOf("kind-local"));
    expect(kind.getByText("token")).toBeInTheDocument();
    expect(kind.queryByText("TLS not verified")).not.toBeInTheDocument();
  });

  it("opens the context of the row whose Open is clicked", async () => {
    const onOpen = vi.fn();
    kubeContexts.mockResolvedValue(
      ok({ files: [], contexts: [kubeContext({ name: "prod" }), kubeContext({ name: "kind-local" })] }),
    );
    renderWithClient(<KubeContextsSection onOpen={onOpen} />);
    await screen.findByRole("table");
    await userEvent.setup().click(within(rowOf("kind-local")).getByRole("button", { name: "Open" }));
    expect(onOpen).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ name: "kind-local" }));
  });
});
