import { notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import i18n from '../i18n';

/** Shows a notification whose close button has an accessible name. */
export function notify({ color, title, message }: { color: string; title?: ReactNode; message: ReactNode }): void {
  notifications.show({
    color,
    ...(title ? { title } : {}),
    message,
    closeButtonProps: { 'aria-label': i18n.t('common.close') },
  });
}
