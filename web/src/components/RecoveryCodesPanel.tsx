import { Button, Checkbox, CopyButton, Group, List, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Recovery codes shown once: copy, download, and confirm they were saved before going on. */
export function RecoveryCodesPanel({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(false);
  const text = `${codes.join('\n')}\n`;
  const downloadCodes = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'openwelfare-recovery-codes.txt';
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <Stack gap="md" data-testid="recovery-codes">
      <Text size="sm">{t('totp.recoveryIntro')}</Text>
      <Paper withBorder p="md" bg="gray.0">
        <List
          type="ordered"
          withPadding
          spacing={4}
          styles={{ item: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-md)' } }}
          aria-label={t('totp.recoveryCodes')}
        >
          {codes.map((code) => (
            <List.Item key={code}>{code}</List.Item>
          ))}
        </List>
      </Paper>
      <Group gap="sm">
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy} color={copied ? 'teal' : 'blue'}>
              {copied ? t('common.copied') : t('totp.copyCodes')}
            </Button>
          )}
        </CopyButton>
        <Button variant="light" onClick={downloadCodes}>
          {t('totp.downloadCodes')}
        </Button>
      </Group>
      <Checkbox
        label={t('totp.savedCodes')}
        checked={saved}
        onChange={(event) => setSaved(event.currentTarget.checked)}
        data-testid="saved-codes"
      />
      <Button disabled={!saved} onClick={onDone} data-testid="recovery-continue">
        {t('common.continue')}
      </Button>
    </Stack>
  );
}
