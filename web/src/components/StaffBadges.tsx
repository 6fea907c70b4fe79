import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Staff } from '../api/types';

export function StaffBadges({ staff }: { staff: Staff }) {
  const { t } = useTranslation();
  const throttled = Boolean(staff.locked_until && new Date(staff.locked_until).getTime() > Date.now());
  return (
    <Group gap={6} wrap="wrap" data-testid="staff-badges">
      {staff.status === 'locked' ? (
        <Badge color="red" variant="filled" data-testid="badge-locked">
          {t('staff.status.locked')}
        </Badge>
      ) : (
        <Badge color="teal" variant="light" data-testid="badge-active">
          {t('staff.status.active')}
        </Badge>
      )}
      {throttled ? (
        <Badge color="orange" variant="light">
          {t('staff.throttled')}
        </Badge>
      ) : null}
      <Badge color={staff.totp_enabled ? 'blue' : 'gray'} variant="light">
        {staff.totp_enabled ? t('staff.totpOn') : t('staff.totpOff')}
      </Badge>
      {staff.must_change_password ? (
        <Badge color="yellow" variant="light" data-testid="badge-must-change">
          {t('staff.mustChangePassword')}
        </Badge>
      ) : null}
    </Group>
  );
}
