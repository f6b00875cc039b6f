// The shape of an application (pure): which department tasks a matter or bundle fans out to,
// which materials the applicant must bring, when a waiting task may start or must end, and when
// the whole application is finished.
import type { FieldError } from '@tongban/kernel';
import type { BundleVersionView as BundleVersion, MatterVersionView as MatterVersion } from '@tongban/contracts';
import type { MaterialRef } from '../store/tables.ts';
import { isTerminal, type TaskState } from './process.ts';

export interface PlannedTask {
  readonly matterCode: string;
  readonly matterVersion: number;
  readonly departmentCode: string;
  readonly dependsOn: readonly string[];
}

export type Subject =
  | { readonly kind: 'matter'; readonly matter: MatterVersion }
  | { readonly kind: 'bundle'; readonly bundle: BundleVersion; readonly matters: ReadonlyMap<string, MatterVersion> };

/** One task per matter; a bundle's items keep the dependencies the catalog checked for cycles. */
export function planTasks(subject: Subject): PlannedTask[] {
  if (subject.kind === 'matter') {
    const m = subject.matter;
    return [{ matterCode: m.code, matterVersion: m.version, departmentCode: m.departmentCode, dependsOn: [] }];
  }
  return subject.bundle.items.map((item) => {
    const m = subject.matters.get(item.matterCode);
    if (!m) throw new Error(`bundle ${subject.bundle.code} pins matter ${item.matterCode}, which was not loaded`);
    return {
      matterCode: m.code,
      matterVersion: m.version,
      departmentCode: m.departmentCode,
      dependsOn: [...item.dependsOn],
    };
  });
}

export function subjectForm(subject: Subject): MatterVersion['form'] {
  return subject.kind === 'matter' ? subject.matter.form : subject.bundle.form;
}

export function subjectMatters(subject: Subject): MatterVersion[] {
  return subject.kind === 'matter' ? [subject.matter] : [...subject.matters.values()];
}

/** Each matter's prerequisites, transitively (a bundle's dependency graph has no cycles: the catalog checked). */
export function ancestors(subject: Subject): Map<string, Set<string>> {
  const deps = new Map(planTasks(subject).map((t) => [t.matterCode, t.dependsOn]));
  const memo = new Map<string, Set<string>>();
  const of = (code: string): Set<string> => {
    let set = memo.get(code);
    if (!set) {
      set = new Set();
      memo.set(code, set);
      for (const d of deps.get(code) ?? []) {
        set.add(d);
        for (const a of of(d)) set.add(a);
      }
    }
    return set;
  };
  for (const code of deps.keys()) of(code);
  return memo;
}

/**
 * The materials checklist: every required material of every matter must be given, except one
 * whose electronic licence a prerequisite matter of the same application issues (免证办: the
 * platform passes the 出生医学证明 on to 落户 itself). Unknown codes and duplicates are errors too.
 */
export function checkMaterials(subject: Subject, given: readonly MaterialRef[]): FieldError[] {
  const matters = subjectMatters(subject);
  const byCode = new Map(matters.map((m) => [m.code, m]));
  const before = ancestors(subject);
  const known = new Set(matters.flatMap((m) => m.materials.map((x) => x.code)));
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  given.forEach((m, i) => {
    if (!known.has(m.code))
      errors.push({
        field: `materials.${i}.code`,
        code: 'unknown_material',
        message: `no matter of this application asks for ${m.code}`,
      });
    if (seen.has(m.code))
      errors.push({ field: `materials.${i}.code`, code: 'duplicate_material', message: `${m.code} is given twice` });
    seen.add(m.code);
  });
  const missing = new Map<string, string>();
  for (const matter of matters) {
    const issuedBefore = new Set(
      [...(before.get(matter.code) ?? [])].flatMap((c) => {
        const p = byCode.get(c)?.producesLicence;
        return p ? [p.type] : [];
      }),
    );
    for (const material of matter.materials) {
      if (!material.required || seen.has(material.code)) continue;
      if (material.licenceType && issuedBefore.has(material.licenceType)) continue;
      missing.set(material.code, `${material.name.en} (${material.name.zh}) is required`);
    }
  }
  for (const [code, message] of missing) errors.push({ field: `materials.${code}`, code: 'required', message });
  return errors;
}

export interface TaskLike {
  readonly matterCode: string;
  readonly state: TaskState;
  readonly dependsOn: readonly string[];
}

export interface NextSteps {
  /** Waiting tasks whose prerequisites are all approved. */
  readonly start: readonly string[];
  /** Waiting tasks with a prerequisite that was rejected or ended, and which one. */
  readonly cancel: readonly { readonly matterCode: string; readonly because: string }[];
}

export function nextSteps(tasks: readonly TaskLike[]): NextSteps {
  const state = new Map(tasks.map((t) => [t.matterCode, t.state]));
  const start: string[] = [];
  const cancel: { matterCode: string; because: string }[] = [];
  for (const t of tasks) {
    if (t.state !== 'waiting') continue;
    const failed = t.dependsOn.find((d) => state.get(d) === 'rejected' || state.get(d) === 'cancelled');
    if (failed) cancel.push({ matterCode: t.matterCode, because: failed });
    else if (t.dependsOn.every((d) => state.get(d) === 'approved')) start.push(t.matterCode);
  }
  return { start, cancel };
}

/** in_progress until every task is finished; then completed when all were approved, closed otherwise. */
export function applicationOutcome(tasks: readonly TaskLike[]): 'in_progress' | 'completed' | 'closed' {
  if (!tasks.every((t) => isTerminal(t.state))) return 'in_progress';
  return tasks.every((t) => t.state === 'approved') ? 'completed' : 'closed';
}

/**
 * The application's form keys one matter uses, by the matter's own keys: a matter applied for
 * alone keeps its keys; in a bundle its fields live under their data element ids (asked once).
 */
export function fieldMap(matter: MatterVersion, subjectKind: 'matter' | 'bundle'): Map<string, string> {
  return new Map(
    Object.entries(matter.form.properties).map(([key, field]) => {
      const element = (field as { 'x-data-element'?: string })['x-data-element'];
      return [key, subjectKind === 'bundle' && element ? element : key];
    }),
  );
}

/** The application form keys a matter uses: what its officer sees and may ask to correct. */
export function matterFields(matter: MatterVersion, subjectKind: 'matter' | 'bundle'): string[] {
  return [...new Set(fieldMap(matter, subjectKind).values())];
}

/** The form as the matter itself names it: what its 秒批 rules are written against. */
export function matterForm(
  matter: MatterVersion,
  subjectKind: 'matter' | 'bundle',
  form: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, appKey] of fieldMap(matter, subjectKind)) if (appKey in form) out[key] = form[appKey];
  return out;
}
