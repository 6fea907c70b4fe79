import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import i18n from '../i18n';

interface ConfirmOptions {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
}

/** Asks before a destructive action; resolves true when confirmed. */
export function confirmAction({ title, message, confirmLabel, danger = true }: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    modals.openConfirmModal({
      title,
      centered: true,
      children: <Text size="sm">{message}</Text>,
      labels: { confirm: confirmLabel, cancel: i18n.t('common.cancel') },
      confirmProps: { color: danger ? 'red' : 'blue', 'data-testid': 'confirm' } as Record<string, unknown>,
      closeButtonProps: { 'aria-label': i18n.t('common.close') },
      onConfirm: () => resolve(true),
      onCancel: () => resolve(false),
      onClose: () => resolve(false),
    });
  });
}
