import { describe, expect, it } from "vitest";
import { describeEnvironment, environmentKey } from "./environmentKey";

describe("environmentKey", () => {
  it("keys a profile by name, not region", () => {
    expect(environmentKey({ kind: "profile", profile: "dev", region: "eu-west-1" })).toBe("profile:dev");
    expect(environmentKey({ kind: "profile", profile: "dev", region: "us-east-1" })).toBe("profile:dev");
  });

  it("keys the emulator as one environment", () => {
    expect(environmentKey({ kind: "emulator", region: "eu-west-1" })).toBe("emulator");
  });

  it("keeps a profile named like the emulator apart from it", () => {
    expect(environmentKey({ kind: "profile", profile: "emulator", region: "eu-west-1" })).not.toBe(
      environmentKey({ kind: "emulator", region: "eu-west-1" }),
    );
  });
});

describe("describeEnvironment", () => {
  it("names the profile or the emulator with the region", () => {
    expect(describeEnvironment({ kind: "profile", profile: "dev", region: "eu-west-1" })).toBe("dev · eu-west-1");
    expect(describeEnvironment({ kind: "emulator", region: "us-east-1" })).toBe("Local emulator · us-east-1");
  });
});
