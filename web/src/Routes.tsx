import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes as RouterRoutes } from 'react-router';
import { AppLayout, NAV_ITEMS } from './components/AppLayout';
import { NoPermission, NotFound } from './components/States';
import { AccountPage } from './pages/AccountPage';
import { AuditPage } from './pages/AuditPage';
import { DuplicateReviewPage } from './pages/DuplicateReviewPage';
import { DuplicatesPage } from './pages/DuplicatesPage';
import { FormsPage } from './pages/FormsPage';
import { JobsPage } from './pages/JobsPage';
import { PersonImportPage } from './pages/PersonImportPage';
import { PersonPage } from './pages/PersonPage';
import { PersonRegisterPage } from './pages/PersonRegisterPage';
import { PersonSearchPage } from './pages/PersonSearchPage';
import { RestrictedPage } from './pages/RestrictedPage';
import { RolesPage } from './pages/RolesPage';
import { SignInPage } from './pages/SignInPage';
import { StaffDetailPage } from './pages/StaffDetailPage';
import { StaffListPage } from './pages/StaffListPage';
import { TokensPage } from './pages/TokensPage';
import { UnitsPage } from './pages/UnitsPage';
import { useSession } from './session/SessionContext';

function Require({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useSession();
  return can(permission) ? <>{children}</> : <NoPermission />;
}

function Home() {
  const { can } = useSession();
  const first = NAV_ITEMS.find((item) => item.permission === null || can(item.permission));
  return <Navigate to={first?.to ?? '/account'} replace />;
}

export function Routes() {
  const { t } = useTranslation();
  const { state } = useSession();
  if (state.status === 'loading') {
    return (
      <Center mih="100vh" role="status">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (state.status === 'anonymous') return <SignInPage reason={state.reason} />;
  if (state.session.restricted) return <RestrictedPage />;
  return (
    <AppLayout>
      <RouterRoutes>
        <Route path="/" element={<Home />} />
        <Route path="/persons" element={<Require permission="persons.search"><PersonSearchPage /></Require>} />
        <Route path="/persons/new" element={<Require permission="persons.write"><PersonRegisterPage /></Require>} />
        <Route path="/persons/import" element={<Require permission="persons.import"><PersonImportPage /></Require>} />
        <Route path="/persons/:id" element={<Require permission="persons.search"><PersonPage /></Require>} />
        <Route path="/duplicates" element={<Require permission="persons.merge"><DuplicatesPage /></Require>} />
        <Route path="/duplicates/:id" element={<Require permission="persons.merge"><DuplicateReviewPage /></Require>} />
        <Route path="/units" element={<Require permission="units.read"><UnitsPage /></Require>} />
        <Route path="/staff" element={<Require permission="staff.read"><StaffListPage /></Require>} />
        <Route path="/staff/:id" element={<Require permission="staff.read"><StaffDetailPage /></Require>} />
        <Route path="/roles" element={<Require permission="staff.read"><RolesPage /></Require>} />
        <Route path="/audit" element={<Require permission="audit.read"><AuditPage /></Require>} />
        <Route path="/jobs" element={<Require permission="jobs.read"><JobsPage /></Require>} />
        <Route path="/tokens" element={<Require permission="tokens.manage"><TokensPage /></Require>} />
        <Route path="/settings/forms" element={<Require permission="cases.read"><FormsPage /></Require>} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="*" element={<NotFound />} />
      </RouterRoutes>
    </AppLayout>
  );
}
