import type { ReactNode } from 'react';
import { Fieldset } from './Fieldset.tsx';

export interface Choice {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
}

interface Common {
  /** The id of the fieldset; the first input gets it too, so an error summary's `#id` lands on it. */
  id: string;
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  items: Choice[];
  legendIsHeading?: boolean;
}

function Options({
  id,
  name,
  type,
  items,
  checked,
  onToggle,
}: {
  id: string;
  name: string;
  type: 'radio' | 'checkbox';
  items: Choice[];
  checked: (value: string) => boolean;
  onToggle?: (value: string, on: boolean) => void;
}) {
  return (
    <div className={type === 'radio' ? 'choices choices--radios' : 'choices choices--checkboxes'}>
      {items.map((item, i) => {
        const inputId = i === 0 ? id : `${id}-${i + 1}`;
        return (
          <div className="choices__item" key={item.value}>
            <input
              className="choices__input"
              id={inputId}
              name={name}
              type={type}
              value={item.value}
              {...(onToggle
                ? { checked: checked(item.value), onChange: (e) => onToggle(item.value, e.currentTarget.checked) }
                : { defaultChecked: checked(item.value) })}
              aria-describedby={item.hint ? `${inputId}-item-hint` : undefined}
            />
            <label className="choices__label" htmlFor={inputId}>
              {item.label}
            </label>
            {item.hint && (
              <div id={`${inputId}-item-hint`} className="hint choices__hint">
                {item.hint}
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** Radios: one answer from a few. Uncontrolled (a plain form field) unless onChange is given. */
export function Radios({ value, onChange, ...props }: Common & { value?: string; onChange?: (value: string) => void }) {
  return (
    <Fieldset
      id={props.id}
      legend={props.legend}
      hint={props.hint}
      error={props.error}
      legendIsHeading={props.legendIsHeading}
    >
      <Options
        id={props.id}
        name={props.name}
        type="radio"
        items={props.items}
        checked={(v) => v === value}
        {...(onChange ? { onToggle: (v: string, on: boolean) => on && onChange(v) } : {})}
      />
    </Fieldset>
  );
}

/** Checkboxes: any number of answers. Uncontrolled unless onChange is given. */
export function Checkboxes({
  values = [],
  onChange,
  ...props
}: Common & { values?: string[]; onChange?: (values: string[]) => void }) {
  return (
    <Fieldset
      id={props.id}
      legend={props.legend}
      hint={props.hint}
      error={props.error}
      legendIsHeading={props.legendIsHeading}
    >
      <Options
        id={props.id}
        name={props.name}
        type="checkbox"
        items={props.items}
        checked={(v) => values.includes(v)}
        {...(onChange
          ? {
              onToggle: (v: string, on: boolean) =>
                onChange(on ? [...values.filter((x) => x !== v), v] : values.filter((x) => x !== v)),
            }
          : {})}
      />
    </Fieldset>
  );
}
