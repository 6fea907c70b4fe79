import { Alert, Anchor, Box, Button, Card, Code, FileInput, Group, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type DragEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { saveFile } from '../api/client';
import { importsApi, jobsApi, type ImportRequest } from '../api/endpoints';
import { keys, useUnits } from '../api/queries';
import type { ImportOutcome, ImportReport, Job, Locale } from '../api/types';
import { confirmAction } from '../components/confirm';
import { JobProgressBar, JobStatusBadge } from '../components/JobProgress';
import { PageHeader } from '../components/PageHeader';
import { ReasonChips, ScoreBar } from '../components/PersonBits';
import { ProblemAlert } from '../components/ProblemAlert';
import { UnitSelect } from '../components/UnitSelect';
import { applyProblem } from '../lib/forms';
import { IMPORT_COLUMNS, importTemplate } from '../lib/imports';
import { MIN_MERGE_REASON } from '../lib/persons';
import { useSession } from '../session/SessionContext';

const OUTCOME_COLORS: Record<ImportOutcome, string> = {
  empty: 'gray',
  errors: 'red',
  ready: 'teal',
  duplicates: 'orange',
  duplicates_not_accepted: 'orange',
  applied: 'teal',
};

/** The columns of the header row that are unknown or missing (the server checks the same). */
function headerProblems(text: string): { unknown: string[]; missing: string[] } {
  const first = text.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0] ?? '';
  const columns = first.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1').trim());
  const known = new Set<string>(IMPORT_COLUMNS);
  return {
    unknown: columns.filter((column) => column && !known.has(column)),
    missing: IMPORT_COLUMNS.filter((column) => !columns.includes(column)),
  };
}

interface Run {
  mode: ImportRequest['mode'];
  job: Job;
}

function DropZone({ file, onFile, error }: { file: File | null; onFile: (file: File | null) => void; error?: string | null }) {
  const { t } = useTranslation();
  const [over, setOver] = useState(false);
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    const dropped = event.dataTransfer.files?.[0];
    if (dropped) onFile(dropped);
  };
  return (
    <Box
      p="lg"
      data-testid="drop-zone"
      data-over={over ? 'true' : 'false'}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      style={{
        border: `2px dashed var(--mantine-color-${over ? 'blue-6' : 'gray-5'})`,
        borderRadius: 'var(--mantine-radius-md)',
        background: over ? 'var(--mantine-color-blue-0)' : undefined,
      }}
    >
      <Stack gap="xs" align="stretch">
        <Text size="sm" ta="center" fw={500}>
          {t('import.dropHere')}
        </Text>
        <FileInput
          label={t('import.file')}
          placeholder={t('import.choose')}
          accept=".csv,text/csv"
          clearable
          value={file}
          onChange={onFile}
          error={error}
          clearButtonProps={{ 'aria-label': t('import.clearFile') }}
          data-testid="import-file"
        />
      </Stack>
    </Box>
  );
}

function Count({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Card withBorder padding="sm" data-testid={testId} data-value={value}>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Card>
  );
}

/** One table of the import report under its heading, scrollable at tablet width. */
function ReportTable({
  id,
  title,
  columns,
  testId,
  striped = false,
  after,
  children,
}: {
  id: string;
  title: string;
  columns: string[];
  testId: string;
  striped?: boolean;
  after?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <Title order={2} fz="h4" mb="xs" id={id}>
        {title}
      </Title>
      <Table.ScrollContainer minWidth={400} scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-labelledby': id } }}>
        <Table striped={striped} withTableBorder verticalSpacing="xs" data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => (
                <Table.Th scope="col" key={column}>
                  {column}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {after}
    </section>
  );
}

function ReportView({ report, mode }: { report: ImportReport; mode: ImportRequest['mode'] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Locale;
  const hidden = report.error_count - report.errors.length;
  return (
    <Stack gap="lg" data-testid="import-report" data-outcome={report.outcome} data-mode={mode}>
      <Alert color={OUTCOME_COLORS[report.outcome] ?? 'gray'} variant="light" title={t(`importOutcome.${report.outcome}.title`)} data-testid="import-outcome" role="status">
        <Text size="sm">{t(`importOutcome.${report.outcome}.body`, { created: report.created, households: report.households, n: report.duplicate_count })}</Text>
      </Alert>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} spacing="sm">
        <Count label={t('import.rows')} value={report.rows} testId="count-rows" />
        <Count label={t('import.valid')} value={report.valid} testId="count-valid" />
        <Count label={t('import.errorCount')} value={report.error_count} testId="count-errors" />
        <Count label={t('import.duplicateCount')} value={report.duplicate_count} testId="count-duplicates" />
        <Count label={t('import.created')} value={report.created} testId="count-created" />
        <Count label={t('import.households')} value={report.households} testId="count-households" />
      </SimpleGrid>
      {report.errors.length > 0 ? (
        <ReportTable
          id="import-errors-title"
          title={t('import.errorsTitle')}
          columns={[t('import.line'), t('import.column'), t('import.problem')]}
          testId="import-errors"
          striped
          after={
            hidden > 0 ? (
              <Text size="sm" c="dimmed" mt="xs">
                {t('import.moreErrors', { n: hidden })}
              </Text>
            ) : null
          }
        >
          {report.errors.map((error, index) => (
            <Table.Tr key={`${error.line}-${error.column}-${error.code}-${index}`} data-testid="import-error" data-line={error.line} data-column={error.column} data-code={error.code}>
              <Table.Td>{error.line}</Table.Td>
              <Table.Td>{error.column ? <Code>{error.column}</Code> : '—'}</Table.Td>
              <Table.Td>{error.message[language] ?? error.message.en ?? error.code}</Table.Td>
            </Table.Tr>
          ))}
        </ReportTable>
      ) : null}
      {report.duplicates_in_file.length > 0 ? (
        <ReportTable
          id="import-file-duplicates-title"
          title={t('import.inFileTitle')}
          columns={[t('import.line'), t('import.otherLine'), t('person.match')]}
          testId="duplicates-in-file"
        >
          {report.duplicates_in_file.map((duplicate) => (
            <Table.Tr key={`${duplicate.line}-${duplicate.other_line}`} data-line={duplicate.line}>
              <Table.Td>{duplicate.line}</Table.Td>
              <Table.Td>{duplicate.other_line}</Table.Td>
              <Table.Td>
                <Stack gap={4}>
                  <ScoreBar score={duplicate.score} />
                  <ReasonChips reasons={duplicate.reasons} />
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </ReportTable>
      ) : null}
      {report.duplicates_in_registry.length > 0 ? (
        <ReportTable
          id="import-registry-duplicates-title"
          title={t('import.inRegistryTitle')}
          columns={[t('import.line'), t('import.existingRecord'), t('person.match')]}
          testId="duplicates-in-registry"
        >
          {report.duplicates_in_registry.map((duplicate) => (
            <Table.Tr key={`${duplicate.line}-${duplicate.person_id}`} data-line={duplicate.line} data-person-id={duplicate.person_id}>
              <Table.Td>{duplicate.line}</Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/persons/${duplicate.person_id}`} size="sm">
                  {t('person.recordNumber', { id: duplicate.person_id })}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Stack gap={4}>
                  <ScoreBar score={duplicate.score} />
                  <ReasonChips reasons={duplicate.reasons} />
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </ReportTable>
      ) : null}
    </Stack>
  );
}

function AcceptDuplicatesForm({ pending, onAccept }: { pending: boolean; onAccept: (reason: string) => void }) {
  const { t } = useTranslation();
  const form = useForm({
    initialValues: { reason: '' },
    validate: {
      reason: (value) => (value.trim().length >= MIN_MERGE_REASON ? null : t('person.reasonTooShort', { min: MIN_MERGE_REASON })),
    },
  });
  return (
    <form noValidate data-testid="accept-duplicates-form" onSubmit={form.onSubmit((values) => onAccept(values.reason.trim()))}>
      <Stack gap="sm">
        <Textarea
          label={t('import.acceptReason')}
          description={t('import.acceptHint', { min: MIN_MERGE_REASON })}
          required
          autosize
          minRows={2}
          maxLength={1000}
          {...form.getInputProps('reason')}
        />
        <Group>
          <Button type="submit" loading={pending} data-testid="import-anyway">
            {t('import.importAnyway')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Import people from a CSV file: a dry run that reports every problem, then all or nothing. */
export function PersonImportPage() {
  const { t } = useTranslation();
  const { session, can } = useSession();
  const units = useUnits();
  const [file, setFile] = useState<File | null>(null);
  const [header, setHeader] = useState<{ unknown: string[]; missing: string[] } | null>(null);
  const [unitId, setUnitId] = useState<string | null>(session ? String(session.user.unit_id) : null);
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<unknown>(null);
  const startForm = useForm({ initialValues: { unit_id: '', file: '' } });

  useEffect(() => {
    // A new file: the previous report no longer applies, and its header row is checked.
    setRun(null);
    setError(null);
    setHeader(null);
    if (!file) return;
    let cancelled = false;
    void file.text().then((text) => {
      if (!cancelled) setHeader(headerProblems(text));
    });
    return () => {
      cancelled = true;
    };
  }, [file]);
  const fileError =
    header && (header.unknown.length > 0 || header.missing.length > 0)
      ? [
          header.unknown.length > 0 ? t('import.unknownColumns', { columns: header.unknown.join(', ') }) : '',
          header.missing.length > 0 ? t('import.missingColumns', { columns: header.missing.join(', ') }) : '',
        ]
          .filter(Boolean)
          .join(' ')
      : null;
  useEffect(() => {
    setRun(null);
  }, [unitId]);

  const job = useQuery({
    queryKey: keys.job(run?.job.id ?? 0),
    queryFn: () => jobsApi.get(run?.job.id ?? 0),
    enabled: run !== null && can('jobs.read'),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'succeeded' || status === 'failed' ? false : 700;
    },
  });
  const shown = job.data && job.data.id === run?.job.id ? job.data : (run?.job ?? null);
  const finished = shown?.status === 'succeeded' || shown?.status === 'failed';
  const report = shown?.status === 'succeeded' ? (shown.result as unknown as ImportReport | null) : null;
  const queryClient = useQueryClient();
  const applied = report?.outcome === 'applied';
  useEffect(() => {
    if (applied) void queryClient.invalidateQueries({ queryKey: ['persons'] });
  }, [applied, queryClient]);

  const upload = useMutation({
    mutationFn: (options: { mode: ImportRequest['mode']; reason?: string }) =>
      importsApi.upload(
        {
          mode: options.mode,
          unit_id: Number(unitId),
          file_name: file?.name ?? 'import.csv',
          ...(options.reason ? { accept_duplicates: true, reason: options.reason } : {}),
        },
        file as File,
      ),
    onMutate: () => setError(null),
    onSuccess: (started, options) => setRun({ mode: options.mode, job: started.job }),
    onError: (caught) => setError(applyProblem(startForm, caught, { unit_id: 'unit_id' })),
  });
  const running = upload.isPending || (run !== null && !finished);
  const canStart = Boolean(file && unitId && !fileError && !running);

  const apply = async () => {
    if (!report) return;
    const ok = await confirmAction({
      title: t('import.applyTitle'),
      message: t('import.applyBody', { n: report.rows }),
      confirmLabel: t('import.apply'),
      danger: false,
    });
    if (ok) upload.mutate({ mode: 'apply' });
  };

  return (
    <>
      <Anchor component={Link} to="/persons" size="sm" mb="xs" display="inline-block">
        {t('person.backToSearch')}
      </Anchor>
      <PageHeader
        title={t('import.title')}
        description={t('import.description')}
        actions={
          <Button variant="default" onClick={() => saveFile(importTemplate(), 'openwelfare-import-template.csv')} data-testid="download-template">
            {t('import.template')}
          </Button>
        }
      />
      <Stack gap="lg">
        <Card withBorder padding="lg" component="section" aria-labelledby="import-file-title">
          <Title order={2} fz="h4" mb="xs" id="import-file-title">
            {t('import.fileTitle')}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t('import.fileHint')}
          </Text>
          <Stack gap="md">
            <DropZone file={file} onFile={setFile} error={fileError ?? (typeof startForm.errors.file === 'string' ? startForm.errors.file : null)} />
            <UnitSelect
              units={units.data ?? []}
              label={t('import.unit')}
              description={t('import.unitHint')}
              required
              allowDeselect={false}
              value={unitId}
              onChange={setUnitId}
              error={startForm.errors.unit_id}
              data-testid="import-unit"
            />
            <Text size="xs" c="dimmed">
              {t('import.columns')} <Code>{IMPORT_COLUMNS.join(', ')}</Code>
            </Text>
            <ProblemAlert error={error} />
            <Group>
              <Button onClick={() => upload.mutate({ mode: 'dry_run' })} disabled={!canStart} loading={upload.isPending && upload.variables?.mode === 'dry_run'} data-testid="import-check">
                {t('import.check')}
              </Button>
            </Group>
          </Stack>
        </Card>
        {shown ? (
          <Card withBorder padding="lg" component="section" aria-labelledby="import-run-title" data-testid="import-run">
            <Group justify="space-between" mb="sm" wrap="wrap">
              <Title order={2} fz="h4" id="import-run-title">
                {run?.mode === 'apply' ? t('import.applyRunTitle') : t('import.checkRunTitle')}
              </Title>
              <Group gap="sm" aria-live="polite">
                <JobStatusBadge job={shown} />
                <JobProgressBar job={shown} />
              </Group>
            </Group>
            {!can('jobs.read') ? (
              <Text size="sm" c="dimmed">
                {t('audit.verifyNoJobs')}
              </Text>
            ) : null}
            {shown.status === 'failed' ? (
              <Alert color="red" variant="light" title={t('import.failedTitle')} data-testid="import-failed">
                <Text size="sm">{t('import.failedBody')}</Text>
                {shown.error ? (
                  <Text size="xs" c="dimmed" mt={4}>
                    <Code>{shown.error}</Code>
                  </Text>
                ) : null}
              </Alert>
            ) : null}
            {report && run ? <ReportView report={report} mode={run.mode} /> : null}
            {report && (report.outcome === 'ready' || report.outcome === 'duplicates' || report.outcome === 'duplicates_not_accepted') ? (
              <Stack gap="sm" mt="lg" data-testid="import-actions">
                {report.outcome === 'ready' ? (
                  <Group>
                    <Button onClick={() => void apply()} loading={upload.isPending} data-testid="import-apply">
                      {t('import.apply')}
                    </Button>
                    <Text size="sm" c="dimmed">
                      {t('import.applyHint')}
                    </Text>
                  </Group>
                ) : (
                  <AcceptDuplicatesForm pending={upload.isPending} onAccept={(reason) => upload.mutate({ mode: 'apply', reason })} />
                )}
              </Stack>
            ) : null}
            {report?.outcome === 'applied' ? (
              <Group mt="lg">
                <Button component={Link} to="/persons" variant="light">
                  {t('import.toSearch')}
                </Button>
              </Group>
            ) : null}
          </Card>
        ) : null}
      </Stack>
    </>
  );
}

