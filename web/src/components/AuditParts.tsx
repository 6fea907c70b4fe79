import { Code, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../api/types';
import { actionKey, changeLines } from '../lib/audit';

/** An audit action by its label, with the code beneath. */
export function ActionLabel({ action }: { action: string }) {
  const { t } = useTranslation();
  const key = actionKey(action);
  return (
    <Stack gap={0}>
      <Text size="sm">{key ? t(key) : action}</Text>
      {key ? (
        <Text size="xs" c="dimmed" ff="monospace">
          {action}
        </Text>
      ) : null}
    </Stack>
  );
}

/** What an audit entry changed: field: from → to, or field: value. */
export function Changes({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const lines = changeLines(entry.changes);
  if (lines.length === 0) return <Text size="sm">{t('audit.noChanges')}</Text>;
  return (
    <Stack gap={2} data-testid="changes">
      {lines.map((line) => (
        <Text key={line.field} size="sm">
          <Code>{line.field || '—'}</Code>{' '}
          {line.value !== undefined ? (
            line.value
          ) : (
            <>
              {line.from ?? '∅'} <span aria-label={t('audit.changedTo')}>→</span> {line.to ?? '∅'}
            </>
          )}
        </Text>
      ))}
      <Text size="xs" c="dimmed">
        {t('audit.requestId')}: <Code>{entry.request_id}</Code> · {t('audit.hash')}: <Code>{entry.hash.slice(0, 16)}…</Code>
      </Text>
    </Stack>
  );
}
