import { Button, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { jobsApi } from '../api/endpoints';
import { keys } from '../api/queries';
import { DateTime } from '../components/DateTime';
import { JobProgressBar, JobResult, JobStatusBadge } from '../components/JobProgress';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { Empty, Loading } from '../components/States';

export function JobsPage() {
  const { t } = useTranslation();
  const jobs = useQuery({
    queryKey: keys.jobs,
    queryFn: async () => (await jobsApi.list()).items,
    refetchInterval: (query) =>
      query.state.data?.some((job) => job.status === 'queued' || job.status === 'running') ? 2000 : false,
  });
  return (
    <>
      <PageHeader
        title={t('jobs.title')}
        description={t('jobs.description')}
        actions={
          <Button variant="light" onClick={() => void jobs.refetch()} loading={jobs.isFetching && !jobs.isLoading}>
            {t('common.refresh')}
          </Button>
        }
      />
      {jobs.isLoading ? <Loading /> : null}
      {jobs.error ? <ProblemAlert error={jobs.error} /> : null}
      {jobs.data && jobs.data.length === 0 ? <Empty>{t('jobs.empty')}</Empty> : null}
      {jobs.data && jobs.data.length > 0 ? (
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="sm" data-testid="jobs-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('jobs.id')}</Table.Th>
                <Table.Th scope="col">{t('jobs.kind')}</Table.Th>
                <Table.Th scope="col">{t('jobs.statusLabel')}</Table.Th>
                <Table.Th scope="col">{t('jobs.progress')}</Table.Th>
                <Table.Th scope="col">{t('jobs.createdAt')}</Table.Th>
                <Table.Th scope="col">{t('jobs.finishedAt')}</Table.Th>
                <Table.Th scope="col">{t('jobs.result')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {jobs.data.map((job) => (
                <Table.Tr key={job.id}>
                  <Table.Td>{job.id}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`jobKind.${job.kind.replace(/\./g, '_')}`, { defaultValue: job.kind })}</Text>
                  </Table.Td>
                  <Table.Td>
                    <JobStatusBadge job={job} />
                  </Table.Td>
                  <Table.Td>
                    <JobProgressBar job={job} />
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={job.created_at} />
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={job.finished_at} fallback="—" />
                  </Table.Td>
                  <Table.Td>
                    <JobResult job={job} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </>
  );
}
