import { Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notify } from '../lib/notify';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { meApi } from '../api/endpoints';
import { applyProblem } from '../lib/forms';
import { ProblemAlert } from './ProblemAlert';

export const MIN_PASSWORD_LENGTH = 12;

/** Current + new + confirmation; the server checks the policy and is the authority. */
export function ChangePasswordForm({ onDone, username }: { onDone: () => void | Promise<void>; username: string }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { current_password: '', new_password: '', confirm: '' },
    validate: {
      current_password: (value) => (value ? null : t('validation.required')),
      new_password: (value) => {
        if (value.length < MIN_PASSWORD_LENGTH) return t('password.tooShort', { min: MIN_PASSWORD_LENGTH });
        if (username && value.toLowerCase().includes(username.toLowerCase())) return t('password.containsUsername');
        return null;
      },
      confirm: (value, values) => (value === values.new_password ? null : t('password.mismatch')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setError(null);
    try {
      await meApi.changePassword(values.current_password, values.new_password);
      notify({ color: 'teal', message: t('password.changed') });
      form.reset();
      await onDone();
    } catch (caught) {
      setError(applyProblem(form, caught));
    } finally {
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate data-testid="change-password-form">
      <Stack gap="md">
        <ProblemAlert error={error} />
        <PasswordInput
          label={t('password.current')}
          autoComplete="current-password"
          required
          visibilityToggleButtonProps={{ 'aria-label': t('common.showPassword') }}
          {...form.getInputProps('current_password')}
          name="current_password"
        />
        <PasswordInput
          label={t('password.new')}
          description={t('password.policy', { min: MIN_PASSWORD_LENGTH })}
          autoComplete="new-password"
          required
          visibilityToggleButtonProps={{ 'aria-label': t('common.showPassword') }}
          {...form.getInputProps('new_password')}
          name="new_password"
        />
        <PasswordInput
          label={t('password.confirm')}
          autoComplete="new-password"
          required
          visibilityToggleButtonProps={{ 'aria-label': t('common.showPassword') }}
          {...form.getInputProps('confirm')}
          name="confirm"
        />
        <Text size="xs" c="dimmed">
          {t('password.otherSessions')}
        </Text>
        <Button type="submit" loading={busy}>
          {t('password.submit')}
        </Button>
      </Stack>
    </form>
  );
}
