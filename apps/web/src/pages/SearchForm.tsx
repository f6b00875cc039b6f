import type { FormEvent, ReactNode } from 'react';
import { Button } from '../components/Button.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { useRouter } from '../lib/router.tsx';

/**
 * A plain GET form to /search (it works before the JavaScript has loaded); with it, the search
 * opens without a page load.
 */
export function SearchForm({
  label,
  hint,
  button,
  defaultValue,
  error,
  children,
}: {
  label: string;
  hint?: string;
  button: string;
  defaultValue?: string;
  error?: string;
  children?: ReactNode;
}) {
  const { navigate } = useRouter();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(event.currentTarget)) {
      if (typeof value === 'string' && (value !== '' || name === 'q')) query.append(name, value.trim());
    }
    navigate(`/search?${query.toString()}`);
  };
  return (
    <form className="search-form" action="/search" method="get" role="search" onSubmit={submit} noValidate>
      <TextInput
        id="q"
        name="q"
        type="search"
        label={label}
        hint={hint}
        error={error}
        defaultValue={defaultValue}
        maxLength={100}
        autoComplete="off"
        enterKeyHint="search"
      />
      {children}
      <Button type="submit">{button}</Button>
    </form>
  );
}
