import { Badge, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useRoles } from '../api/queries';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { Empty, Loading } from '../components/States';

export function RolesPage() {
  const { t, i18n } = useTranslation();
  const roles = useRoles();
  return (
    <>
      <PageHeader title={t('roles.title')} description={t('roles.description')} />
      {roles.isLoading ? <Loading /> : null}
      {roles.error ? <ProblemAlert error={roles.error} /> : null}
      {roles.data && roles.data.length === 0 ? <Empty>{t('roles.empty')}</Empty> : null}
      {roles.data && roles.data.length > 0 ? (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="sm" data-testid="roles-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('roles.name')}</Table.Th>
                <Table.Th scope="col">{t('roles.code')}</Table.Th>
                <Table.Th scope="col">{t('roles.permissions')}</Table.Th>
                <Table.Th scope="col">{t('roles.requiresTotp')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {roles.data.map((role) => (
                <Table.Tr key={role.code}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {i18n.language === 'en' ? role.name_en : role.name_zh}
                    </Text>
                    <Text size="xs" c="dimmed" lang={i18n.language === 'en' ? 'zh-Hant' : 'en'}>
                      {i18n.language === 'en' ? role.name_zh : role.name_en}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {role.code}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {role.permissions.map((permission) => (
                        <Badge key={permission} variant="light" color="gray" tt="none" title={permission}>
                          {t(`permission.${permission.replace('.', '_')}`, { defaultValue: permission })}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{role.requires_totp ? t('common.yes') : t('common.no')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </>
  );
}
