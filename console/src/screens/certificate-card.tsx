import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import type { RequestPageQuery } from '../gql/graphql';
import { ReissueCertificateMutation, RevokeCertificateMutation } from '../graphql/operations';
import { formatDateTime, Language } from '../lib/bengali';
import { downloadFile } from '../lib/files';
import { mapUserErrors } from '../lib/user-errors';

type Certificate = NonNullable<NonNullable<RequestPageQuery['request']>['certificate']>;

/** The request's certificate: its PDF, and revoking or reissuing it with a reason. */
export function CertificateCard({
  certificate,
  onChanged,
}: {
  certificate: Certificate;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [, revoke] = useMutation(RevokeCertificateMutation);
  const [, reissue] = useMutation(ReissueCertificateMutation);
  const [change, setChange] = useState<'revoke' | 'reissue' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '');
    const input = { certificateId: certificate.id, reason };
    const result = change === 'revoke' ? await revoke({ input }) : await reissue({ input });
    const payload =
      result.data &&
      ('revokeCertificate' in result.data
        ? result.data.revokeCertificate
        : result.data.reissueCertificate);
    if (payload?.certificate) {
      setChange(null);
      setError(null);
      return onChanged();
    }
    const mapped = mapUserErrors(payload?.errors ?? [], ['reason']);
    setError(mapped.byField.reason ?? (mapped.general.join(' ') || t('errors.forbidden')));
  };
  return (
    <section className="card stack" aria-labelledby="certificate-h">
      <h2 id="certificate-h">{t('certificate.title')}</h2>
      <p>
        <strong>{certificate.number}</strong>{' '}
        <span
          className={certificate.status === 'ISSUED' ? 'badge ok' : 'badge overdue'}
          data-testid="certificate-status"
        >
          {t(`certificate.status.${certificate.status}`, { defaultValue: certificate.status })}
        </span>
      </p>
      <p className="muted">
        {certificate.signerName} · {formatDateTime(certificate.issuedAt, language)}
      </p>
      {certificate.revokeReason && <p className="note">{certificate.revokeReason}</p>}
      <div className="actions">
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void downloadFile(
              `/certificates/${certificate.id}.pdf`,
              `${certificate.number.replace(/\//g, '-')}.pdf`,
            )
          }
        >
          {t('certificate.download')}
        </button>
        {certificate.status === 'ISSUED' && (
          <>
            <button type="button" className="secondary" onClick={() => setChange('reissue')}>
              {t('certificate.reissue')}
            </button>
            <button type="button" className="secondary" onClick={() => setChange('revoke')}>
              {t('certificate.revoke')}
            </button>
          </>
        )}
      </div>
      {change && (
        <form onSubmit={(e) => void submit(e)} className="stack inset">
          <div className="field">
            <label htmlFor="certificate-reason">{t('certificate.reason')}</label>
            <textarea
              id="certificate-reason"
              name="reason"
              rows={2}
              required
              aria-describedby="certificate-reason-error"
            />
            {error && (
              <span className="problem" id="certificate-reason-error" role="alert">
                {error}
              </span>
            )}
          </div>
          <div className="actions">
            <button type="submit">
              {change === 'revoke' ? t('certificate.revoke') : t('certificate.reissue')}
            </button>
            <button type="button" className="secondary" onClick={() => setChange(null)}>
              {t('request.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
