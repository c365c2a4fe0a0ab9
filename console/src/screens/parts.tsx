import type { InputHTMLAttributes, ReactNode } from 'react';

/** A checkbox with its label beside it (the label is the box's accessible name). */
export function Check({
  checked,
  onChange,
  children,
  ...rest
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'checked' | 'onChange' | 'type'>) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        {...rest}
      />
      {children}
    </label>
  );
}

/** A text written in both languages, each marked with its language for screen readers. */
export function BothTexts({ bn, en }: { bn: string; en: string }) {
  return (
    <>
      <p className="note" lang="bn">
        {bn}
      </p>
      <p className="note" lang="en">
        {en}
      </p>
    </>
  );
}
