/**
 * Interface language. Every visible text comes from zh-Hant.json / en.json; the chosen
 * language is kept in localStorage (before sign-in) and in the account preferences.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhHant from './zh-Hant.json';
import { configureClient } from '../api/client';
import type { Locale } from '../api/types';

export const LANGUAGES: readonly Locale[] = ['zh-Hant', 'en'];
export const DEFAULT_LANGUAGE: Locale = 'zh-Hant';
const STORAGE_KEY = 'openwelfare.language';

export function isLocale(value: unknown): value is Locale {
  return value === 'zh-Hant' || value === 'en';
}

function storedLanguage(): Locale {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(value)) return value;
  } catch {
    // storage unavailable (private mode): use the default
  }
  return DEFAULT_LANGUAGE;
}

function applyToDocument(language: Locale): void {
  document.documentElement.lang = language;
  document.title = i18n.t('app.documentTitle');
  configureClient({
    language,
    messages: { network: i18n.t('errors.network'), unexpected: i18n.t('errors.unexpected') },
  });
}

export async function setLanguage(language: Locale): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // ignore: the choice still applies to this page
  }
  await i18n.changeLanguage(language);
}

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-Hant': { translation: zhHant }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: LANGUAGES as Locale[],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

i18n.on('languageChanged', (language) => applyToDocument(isLocale(language) ? language : DEFAULT_LANGUAGE));
applyToDocument(currentLocale());

export default i18n;
