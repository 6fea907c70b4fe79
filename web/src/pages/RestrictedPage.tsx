import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../components/AuthLayout';
import { ChangePasswordForm } from '../components/ChangePasswordForm';
import { TotpEnrolment } from '../components/TotpEnrolment';
import { useSession } from '../session/SessionContext';

/** A session that must first change its password or set up a second factor. */
export function RestrictedPage() {
  const { t } = useTranslation();
  const { session, refresh } = useSession();
  if (!session) return null;
  if (session.restricted === 'password_change_required') {
    return (
      <AuthLayout signedIn>
        <Stack gap="md" data-testid="forced-password-change">
          <Title order={1} fz="h2">
            {t('restricted.passwordTitle')}
          </Title>
          <Text size="sm">{t('restricted.passwordBody')}</Text>
          <ChangePasswordForm username={session.user.username} onDone={refresh} />
        </Stack>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout signedIn width={560}>
      <Stack gap="md" data-testid="forced-totp-setup">
        <Title order={1} fz="h2">
          {t('restricted.totpTitle')}
        </Title>
        <Text size="sm">{t('restricted.totpBody')}</Text>
        <TotpEnrolment onDone={() => void refresh()} />
      </Stack>
    </AuthLayout>
  );
}
