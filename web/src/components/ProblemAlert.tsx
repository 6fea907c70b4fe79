import { Alert, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';

/** Shows an API problem (title, detail, field messages) or an unexpected error. */
export function ProblemAlert({ error, onClose }: { error: unknown; onClose?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  const problem = isApiError(error) ? error : null;
  const title = problem?.title || t('errors.unexpected');
  return (
    <Alert
      color="red"
      variant="light"
      title={title}
      role="alert"
      withCloseButton={Boolean(onClose)}
      closeButtonLabel={t('common.close')}
      onClose={onClose}
      data-testid="problem"
      data-code={problem?.code}
    >
      {problem?.detail ? <Text size="sm">{problem.detail}</Text> : null}
      {problem && problem.errors.length > 0 ? (
        <List size="sm" mt="xs">
          {problem.errors.map((field) => (
            <List.Item key={`${field.field}-${field.code}`}>{field.message}</List.Item>
          ))}
        </List>
      ) : null}
      {problem?.requestId ? (
        <Text size="xs" c="dimmed" mt="xs">
          {t('errors.requestId', { id: problem.requestId })}
        </Text>
      ) : null}
    </Alert>
  );
}
