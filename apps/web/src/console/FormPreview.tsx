// The live preview of a matter's form: its JSON Schema rendered as the citizen would be asked,
// each field labelled by its data element (数据元) — the element's values for a code, a date input
// for a date, yes/no for a boolean. Nothing here is sent anywhere.
import type { DataElementView } from '@tongban/contracts';
import { Radios } from '../components/Choices.tsx';
import { Select } from '../components/Select.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { LocalizedText } from '../i18n/messages.ts';

export interface Schema {
  properties?: Record<string, unknown>;
  required?: string[];
}

const isLocalized = (v: unknown): v is LocalizedText =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as LocalizedText).zh === 'string' &&
  typeof (v as LocalizedText).en === 'string';

export function FormPreview({ schema, elements }: { schema: Schema; elements: ReadonlyMap<string, DataElementView> }) {
  const { t, text } = useI18n();
  // Half-typed JSON is still JSON: only object fields are rendered.
  const fields = Object.entries(schema.properties ?? {}).filter(
    (entry): entry is [string, Record<string, unknown>] => typeof entry[1] === 'object' && entry[1] !== null,
  );
  if (fields.length === 0) return <p className="body">{t('console.preview.empty')}</p>;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return (
    <>
      {fields.map(([key, field], i) => {
        const id = `preview-${i + 1}`;
        const element = typeof field['x-data-element'] === 'string' ? elements.get(field['x-data-element']) : undefined;
        const title = field['title'];
        const name = isLocalized(title)
          ? text(title)
          : typeof title === 'string'
            ? title
            : element
              ? text(element.name)
              : key;
        const label = required.has(key) ? name : t('console.preview.optional', { name });
        const hint = element ? undefined : t('console.preview.unbound', { key });
        const type = element?.type ?? (typeof field['type'] === 'string' ? field['type'] : 'string');
        if (type === 'code' || Array.isArray(field['enum'])) {
          const allowed = Array.isArray(field['enum']) ? new Set(field['enum'].map(String)) : undefined;
          const values = (element?.values ?? []).filter((v) => !allowed || allowed.has(v.code));
          const options = values.length
            ? values.map((v) => ({ value: v.code, label: text(v.name) }))
            : [...(allowed ?? [])].map((v) => ({ value: v, label: v }));
          if (options.length <= 4)
            return <Radios key={key} id={id} name={id} legend={label} hint={hint} items={options} />;
          return (
            <Select
              key={key}
              id={id}
              label={label}
              hint={hint}
              options={[{ value: '', label: t('console.preview.choose') }, ...options]}
            />
          );
        }
        if (type === 'boolean')
          return (
            <Radios
              key={key}
              id={id}
              name={id}
              legend={label}
              hint={hint}
              items={[
                { value: 'true', label: t('console.yes') },
                { value: 'false', label: t('console.no') },
              ]}
            />
          );
        if (type === 'date') return <TextInput key={key} id={id} label={label} hint={hint} type="date" />;
        if (type === 'integer' || type === 'number')
          return (
            <TextInput
              key={key}
              id={id}
              label={label}
              hint={hint}
              inputMode={type === 'integer' ? 'numeric' : 'decimal'}
            />
          );
        if ((element?.maxLength ?? 0) > 200) return <Textarea key={key} id={id} label={label} hint={hint} rows={3} />;
        return <TextInput key={key} id={id} label={label} hint={hint} />;
      })}
    </>
  );
}
