import { Button, Group, Modal, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from './SessionContext';

const WARN_BEFORE_MS = 2 * 60_000;

/** Warns two minutes before the server ends an idle session, and offers to stay signed in. */
export function IdleWarning() {
  const { t } = useTranslation();
  const { idleDeadline, refresh, expire, state } = useSession();
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState(false);
  const expiring = useRef(false);

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);

  useEffect(() => {
    // The time is up: end the session (here and on the server, in case its clock is behind ours).
    if (idleDeadline !== null && now >= idleDeadline && state.status === 'signed_in' && !expiring.current) {
      expiring.current = true;
      void expire();
    }
  }, [now, idleDeadline, expire, state.status]);

  if (idleDeadline === null) return null;
  const left = idleDeadline - now;
  const open = left <= WARN_BEFORE_MS && left > 0;
  const seconds = Math.max(0, Math.ceil(left / 1000));
  const time = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return (
    <Modal
      opened={open}
      onClose={() => undefined}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      centered
      title={t('idle.title')}
    >
      <Text aria-live="polite">{t('idle.body', { time })}</Text>
      <Group justify="flex-end" mt="lg">
        <Button
          loading={busy}
          onClick={() => {
            setBusy(true);
            refresh()
              .catch(() => undefined)
              .finally(() => setBusy(false));
          }}
        >
          {t('idle.stay')}
        </Button>
      </Group>
    </Modal>
  );
}
