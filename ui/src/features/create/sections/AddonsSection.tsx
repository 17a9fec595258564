import type { AddonChoice, AddonSpec_Serialize } from "../../../bindings";
import { FieldIssues, useFieldProps } from "../form/FieldIssues";
import { RemoveButton, SelectInput, TextInput } from "../form/inputs";
import type { SectionProps } from "../spec";

function versionOptions(choice: AddonChoice) {
  const byDefault = choice.versions.find((v) => v.default)?.version;
  return [
    { value: "", label: byDefault ? `EKS default (${byDefault})` : "EKS default" },
    ...choice.versions.map((v) => ({ value: v.version, label: v.default ? `${v.version} (default)` : v.version })),
  ];
}

function EnableBox({ name, index, checked, onChange }: { name: string; index: number; checked: boolean; onChange: (on: boolean) => void }) {
  const props = useFieldProps(`addons[${index}].name`);
  return (
    <label className="check addon-name">
      <input
        type="checkbox"
        {...(checked ? props : {})}
        aria-label={`Install ${name}`}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />
      <strong>{name}</strong>
    </label>
  );
}

/** Addons the backend offers (on or off), then any other the spec names. */
export function AddonsSection({ spec, edit, choices }: SectionProps) {
  const offered = choices?.addons ?? [];
  const indexOf = (name: string) => spec.addons.findIndex((a) => a.name === name);
  const others = spec.addons.map((a, i) => [a, i] as const).filter(([a]) => !offered.some((c) => c.name === a.name));
  const setAddon = (i: number, addon: AddonSpec_Serialize) => edit((s) => { s.addons[i] = addon; });
  const useDefaults = () =>
    edit((s) => {
      for (const a of s.addons) {
        const choice = offered.find((c) => c.name === a.name);
        const byDefault = choice?.versions.find((v) => v.default);
        if (byDefault) a.version = byDefault.version;
      }
    });
  return (
    <section className="panel form-section" data-testid="section-addons" data-field="addons" tabIndex={-1}>
      <header className="card-header">
        <h2>Addons</h2>
        <button type="button" onClick={useDefaults} disabled={offered.length === 0}>
          Use default versions
        </button>
      </header>
      <div className="addon-list">
        {offered.map((choice) => {
          const i = indexOf(choice.name);
          const addon = i >= 0 ? spec.addons[i] : undefined;
          return (
            <div key={choice.name} className="addon-item" data-testid={`addon-${choice.name}`}>
              <div className="addon-row">
                <EnableBox
                  name={choice.name}
                  index={i}
                  checked={addon !== undefined}
                  onChange={(on) =>
                    edit((s) => {
                      if (on) s.addons.push({ name: choice.name, version: "" });
                      else s.addons.splice(i, 1);
                    })
                  }
                />
                {addon && (
                  <SelectInput
                    path={`addons[${i}].version`}
                    label={`${choice.name} version`}
                    value={addon.version}
                    options={versionOptions(choice)}
                    onChange={(version) => setAddon(i, { ...addon, version })}
                  />
                )}
                {choice.source === "built-in" && <span className="muted">(built-in list)</span>}
              </div>
              {i >= 0 && <FieldIssues path={`addons[${i}].name`} />}
              {i >= 0 && <FieldIssues path={`addons[${i}].version`} />}
            </div>
          );
        })}
        {others.map(([addon, i]) => (
          <div key={`other-${i}`} className="addon-item">
            <div className="addon-row">
              <TextInput
                path={`addons[${i}].name`}
                label={`Addon ${i + 1} name`}
                value={addon.name}
                onChange={(name) => setAddon(i, { ...addon, name })}
              />
              <TextInput
                path={`addons[${i}].version`}
                label={`Addon ${i + 1} version`}
                value={addon.version}
                placeholder="EKS default"
                onChange={(version) => setAddon(i, { ...addon, version })}
              />
              <RemoveButton label={`Remove addon ${addon.name}`} onClick={() => edit((s) => { s.addons.splice(i, 1); })} />
            </div>
            <FieldIssues path={`addons[${i}].name`} />
            <FieldIssues path={`addons[${i}].version`} />
          </div>
        ))}
      </div>
      <FieldIssues path="addons" />
    </section>
  );
}
