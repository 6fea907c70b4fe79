// Renders FormRenderer to HTML in Node (react-dom/server) with Mantine and a fresh i18next, for
// tests/form-renderer.test.mjs. Bundled by esbuild (support/typescript.mjs); not part of the console.
import { MantineProvider } from '@mantine/core';
import i18next from 'i18next';
import { renderToString } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { FormRenderer, type FormRendererProps } from '../../src/forms/FormRenderer';
import en from '../../src/i18n/en.json';
import zhHant from '../../src/i18n/zh-Hant.json';
import { theme } from '../../src/theme';

export async function renderForm(props: FormRendererProps, language: 'en' | 'zh-Hant'): Promise<string> {
  const i18n = i18next.createInstance();
  await i18n.use(initReactI18next).init({
    resources: { 'zh-Hant': { translation: zhHant }, en: { translation: en } },
    lng: language,
    fallbackLng: 'zh-Hant',
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  return renderToString(
    <MantineProvider theme={theme}>
      <I18nextProvider i18n={i18n}>
        <FormRenderer {...props} />
      </I18nextProvider>
    </MantineProvider>,
  );
}
