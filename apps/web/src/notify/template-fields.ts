// Which text of the template editor an API field error is about. notify answers `body.body.zh`,
// `body.subject.en`, `body.subject` (the whole subject) …; pure, for node --test.
export type TemplateInput = 'subjectZh' | 'subjectEn' | 'bodyZh' | 'bodyEn';

export function templateInputOf(field: string, withSubject: boolean): TemplateInput {
  const path = field.replace(/\//g, '.').replace(/^body\.(?=(body|subject)\b)/, '');
  const [head, lang] = path.split('.');
  const en = lang === 'en';
  if (head === 'subject') return withSubject ? (en ? 'subjectEn' : 'subjectZh') : 'bodyZh';
  return en ? 'bodyEn' : 'bodyZh';
}
