import { Badge, Button, Card, Group, Radio, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notify } from '../lib/notify';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { meApi } from '../api/endpoints';
import { useRoles, useUnits } from '../api/queries';
import { isLocale } from '../i18n';
import { ChangePasswordForm } from '../components/ChangePasswordForm';
import { confirmAction } from '../components/confirm';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { RecoveryCodesPanel } from '../components/RecoveryCodesPanel';
import { TotpEnrolment } from '../components/TotpEnrolment';
import { useUnitLabel } from '../components/UnitSelect';
import { applyProblem } from '../lib/forms';
import { useSession } from '../session/SessionContext';
import { CodeInput } from '../components/CodeInput';

function LanguageCard() {
  const { t, i18n } = useTranslation();
  const { changeLanguage } = useSession();
  const [error, setError] = useState<unknown>(null);
  return (
    <Card withBorder padding="lg">
      <Title order={2} fz="h3" mb="md">
        {t('account.language')}
      </Title>
      <ProblemAlert error={error} />
      <Radio.Group
        label={t('account.languageLabel')}
        value={i18n.language}
        onChange={(value) => {
          if (!isLocale(value)) return;
          setError(null);
          changeLanguage(value)
            .then(() => notify({ color: 'teal', message: t('account.languageSaved') }))
            .catch(setError);
        }}
      >
        <Stack gap="xs" mt="xs">
          <Radio value="zh-Hant" label="繁體中文" lang="zh-Hant" />
          <Radio value="en" label="English" lang="en" />
        </Stack>
      </Radio.Group>
    </Card>
  );
}

function RegenerateCodes({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (value) => (/^\d{6}$/.test(value.trim()) ? null : t('signIn.codeFormat')) },
  });
  if (codes) return <RecoveryCodesPanel codes={codes} onDone={onDone} />;
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async ({ code }) => {
        setBusy(true);
        setError(null);
        try {
          setCodes((await meApi.regenerateRecoveryCodes(code.trim())).recovery_codes);
        } catch (caught) {
          setError(applyProblem(form, caught));
          form.setFieldValue('code', '');
        } finally {
          setBusy(false);
        }
      })}
    >
      <Stack gap="sm">
        <Text size="sm">{t('account.regenerateHelp')}</Text>
        <ProblemAlert error={error} />
        <CodeInput
          label={t('signIn.code')}
          {...form.getInputProps('code')}
        />
        <Group gap="sm">
          <Button type="submit" loading={busy}>
            {t('account.regenerate')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function SecondFactorCard() {
  const { t } = useTranslation();
  const { session, refresh } = useSession();
  const [mode, setMode] = useState<'idle' | 'enrol' | 'codes'>('idle');
  if (!session) return null;
  const enabled = session.user.totp_enabled;
  const finish = () => {
    setMode('idle');
    void refresh();
  };
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="md">
        <Title order={2} fz="h3">
          {t('account.secondFactor')}
        </Title>
        <Badge color={enabled ? 'teal' : 'gray'} variant="light">
          {enabled ? t('staff.totpOn') : t('staff.totpOff')}
        </Badge>
      </Group>
      {mode === 'enrol' ? <TotpEnrolment onDone={finish} headingLevel={3} replacing={enabled} /> : null}
      {mode === 'codes' ? <RegenerateCodes onDone={finish} /> : null}
      {mode === 'idle' ? (
        <Stack gap="sm">
          <Text size="sm">{enabled ? t('account.totpEnabledHelp') : t('account.totpDisabledHelp')}</Text>
          <Group gap="sm">
            <Button
              variant="light"
              onClick={async () => {
                if (enabled) {
                  const ok = await confirmAction({
                    title: t('account.replaceTotpTitle'),
                    message: t('account.replaceTotpBody'),
                    confirmLabel: t('account.replaceTotp'),
                    danger: false,
                  });
                  if (!ok) return;
                }
                setMode('enrol');
              }}
            >
              {enabled ? t('account.replaceTotp') : t('account.setUpTotp')}
            </Button>
            {enabled ? (
              <Button variant="light" onClick={() => setMode('codes')}>
                {t('account.regenerate')}
              </Button>
            ) : null}
          </Group>
        </Stack>
      ) : null}
    </Card>
  );
}

export function AccountPage() {
  const { t, i18n } = useTranslation();
  const { session, signOutEverywhere } = useSession();
  const units = useUnits();
  const roles = useRoles();
  const unitLabel = useUnitLabel(units.data);
  if (!session) return null;
  const roleName = (code: string) => {
    const role = roles.data?.find((item) => item.code === code);
    return role ? (i18n.language === 'en' ? role.name_en : role.name_zh) : code;
  };
  return (
    <>
      <PageHeader title={t('account.title')} description={t('account.description')} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Card withBorder padding="lg">
          <Title order={2} fz="h3" mb="md">
            {t('account.profile')}
          </Title>
          <Stack gap={6}>
            <Text size="sm">
              {t('staff.displayName')}: <strong>{session.user.display_name}</strong>
            </Text>
            <Text size="sm">
              {t('staff.username')}: <strong>{session.user.username}</strong>
            </Text>
            <Text size="sm">
              {t('staff.unit')}: <strong>{unitLabel(session.user.unit_id)}</strong>
            </Text>
            {session.user.email ? (
              <Text size="sm">
                {t('staff.email')}: <strong>{session.user.email}</strong>
              </Text>
            ) : null}
            <Group gap={4} mt="xs">
              {session.user.roles.map((role) => (
                <Badge key={role.id} variant="light" tt="none">
                  {roleName(role.role)} · {unitLabel(role.unit_id)}
                </Badge>
              ))}
            </Group>
          </Stack>
        </Card>
        <LanguageCard />
        <Card withBorder padding="lg">
          <Title order={2} fz="h3" mb="md">
            {t('account.changePassword')}
          </Title>
          <ChangePasswordForm username={session.user.username} onDone={() => undefined} />
        </Card>
        <Stack gap="lg">
          <SecondFactorCard />
          <Card withBorder padding="lg">
            <Title order={2} fz="h3" mb="md">
              {t('account.sessions')}
            </Title>
            <Text size="sm" mb="md">
              {t('account.signOutEverywhereHelp')}
            </Text>
            <Button
              color="red"
              variant="light"
              data-testid="sign-out-everywhere"
              onClick={async () => {
                const ok = await confirmAction({
                  title: t('account.signOutEverywhere'),
                  message: t('account.signOutEverywhereBody'),
                  confirmLabel: t('account.signOutEverywhere'),
                });
                if (!ok) return;
                try {
                  await signOutEverywhere();
                } catch (caught) {
                  notify({ color: 'red', message: isApiError(caught) ? caught.title : t('errors.unexpected') });
                }
              }}
            >
              {t('account.signOutEverywhere')}
            </Button>
          </Card>
        </Stack>
      </SimpleGrid>
    </>
  );
}
