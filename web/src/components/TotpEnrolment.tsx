import { Button, Group, Image, Loader, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import QRCode from 'qrcode';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { meApi } from '../api/endpoints';
import type { TotpSetup } from '../api/types';
import { groupSecret } from '../lib/format';
import { applyProblem } from '../lib/forms';
import { CopyField } from './CopyField';
import { ProblemAlert } from './ProblemAlert';
import { RecoveryCodesPanel } from './RecoveryCodesPanel';
import { CodeInput } from './CodeInput';

/**
 * Enrols an authenticator app: starts the set-up, shows the QR code and the secret,
 * confirms with a code, then shows the recovery codes once. Replacing an existing authenticator
 * also asks for a code from the current one.
 */
export function TotpEnrolment({
  onDone,
  headingLevel = 2,
  replacing = false,
}: {
  onDone: () => void;
  headingLevel?: 2 | 3;
  replacing?: boolean;
}) {
  const { t } = useTranslation();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const started = useRef(false);
  const form = useForm({
    initialValues: { code: '', current_code: '' },
    validate: {
      code: (value) => (/^\d{6}$/.test(value.trim()) ? null : t('signIn.codeFormat')),
      current_code: (value) => (!replacing || /^\d{6}$/.test(value.trim()) ? null : t('signIn.codeFormat')),
    },
  });

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    meApi
      .startTotp()
      .then(async (answer) => {
        setSetup(answer);
        setQr(await QRCode.toDataURL(answer.otpauth_uri, { margin: 1, width: 220, errorCorrectionLevel: 'M' }));
      })
      .catch(setError);
  }, []);

  const submit = form.onSubmit(async ({ code, current_code }) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await meApi.confirmTotp(code.trim(), replacing ? current_code.trim() : undefined);
      setCodes(answer.recovery_codes);
    } catch (caught) {
      setError(applyProblem(form, caught));
      form.setFieldValue('code', '');
    } finally {
      setBusy(false);
    }
  });

  if (codes) {
    return (
      <Stack gap="md">
        <Title order={headingLevel} fz="h3">
          {t('totp.recoveryTitle')}
        </Title>
        <RecoveryCodesPanel codes={codes} onDone={onDone} />
      </Stack>
    );
  }

  return (
    <Stack gap="md" data-testid="totp-enrolment">
      <ProblemAlert error={error} />
      {!setup ? (
        error ? null : <Loader aria-label={t('common.loading')} />
      ) : (
        <>
          <Text size="sm">{t('totp.step1')}</Text>
          <Group justify="center">
            {qr ? (
              <Image src={qr} w={220} h={220} alt={t('totp.qrAlt')} data-testid="totp-qr" />
            ) : (
              <Loader aria-label={t('common.loading')} />
            )}
          </Group>
          <Text size="sm">{t('totp.manualEntry')}</Text>
          <CopyField value={groupSecret(setup.secret)} label={t('totp.secret')} testId="totp-secret" />
          <form onSubmit={submit} noValidate>
            <Stack gap="md">
              {replacing ? (
                <CodeInput
                  label={t('totp.currentCode')}
                  description={t('totp.currentCodeHelp')}
                  {...form.getInputProps('current_code')}
                  name="current_code"
                />
              ) : null}
              <Text size="sm">{t('totp.step2')}</Text>
              <CodeInput
                label={t('signIn.code')}
                {...form.getInputProps('code')}
                name="code"
              />
              <Button type="submit" loading={busy}>
                {t('totp.confirm')}
              </Button>
            </Stack>
          </form>
        </>
      )}
    </Stack>
  );
}
