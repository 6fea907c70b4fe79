import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Job } from '../api/types';

const COLORS: Record<Job['status'], string> = { queued: 'gray', running: 'blue', succeeded: 'teal', failed: 'red' };

export function JobStatusBadge({ job }: { job: Job }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[job.status]} variant="light" data-status={job.status}>
      {t(`jobs.status.${job.status}`)}
    </Badge>
  );
}

export function JobProgressBar({ job }: { job: Job }) {
  const { t } = useTranslation();
  const total = job.progress_total;
  const value = total > 0 ? Math.min(100, Math.round((job.progress_done / total) * 100)) : job.status === 'succeeded' ? 100 : 0;
  return (
    <Stack gap={2} miw={140}>
      <Progress.Root>
        <Progress.Section
          value={value}
          color={COLORS[job.status]}
          animated={job.status === 'running'}
          aria-label={t('jobs.progress')}
          aria-valuetext={t('jobs.progressText', { done: job.progress_done, total })}
        />
      </Progress.Root>
      <Text size="xs" c="dimmed">
        {t('jobs.progressText', { done: job.progress_done, total })}
      </Text>
    </Stack>
  );
}

/** The result of an audit chain verification, or a generic result. */
export function JobResult({ job }: { job: Job }) {
  const { t } = useTranslation();
  if (job.status === 'failed') {
    return (
      <Text size="sm" c="red.8">
        {job.error ?? t('jobs.failed')}
      </Text>
    );
  }
  if (!job.result) return null;
  const result = job.result;
  if (job.kind === 'audit.verify' && typeof result.ok === 'boolean') {
    return result.ok ? (
      <Text size="sm" c="teal.9" data-testid="verify-ok">
        {t('audit.verifyOk', { n: Number(result.entries_checked ?? 0) })}
      </Text>
    ) : (
      <Stack gap={2} data-testid="verify-broken">
        <Text size="sm" c="red.8" fw={600}>
          {t('audit.verifyBroken', { id: String(result.first_broken_id ?? '?') })}
        </Text>
        {typeof result.problem === 'string' ? <Text size="sm">{result.problem}</Text> : null}
      </Stack>
    );
  }
  return (
    <Group gap={4}>
      {Object.entries(result).map(([key, value]) => (
        <Text key={key} size="xs" ff="monospace">
          {key}: {typeof value === 'string' ? value : JSON.stringify(value)}
        </Text>
      ))}
    </Group>
  );
}
