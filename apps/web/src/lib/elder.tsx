import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { applyElder, saveElder } from './preferences.ts';

// 长辈版 (elder mode, MIIT 2021 适老化): larger text and targets, stronger contrast, read-aloud.
interface Elder {
  elder: boolean;
  setElder(on: boolean): void;
}

const ElderContext = createContext<Elder | null>(null);

export function ElderProvider({ initial, children }: { initial: boolean; children: ReactNode }) {
  const [elder, setState] = useState(initial);
  const setElder = useCallback((on: boolean) => {
    saveElder(on);
    applyElder(on);
    setState(on);
  }, []);
  const value = useMemo(() => ({ elder, setElder }), [elder, setElder]);
  return <ElderContext.Provider value={value}>{children}</ElderContext.Provider>;
}

export function useElder(): Elder {
  const value = useContext(ElderContext);
  if (!value) throw new Error('useElder outside ElderProvider');
  return value;
}
