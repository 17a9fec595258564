import { describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Environment } from "../../bindings";
import { choices } from "../../test/fixtures";
import { EnvironmentPicker } from "./EnvironmentPicker";

function renderPicker(value: Environment, overrides: Parameters<typeof choices>[0] = {}) {
  const onChange = vi.fn<(env: Environment) => void>();
  render(<EnvironmentPicker choices={choices(overrides)} value={value} onChange={onChange} />);
  return {
    onChange,
    environment: screen.getByRole("combobox", { name: "Environment" }) as HTMLSelectElement,
    region: screen.getByRole("combobox", { name: "Region" }) as HTMLSelectElement,
  };
}

describe("EnvironmentPicker", () => {
  it("lists every profile, marks SSO ones, and offers the local emulator", () => {
    const { environment } = renderPicker({ kind: "profile", profile: "dev", region: "eu-west-1" });
    const options = Array.from(environment.options).map((o) => o.textContent);
    expect(options).toEqual(["dev (SSO)", "ops (keys)", "Local emulator"]);
    expect(screen.getByRole("option", { name: "dev (SSO)" })).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "ops (keys)" })).not.toHaveTextContent("SSO");
    expect(environment).toHaveValue("profile:dev");
    expect((screen.getByRole("option", { name: "dev (SSO)" }) as HTMLOptionElement).selected).toBe(true);
  });

  it("offers only the emulator when there are no profiles", () => {
    const { environment } = renderPicker({ kind: "emulator", region: "us-east-1" }, { profiles: [] });
    expect(Array.from(environment.options).map((o) => o.textContent)).toEqual(["Local emulator"]);
    expect(environment).toHaveValue("emulator");
  });

  it("switches to a profile in that profile's own region", async () => {
    const { environment, onChange } = renderPicker({ kind: "profile", profile: "ops", region: "us-east-1" });
    await userEvent.setup().selectOptions(environment, "dev (SSO)");
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledWith({ kind: "profile", profile: "dev", region: "eu-west-1" });
  });

  it("keeps the current region for a profile that has none", async () => {
    const { environment, onChange } = renderPicker({ kind: "profile", profile: "dev", region: "ap-southeast-2" });
    await userEvent.setup().selectOptions(environment, "ops (keys)");
    expect(onChange).toHaveBeenCalledWith({ kind: "profile", profile: "ops", region: "ap-southeast-2" });
  });

  it("switches to the emulator in the current region", async () => {
    const { environment, onChange } = renderPicker({ kind: "profile", profile: "dev", region: "eu-west-1" });
    await userEvent.setup().selectOptions(environment, "Local emulator");
    expect(onChange).toHaveBeenCalledWith({ kind: "emulator", region: "eu-west-1" });
  });

  it("changes region and keeps the profile", async () => {
    const { region, onChange } = renderPicker({ kind: "profile", profile: "dev", region: "eu-west-1" });
    expect(region).toHaveValue("eu-west-1");
    await userEvent.setup().selectOptions(region, "ap-southeast-2");
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledWith({ kind: "profile", profile: "dev", region: "ap-southeast-2" });
  });

  it("changes region on the emulator and stays on the emulator", async () => {
    const { region, onChange } = renderPicker({ kind: "emulator", region: "eu-west-1" });
    await userEvent.setup().selectOptions(region, "us-east-1");
    expect(onChange).toHaveBeenCalledWith({ kind: "emulator", region: "us-east-1" });
  });

  it("lists regions with code and name, and adds nothing for a known region", () => {
    const { region } = renderPicker({ kind: "profile", profile: "dev", region: "eu-west-1" });
    expect(Array.from(region.options).map((o) => o.textContent)).toEqual([
      "us-east-1 — US East (N. Virginia)",
      "eu-west-1 — Europe (Ireland)",
      "ap-southeast-2 — Asia Pacific (Sydney)",
    ]);
  });

  it("still shows an unknown current region as the selected option", () => {
    const { region } = renderPicker({ kind: "profile", profile: "dev", region: "me-central-1" });
    expect(region).toHaveValue("me-central-1");
    const option = screen.getByRole("option", { name: "me-central-1" }) as HTMLOptionElement;
    expect(option.selected).toBe(true);
    expect(region.options).toHaveLength(4);
  });
});
