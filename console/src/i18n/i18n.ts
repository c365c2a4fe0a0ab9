import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { bn, en } from './messages';
import type { Language } from '../lib/bengali';

const STORAGE_KEY = 'duare.language';

/** The language chosen last on this device; Bengali for a first visit. */
function savedLanguage(): Language {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'bn';
}

void i18next.use(initReactI18next).init({
  resources: { bn: { translation: bn }, en: { translation: en } },
  lng: savedLanguage(),
  fallbackLng: 'bn',
  // React escapes what it renders; i18next must not escape it a second time.
  interpolation: { escapeValue: false },
});
document.documentElement.lang = i18next.language;

/** Switches the whole console's language and remembers it on this device. */
export function setLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  void i18next.changeLanguage(language);
}

export { i18next };
