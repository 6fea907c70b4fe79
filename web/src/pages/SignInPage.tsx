import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { sessionApi } from '../api/endpoints';
import { AuthLayout } from '../components/AuthLayout';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatDateTime } from '../lib/format';
import { useSession, type SignedOutReason } from '../session/SessionContext';
import { CodeInput } from '../components/CodeInput';

type Step = 'password' | 'totp' | 'recovery';

function RetryHint({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  if (!isApiError(error) || error.code !== 'too_many_attempts') return null;
  const retryAfter = Number(error.extra.retry_after);
  const lockedUntil = typeof error.extra.locked_until === 'string' ? error.extra.locked_until : null;
  if (Number.isFinite(retryAfter) && retryAfter > 0) {
    return <Text size="sm">{t('signIn.retryAfterSeconds', { seconds: Math.ceil(retryAfter) })}</Text>;
  }
  if (lockedUntil) {
    return <Text size="sm">{t('signIn.retryAt', { time: formatDateTime(lockedUntil, i18n.language) })}</Text>;
  }
  return null;
}

export function SignInPage({ reason }: { reason: SignedOutReason }) {
  const { t } = useTranslation();
  const { signedIn } = useSession();
  const [step, setStep] = useState<Step>('password');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { username: '', password: '', code: '', recovery: '' },
    validate: {
      username: (value) => (value.trim() ? null : t('validation.required')),
      password: (value) => (value ? null : t('validation.required')),
      code: (value) => (step !== 'totp' || /^\d{6}$/.test(value.trim()) ? null : t('signIn.codeFormat')),
      recovery: (value) => (step !== 'recovery' || value.trim().length >= 10 ? null : t('signIn.recoveryFormat')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setError(null);
    try {
      const second = step === 'totp' ? values.code.trim() : step === 'recovery' ? values.recovery.trim() : undefined;
      const session = await sessionApi.signIn({
        username: values.username.trim(),
        password: values.password,
        ...(second ? { totp: second } : {}),
      });
      signedIn(session);
    } catch (caught) {
      if (isApiError(caught) && caught.code === 'totp_required' && step === 'password') {
        setStep('totp');
      } else {
        setError(caught);
        if (isApiError(caught) && caught.code === 'totp_invalid') form.setValues({ code: '', recovery: '' });
        if (isApiError(caught) && caught.code === 'invalid_credentials') {
          form.setValues({ password: '', code: '', recovery: '' });
          setStep('password');
        }
      }
    } finally {
      setBusy(false);
    }
  });

  const backToPassword = () => {
    setStep('password');
    setError(null);
    form.setValues({ password: '', code: '', recovery: '' });
  };

  return (
    <AuthLayout>
      <form onSubmit={submit} noValidate data-testid="sign-in-form">
        <Stack gap="md">
          <Title order={1} fz="h2">
            {step === 'password' ? t('signIn.title') : t('signIn.secondFactorTitle')}
          </Title>
          {reason === 'ended' ? (
            <Alert color="yellow" role="status" data-testid="session-ended">
              {t('signIn.sessionEnded')}
            </Alert>
          ) : null}
          {reason === 'signed_out' ? (
            <Alert color="blue" role="status" data-testid="signed-out">
              {t('signIn.signedOut')}
            </Alert>
          ) : null}
          {error ? (
            <Stack gap={4}>
              <ProblemAlert error={error} />
              <RetryHint error={error} />
            </Stack>
          ) : null}
          {step === 'password' ? (
            <>
              <TextInput
                label={t('signIn.username')}
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                required
                data-autofocus
                {...form.getInputProps('username')}
                name="username"
              />
              <PasswordInput
                label={t('signIn.password')}
                autoComplete="current-password"
                required
                visibilityToggleButtonProps={{ 'aria-label': t('common.showPassword') }}
                {...form.getInputProps('password')}
                name="password"
              />
              <Button type="submit" loading={busy} size="md">
                {t('signIn.submit')}
              </Button>
            </>
          ) : null}
          {step === 'totp' ? (
            <>
              <Text size="sm">{t('signIn.totpHelp')}</Text>
              <CodeInput
                label={t('signIn.code')}
                autoFocus
                size="md"
                styles={{ input: { letterSpacing: '0.3em', fontVariantNumeric: 'tabular-nums' } }}
                {...form.getInputProps('code')}
                name="code"
              />
              <Button type="submit" loading={busy} size="md">
                {t('signIn.verify')}
              </Button>
              <Anchor
                component="button"
                type="button"
                size="sm"
                onClick={() => {
                  setStep('recovery');
                  setError(null);
                }}
              >
                {t('signIn.useRecoveryCode')}
              </Anchor>
              <Anchor component="button" type="button" size="sm" onClick={backToPassword}>
                {t('signIn.back')}
              </Anchor>
            </>
          ) : null}
          {step === 'recovery' ? (
            <>
              <Text size="sm">{t('signIn.recoveryHelp')}</Text>
              <TextInput
                label={t('signIn.recoveryCode')}
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                required
                autoFocus
                {...form.getInputProps('recovery')}
                name="recovery"
              />
              <Button type="submit" loading={busy} size="md">
                {t('signIn.verify')}
              </Button>
              <Anchor
                component="button"
                type="button"
                size="sm"
                onClick={() => {
                  setStep('totp');
                  setError(null);
                }}
              >
                {t('signIn.useAuthenticator')}
              </Anchor>
              <Anchor component="button" type="button" size="sm" onClick={backToPassword}>
                {t('signIn.back')}
              </Anchor>
            </>
          ) : null}
        </Stack>
      </form>
    </AuthLayout>
  );
}
