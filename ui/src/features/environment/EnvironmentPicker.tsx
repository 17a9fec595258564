import type { Environment, EnvironmentChoices } from "../../bindings";
import { environmentKey } from "./environmentKey";

type Props = {
  choices: EnvironmentChoices;
  value: Environment;
  onChange: (env: Environment) => void;
};

const KIND_LABEL: Record<string, string> = {
  sso: "SSO",
  access_keys: "keys",
  assume_role: "role",
  credential_process: "process",
  web_identity: "web identity",
  environment_variables: "env vars",
  other: "no credentials",
};

/** Profile (or local emulator) and region: where every page looks. */
export function EnvironmentPicker({ choices, value, onChange }: Props) {
  const selectTarget = (key: string) => {
    if (key === "emulator") {
      onChange({ kind: "emulator", region: value.region });
      return;
    }
    const name = key.slice("profile:".length);
    const profile = choices.profiles.find((p) => p.name === name);
    onChange({ kind: "profile", profile: name, region: profile?.region ?? value.region });
  };
  const regionKnown = choices.regions.some((r) => r.code === value.region);
  return (
    <div className="env-picker">
      <label>
        <span>Environment</span>
        <select
          aria-label="Environment"
          data-testid="environment-select"
          value={environmentKey(value)}
          onChange={(e) => selectTarget(e.target.value)}
        >
          {choices.profiles.length > 0 && (
            <optgroup label="AWS profiles">
              {choices.profiles.map((p) => (
                <option key={p.name} value={`profile:${p.name}`}>
                  {p.name} ({KIND_LABEL[p.kind] ?? p.kind})
                </option>
              ))}
            </optgroup>
          )}
          <optgroup label="Local">
            <option value="emulator">Local emulator</option>
          </optgroup>
        </select>
      </label>
      <label>
        <span>Region</span>
        <select
          aria-label="Region"
          data-testid="region-select"
          value={value.region}
          onChange={(e) => onChange({ ...value, region: e.target.value })}
        >
          {!regionKnown && <option value={value.region}>{value.region}</option>}
          {choices.regions.map((r) => (
            <option key={r.code} value={r.code}>
              {r.code} — {r.name}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
