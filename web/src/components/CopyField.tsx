import { Button, CopyButton, Group, Code, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A secret shown once, with a copy button. */
export function CopyField({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" wrap="nowrap" align="center">
      <Code
        fz="lg"
        p="sm"
        style={{ userSelect: 'all', overflowWrap: 'anywhere', flex: 1 }}
        aria-label={label}
        data-testid={testId}
      >
        {value}
      </Code>
      <CopyButton value={value} timeout={2500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('common.copied') : t('common.copy')} withArrow>
            <Button variant="light" color={copied ? 'teal' : 'blue'} onClick={copy}>
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
