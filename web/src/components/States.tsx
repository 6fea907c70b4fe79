import { Center, Loader, Stack, Text, Title, Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader aria-hidden />
        <Text c="dimmed" size="sm">
          {label ?? t('common.loading')}
        </Text>
      </Stack>
    </Center>
  );
}

export function Empty({ children }: { children: string }) {
  return (
    <Text c="dimmed" ta="center" py="xl" data-testid="empty">
      {children}
    </Text>
  );
}

export function NoPermission() {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start" gap="sm" data-testid="no-permission">
      <Title order={1}>{t('noPermission.title')}</Title>
      <Text>{t('noPermission.body')}</Text>
      <Button component={Link} to="/" variant="light">
        {t('common.backHome')}
      </Button>
    </Stack>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start" gap="sm" data-testid="not-found">
      <Title order={1}>{t('notFound.title')}</Title>
      <Text>{t('notFound.body')}</Text>
      <Button component={Link} to="/" variant="light">
        {t('common.backHome')}
      </Button>
    </Stack>
  );
}
