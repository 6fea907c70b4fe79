import { Anchor, Badge, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { duplicatesApi } from '../api/endpoints';
import { keys } from '../api/queries';
import { DUPLICATE_STATUSES, type DuplicateItem, type DuplicateStatus, type PersonRecord } from '../api/types';
import { DateTime } from '../components/DateTime';
import { PairStatusBadge } from '../components/MergeParts';
import { PageHeader } from '../components/PageHeader';
import { PersonFacts, ReasonChips, ScoreBar } from '../components/PersonBits';
import { ProblemAlert } from '../components/ProblemAlert';
import { Empty, Loading } from '../components/States';
import { agreementReasons, englishName } from '../lib/persons';

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
  return (
    <>
      <PageHeader title={t('duplicates.title')} description={t('duplicates.description')} />
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
