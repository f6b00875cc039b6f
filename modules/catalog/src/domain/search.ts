// Search terms for Chinese and English text. Chinese has no spaces between words, so text is
// segmented with ICU's dictionary (Intl.Segmenter): 出生医学证明 → 出生 / 医学 / 证明, and a query
// 出生证明 → 出生 / 证明 finds it. English words are lower-cased; a code splits at its dashes
// (330100-GA-001 → 330100 / ga / 001), and its parts together find it.

const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'word' });
// Besides function words, the ways of asking for a service (我要办理…, 如何办…): every matter
// is something to 办理, so these words only keep a query from matching the matter it names.
const STOP_WORDS = new Set([
  '的',
  '和',
  '及',
  '与',
  '或',
  '之',
  '等',
  '办理',
  '办',
  '如何',
  '怎么',
  '怎样',
  '我要',
  '我想',
  'the',
  'of',
  'and',
  'or',
  'a',
  'an',
  'for',
  'to',
  'in',
]);

export function searchTerms(...texts: readonly (string | undefined)[]): string[] {
  const terms = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const { segment, isWordLike } of segmenter.segment(text.normalize('NFKC'))) {
      if (!isWordLike) continue;
      const word = segment.toLowerCase();
      if (!STOP_WORDS.has(word)) terms.add(word);
    }
  }
  return [...terms];
}
