import { Button } from '@mantine/core';
import { notify } from '../lib/notify';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { useSession } from '../session/SessionContext';
import { isApiError } from '../api/client';

const LABELS: Record<Locale, string> = { 'zh-Hant': '繁體中文', en: 'English' };

/** Switches the interface to the other language; shows the target language in its own script. */
export function LanguageSwitch({ variant = 'default' }: { variant?: 'default' | 'subtle' | 'white' }) {
  const { t, i18n } = useTranslation();
  const { changeLanguage } = useSession();
  const target: Locale = i18n.language === 'en' ? 'zh-Hant' : 'en';
  return (
    <Button
      variant={variant}
      size="sm"
      lang={target}
      title={t('language.switchTitle')}
      data-testid="language-switch"
      onClick={() => {
        changeLanguage(target).catch((error: unknown) => {
          notify({
            color: 'red',
            title: t('language.saveFailed'),
            message: isApiError(error) ? error.title : t('errors.unexpected'),
          });
        });
      }}
    >
      {LABELS[target]}
    </Button>
  );
}
