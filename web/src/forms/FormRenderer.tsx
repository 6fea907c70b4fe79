/**
 * Renders a form defined as data (docs/openapi.yaml `FormDefinition`): its sections and questions with the
 * right inputs, in the interface language, the computed values live, questions shown and hidden by the other
 * answers (a question that hides loses its answer, so the server never sees it), field errors on the fields,
 * and a read-only view for completed or locked records. Large touch targets for use on a tablet.
 */
import {
  Badge,
  Box,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
  type TitleOrder,
} from '@mantine/core';
import { useId, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  formState,
  isAnswered,
  localToday,
  pruneHidden,
  type Answers,
  type FormComputed,
  type FormDefinition,
  type FormField,
  type Label,
} from './formLogic';
import { problemsByField } from './problems';

/** Choice lists longer than this are a drop-down list instead of buttons. */
const SHORT_LIST = 7;

export interface FormRendererProps {
  definition: FormDefinition;
  /** The answers by field id. */
  value: Answers;
  /** The new answers (with the answers of questions that became hidden removed). Left out: nothing is editable. */
  onChange?: (answers: Answers) => void;
  /** Messages by field id, e.g. the server's (see problems.ts `serverFieldErrors`); they win over live checks. */
  errors?: Record<string, string>;
  /** Answers as text (a completed or locked record). */
  readOnly?: boolean;
  /** Show the computed values (sums and levels). Default: true. */
  showComputed?: boolean;
  /** Show problems that need no submission (a number out of range, a date in the future) while answering. Default: true. */
  liveChecks?: boolean;
  /** Show the form's title and version above the sections. Default: true. */
  withTitle?: boolean;
  /** The heading level of the title; sections are one below. Default: 2. */
  headingOrder?: 2 | 3 | 4;
  /** Today as YYYY-MM-DD (for dates that may not be in the future). Default: the browser's date. */
  today?: string;
}

function useLabel(): (label: Label | undefined) => string {
  const { i18n } = useTranslation();
  const english = i18n.language === 'en';
  return (label) => (label ? (english ? label.en : label.zh) : '');
}

export function FormRenderer({
  definition,
  value,
  onChange,
  errors,
  readOnly = false,
  showComputed = true,
  liveChecks = true,
  withTitle = true,
  headingOrder = 2,
  today: givenToday,
}: FormRendererProps) {
  const { t } = useTranslation();
  const text = useLabel();
  const baseId = useId();
  const today = useMemo(() => givenToday ?? localToday(), [givenToday]);
  const state = useMemo(() => formState(definition, value, today), [definition, value, today]);
  const live = useMemo(
    () => (liveChecks && !readOnly ? problemsByField(t, definition, state.problems) : {}),
    [liveChecks, readOnly, t, definition, state.problems],
  );
  const editable = !readOnly && onChange !== undefined;

  const setAnswer = (id: string, answer: unknown) => {
    if (!onChange) return;
    const next: Answers = { ...value };
    if (isAnswered(answer)) next[id] = answer;
    else delete next[id];
    onChange(pruneHidden(definition, next, today));
  };

  const sectionOrder = (headingOrder + 1) as TitleOrder;
  const computed = (definition.computed ?? []).filter((entry) => state.computed[entry.id] !== undefined);

  return (
    <Stack gap="md" data-testid="form-renderer" data-form={definition.code} data-version={definition.version}>
      {withTitle ? (
        <Group gap="sm" align="center" wrap="wrap">
          <Title order={headingOrder as TitleOrder} fz={{ base: 'h3', sm: 'h2' }}>
            {text(definition.title)}
          </Title>
          <Badge variant="light" color="gray" tt="none" size="lg" data-testid="form-version">
            {t('forms.version', { version: definition.version })}
          </Badge>
        </Group>
      ) : null}
      {showComputed && computed.length > 0 ? (
        <Paper
          withBorder
          p="sm"
          shadow={readOnly ? undefined : 'xs'}
          className={readOnly ? undefined : 'form-computed'}
          role="status"
          aria-live="polite"
          aria-label={t('forms.computed')}
          data-testid="form-computed"
        >
          <Group gap="sm" wrap="wrap">
            {computed.map((entry) => (
              <ComputedBadge key={entry.id} entry={entry} value={state.computed[entry.id]} />
            ))}
          </Group>
        </Paper>
      ) : null}
      {definition.sections
        .filter((section) => state.visible.sections.has(section.id))
        .map((section) => {
          const headingId = `${baseId}-${section.id}`;
          const fields = section.fields.filter((field) => state.visible.fields.has(field.id));
          return (
            <Paper
              key={section.id}
              component="section"
              withBorder
              p={{ base: 'sm', sm: 'md' }}
              aria-labelledby={headingId}
              data-testid={`form-section-${section.id}`}
            >
              <Title order={sectionOrder} fz="h4" id={headingId} mb="md">
                {text(section.title)}
              </Title>
              {readOnly ? (
                <Box component="dl" m={0} className="form-answers">
                  {fields.map((field) => (
                    <AnswerText key={field.id} field={field} answer={value[field.id]} />
                  ))}
                </Box>
              ) : (
                <Stack gap="lg">
                  {fields.map((field) => (
                    <FieldInput
                      key={field.id}
                      field={field}
                      answer={value[field.id]}
                      required={state.required.has(field.id)}
                      error={errors?.[field.id] ?? live[field.id]}
                      disabled={!editable}
                      today={today}
                      onAnswer={(answer) => setAnswer(field.id, answer)}
                    />
                  ))}
                </Stack>
              )}
            </Paper>
          );
        })}
    </Stack>
  );
}

/** A sum as a number, a level as its band's label, coloured by rank (the highest band red). */
function ComputedBadge({ entry, value }: { entry: FormComputed; value: number | string | undefined }) {
  const { t } = useTranslation();
  const text = useLabel();
  if (entry.kind === 'sum') {
    return (
      <Badge size="xl" variant="light" color="blue" tt="none" fw={600} data-testid={`computed-${entry.id}`} data-value={value}>
        {t('forms.computedValue', { label: text(entry.label), value: String(value ?? 0) })}
      </Badge>
    );
  }
  const bands = entry.bands ?? [];
  const rank = bands.findIndex((band) => band.value === value);
  const band = bands[rank];
  const top = rank > 0 && rank === bands.length - 1;
  const color = top ? 'red.9' : rank <= 0 ? 'green' : 'orange';
  return (
    <Badge
      size="xl"
      variant={top ? 'filled' : 'light'}
      color={color}
      tt="none"
      fw={700}
      data-testid={`computed-${entry.id}`}
      data-value={value}
      data-rank={rank}
    >
      {t('forms.computedValue', { label: text(entry.label), value: band ? text(band.label) : String(value ?? '') })}
    </Badge>
  );
}

interface FieldInputProps {
  field: FormField;
  answer: unknown;
  required: boolean;
  error: string | undefined;
  disabled: boolean;
  today: string;
  onAnswer: (answer: unknown) => void;
}

function FieldInput({ field, answer, required, error, disabled, today, onAnswer }: FieldInputProps) {
  const { t } = useTranslation();
  const text = useLabel();
  const common = {
    label: text(field.label),
    description: field.help ? text(field.help) : undefined,
    withAsterisk: required,
    error,
    size: 'md' as const,
    disabled,
    'data-testid': `field-${field.id}`,
  };
  const clear =
    !disabled && isAnswered(answer) ? (
      <Button variant="subtle" color="gray" size="compact-sm" onClick={() => onAnswer(undefined)} data-testid={`clear-${field.id}`}>
        {t('forms.clearAnswer')}
      </Button>
    ) : null;
  const ariaRequired = required ? { 'aria-required': true } : {};
  switch (field.type) {
    case 'text':
      return (
        <TextInput
          {...common}
          {...ariaRequired}
          value={typeof answer === 'string' ? answer : ''}
          onChange={(event) => onAnswer(event.currentTarget.value)}
        />
      );
    case 'textarea':
      return (
        <Textarea
          {...common}
          {...ariaRequired}
          autosize
          minRows={3}
          maxRows={12}
          value={typeof answer === 'string' ? answer : ''}
          onChange={(event) => onAnswer(event.currentTarget.value)}
        />
      );
    case 'integer':
    case 'decimal':
      return <NumberField common={common} ariaRequired={required} field={field} answer={answer} onAnswer={onAnswer} />;
    case 'date':
      return (
        <TextInput
          {...common}
          {...ariaRequired}
          type="date"
          w={{ base: '100%', sm: 260 }}
          max={field.not_in_future ? today : undefined}
          value={typeof answer === 'string' ? answer : ''}
          onChange={(event) => onAnswer(event.currentTarget.value)}
        />
      );
    case 'boolean':
      return (
        <Radio.Group
          {...common}
          value={answer === true ? 'yes' : answer === false ? 'no' : ''}
          onChange={(chosen) => onAnswer(chosen === 'yes')}
        >
          <SimpleGrid cols={2} spacing="sm" mt={4} maw={480}>
            <OptionCard kind="radio" value="yes" disabled={disabled}>
              {t('common.yes')}
            </OptionCard>
            <OptionCard kind="radio" value="no" disabled={disabled}>
              {t('common.no')}
            </OptionCard>
          </SimpleGrid>
          {clear}
        </Radio.Group>
      );
    case 'choice': {
      const options = field.options ?? [];
      if (options.length > SHORT_LIST) {
        return (
          <Select
            {...common}
            {...ariaRequired}
            data={options.map((option) => ({ value: option.value, label: text(option.label) }))}
            value={typeof answer === 'string' ? answer : null}
            onChange={(chosen) => onAnswer(chosen ?? undefined)}
            placeholder={t('forms.choose')}
            searchable
            clearable
            allowDeselect
            nothingFoundMessage={t('common.nothingFound')}
            comboboxProps={{ size: 'md' }}
            maw={560}
          />
        );
      }
      return (
        <Radio.Group {...common} value={typeof answer === 'string' ? answer : ''} onChange={(chosen) => onAnswer(chosen)}>
          <Stack gap="xs" mt={4}>
            {options.map((option) => (
              <OptionCard key={option.value} kind="radio" value={option.value} disabled={disabled}>
                {text(option.label)}
              </OptionCard>
            ))}
          </Stack>
          {clear}
        </Radio.Group>
      );
    }
    case 'multi_choice': {
      const chosen = Array.isArray(answer) ? answer.filter((entry): entry is string => typeof entry === 'string') : [];
      return (
        <Checkbox.Group {...common} value={chosen} onChange={(list) => onAnswer(list)}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt={4}>
            {(field.options ?? []).map((option) => (
              <OptionCard key={option.value} kind="checkbox" value={option.value} disabled={disabled}>
                {text(option.label)}
              </OptionCard>
            ))}
          </SimpleGrid>
        </Checkbox.Group>
      );
    }
  }
  return null;
}

/** A whole-width button with a radio or check mark: a touch target of at least 48 px. */
function OptionCard({ kind, value, disabled, children }: { kind: 'radio' | 'checkbox'; value: string; disabled: boolean; children: ReactNode }) {
  // Only phrasing elements (spans) inside the button.
  const content = (indicator: ReactNode) => (
    <Box component="span" className="form-option-row">
      {indicator}
      <Text component="span" size="md" lh={1.4}>
        {children}
      </Text>
    </Box>
  );
  if (kind === 'radio') {
    return (
      <Radio.Card value={value} className="form-option" radius="md" disabled={disabled} data-value={value}>
        {content(<Radio.Indicator size="md" disabled={disabled} />)}
      </Radio.Card>
    );
  }
  return (
    <Checkbox.Card value={value} className="form-option" radius="md" disabled={disabled} data-value={value}>
      {content(<Checkbox.Indicator size="md" disabled={disabled} />)}
    </Checkbox.Card>
  );
}

interface NumberFieldProps {
  common: { label: string; description: string | undefined; withAsterisk: boolean; error: string | undefined; size: 'md'; disabled: boolean };
  ariaRequired: boolean;
  field: FormField;
  answer: unknown;
  onAnswer: (answer: unknown) => void;
}

/**
 * A number: what is being typed ("-", "1.") stays in the box while the answer keeps the last whole number, so
 * a half-typed number never reaches the answers.
 */
function NumberField({ common, ariaRequired, field, answer, onAnswer }: NumberFieldProps) {
  const [typing, setTyping] = useState<string | null>(null);
  const shown = typing ?? (typeof answer === 'number' ? answer : '');
  // No negative numbers: the plain digit keypad of a tablet (it has no minus sign).
  const positive = typeof field.min === 'number' && field.min >= 0;
  return (
    <NumberInput
      {...common}
      aria-required={ariaRequired || undefined}
      data-testid={`field-${field.id}`}
      w={{ base: '100%', sm: 260 }}
      value={shown}
      allowDecimal={field.type === 'decimal'}
      allowNegative={!positive}
      inputMode={positive && field.type === 'integer' ? 'numeric' : 'decimal'}
      min={typeof field.min === 'number' ? field.min : undefined}
      max={typeof field.max === 'number' ? field.max : undefined}
      clampBehavior="none"
      hideControls
      onChange={(next) => {
        if (typeof next === 'number') {
          setTyping(null);
          onAnswer(next);
        } else if (next.trim() === '') {
          setTyping(null);
          onAnswer(undefined);
        } else {
          setTyping(next);
        }
      }}
      onBlur={() => setTyping(null)}
    />
  );
}

/** One answer of a read-only form: the question and the answer as text. */
function AnswerText({ field, answer }: { field: FormField; answer: unknown }) {
  const { t, i18n } = useTranslation();
  const text = useLabel();
  const optionLabel = (chosen: unknown) => {
    const option = (field.options ?? []).find((entry) => entry.value === chosen);
    return option ? text(option.label) : String(chosen);
  };
  let shown: string | null = null;
  if (isAnswered(answer)) {
    if (field.type === 'boolean') shown = answer === true ? t('common.yes') : t('common.no');
    else if (field.type === 'choice') shown = optionLabel(answer);
    else if (field.type === 'multi_choice' && Array.isArray(answer)) shown = answer.map(optionLabel).join(i18n.language === 'en' ? ', ' : '、');
    else shown = String(answer);
  }
  return (
    <div data-testid={`answer-${field.id}`}>
      <Text component="dt" size="sm" c="dimmed" fw={600}>
        {text(field.label)}
      </Text>
      <Text component="dd" m={0} size="md" style={{ whiteSpace: 'pre-wrap' }} c={shown === null ? 'dimmed' : undefined}>
        {shown ?? t('forms.notAnswered')}
      </Text>
    </div>
  );
}
