import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/context.tsx';
import { useLocation } from '../lib/router.tsx';

/** 朗读: reads the page's main content with the browser's speech synthesis, in the page's language. */
export function ReadAloud() {
  const { t, locale } = useI18n();
  const { pathname, search } = useLocation();
  // What is being read is this page's: a new page or language is not being read.
  const page = `${locale} ${pathname}${search}`;
  const [speakingPage, setSpeakingPage] = useState<string | null>(null);
  const speaking = speakingPage === page;
  const setSpeaking = (on: boolean) => setSpeakingPage(on ? page : null);

  // Leaving the page (or elder mode) stops reading it.
  useEffect(() => () => speechSynthesis.cancel(), [page]);

  const toggle = () => {
    if (speaking) {
      speechSynthesis.cancel();
      setSpeaking(false);
      return;
    }
    const text = document.getElementById('main-content')?.innerText.trim();
    if (!text) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = locale;
    utterance.rate = 0.9;
    utterance.onend = () => setSpeaking(false);
    utterance.onerror = () => setSpeaking(false);
    speechSynthesis.cancel();
    speechSynthesis.speak(utterance);
    setSpeaking(true);
  };

  return (
    <button type="button" className="header__control" onClick={toggle} aria-pressed={speaking}>
      {t(speaking ? 'header.readAloud.stop' : 'header.readAloud.start')}
    </button>
  );
}

/** Whether this browser can speak: without the API there is no button at all. */
export const canSpeak =
  typeof window !== 'undefined' && 'speechSynthesis' in window && 'SpeechSynthesisUtterance' in window;
