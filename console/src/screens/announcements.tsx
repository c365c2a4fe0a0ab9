import { FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import type { AnnouncementFieldsFragment, AnnouncementAudienceInput } from '../gql/graphql';
import {
  AnnouncementAudienceQuery,
  AnnouncementsQuery,
  ApproveAnnouncementMutation,
  CancelAnnouncementMutation,
  CatalogueQuery,
  CreateAnnouncementMutation,
  PauseAnnouncementMutation,
  ResumeAnnouncementMutation,
  ScheduleAnnouncementMutation,
} from '../graphql/operations';
import {
  AnnouncementAction,
  announcementActions,
  indianLocalToIso,
  isUnderWay,
} from '../lib/announcements';
import { digits, formatDateTime, formatNumber, Language } from '../lib/bengali';
import { atListField, inLanguage, mapUserErrors, UserErrorLike } from '../lib/user-errors';
import { AnnouncementSettings } from './announcement-settings';
import { BothTexts, Check } from './parts';
import { useWardChoice, WardOption } from './ward-choice';

const FIELDS = ['textBn', 'textEn', 'wardIds', 'wholeMunicipality', 'locality', 'serviceTypeIds'];
const LISTS = ['wardIds', 'serviceTypeIds'];
/** How often a list with an announcement going out reloads its progress. */
const PROGRESS_RELOAD_MS = 3000;

function showErrors(errors: readonly UserErrorLike[], describe?: (error: UserErrorLike) => string) {
  return mapUserErrors(atListField(errors, LISTS), FIELDS, describe);
}

/** The value after it has stayed the same for a moment: the preview is not asked per key. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const key = JSON.stringify(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(JSON.parse(key) as T), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return settled;
}

/** Who the announcement would reach, per channel and language, counted by the API. */
function AudiencePreview({ input }: { input: AnnouncementAudienceInput | null }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [{ data, fetching }] = useQuery({
    query: AnnouncementAudienceQuery,
    variables: { input: input ?? {} },
    pause: !input,
    requestPolicy: 'network-only',
  });
  // Cleared with the form: the last audience's counts must not stay on screen.
  const payload = input ? data?.announcementAudience : undefined;
  const n = (v: number) => formatNumber(v, language);
  return (
    <section className="inset" aria-labelledby="preview-h" aria-live="polite">
      <h3 id="preview-h">{t('announcements.preview')}</h3>
      {fetching && !payload && <p className="muted">{t('loading')}</p>}
      {payload?.errors.map((e) => (
        <p key={e.message} className="problem">
          {e.message}
        </p>
      ))}
      {payload?.audience && (
        <div data-testid="audience">
          <p>
            <span className="big">
              {t('announcements.total', { n: n(payload.audience.total) })}
            </span>
          </p>
          <p>
            {t('announcements.whatsapp', {
              n: n(payload.audience.whatsapp),
              bn: n(payload.audience.whatsappBn),
              en: n(payload.audience.whatsappEn),
            })}
          </p>
          <p>
            {t('announcements.sms', {
              n: n(payload.audience.sms),
              bn: n(payload.audience.smsBn),
              en: n(payload.audience.smsEn),
            })}
          </p>
          <p className="muted">
            {t('announcements.left', {
              optedOut: n(payload.audience.optedOut),
              unreachable: n(payload.audience.unreachable),
            })}
          </p>
        </div>
      )}
    </section>
  );
}

/**
 * A new announcement: both texts, the audience (a coordinator: their ward; an administrator:
 * wards or the whole municipality), a live preview of who it reaches, and an optional time.
 */
function Compose({
  wardId,
  wards,
  admin,
  saved,
}: {
  wardId: string;
  wards: WardOption[];
  admin: boolean;
  saved: () => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [catalogue] = useQuery({ query: CatalogueQuery });
  const [{ fetching: creating }, create] = useMutation(CreateAnnouncementMutation);
  const [{ fetching: scheduling }, schedule] = useMutation(ScheduleAnnouncementMutation);
  const [picked, setPicked] = useState<string[]>([]);
  const [whole, setWhole] = useState(false);
  const [locality, setLocality] = useState('');
  const [services, setServices] = useState<string[]>([]);
  const [sendAt, setSendAt] = useState('');
  const [errors, setErrors] = useState(showErrors([]));
  const wardIds = admin ? picked : [wardId];
  const audience: AnnouncementAudienceInput | null =
    whole || wardIds.some(Boolean)
      ? {
          wardIds: whole ? [] : wardIds,
          wholeMunicipality: whole || undefined,
          locality: locality.trim() || undefined,
          serviceTypeIds: services.length ? services : undefined,
        }
      : null;
  const settled = useSettled(audience, 400);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const intent = (event.nativeEvent as SubmitEvent).submitter?.getAttribute('value');
    const data = new FormData(form);
    const at = indianLocalToIso(sendAt);
    const created = await create({
      input: {
        ...(audience ?? { wardIds: [] }),
        textBn: String(data.get('textBn') ?? ''),
        textEn: String(data.get('textEn') ?? ''),
      },
    });
    const payload = created.data?.createAnnouncement;
    if (!payload?.announcement) {
      setErrors(
        payload
          ? showErrors(payload.errors, inLanguage(t, language))
          : { byField: {}, general: [t('errors.generic')] },
      );
      return;
    }
    // Kept as a draft when scheduling is refused (a time in the past): the form is cleared,
    // so the reason goes on top and the draft's own "send" button in the list tries again.
    let general: string[] = [];
    if (intent === 'send' && payload.announcement.status === 'DRAFT') {
      const scheduled = await schedule({ input: { id: payload.announcement.id, sendAt: at } });
      const result = scheduled.data?.scheduleAnnouncement;
      if (!result?.announcement)
        general = result ? result.errors.map((e) => e.message) : [t('errors.generic')];
    }
    form.reset();
    setPicked([]);
    setWhole(false);
    setLocality('');
    setServices([]);
    setSendAt('');
    setErrors({ byField: {}, general });
    saved();
  };
  const error = (name: string) =>
    errors.byField[name] ? (
      <span className="problem" id={`announce-${name}-error`}>
        {errors.byField[name]}
      </span>
    ) : null;
  const described = (name: string) => ({
    'aria-invalid': Boolean(errors.byField[name]),
    'aria-describedby': `announce-${name}-error`,
  });
  const toggle = (list: string[], id: string, on: boolean) =>
    on ? [...list, id] : list.filter((x) => x !== id);
  return (
    <form className="card stack" aria-labelledby="compose-h" onSubmit={(e) => void submit(e)}>
      <h2 id="compose-h">{t('announcements.compose')}</h2>
      {errors.general.map((e) => (
        <p key={e} role="alert" className="problem">
          {e}
        </p>
      ))}
      <div className="field">
        <label htmlFor="announce-textBn">{t('announcements.textBn')}</label>
        <textarea id="announce-textBn" name="textBn" rows={3} lang="bn" {...described('textBn')} />
        {error('textBn')}
      </div>
      <div className="field">
        <label htmlFor="announce-textEn">{t('announcements.textEn')}</label>
        <textarea id="announce-textEn" name="textEn" rows={3} lang="en" {...described('textEn')} />
        {error('textEn')}
      </div>
      <fieldset className="stack">
        <legend>{t('announcements.audience')}</legend>
        {admin ? (
          <>
            <Check checked={whole} onChange={setWhole} {...described('wholeMunicipality')}>
              {t('announcements.wholeMunicipality')}
            </Check>
            {error('wholeMunicipality')}
            {!whole && (
              <div className="field">
                <label htmlFor="announce-wards">{t('announcements.wards')}</label>
                <select
                  id="announce-wards"
                  multiple
                  size={5}
                  value={picked}
                  onChange={(e) =>
                    setPicked([...e.target.selectedOptions].map((option) => option.value))
                  }
                  {...described('wardIds')}
                >
                  {wards.map((w) => (
                    <option key={w.id} value={w.id}>
                      {t('ward', { number: digits(w.number, language) })}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </>
        ) : (
          <p>
            {t('ward', {
              number: digits(wards.find((w) => w.id === wardId)?.number ?? '', language),
            })}
          </p>
        )}
        {error('wardIds')}
        <div className="field">
          <label htmlFor="announce-locality">{t('announcements.locality')}</label>
          <input
            id="announce-locality"
            value={locality}
            onChange={(e) => setLocality(e.target.value)}
            {...described('locality')}
          />
          {error('locality')}
        </div>
        <fieldset>
          <legend>{t('announcements.services')}</legend>
          {catalogue.data?.serviceTypes.edges.map(({ node }) => (
            <Check
              key={node.id}
              checked={services.includes(node.id)}
              onChange={(on) => setServices(toggle(services, node.id, on))}
            >
              {language === 'bn' ? node.nameBn : node.nameEn}
            </Check>
          ))}
        </fieldset>
        {error('serviceTypeIds')}
        <AudiencePreview input={settled} />
      </fieldset>
      <div className="field">
        <label htmlFor="announce-sendAt">{t('announcements.sendAt')}</label>
        <input
          id="announce-sendAt"
          type="datetime-local"
          value={sendAt}
          onChange={(e) => setSendAt(e.target.value)}
        />
      </div>
      <div className="actions">
        <button type="submit" name="intent" value="send" disabled={creating || scheduling}>
          {whole
            ? t('announcements.submitForApproval')
            : sendAt
              ? t('announcements.schedule')
              : t('announcements.send')}
        </button>
        <button type="submit" name="intent" value="draft" className="secondary" disabled={creating}>
          {t('announcements.saveDraft')}
        </button>
      </div>
    </form>
  );
}

/** One announcement: what, to whom, where it is, its progress and what may be done now. */
function AnnouncementCard({
  announcement: a,
  wards,
  admin,
  changed,
}: {
  announcement: AnnouncementFieldsFragment;
  wards: WardOption[];
  admin: boolean;
  changed: () => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [, approve] = useMutation(ApproveAnnouncementMutation);
  const [, schedule] = useMutation(ScheduleAnnouncementMutation);
  const [, pause] = useMutation(PauseAnnouncementMutation);
  const [, resume] = useMutation(ResumeAnnouncementMutation);
  const [, cancel] = useMutation(CancelAnnouncementMutation);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [sendAt, setSendAt] = useState('');
  const p = a.progress;
  const n = (v: number) => formatNumber(v, language);
  const scope = a.wholeMunicipality
    ? t('announcements.municipality')
    : a.wardIds
        .map((id) => wards.find((w) => w.id === id)?.number)
        .filter((number) => number !== undefined)
        .map((number) => t('ward', { number: digits(number, language) }))
        .join(', ');

  const act = async (action: AnnouncementAction) => {
    setBusy(true);
    const input = { id: a.id };
    const result =
      action === 'approve'
        ? (await approve({ input })).data?.approveAnnouncement
        : action === 'schedule'
          ? (await schedule({ input: { id: a.id, sendAt: indianLocalToIso(sendAt) } })).data
              ?.scheduleAnnouncement
          : action === 'pause'
            ? (await pause({ input })).data?.pauseAnnouncement
            : action === 'resume'
              ? (await resume({ input })).data?.resumeAnnouncement
              : (await cancel({ input })).data?.cancelAnnouncement;
    setBusy(false);
    setProblem(
      result ? result.errors.map((e) => e.message).join(' ') || null : t('errors.forbidden'),
    );
    if (result?.announcement) changed();
  };
  const rows: Array<[string, number]> = [
    [t('announcements.recipients'), p.recipients],
    [t('announcements.queued'), p.queued],
    [t('announcements.sent'), p.sent],
    [t('announcements.delivered'), p.delivered],
    [t('announcements.read'), p.read],
    [t('announcements.failed'), p.failed],
    [t('announcements.replies'), p.replies],
  ];
  const actions = announcementActions(a.status, admin);
  return (
    <article className="card stack" aria-labelledby={`announcement-${a.id}`}>
      <h3 id={`announcement-${a.id}`} className="meta">
        <span className="badge" data-testid="announcement-status">
          {t(`announcements.status.${a.status}`)}
        </span>
        <span>{scope}</span>
      </h3>
      <BothTexts bn={a.textBn} en={a.textEn} />
      <p className="muted">
        {t('announcements.by', { name: a.createdByName })} · {formatDateTime(a.createdAt, language)}
        {a.approvedByName && <> · {t('announcements.approvedBy', { name: a.approvedByName })}</>}
        {a.locality && <> · {a.locality}</>}
      </p>
      {a.sendAt && (
        <p className="muted">
          {t('announcements.sendsAt', { when: formatDateTime(a.sendAt, language) })}
        </p>
      )}
      {a.pausedUntil && (
        <p className="muted">
          {t('announcements.pausedUntil', { when: formatDateTime(a.pausedUntil, language) })}
          {a.pauseReason && <> — {a.pauseReason}</>}
        </p>
      )}
      {p.recipients > 0 && (
        <table className="table" aria-label={t('announcements.progress')} data-testid="progress">
          <tbody>
            {rows.map(([label, value]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{n(value)}</td>
              </tr>
            ))}
            {p.failedByReason.map((f) => (
              <tr key={f.code}>
                <th scope="row">
                  {t('announcements.failedBy')}: {f.code}
                </th>
                <td>{n(f.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {actions.includes('schedule') && (
        <label>
          {t('announcements.sendAtLater')}
          <input type="datetime-local" value={sendAt} onChange={(e) => setSendAt(e.target.value)} />
        </label>
      )}
      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
      {actions.length > 0 && (
        <div className="actions">
          {actions.map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'cancel' ? 'secondary' : undefined}
              disabled={busy}
              onClick={() => void act(action)}
            >
              {t(`announcements.action.${action}`)}
            </button>
          ))}
        </div>
      )}
    </article>
  );
}

/** Announcements of the caller's wards: write one, see each one's progress, act on it. */
export function Announcements({ wardIds, admin }: { wardIds: string[]; admin: boolean }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const { wardId, wards, picker } = useWardChoice(wardIds);
  const [{ data }, reload] = useQuery({
    query: AnnouncementsQuery,
    // Administrators see the municipality's; a coordinator the chosen ward's.
    variables: { wardId: admin ? undefined : wardId },
    pause: !admin && !wardId,
    requestPolicy: 'cache-and-network',
  });
  const list = data?.announcements.edges.map((e) => e.node) ?? [];
  const moving = list.some((a) => isUnderWay(a.status));
  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(() => reload({ requestPolicy: 'network-only' }), PROGRESS_RELOAD_MS);
    return () => clearInterval(timer);
  }, [moving, reload]);
  const again = () => reload({ requestPolicy: 'network-only' });
  const [notice, setNotice] = useState<string | null>(null);
  const saved = () => {
    setNotice(t('announcements.saved'));
    again();
  };
  return (
    <section aria-labelledby="announcements-h" className="stack">
      <h1 id="announcements-h">{t('announcements.title')}</h1>
      {!admin && picker}
      {notice && (
        <p role="status" className="live">
          {notice}
        </p>
      )}
      {(admin || wardId) && <Compose wardId={wardId} wards={wards} admin={admin} saved={saved} />}
      <AnnouncementSettings admin={admin} />
      <section aria-labelledby="announcement-list-h" className="stack">
        <h2 id="announcement-list-h">
          {t('announcements.list')}
          {data && <> ({digits(data.announcements.totalCount, language)})</>}
        </h2>
        {data && list.length === 0 && <p>{t('announcements.none')}</p>}
        {list.map((a) => (
          <AnnouncementCard
            key={a.id}
            announcement={a}
            wards={wards}
            admin={admin}
            changed={again}
          />
        ))}
      </section>
    </section>
  );
}
