import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { startSession } from '../auth/session';
import { SignInMutation } from '../graphql/operations';
import { setLanguage } from '../i18n/i18n';
import { digits, Language } from '../lib/bengali';
import { errorCode } from '../lib/user-errors';

/** Username or phone (any local form, either script: the API normalises it) and password. */
export function SignIn({ expired }: { expired: boolean }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [{ fetching }, signIn] = useMutation(SignInMutation);
  const [problem, setProblem] = useState<string | null>(expired ? t('signIn.expired') : null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await signIn({
      input: { login: String(form.get('login')), password: String(form.get('password')) },
    });
    const session = result.data?.signIn;
    if (session?.accessToken && session.refreshToken && session.accessTokenExpiresAt) {
      startSession({
        accessToken: session.accessToken,
        accessTokenExpiresAt: session.accessTokenExpiresAt,
        refreshToken: session.refreshToken,
      });
      return;
    }
    const code = errorCode(result.error);
    if (code === 'RATE_LIMITED') {
      const seconds = Number(result.error?.graphQLErrors[0]?.extensions?.retryAfterSeconds ?? 900);
      setProblem(t('signIn.locked', { minutes: digits(Math.ceil(seconds / 60), language) }));
    } else if (code === 'UNAUTHENTICATED' || session?.errors.length) {
      setProblem(t('signIn.wrong'));
    } else {
      setProblem(t('errors.network'));
    }
  };

  return (
    <main className="page narrow" id="main">
      <div className="bar-lang">
        <button
          type="button"
          className="link"
          onClick={() => setLanguage(language === 'bn' ? 'en' : 'bn')}
        >
          {t('app.language')}
        </button>
      </div>
      <h1>
        {t('app.name')} — {t('app.console')}
      </h1>
      <form onSubmit={(e) => void submit(e)} className="card stack">
        <h2>{t('signIn.title')}</h2>
        {problem && (
          <p className="problem" role="alert">
            {problem}
          </p>
        )}
        <label>
          {t('signIn.login')}
          <input name="login" autoComplete="username" required autoCapitalize="none" />
        </label>
        <label>
          {t('signIn.password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={fetching}>
          {t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
