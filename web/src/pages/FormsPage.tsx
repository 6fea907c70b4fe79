/**
 * Forms (settings): the form definitions in use, and a preview of one for whoever configures the system: the
 * questions that appear, the computed values, and what a submission would be refused for. Nothing is saved.
 */
import { Alert, Badge, Box, Button, Group, List, SimpleGrid, Stack, Switch, Text, Title, UnstyledButton } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useForms } from '../api/queries';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { Empty, Loading } from '../components/States';
import { FormRenderer } from '../forms/FormRenderer';
import { allFields, checkAnswers, findField, localToday, type Answers, type FormDefinition, type FormProblem } from '../forms/formLogic';
import { problemMessage, problemsByField } from '../forms/problems';

export function FormsPage() {
  const { t, i18n } = useTranslation();
  const forms = useForms();
  const [params, setParams] = useSearchParams();
  const code = params.get('code');
  const chosen = forms.data?.find((form) => form.code === code) ?? null;
  const english = i18n.language === 'en';
  // A form chosen here (not one in the address when the page opened): move to its preview.
  const [focusPreview, setFocusPreview] = useState(false);

  return (
    <>
      <PageHeader title={t('forms.title')} description={t('forms.description')} />
      {forms.isLoading ? <Loading /> : null}
      {forms.error ? <ProblemAlert error={forms.error} /> : null}
      {forms.data && forms.data.length === 0 ? <Empty>{t('forms.empty')}</Empty> : null}
      {forms.data && forms.data.length > 0 ? (
        <Stack gap="xl">
          <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} spacing="sm" data-testid="forms-list" aria-label={t('forms.listLabel')} role="group">
            {forms.data.map((form) => {
              const current = form.code === chosen?.code;
              return (
                <UnstyledButton
                  key={form.code}
                  className="form-card"
                  aria-pressed={current}
                  mod={{ checked: current }}
                  onClick={() => {
                    setFocusPreview(true);
                    setParams(current ? {} : { code: form.code });
                  }}
                  data-testid={`preview-${form.code}`}
                >
                  <Text component="span" display="block" fw={600}>
                    {english ? form.title.en : form.title.zh}
                  </Text>
                  <Text component="span" display="block" size="xs" c="dimmed" lang={english ? 'zh-Hant' : 'en'}>
                    {english ? form.title.zh : form.title.en}
                  </Text>
                  <Box component="span" className="form-card-meta">
                    <Text component="span" size="sm" ff="monospace" title={t('forms.code')}>
                      {form.code}
                    </Text>
                    <Badge variant="light" color="gray" tt="none">
                      {t('forms.version', { version: form.version })}
                    </Badge>
                  </Box>
                </UnstyledButton>
              );
            })}
          </SimpleGrid>
          {chosen ? (
            <FormPreview key={`${chosen.code}-${chosen.version}`} form={chosen} focus={focusPreview} />
          ) : (
            <Text c="dimmed">{code ? t('forms.notFound') : t('forms.chooseForm')}</Text>
          )}
        </Stack>
      ) : null}
    </>
  );
}

function FormPreview({ form, focus }: { form: FormDefinition; focus: boolean }) {
  const { t, i18n } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Only when the preview opens (the key of FormPreview changes with the form).
    if (focus) heading.current?.focus();
  }, [focus]);
  const [answers, setAnswers] = useState<Answers>({});
  const [checked, setChecked] = useState(false);
  const [readOnly, setReadOnly] = useState(false);
  const result = useRef<HTMLDivElement>(null);
  const today = useMemo(() => localToday(), []);
  // After the first check the result follows the answers, so that a problem disappears once it is fixed.
  const problems = useMemo(
    () => (checked ? checkAnswers(form, answers, { complete: true, today }) : []),
    [checked, form, answers, today],
  );
  const errors = useMemo(() => problemsByField(t, form, problems), [t, form, problems]);
  const english = i18n.language === 'en';

  const check = () => {
    setChecked(true);
    window.setTimeout(() => result.current?.focus(), 0);
  };

  return (
    <Stack gap="md" component="section" aria-labelledby="form-preview-title" data-testid="form-preview">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={4}>
          <Title order={2} id="form-preview-title" ref={heading} tabIndex={-1} style={{ outline: 'none', scrollMarginTop: 80 }}>
            {t('forms.previewTitle', { title: english ? form.title.en : form.title.zh })}
          </Title>
          <Text size="sm" c="dimmed">
            {t('forms.previewHint')}
          </Text>
        </Stack>
        <Badge variant="light" color="yellow" size="lg" tt="none">
          {t('forms.notSaved')}
        </Badge>
      </Group>
      <Group gap="md" wrap="wrap">
        <Switch
          size="md"
          label={t('forms.readOnlyView')}
          checked={readOnly}
          onChange={(event) => setReadOnly(event.currentTarget.checked)}
          data-testid="preview-read-only"
        />
        <Button
          variant="default"
          size="md"
          onClick={() => {
            setAnswers({});
            setChecked(false);
          }}
          data-testid="preview-clear"
        >
          {t('forms.clearAnswers')}
        </Button>
      </Group>
      <FormRenderer
        definition={form}
        value={answers}
        onChange={setAnswers}
        errors={errors}
        readOnly={readOnly}
        showComputed
        withTitle
        headingOrder={3}
        today={today}
      />
      {readOnly ? null : (
        <Group>
          <Button size="md" onClick={check} data-testid="preview-check">
            {t('forms.checkComplete')}
          </Button>
        </Group>
      )}
      <div ref={result} tabIndex={-1} style={{ outline: 'none' }}>
        {checked ? <CheckResult form={form} problems={problems} /> : null}
      </div>
    </Stack>
  );
}

function CheckResult({ form, problems }: { form: FormDefinition; problems: FormProblem[] }) {
  const { t, i18n } = useTranslation();
  if (problems.length === 0) {
    return (
      <Alert color="green" variant="light" role="status" data-testid="preview-check-passed">
        {t('forms.checkPassed')}
      </Alert>
    );
  }
  const english = i18n.language === 'en';
  // In the order of the questions (the server lists refused answers first).
  const order = new Map(allFields(form).map((field, index) => [field.id, index]));
  const sorted = [...problems].sort((a, b) => (order.get(a.field) ?? Infinity) - (order.get(b.field) ?? Infinity));
  return (
    <Alert color="red" variant="light" role="alert" title={t('forms.checkFailed', { n: problems.length })} data-testid="preview-check-failed">
      <List size="sm">
        {sorted.map((problem) => {
          const field = findField(form, problem.field);
          const label = field ? (english ? field.label.en : field.label.zh) : problem.field;
          return (
            <List.Item key={`${problem.field}-${problem.code}`} data-code={problem.code} data-field={problem.field}>
              {t('forms.fieldProblem', { field: label, message: problemMessage(t, problem, field) })}
            </List.Item>
          );
        })}
      </List>
    </Alert>
  );
}
