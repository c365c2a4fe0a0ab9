import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { Link } from 'wouter';
import type { CannedReplyFieldsFragment } from '../gql/graphql';
import {
  CannedRepliesQuery,
  CreateCannedReplyMutation,
  UpdateCannedReplyMutation,
} from '../graphql/operations';
import type { Language } from '../lib/bengali';
import { inLanguage, mapUserErrors } from '../lib/user-errors';
import { BothTexts } from './parts';
import { useWardChoice } from './ward-choice';

const FIELDS = ['title', 'bodyBn', 'bodyEn', 'wardId'];
/** What the server fills in when the reply is sent (docs/helpline.md, "Canned replies"). */
const PLACEHOLDERS = ['{{residentName}}', '{{trackingNumber}}', '{{wardHours}}'];

/**
 * One canned reply's form: new (for the ward, or — administrators — every ward) or an edit
 * with the version read. Placeholder mistakes come back from the API under their text.
 */
function CannedReplyForm({
  wardId,
  admin,
  editing,
  done,
}: {
  wardId: string;
  admin: boolean;
  editing: CannedReplyFieldsFragment | null;
  done: (message?: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [{ fetching: creating }, create] = useMutation(CreateCannedReplyMutation);
  const [{ fetching: updating }, update] = useMutation(UpdateCannedReplyMutation);
  const [errors, setErrors] = useState(mapUserErrors([], []));
  const key = editing?.id ?? 'new';

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    const fields = { title: text('title'), bodyBn: text('bodyBn'), bodyEn: text('bodyEn') };
    const payload = editing
      ? (await update({ input: { id: editing.id, version: editing.version, ...fields } })).data
          ?.updateCannedReply
      : (
          await create({
            input: {
              ...fields,
              wardId: text('scope') === 'municipality' ? undefined : wardId,
            },
          })
        ).data?.createCannedReply;
    if (payload?.cannedReply) return done(t('cannedReplies.saved'));
    if (payload?.errors.some((e) => e.code === 'STALE_VERSION')) {
      return done(t('cannedReplies.stale'));
    }
    setErrors(
      payload
        ? mapUserErrors(payload.errors, FIELDS, inLanguage(t, i18n.language as Language))
        : { byField: {}, general: [t('errors.generic')] },
    );
  };
  const field = (name: 'title' | 'bodyBn' | 'bodyEn', label: string) => (
    <div className="field">
      <label htmlFor={`canned-${key}-${name}`}>{label}</label>
      {name === 'title' ? (
        <input
          id={`canned-${key}-${name}`}
          name={name}
          defaultValue={editing?.[name] ?? ''}
          aria-invalid={Boolean(errors.byField[name])}
          aria-describedby={`canned-${key}-${name}-error`}
        />
      ) : (
        <textarea
          id={`canned-${key}-${name}`}
          name={name}
          rows={3}
          defaultValue={editing?.[name] ?? ''}
          aria-invalid={Boolean(errors.byField[name])}
          aria-describedby={`canned-${key}-${name}-error`}
        />
      )}
      {errors.byField[name] && (
        <span className="problem" id={`canned-${key}-${name}-error`}>
          {errors.byField[name]}
        </span>
      )}
    </div>
  );
  return (
    <form
      onSubmit={(e) => void submit(e)}
      className="card stack"
      aria-labelledby={`canned-${key}-h`}
    >
      <h2 id={`canned-${key}-h`}>{editing ? editing.title : t('cannedReplies.create')}</h2>
      {errors.general.map((e) => (
        <p key={e} role="alert" className="problem">
          {e}
        </p>
      ))}
      {field('title', t('cannedReplies.name'))}
      {field('bodyBn', t('cannedReplies.bodyBn'))}
      {field('bodyEn', t('cannedReplies.bodyEn'))}
      <p className="muted">
        {t('cannedReplies.placeholders')} <code>{PLACEHOLDERS.join(' ')}</code>
      </p>
      {!editing && admin && (
        <label>
          {t('cannedReplies.scope')}
          <select name="scope" defaultValue="ward">
            <option value="ward">{t('cannedReplies.ward')}</option>
            <option value="municipality">{t('cannedReplies.municipality')}</option>
          </select>
        </label>
      )}
      <div className="actions">
        <button type="submit" disabled={creating || updating}>
          {t('cannedReplies.save')}
        </button>
        {editing && (
          <button type="button" className="secondary" onClick={() => done()}>
            {t('request.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** The canned replies usable in a ward: the ward's own and the municipality's. */
export function CannedReplies({ wardIds, admin }: { wardIds: string[]; admin: boolean }) {
  const { t } = useTranslation();
  const { wardId, picker } = useWardChoice(wardIds);
  const [{ data }, reload] = useQuery({
    query: CannedRepliesQuery,
    variables: { wardId },
    pause: !wardId,
    requestPolicy: 'cache-and-network',
  });
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // A new form after each save: its fields start empty again.
  const [round, setRound] = useState(0);
  const done = (message?: string) => {
    setEditing(null);
    setNotice(message ?? null);
    setRound((r) => r + 1);
    reload({ requestPolicy: 'network-only' });
  };
  const replies = data?.cannedReplies ?? [];
  return (
    <section aria-labelledby="canned-h" className="stack">
      <Link href="/helpline">← {t('helpline.title')}</Link>
      <h1 id="canned-h">{t('cannedReplies.title')}</h1>
      {picker}
      {notice && (
        <p role="status" className="live">
          {notice}
        </p>
      )}
      {data && replies.length === 0 && <p>{t('cannedReplies.none')}</p>}
      <ul className="list">
        {replies.map((r) =>
          editing === r.id ? (
            <li key={r.id}>
              <CannedReplyForm wardId={wardId} admin={admin} editing={r} done={done} />
            </li>
          ) : (
            <li key={r.id} className="card stack">
              <h2>
                {r.title}{' '}
                {r.wardId === null && (
                  <span className="badge">{t('cannedReplies.municipality')}</span>
                )}
              </h2>
              <BothTexts bn={r.bodyBn} en={r.bodyEn} />
              {(r.wardId !== null || admin) && (
                <div className="actions">
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`${t('cannedReplies.edit')}: ${r.title}`}
                    onClick={() => setEditing(r.id)}
                  >
                    {t('cannedReplies.edit')}
                  </button>
                </div>
              )}
            </li>
          ),
        )}
      </ul>
      {wardId && (
        <CannedReplyForm key={round} wardId={wardId} admin={admin} editing={null} done={done} />
      )}
    </section>
  );
}
