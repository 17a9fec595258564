import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { ComingSoon } from "./ComingSoon";

describe("ComingSoon", () => {
  it.each([
    ["Create", /export Terraform or eksctl/],
    ["Access", /access entries/],
    ["Settings", /Preferences for the app/],
  ])("describes the %s page and says it is coming soon", (page, what) => {
    render(<ComingSoon page={page} />);
    const root = screen.getByTestId(`coming-soon-${page.toLowerCase()}`);
    expect(screen.getByRole("heading", { name: page })).toBeInTheDocument();
    expect(root).toHaveTextContent(what);
    expect(root).toHaveTextContent("Coming soon.");
  });
});
