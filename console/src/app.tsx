import { lazy, ReactNode, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { endSession, hasSession, onSessionChange } from './auth/session';
import { MeQuery, SignOutEverywhereMutation, SignOutMutation } from './graphql/operations';
import { setLanguage } from './i18n/i18n';
import { Conversation, Helpline } from './screens/helpline';
import { MyDeliveries } from './screens/my-deliveries';
import { NewRequest } from './screens/new-request';
import { Queue } from './screens/queue';
import { RequestPage } from './screens/request-page';
import { Residents } from './screens/residents';
import { SignIn } from './screens/sign-in';

// The dashboard is visited less than the queue: its code loads only when opened.
const Dashboard = lazy(() => import('./screens/dashboard').then((m) => ({ default: m.Dashboard })));
// Announcements and canned replies are occasional work too.
const Announcements = lazy(() =>
  import('./screens/announcements').then((m) => ({ default: m.Announcements })),
);
const CannedReplies = lazy(() =>
  import('./screens/canned-replies').then((m) => ({ default: m.CannedReplies })),
);

/** Signed in or not, and why a session ended (shown on the sign-in page). */
function useSession() {
  const [state, setState] = useState({ signedIn: hasSession(), expired: false });
  useEffect(
    () =>
      onSessionChange((signedIn, reason) => setState({ signedIn, expired: reason === 'expired' })),
    [],
  );
  return state;
}

export function App() {
  const { signedIn, expired } = useSession();
  if (!signedIn) return <SignIn expired={expired} />;
  return <SignedIn />;
}

function SignedIn() {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: MeQuery });
  const me = data?.me;
  if (error && !me)
    return (
      <p className="page" role="alert">
        {t('errors.network')}
      </p>
    );
  if (!me) return <p className="page">{t('loading')}</p>;
  const coordinator = me.permissions.includes('REQUESTS_READ');
  const agent = me.permissions.includes('DELIVERIES_CARRY');
  // Administrators hold every ward (their `wardIds` is empty) and approve announcements.
  const admin = me.permissions.includes('NOTIFICATIONS_MANAGE');
  const meId = me.staffAccount?.id ?? '';
  const later = (screen: ReactNode) => (
    <Suspense fallback={<p>{t('loading')}</p>}>{screen}</Suspense>
  );
  const home = coordinator ? '/queue' : '/my-deliveries';
  return (
    <>
      <Header name={me.staffAccount?.displayName ?? ''} coordinator={coordinator} agent={agent} />
      <main className="page" id="main">
        <Switch>
          {coordinator && <Route path="/queue">{() => <Queue wardIds={me.wardIds} />}</Route>}
          {coordinator && (
            <Route path="/requests/:id">{(params) => <RequestPage id={params.id} />}</Route>
          )}
          {coordinator && (
            <Route path="/residents">{() => <Residents wardIds={me.wardIds} />}</Route>
          )}
          {coordinator && (
            <Route path="/residents/:id/new-request">
              {(params) => <NewRequest residentId={params.id} />}
            </Route>
          )}
          {coordinator && (
            <Route path="/dashboard">{() => later(<Dashboard wardIds={me.wardIds} />)}</Route>
          )}
          {coordinator && (
            <Route path="/announcements">
              {() => later(<Announcements wardIds={me.wardIds} admin={admin} />)}
            </Route>
          )}
          {coordinator && (
            <Route path="/helpline">{() => <Helpline wardIds={me.wardIds} meId={meId} />}</Route>
          )}
          {coordinator && (
            <Route path="/helpline/replies">
              {() => later(<CannedReplies wardIds={me.wardIds} admin={admin} />)}
            </Route>
          )}
          {coordinator && (
            <Route path="/helpline/:id">{(params) => <Conversation id={params.id} />}</Route>
          )}
          {agent && <Route path="/my-deliveries" component={MyDeliveries} />}
          <Route>
            <Redirect to={home} />
          </Route>
        </Switch>
      </main>
    </>
  );
}

function Header({
  name,
  coordinator,
  agent,
}: {
  name: string;
  coordinator: boolean;
  agent: boolean;
}) {
  const { t, i18n } = useTranslation();
  const [, navigate] = useLocation();
  const [, signOut] = useMutation(SignOutMutation);
  const [, signOutEverywhere] = useMutation(SignOutEverywhereMutation);
  const leave = async (everywhere: boolean) => {
    await (everywhere ? signOutEverywhere({}) : signOut({}));
    endSession();
    navigate('/');
  };
  return (
    <header className="bar">
      <a className="skip" href="#main">
        {t('app.console')}
      </a>
      <span className="brand">{t('app.name')}</span>
      <nav aria-label={t('app.console')}>
        {coordinator && <Link href="/queue">{t('nav.queue')}</Link>}
        {coordinator && <Link href="/dashboard">{t('nav.dashboard')}</Link>}
        {coordinator && <Link href="/residents">{t('nav.residents')}</Link>}
        {coordinator && <Link href="/helpline">{t('nav.helpline')}</Link>}
        {coordinator && <Link href="/announcements">{t('nav.announcements')}</Link>}
        {agent && <Link href="/my-deliveries">{t('nav.myDeliveries')}</Link>}
      </nav>
      <span className="who">{name}</span>
      <button
        type="button"
        className="link"
        aria-label={t('app.languageLabel')}
        onClick={() => setLanguage(i18n.language === 'bn' ? 'en' : 'bn')}
      >
        {t('app.language')}
      </button>
      <button type="button" className="link" onClick={() => void leave(false)}>
        {t('nav.signOut')}
      </button>
      <button type="button" className="link" onClick={() => void leave(true)}>
        {t('nav.signOutEverywhere')}
      </button>
    </header>
  );
}
