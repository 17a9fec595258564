// The form's inputs. Each takes the spec path it edits (`path`), which names
// it for tests and the issues summary and picks the backend's messages shown
// under it. Values are shown as text, never as HTML.
import { useState, type ReactNode } from "react";
import { FieldIssues, useFieldProps } from "./FieldIssues";

/** A labelled input with its issues underneath. */
type FieldProps = { label: string; path: string; hint?: ReactNode; children: ReactNode };

export function Field({ label, path, hint, children }: FieldProps) {
  return (
    <div className="field">
      <label>
        <span className="field-label">{label}</span>
        {children}
      </label>
      {hint && <span className="field-hint">{hint}</span>}
      <FieldIssues path={path} />
    </div>
  );
}

type TextInputProps = {
  path: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  label?: string;
  list?: string;
  className?: string;
};

export function TextInput({ path, value, onChange, placeholder, label, list, className }: TextInputProps) {
  return (
    <input
      type="text"
      {...useFieldProps(path)}
      className={className}
      aria-label={label}
      value={value}
      placeholder={placeholder}
      list={list}
      spellCheck={false}
      autoComplete="off"
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** Largest value a u32 field of the spec takes. */
const U32_MAX = 4294967295;

function parseWholeNumber(text: string): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n <= U32_MAX ? n : null;
}

/**
 * A whole number. What is typed stays in the box while it is not a number
 * (the spec cannot hold it); the spec changes once it reads as one.
 */
type NumberInputProps = { path: string; value: number; onChange: (value: number) => void; label?: string };

export function NumberInput({ path, value, onChange, label }: NumberInputProps) {
  const [text, setText] = useState(String(value));
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    // The spec changed from elsewhere (import, another field): show it.
    setShown(value);
    setText(String(value));
  }
  const readable = parseWholeNumber(text) !== null;
  return (
    <>
      <input
        type="text"
        inputMode="numeric"
        {...useFieldProps(path)}
        className="number-input"
        aria-label={label}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          const n = parseWholeNumber(e.target.value);
          if (n !== null) {
            setShown(n);
            onChange(n);
          }
        }}
      />
      {!readable && <span className="field-issue field-issue-error">Enter a whole number (0 or more)</span>}
    </>
  );
}

export type Option = { value: string; label: string; disabled?: boolean; title?: string };

/** A select that also shows a value it does not offer (from a file, or no
 * longer offered), so that the backend's message about it makes sense. */
type SelectInputProps = {
  path: string;
  value: string;
  onChange: (value: string) => void;
  options: Option[];
  label?: string;
  /** Shown for an empty value that is not an option. */
  placeholder?: string;
};

export function SelectInput({ path, value, onChange, options, label, placeholder }: SelectInputProps) {
  const known = options.some((o) => o.value === value);
  return (
    <select {...useFieldProps(path)} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      {!known && <option value={value}>{value === "" ? (placeholder ?? "Choose…") : `${value} (not offered)`}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value} disabled={o.disabled} title={o.title}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

type CheckboxProps = { path: string; checked: boolean; onChange: (checked: boolean) => void; children: ReactNode };

export function Checkbox({ path, checked, onChange, children }: CheckboxProps) {
  return (
    <div className="field">
      <label className="check">
        <input type="checkbox" {...useFieldProps(path)} checked={checked} onChange={(e) => onChange(e.target.checked)} />
        <span>{children}</span>
      </label>
      <FieldIssues path={path} />
    </div>
  );
}

/** Two or three mutually exclusive choices, as radio buttons. */
type ChoiceProps<T extends string> = {
  name: string;
  label: string;
  value: T;
  onChange: (value: T) => void;
  options: { value: T; label: string; explain?: string }[];
};

export function Choice<T extends string>({ name, value, onChange, options, label }: ChoiceProps<T>) {
  return (
    <fieldset className="choice" data-testid={`choice-${name}`}>
      <legend className="field-label">{label}</legend>
      {options.map((o) => (
        <label key={o.value} className="check">
          <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
          <span>
            {o.label}
            {o.explain && <span className="muted"> — {o.explain}</span>}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** A list typed as one text box: items separated by commas or spaces. */
type ListInputProps = {
  path: string;
  value: string[];
  onChange: (value: string[]) => void;
  placeholder?: string;
  label?: string;
};

export function ListInput({ path, value, onChange, placeholder, label }: ListInputProps) {
  const [text, setText] = useState(value.join(", "));
  const [shown, setShown] = useState(value);
  if (shown.join("\n") !== value.join("\n")) {
    setShown(value);
    setText(value.join(", "));
  }
  return (
    <TextInput
      path={path}
      label={label}
      value={text}
      placeholder={placeholder}
      onChange={(t) => {
        setText(t);
        const items = t.split(/[\s,]+/).filter((s) => s !== "");
        setShown(items);
        onChange(items);
      }}
    />
  );
}

/** The × at the end of a row. */
export function RemoveButton({ label, onClick, disabled }: { label: string; onClick: () => void; disabled?: boolean }) {
  return (
    <button type="button" className="icon-button" aria-label={label} title={label} disabled={disabled} onClick={onClick}>
      ×
    </button>
  );
}
