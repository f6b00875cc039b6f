// The application journey's model (pure: no DOM, no React): the workflow's answers as the portal
// reads them, which are the contracts' own types (packages/contracts/src/workflow.ts; type-only, so
// nothing of typebox reaches the bundle), and the questions of a matter's or bundle's form grouped
// into pages: one question group per page, by the data element each field is bound to.
import type {
  ApplicationPrefillView,
  ApplicationSummaryView,
  ApplicationView,
  MaterialRefView,
  NeededView,
  NoticeView,
  PrefillFieldView,
  TaskView,
  TimelineEntryView,
} from '@tongban/contracts';
import type { LocalizedText } from '../i18n/messages.ts';
import type { Bundle, Matter } from '../lib/catalog.ts';

export type { ApplicationView, TaskView };
export type Needed = NeededView;
export type PrefillField = PrefillFieldView;
export type Prefill = NonNullable<ApplicationPrefillView>;
export type MaterialRef = MaterialRefView;
export type ApplicationSummary = ApplicationSummaryView;
export type TimelineStep = TimelineEntryView;
export type Notice = NoticeView;

export type FormValue = string | number | boolean | null;

export type ElementType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'code';

export interface Question {
  /** The form's key (a bundle's keys are the data elements themselves). */
  key: string;
  element: string;
  label: LocalizedText;
  type: ElementType;
  values?: { code: string; name: LocalizedText }[];
  required: boolean;
  maxLength?: number;
}

export interface Group {
  /** The data elements' first segment: child, mother, person … (an address segment). */
  id: string;
  questions: Question[];
}

export interface MaterialNeed {
  code: string;
  name: LocalizedText;
  licenceType?: string;
}

/** The form of a matter or a bundle, and the matters that make it up (a matter: itself). */
export interface Subject {
  kind: 'matter' | 'bundle';
  code: string;
  name: LocalizedText;
  form: Matter['form'];
  promisedDays: number;
  matters: Matter[];
  /** Bundle items' dependencies (a matter: none). */
  dependsOn: Record<string, string[]>;
}

export function bundleSubject(bundle: Bundle, matters: Matter[]): Subject {
  return {
    kind: 'bundle',
    code: bundle.code,
    name: bundle.name,
    form: bundle.form,
    promisedDays: bundle.promisedDays,
    matters,
    dependsOn: Object.fromEntries(bundle.items.map((i) => [i.matterCode, i.dependsOn])),
  };
}

export function matterSubject(matter: Matter): Subject {
  return {
    kind: 'matter',
    code: matter.code,
    name: matter.name,
    form: matter.form,
    promisedDays: matter.promisedDays,
    matters: [matter],
    dependsOn: {},
  };
}

/** Who applies first, then whom it is about, then the rest: the order a person tells their story. */
const GROUP_ORDER = [
  'person',
  'company',
  'child',
  'birth',
  'mother',
  'father',
  'household',
  'property',
  'seller',
  'buyer',
  'utility',
  'bank',
];
/** Elements that read better with another group than their first segment says. */
const GROUP_OF: Record<string, string> = { 'child.applicantRelation': 'person' };

export function groupOf(element: string): string {
  return GROUP_OF[element] ?? element.split('.')[0] ?? 'other';
}

/** The questions of a form, grouped one page each, in GROUP_ORDER (others after, as they come). */
export function questionGroups(subject: Subject): Group[] {
  const elements = Object.assign({}, ...subject.matters.map((m) => m.elements ?? {})) as NonNullable<
    Matter['elements']
  >;
  const required = new Set(subject.form.required ?? []);
  const groups = new Map<string, Question[]>();
  for (const [key, schema] of Object.entries(subject.form.properties)) {
    const field = schema as Record<string, unknown>;
    const element = String(field['x-data-element']);
    const e = elements[element];
    const title = typeof field['title'] === 'string' ? field['title'] : undefined;
    const titleEn = typeof field['x-title-en'] === 'string' ? field['x-title-en'] : undefined;
    const label = e?.name ?? { zh: title ?? key, en: titleEn ?? title ?? key };
    const type: ElementType =
      e?.type ?? (field['format'] === 'date' ? 'date' : ((field['type'] as ElementType | undefined) ?? 'string'));
    const q: Question = {
      key,
      element,
      label,
      type,
      required: required.has(key),
      ...(e?.values ? { values: e.values } : {}),
      ...(e?.maxLength ? { maxLength: e.maxLength } : {}),
    };
    const id = groupOf(element);
    groups.set(id, [...(groups.get(id) ?? []), q]);
  }
  const rank = (id: string) => {
    const i = GROUP_ORDER.indexOf(id);
    return i === -1 ? GROUP_ORDER.length : i;
  };
  return [...groups.entries()].map(([id, questions]) => ({ id, questions })).sort((a, b) => rank(a.id) - rank(b.id));
}

/**
 * The materials to give at submission: each required one of each matter, once, except an
 * electronic licence that an earlier matter of the same bundle issues (免证办) — the workflow's
 * own rule (modules/workflow/src/domain/plan.ts checkMaterials).
 */
export function materialsNeeded(subject: Subject): MaterialNeed[] {
  const byCode = new Map(subject.matters.map((m) => [m.code, m]));
  const ancestors = (code: string, seen = new Set<string>()): Set<string> => {
    for (const d of subject.dependsOn[code] ?? []) {
      if (seen.has(d)) continue;
      seen.add(d);
      ancestors(d, seen);
    }
    return seen;
  };
  const out = new Map<string, MaterialNeed>();
  for (const matter of subject.matters) {
    const issued = new Set(
      [...ancestors(matter.code)].flatMap((c) => {
        const p = byCode.get(c)?.producesLicence;
        return p ? [p.type] : [];
      }),
    );
    for (const m of matter.materials) {
      if (!m.required || out.has(m.code)) continue;
      if (m.licenceType && issued.has(m.licenceType)) continue;
      out.set(m.code, { code: m.code, name: m.name, ...(m.licenceType ? { licenceType: m.licenceType } : {}) });
    }
  }
  return [...out.values()];
}

/** One of the citizen's electronic licences as `GET /licenses/me` lists it. */
export interface HeldLicence {
  id: string;
  identifier: string;
  type: { code: string; name: LocalizedText };
  status: string;
  validFrom: string;
  validUntil: string | null;
}

/** A material given as the holder's electronic licence (免证办): the workflow checks it is theirs and valid. */
export const licenceRef = (identifier: string) => `lic:${identifier}`;

/**
 * The licence of this type the citizen may offer instead of an upload: valid now (the workflow
 * refuses any other, `licence_not_valid`), the newest first as the list comes.
 */
export function usableLicence(
  held: readonly HeldLicence[],
  licenceType: string | undefined,
  now: Date,
): HeldLicence | undefined {
  if (!licenceType) return undefined;
  return held.find(
    (l) =>
      l.type.code === licenceType &&
      l.status === 'valid' &&
      new Date(l.validFrom).getTime() <= now.getTime() &&
      (l.validUntil === null || new Date(l.validUntil).getTime() > now.getTime()),
  );
}

export const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

export type GroupStatus = 'verified' | 'completed' | 'inProgress' | 'notStarted';

/** Where a question group stands: every answer locked by a registry, all required answered, some, none. */
export function groupStatus(group: Group, form: Record<string, unknown>, prefill: Prefill | null): GroupStatus {
  const locked = (q: Question) => prefill?.fields[q.key]?.locked === true;
  if (group.questions.every(locked)) return 'verified';
  const open = group.questions.filter((q) => !locked(q));
  const answered = open.filter((q) => !isEmpty(form[q.key]));
  if (open.filter((q) => q.required).every((q) => !isEmpty(form[q.key])) && answered.length > 0) return 'completed';
  if (open.every((q) => !q.required) && answered.length === 0) return 'completed';
  return answered.length > 0 ? 'inProgress' : 'notStarted';
}

/** What a text box holds as the form value of its question: numbers as numbers, empty as absent. */
export function toValue(q: Question, raw: string): FormValue | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  if ((q.type === 'integer' || q.type === 'number') && /^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  if (q.type === 'boolean') return s === 'true';
  return s;
}

/** The form's key from an API error's field (`form.child.name` → `child.name`); undefined for another part. */
export function formKeyOf(field: string): string | undefined {
  return field.startsWith('form.') ? field.slice(5) : undefined;
}

/** A DOM id for a form key (keys hold dots). */
export function fieldId(key: string): string {
  return `q-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** The consent the data hub needs before it can prefill: `<resource>.<item>`, once each. */
export function consentItems(prefill: Prefill | null): string[] {
  return [...new Set((prefill?.consentNeeded ?? []).map((c) => `${c.resource}.${c.item}`))];
}

export const journeyPaths = {
  start: (code: string) => `/apply/${encodeURIComponent(code)}`,
  tasks: (code: string, id: string) => `/apply/${encodeURIComponent(code)}/${id}`,
  consent: (code: string, id: string) => `/apply/${encodeURIComponent(code)}/${id}/consent`,
  group: (code: string, id: string, group: string, back?: 'check') =>
    `/apply/${encodeURIComponent(code)}/${id}/questions/${encodeURIComponent(group)}${back ? '?return=check' : ''}`,
  materials: (code: string, id: string, back?: 'check') =>
    `/apply/${encodeURIComponent(code)}/${id}/materials${back ? '?return=check' : ''}`,
  check: (code: string, id: string) => `/apply/${encodeURIComponent(code)}/${id}/check`,
  done: (id: string) => `/applications/${id}/submitted`,
  application: (id: string) => `/applications/${id}`,
  withdraw: (id: string) => `/applications/${id}/withdraw`,
  correction: (id: string, taskId: string) => `/applications/${id}/tasks/${taskId}/correction`,
};
