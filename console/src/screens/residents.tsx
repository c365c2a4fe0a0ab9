import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, useMutation } from 'urql';
import { Link, useLocation } from 'wouter';
import type { ResidentsQuery as Found } from '../gql/graphql';
import {
  CreateResidentMutation,
  ResidentByPhoneQuery,
  ResidentsQuery,
} from '../graphql/operations';
import { looksLikePhone } from '../lib/attribute-form';
import { digits, Language } from '../lib/bengali';
import { mapUserErrors } from '../lib/user-errors';

type Resident = Found['residents']['edges'][number]['node'];
const RESIDENT_FIELDS = ['fullName', 'altName', 'phone', 'address.houseNumber', 'address.locality'];

/** Find a resident by phone or name; register one who phoned in; start a request for them. */
export function Residents({ wardIds }: { wardIds: string[] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const client = useClient();
  const [found, setFound] = useState<Resident[] | null>(null);
  const [registering, setRegistering] = useState(false);

  const search = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('q') ?? '').trim();
    if (!text) return;
    if (looksLikePhone(text)) {
      const result = await client
        .query(ResidentByPhoneQuery, { phone: text }, { requestPolicy: 'network-only' })
        .toPromise();
      const one = result.data?.residentByPhone;
      setFound(one ? [one] : []);
    } else {
      const result = await client
        .query(ResidentsQuery, { search: text }, { requestPolicy: 'network-only' })
        .toPromise();
      setFound(result.data?.residents.edges.map((e) => e.node) ?? []);
    }
  };

  return (
    <section aria-labelledby="residents-h" className="stack">
      <h1 id="residents-h">{t('residents.title')}</h1>
      <form role="search" onSubmit={(e) => void search(e)} className="card stack">
        <label>
          {t('residents.search')}
          <input name="q" type="search" />
        </label>
        <button type="submit">{t('residents.find')}</button>
      </form>
      {found && found.length === 0 && <p>{t('residents.none')}</p>}
      {found && found.length > 0 && (
        <ul className="list">
          {found.map((r) => (
            <li key={r.id} className="card row">
              <span>
                <strong>{r.fullName}</strong>
                <br />
                <span className="muted">
                  {r.phone && digits(r.phone, language)} ·{' '}
                  {t('ward', { number: digits(r.ward.number, language) })}
                </span>
              </span>
              <Link href={`/residents/${r.id}/new-request`}>{t('residents.newRequest')}</Link>
            </li>
          ))}
        </ul>
      )}
      {registering ? (
        <RegisterResident wardIds={wardIds} onCancel={() => setRegistering(false)} />
      ) : (
        <button type="button" className="secondary" onClick={() => setRegistering(true)}>
          {t('residents.register')}
        </button>
      )}
    </section>
  );
}

/** A phoned-in resident: the phone may be typed in Bengali digits (the API normalises it). */
function RegisterResident({ wardIds, onCancel }: { wardIds: string[]; onCancel: () => void }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const [{ fetching }, create] = useMutation(CreateResidentMutation);
  const [errors, setErrors] = useState(mapUserErrors([], []));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    const result = await create({
      input: {
        wardId: text('wardId') ?? wardIds[0],
        fullName: text('fullName') ?? '',
        altName: text('altName'),
        phone: text('phone'),
        address: { houseNumber: text('houseNumber'), locality: text('locality') },
        channel: 'PHONE_CALL',
      },
    });
    const payload = result.data?.createResident;
    if (payload?.resident) return navigate(`/residents/${payload.resident.id}/new-request`);
    setErrors(
      payload
        ? mapUserErrors(payload.errors, RESIDENT_FIELDS)
        : { byField: {}, general: [t('errors.generic')] },
    );
  };
  // The error sits outside the label (tied by aria-describedby) so the field's name stays its label.
  const field = (name: string, label: string, path = name, type = 'text') => (
    <div className="field">
      <label htmlFor={`resident-${name}`}>{label}</label>
      <input
        id={`resident-${name}`}
        name={name}
        type={type}
        aria-invalid={Boolean(errors.byField[path])}
        aria-describedby={`${name}-error`}
      />
      {errors.byField[path] && (
        <span className="problem" id={`${name}-error`}>
          {errors.byField[path]}
        </span>
      )}
    </div>
  );
  return (
    <form onSubmit={(e) => void submit(e)} className="card stack" aria-labelledby="register-h">
      <h2 id="register-h">{t('residents.register')}</h2>
      {errors.general.map((e) => (
        <p key={e} role="alert" className="problem">
          {e}
        </p>
      ))}
      {field('fullName', t('residents.fullName'))}
      {field('altName', t('residents.altName'))}
      {field('phone', t('residents.phone'), 'phone', 'tel')}
      {field('houseNumber', t('residents.houseNumber'), 'address.houseNumber')}
      {field('locality', t('residents.locality'), 'address.locality')}
      <div className="actions">
        <button type="submit" disabled={fetching}>
          {t('residents.save')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('request.cancel')}
        </button>
      </div>
    </form>
  );
}
