import { Box, Container, Group, Paper } from '@mantine/core';
import type { ReactNode } from 'react';
import { LanguageSwitch } from './LanguageSwitch';
import { ProductName, SignOutButton, SkipLink } from './AppLayout';
import { IdleWarning } from '../session/IdleWarning';

/** The frame of the screens before the console: sign-in and the steps a restricted session must finish. */
export function AuthLayout({ children, signedIn = false, width = 460 }: { children: ReactNode; signedIn?: boolean; width?: number }) {
  return (
    <Box mih="100vh" bg="gray.0">
      <SkipLink />
      <Box component="header" bg="white" px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Group justify="space-between" wrap="nowrap">
          <ProductName />
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitch />
            {signedIn ? <SignOutButton /> : null}
          </Group>
        </Group>
      </Box>
      <Container component="main" id="main" size={width} py="xl" px="md" tabIndex={-1} style={{ outline: 'none' }}>
        <Paper withBorder shadow="sm" radius="md" p={{ base: 'md', sm: 'xl' }}>
          {children}
        </Paper>
      </Container>
      {signedIn ? <IdleWarning /> : null}
    </Box>
  );
}
