import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { EmulatorBanner } from "./EmulatorBanner";

describe("EmulatorBanner", () => {
  it("says nothing touches real AWS and shows the endpoint", () => {
    render(<EmulatorBanner endpoint="http://127.0.0.1:4566" hasCredentials />);
    const banner = screen.getByRole("status");
    expect(banner).toHaveTextContent("Local emulator");
    expect(banner).toHaveTextContent("nothing here touches real AWS");
    expect(screen.getByText("http://127.0.0.1:4566")).toBeInTheDocument();
  });

  it("does not talk about missing credentials when there are some", () => {
    render(<EmulatorBanner endpoint="http://127.0.0.1:4566" hasCredentials />);
    expect(screen.getByRole("status")).not.toHaveTextContent(/no AWS credentials/i);
  });

  it("says no credentials were found when there are none", () => {
    render(<EmulatorBanner endpoint="http://localhost:5000" hasCredentials={false} />);
    const banner = screen.getByRole("status");
    expect(banner).toHaveTextContent("No AWS credentials were found on this machine");
    expect(banner).toHaveTextContent("~/.aws/config");
    expect(banner).toHaveTextContent("http://localhost:5000");
  });
});
