/**
 * Who is signed in. Loads the session at start, keeps the CSRF token for the API client,
 * ends the session on any 401, and mirrors the server's idle timer.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { configureClient, isApiError } from '../api/client';
import { meApi, sessionApi } from '../api/endpoints';
import type { Locale, Session } from '../api/types';
import { currentLocale, setLanguage } from '../i18n';

export type SignedOutReason = 'ended' | 'signed_out' | null;

type State =
  | { status: 'loading' }
  | { status: 'anonymous'; reason: SignedOutReason }
  | { status: 'signed_in'; session: Session };

interface SessionApi {
  state: State;
  session: Session | null;
  can: (permission: string) => boolean;
  /** Takes the answer of a successful sign-in. */
  signedIn: (session: Session) => void;
  /** Reloads the session (also refreshes the server's idle timer). */
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
  signOutEverywhere: () => Promise<void>;
  /** The idle time is up: end the session here and on the server. */
  expire: () => Promise<void>;
  /** Changes the interface language, and saves it to the account when signed in. */
  changeLanguage: (language: Locale) => Promise<void>;
  /** When the server will end the session for inactivity (ms since epoch), or null. */
  idleDeadline: number | null;
}

const SessionContext = createContext<SessionApi | null>(null);

/** The server refreshes its idle timer at most once a minute; this mirrors that. */
const SERVER_TOUCH_INTERVAL_MS = 60_000;

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<State>({ status: 'loading' });
  const [lastSeen, setLastSeen] = useState<number>(() => Date.now());
  const stateRef = useRef(state);
  stateRef.current = state;
  const lastSeenRef = useRef(lastSeen);
  /** The language was chosen on the sign-in screen during this visit: save it to the account. */
  const languageChosenBeforeSignIn = useRef(false);

  const touch = useCallback(() => {
    const now = Date.now();
    if (now - lastSeenRef.current > SERVER_TOUCH_INTERVAL_MS) {
      lastSeenRef.current = now;
      setLastSeen(now);
    }
  }, []);

  const resetTouch = useCallback(() => {
    const now = Date.now();
    lastSeenRef.current = now;
    setLastSeen(now);
  }, []);

  const adopt = useCallback(
    (session: Session, fresh: boolean) => {
      configureClient({ csrfToken: session.csrf_token });
      if (fresh) resetTouch();
      setState({ status: 'signed_in', session });
      const ui = currentLocale();
      if (languageChosenBeforeSignIn.current) {
        languageChosenBeforeSignIn.current = false;
        if (session.user.locale !== ui) void meApi.setLocale(ui).catch(() => undefined);
      } else if (session.user.locale !== ui) {
        void setLanguage(session.user.locale);
      }
    },
    [resetTouch],
  );

  const end = useCallback(
    (reason: SignedOutReason) => {
      configureClient({ csrfToken: null });
      queryClient.clear();
      setState({ status: 'anonymous', reason });
    },
    [queryClient],
  );

  useEffect(() => {
    configureClient({
      onUnauthenticated: () => {
        if (stateRef.current.status === 'signed_in') end('ended');
      },
      onActivity: touch,
    });
    let cancelled = false;
    sessionApi
      .current()
      .then((session) => {
        if (!cancelled) adopt(session, true);
      })
      .catch(() => {
        if (!cancelled) setState({ status: 'anonymous', reason: null });
      });
    return () => {
      cancelled = true;
    };
  }, [adopt, end, touch]);

  const refresh = useCallback(async () => {
    const session = await sessionApi.current();
    resetTouch();
    setState({ status: 'signed_in', session });
    configureClient({ csrfToken: session.csrf_token });
  }, [resetTouch]);

  const signOut = useCallback(async () => {
    try {
      await sessionApi.signOut();
    } catch (error) {
      if (!isApiError(error) || error.status !== 401) throw error;
    }
    end('signed_out');
  }, [end]);

  const expire = useCallback(async () => {
    await sessionApi.signOut().catch(() => undefined);
    end('ended');
  }, [end]);

  const signOutEverywhere = useCallback(async () => {
    await sessionApi.signOutEverywhere();
    end('signed_out');
  }, [end]);

  const changeLanguage = useCallback(async (language: Locale) => {
    await setLanguage(language);
    const current = stateRef.current;
    if (current.status === 'signed_in') {
      await meApi.setLocale(language);
      setState({ status: 'signed_in', session: { ...current.session, user: { ...current.session.user, locale: language } } });
    } else {
      languageChosenBeforeSignIn.current = true;
    }
  }, []);

  const value = useMemo<SessionApi>(() => {
    const session = state.status === 'signed_in' ? state.session : null;
    const permissions = new Set(session && !session.restricted ? session.user.permissions : []);
    return {
      state,
      session,
      can: (permission) => permissions.has(permission),
      signedIn: (next) => adopt(next, true),
      refresh,
      signOut,
      signOutEverywhere,
      expire,
      changeLanguage,
      idleDeadline: session ? lastSeen + session.idle_timeout_seconds * 1000 : null,
    };
  }, [state, adopt, refresh, signOut, signOutEverywhere, expire, changeLanguage, lastSeen]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
