import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  CloseButton,
  Code,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { duplicatesApi } from '../api/endpoints';
import { keys, useJob } from '../api/queries';
import { DUPLICATE_STATUSES, type DuplicateDetectionSummary, type DuplicateItem, type DuplicateStatus, type Job, type PersonRecord } from '../api/types';
import { DateTime } from '../components/DateTime';
import { JobProgressBar, JobStatusBadge } from '../components/JobProgress';
import { PairStatusBadge } from '../components/MergeParts';
import { PageHeader } from '../components/PageHeader';
import { PersonFacts, ReasonChips, ScoreBar } from '../components/PersonBits';
import { ProblemAlert } from '../components/ProblemAlert';
import { Empty, Loading } from '../components/States';
import { applyProblem } from '../lib/forms';
import { agreementReasons, englishName } from '../lib/persons';
import { useSession } from '../session/SessionContext';

/** One side of a pair in the queue: the names, sex and date of birth. */
function Side({ person }: { person: PersonRecord }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2} style={{ minWidth: 0 }} data-testid="pair-side" data-person-id={person.id}>
      <Text size="xs" c="dimmed">
        {t('person.recordNumber', { id: person.id })}
        {person.status === 'merged' ? ` · ${t('duplicates.mergedRecord')}` : ''}
      </Text>
      <Text fw={700}>{person.chinese_name || englishName(person) || '—'}</Text>
      {person.chinese_name && englishName(person) ? <Text size="sm">{englishName(person)}</Text> : null}
      <PersonFacts person={person} />
    </Stack>
  );
}

function PairCard({ item }: { item: DuplicateItem }) {
  const { t } = useTranslation();
  const { pair } = item;
  const score = Math.round(pair.probability * 100);
  return (
    <Card withBorder padding="md" component="li" data-testid="pair" data-pair-id={pair.id} data-left={pair.left_id} data-right={pair.right_id}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Text component="h2" fw={700} size="md" m={0}>
            <Anchor component={Link} to={`/duplicates/${pair.id}`}>
              {t('duplicates.pairTitle', { left: pair.left_id, right: pair.right_id })}
            </Anchor>
          </Text>
          <Group gap="xs">
            <Badge variant="light" color="gray" tt="none">
              {t(`duplicateSource.${pair.source}`, { defaultValue: pair.source })}
            </Badge>
            <PairStatusBadge status={pair.status} />
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <Side person={item.left} />
          <Side person={item.right} />
        </SimpleGrid>
        <Group justify="space-between" wrap="wrap" gap="xs" align="center">
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" c="dimmed">
              {t('duplicates.probability')}
            </Text>
            <ScoreBar score={score} />
          </Group>
          <Text size="xs" c="dimmed">
            {t('duplicates.foundOn')} <DateTime value={pair.created_at} />
          </Text>
        </Group>
        <ReasonChips reasons={agreementReasons(pair.agreements)} />
        <Group justify="flex-end">
          <Button component={Link} to={`/duplicates/${pair.id}`} variant="light" size="sm" data-testid="review-pair">
            {t('duplicates.review')}
            <VisuallyHidden>{` ${t('duplicates.pairTitle', { left: pair.left_id, right: pair.right_id })}`}</VisuallyHidden>
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** The threshold a detection run uses unless the steward changes it, as a percentage (the API's default, 0.9). */
const DEFAULT_THRESHOLD_PERCENT = 90;
const MIN_THRESHOLD_PERCENT = 50;
const MAX_THRESHOLD_PERCENT = 99.9;

/**
 * The detection run this person started, kept for the browser tab so that its progress is still shown
 * after they open a pair and come back.
 */
function useDetectionJobId(userId: number | undefined) {
  const storageKey = `openwelfare.duplicateDetectionJob.${userId ?? 0}`;
  const [jobId, setJobId] = useState<number | null>(() => {
    try {
      const stored = Number(window.sessionStorage.getItem(storageKey));
      return Number.isInteger(stored) && stored > 0 ? stored : null;
    } catch {
      return null;
    }
  });
  const remember = (id: number | null) => {
    setJobId(id);
    try {
      if (id === null) window.sessionStorage.removeItem(storageKey);
      else window.sessionStorage.setItem(storageKey, String(id));
    } catch {
      // storage unavailable: the run is shown until the page is left
    }
  };
  return [jobId, remember] as const;
}

function isFinished(job: Job | null): boolean {
  return job?.status === 'succeeded' || job?.status === 'failed';
}

/** Asks before starting detection over the whole registry, with the threshold to use. */
function DetectModal({ onClose, onStarted }: { onClose: () => void; onStarted: (job: Job) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const form = useForm<{ threshold: number | string }>({
    initialValues: { threshold: DEFAULT_THRESHOLD_PERCENT },
    validate: {
      threshold: (value) =>
        typeof value === 'number' && value >= MIN_THRESHOLD_PERCENT && value <= MAX_THRESHOLD_PERCENT ? null : t('duplicates.detect.thresholdRange'),
    },
  });
  const start = useMutation({
    // Tenths of a percent, so that 99.9 % is sent as 0.999 exactly.
    mutationFn: (percent: number) => duplicatesApi.detect(Math.round(percent * 10) / 1000),
    onMutate: () => setError(null),
    onSuccess: (answer) => {
      onStarted(answer.job);
      onClose();
    },
    onError: (caught) => setError(applyProblem(form, caught)),
  });
  return (
    <Modal opened onClose={onClose} title={t('duplicates.detect.title')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form noValidate data-testid="detect-form" onSubmit={form.onSubmit((values) => start.mutate(Number(values.threshold)))}>
        <Stack gap="md">
          <Text size="sm">{t('duplicates.detect.body')}</Text>
          <Text size="sm">{t('duplicates.detect.bodyQueue')}</Text>
          <ProblemAlert error={error} />
          <NumberInput
            label={t('duplicates.detect.threshold')}
            description={t('duplicates.detect.thresholdHint')}
            min={MIN_THRESHOLD_PERCENT}
            max={MAX_THRESHOLD_PERCENT}
            step={1}
            decimalScale={1}
            suffix=" %"
            w={{ base: '100%', xs: 320 }}
            data-testid="detect-threshold"
            {...form.getInputProps('threshold')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={start.isPending} data-testid="detect-confirm" data-autofocus>
              {t('duplicates.detect.start')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The progress of a detection run, then what it found; the queue is reloaded when it has succeeded. */
function DetectionPanel({ job, error, onDismiss }: { job: Job; error: unknown; onDismiss: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const succeededId = job.status === 'succeeded' ? job.id : null;
  useEffect(() => {
    if (succeededId === null) return;
    void queryClient.invalidateQueries({ queryKey: ['duplicates', 'list'] });
    void queryClient.invalidateQueries({ queryKey: keys.openDuplicateCount });
  }, [succeededId, queryClient]);
  const summary = job.status === 'succeeded' ? (job.result as unknown as DuplicateDetectionSummary | null) : null;
  return (
    <Card withBorder padding="md" mb="lg" component="section" aria-labelledby="detection-title" data-testid="detection-run" data-status={job.status}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Title order={2} fz="h4" id="detection-title">
          {t('duplicates.detect.panelTitle')}
        </Title>
        {isFinished(job) ? <CloseButton aria-label={t('common.close')} onClick={onDismiss} data-testid="detection-dismiss" /> : null}
      </Group>
      <Stack gap="sm" mt="xs" aria-live="polite">
        <Group gap="sm" wrap="wrap">
          <JobStatusBadge job={job} />
          <JobProgressBar job={job} />
        </Group>
        <ProblemAlert error={error} />
        {summary ? (
          <Text size="sm" data-testid="detection-summary" data-persons={summary.persons} data-queued={summary.pairs_queued}>
            {t('duplicates.detect.summary', { persons: summary.persons, found: summary.pairs_found, queued: summary.pairs_queued })}
          </Text>
        ) : null}
        {job.status === 'failed' ? (
          <Alert color="red" variant="light" title={t('duplicates.detect.failed')} data-testid="detection-failed">
            {job.error ? <Code>{job.error}</Code> : null}
          </Alert>
        ) : null}
        {can('jobs.read') ? (
          <Anchor component={Link} to="/jobs" size="sm">
            {t('duplicates.detect.jobsLink')}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            {t('duplicates.detect.noJobs')}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

/** The data stewards' queue of records that may be the same person, most probable first. */
export function DuplicatesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('status');
  const status: DuplicateStatus = DUPLICATE_STATUSES.includes(requested as DuplicateStatus) ? (requested as DuplicateStatus) : 'open';
  const list = useInfiniteQuery({
    queryKey: keys.duplicates(status),
    queryFn: ({ pageParam }) => duplicatesApi.list(status, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const { session, can } = useSession();
  const [detectionJobId, setDetectionJobId] = useDetectionJobId(session?.user.id);
  // The answer to starting a run, shown until the job itself has been read.
  const [started, setStarted] = useState<Job | null>(null);
  const [asking, setAsking] = useState(false);
  const polled = useJob(detectionJobId);
  const detection = polled.data?.id === detectionJobId ? polled.data : started?.id === detectionJobId ? started : null;
  // One run at a time from here; without jobs.read the run cannot be followed, so it does not keep the button disabled.
  const detectionRunning = can('jobs.read') && detection !== null && !isFinished(detection);
  return (
    <>
      <PageHeader
        title={t('duplicates.title')}
        description={t('duplicates.description')}
        actions={
          can('persons.merge') ? (
            <Button variant="light" onClick={() => setAsking(true)} disabled={detectionRunning} data-testid="detect-duplicates">
              {t('duplicates.detect.run')}
            </Button>
          ) : null
        }
      />
      {asking ? (
        <DetectModal
          onClose={() => setAsking(false)}
          onStarted={(job) => {
            setStarted(job);
            setDetectionJobId(job.id);
          }}
        />
      ) : null}
      {detection ? (
        <DetectionPanel
          job={detection}
          error={polled.error}
          onDismiss={() => {
            setStarted(null);
            setDetectionJobId(null);
          }}
        />
      ) : null}
      <Stack gap={4} mb="lg">
        <Text size="sm" fw={500} id="duplicate-status-label">
          {t('duplicates.statusFilter')}
        </Text>
        <SegmentedControl
          aria-labelledby="duplicate-status-label"
          data-testid="status-filter"
          value={status}
          onChange={(value) => {
            const next = new URLSearchParams(params);
            if (value === 'open') next.delete('status');
            else next.set('status', value);
            setParams(next);
          }}
          data={DUPLICATE_STATUSES.map((value) => ({ value, label: t(`duplicateStatus.${value}`) }))}
          style={{ alignSelf: 'flex-start', maxWidth: '100%' }}
        />
      </Stack>
      {list.isLoading ? <Loading /> : null}
      {list.error ? <ProblemAlert error={list.error} /> : null}
      {list.isSuccess && items.length === 0 ? <Empty>{t(`duplicates.empty.${status}`)}</Empty> : null}
      {items.length > 0 ? (
        <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('duplicates.listLabel')} data-testid="pairs">
          {items.map((item) => (
            <PairCard key={item.pair.id} item={item} />
          ))}
        </Stack>
      ) : null}
      {list.hasNextPage ? (
        <Group justify="center" mt="md">
          <Button variant="light" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Group>
      ) : null}
    </>
  );
}
