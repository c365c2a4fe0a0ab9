import { FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useSubscription } from 'urql';
import { Link } from 'wouter';
import type { RequestAction, RequestPageQuery as PageData } from '../gql/graphql';
import { CertificateCard } from './certificate-card';
import {
  CreateUploadMutation,
  IssueCertificateMutation,
  RequestEventsSubscription,
  RequestPageQuery,
  ScheduleDeliveryMutation,
  TransitionMutation,
  WardAgentsQuery,
} from '../graphql/operations';
import {
  digits,
  formatDate,
  formatDateTime,
  formatDue,
  formatWindow,
  Language,
} from '../lib/bengali';
import { suggestedWindow } from '../lib/delivery-window';
import { downloadFile, uploadFile } from '../lib/files';
import { errorCode, mapUserErrors } from '../lib/user-errors';

type Request = NonNullable<PageData['request']>;
type Step = Request['nextSteps'][number];

/** Steps whose note the workflow requires (docs/workflow.md): they open the reason dialog. */
const NEEDS_REASON = new Set<string>(['REQUEST_INFO', 'REJECT', 'RESOLVE', 'REOPEN', 'CANCEL']);

/** One request: who asked, what, the papers, what happened so far and what can happen next. */
export function RequestPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [{ data, error, fetching }, reload] = useQuery({
    query: RequestPageQuery,
    variables: { id },
    requestPolicy: 'cache-and-network',
  });
  // A document arriving on WhatsApp moves the request (PROVIDE_INFO): show it at once.
  const [{ data: event }] = useSubscription({ query: RequestEventsSubscription });
  useEffect(() => {
    if (event?.requestEvents.requestId === id) reload({ requestPolicy: 'network-only' });
  }, [event, id, reload]);
  const refresh = () => reload({ requestPolicy: 'network-only' });

  const request = data?.request;
  if (!request) {
    return fetching ? (
      <p>{t('loading')}</p>
    ) : (
      <p role="alert">{error ? t('errors.network') : t('errors.generic')}</p>
    );
  }
  const answers = request.serviceType.attributes.filter(
    (a) => request.attributes[a.code] !== undefined,
  );
  return (
    <article aria-labelledby="request-title" className="stack">
      <Link href="/queue">← {t('request.back')}</Link>
      <header className="card">
        <h1 id="request-title" className="tracking">
          {request.trackingNumber}
        </h1>
        <p className="service">
          {language === 'bn' ? request.serviceType.nameBn : request.serviceType.nameEn}
        </p>
        <p className="meta">
          <span className={`badge status-${request.status}`} data-testid="status">
            {t(`status.${request.status}`)}
          </span>
          {request.sla.overdue && <span className="badge overdue">{t('queue.overdueBadge')}</span>}
          {request.sla.paused && <span className="badge paused">{t('queue.pausedBadge')}</span>}
          <span>{t('ward', { number: digits(request.ward.number, language) })}</span>
        </p>
        <p className="muted">
          {t('request.due')}: {formatDateTime(request.sla.dueAt, language)} (
          {formatDue(request.sla.dueAt, new Date(), language)})
        </p>
      </header>

      <NextSteps request={request} onChanged={refresh} />
      {request.certificate && (
        <CertificateCard certificate={request.certificate} onChanged={refresh} />
      )}

      <section className="card" aria-labelledby="resident-h">
        <h2 id="resident-h">{t('request.resident')}</h2>
        <p>{request.resident?.fullName}</p>
        {request.resident?.phone && (
          <p className="muted">{digits(request.resident.phone, language)}</p>
        )}
        {answers.length > 0 && (
          <>
            <h3>{t('request.answers')}</h3>
            <dl>
              {answers.map((a) => (
                <div key={a.code} className="pair">
                  <dt>{language === 'bn' ? a.labelBn : a.labelEn}</dt>
                  <dd>{digits(String(request.attributes[a.code]), language)}</dd>
                </div>
              ))}
            </dl>
          </>
        )}
        {request.description && <p>{request.description}</p>}
      </section>

      <Documents request={request} onChanged={refresh} />

      <section className="card" aria-labelledby="timeline-h">
        <h2 id="timeline-h">{t('request.timeline')}</h2>
        <ol className="timeline">
          {request.timeline.edges.map(({ node }) => (
            <li key={node.id}>
              <strong>
                {node.toStatus
                  ? t(`status.${node.toStatus}`)
                  : t(`timelineKind.${node.kind}`, { defaultValue: node.kind })}
              </strong>
              <span className="muted">
                {' '}
                · {formatDateTime(node.occurredAt, language)} · {node.actorName}
              </span>
              {node.note && <p className="note">{node.note}</p>}
            </li>
          ))}
        </ol>
      </section>

      {request.notifications.length > 0 && (
        <details className="card">
          <summary>
            {t('request.notifications')} ({digits(request.notifications.length, language)})
          </summary>
          <ul className="list">
            {request.notifications.map((n) => (
              <li key={n.id}>
                <span className="muted">
                  {formatDateTime(n.createdAt, language)} · {n.channel} · {n.status}
                </span>
                <p className="note">{n.body}</p>
              </li>
            ))}
          </ul>
        </details>
      )}
    </article>
  );
}

/** The steps possible now: buttons for those this person may take, the rest with who takes them. */
function NextSteps({ request, onChanged }: { request: Request; onChanged: () => void }) {
  const { t } = useTranslation();
  const [, transition] = useMutation(TransitionMutation);
  const [, issue] = useMutation(IssueCertificateMutation);
  const [asking, setAsking] = useState<Step | null>(null);
  const [scheduling, setScheduling] = useState(false);
  const [problem, setProblem] = useState<{ text: string; conflict: boolean } | null>(null);

  const take = async (step: Step, note?: string): Promise<string | undefined> => {
    setProblem(null);
    const result = await transition({
      input: {
        requestId: request.id,
        action: step.step as RequestAction,
        version: request.version,
        note,
      },
    });
    if (errorCode(result.error) === 'CONFLICT') {
      setProblem({ text: t('request.conflict'), conflict: true });
      return;
    }
    const errors = result.data?.transitionRequest.errors ?? [];
    const mapped = mapUserErrors(errors, ['note']);
    if (mapped.byField.note) return mapped.byField.note;
    if (mapped.general.length || result.error) {
      setProblem({ text: mapped.general.join(' ') || t('errors.generic'), conflict: false });
      return;
    }
    onChanged();
  };

  const issueCertificate = async () => {
    setProblem(null);
    const result = await issue({ input: { requestId: request.id, version: request.version } });
    if (errorCode(result.error) === 'CONFLICT')
      return setProblem({ text: t('request.conflict'), conflict: true });
    const errors = result.data?.issueCertificate.errors ?? [];
    if (result.data?.issueCertificate.certificate) return onChanged();
    setProblem({
      text: errors.map((e) => e.message).join(' ') || t('errors.generic'),
      conflict: false,
    });
  };

  const press = (step: Step) => {
    if (step.step === 'SCHEDULE_DELIVERY') setScheduling(true);
    else if (step.step === 'ISSUE_CERTIFICATE') void issueCertificate();
    else if (NEEDS_REASON.has(step.step)) setAsking(step);
    else void take(step);
  };
  const handled = (step: Step) =>
    step.operation === 'transitionRequest' ||
    step.step === 'SCHEDULE_DELIVERY' ||
    step.step === 'ISSUE_CERTIFICATE';
  const mine = request.nextSteps.filter((s) => s.allowed && handled(s));
  const others = request.nextSteps.filter((s) => !s.allowed);
  return (
    <section className="card" aria-labelledby="steps-h">
      <h2 id="steps-h">{t('request.nextSteps')}</h2>
      {problem && (
        <div role="alert" className="problem">
          {problem.text}{' '}
          {problem.conflict && (
            <button
              type="button"
              className="secondary"
              onClick={() => (setProblem(null), onChanged())}
            >
              {t('request.reload')}
            </button>
          )}
        </div>
      )}
      {mine.length === 0 && others.length === 0 && <p>{t('request.noSteps')}</p>}
      <div className="actions">
        {mine.map((step) => (
          <button key={step.step} type="button" onClick={() => press(step)}>
            {t(`steps.${step.step}`)}
          </button>
        ))}
      </div>
      {others.length > 0 && (
        <ul className="muted">
          {others.map((step) => (
            <li key={step.step}>
              {t(`steps.${step.step}`)} —{' '}
              {t('request.takenBy', { roles: step.takenBy.map((r) => t(`role.${r}`)).join(', ') })}
            </li>
          ))}
        </ul>
      )}
      {request.currentDelivery && <DeliveryLine delivery={request.currentDelivery} />}
      {asking && (
        <ReasonDialog
          title={t(`steps.${asking.step}`)}
          onCancel={() => setAsking(null)}
          onSubmit={async (note) => {
            const fieldError = await take(asking, note);
            if (!fieldError) setAsking(null);
            return fieldError;
          }}
        />
      )}
      {scheduling && (
        <ScheduleForm
          request={request}
          onDone={() => {
            setScheduling(false);
            onChanged();
          }}
          onCancel={() => setScheduling(false)}
        />
      )}
    </section>
  );
}

function DeliveryLine({ delivery }: { delivery: NonNullable<Request['currentDelivery']> }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  return (
    <p data-testid="delivery">
      {t('request.delivery')}: {t(`deliveryStatus.${delivery.status}`)} ·{' '}
      {formatDate(delivery.scheduledDate, language)},{' '}
      {formatWindow(delivery.windowStart, delivery.windowEnd, language)}
    </p>
  );
}

/** A modal asking for the reason; the API's field error for `note` is shown under the box. */
function ReasonDialog(props: {
  title: string;
  onCancel: () => void;
  onSubmit: (note: string) => Promise<string | undefined>;
}) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget).get('note') ?? '');
    setFieldError(note.trim() ? await props.onSubmit(note) : t('errors.REQUIRED'));
  };
  return (
    <dialog ref={dialog} onCancel={props.onCancel} aria-labelledby="reason-h">
      <form onSubmit={(e) => void submit(e)} className="stack">
        <h2 id="reason-h">{props.title}</h2>
        <label>
          {t('request.reason')}
          <textarea
            name="note"
            rows={3}
            aria-invalid={Boolean(fieldError)}
            aria-describedby="reason-error"
          />
        </label>
        {fieldError && (
          <p id="reason-error" className="problem">
            {fieldError}
          </p>
        )}
        <div className="actions">
          <button type="submit">{t('request.confirm')}</button>
          <button type="button" className="secondary" onClick={props.onCancel}>
            {t('request.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Schedules the delivery with one of the ward's active field agents. */
function ScheduleForm({
  request,
  onDone,
  onCancel,
}: {
  request: Request;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [{ data }] = useQuery({ query: WardAgentsQuery, variables: { wardId: request.ward.id } });
  const [{ fetching }, schedule] = useMutation(ScheduleDeliveryMutation);
  const [errors, setErrors] = useState(mapUserErrors([], []));
  const suggested = suggestedWindow(new Date());
  const agents = (data?.wardStaff ?? []).filter((a) => a.active);
  const FIELDS = ['agentId', 'date', 'windowStart', 'windowEnd'];

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await schedule({
      input: {
        requestId: request.id,
        version: request.version,
        agentId: String(form.get('agentId')),
        date: String(form.get('date')),
        windowStart: String(form.get('windowStart')),
        windowEnd: String(form.get('windowEnd')),
      },
    });
    if (errorCode(result.error) === 'CONFLICT') {
      setErrors({ byField: {}, general: [t('request.conflict')] });
      return;
    }
    const payload = result.data?.scheduleDelivery;
    if (payload?.delivery) return onDone();
    setErrors(mapUserErrors(payload?.errors ?? [], FIELDS));
  };
  const fieldError = (name: string) =>
    errors.byField[name] && (
      <span className="problem" id={`${name}-error`}>
        {errors.byField[name]}
      </span>
    );
  return (
    <form onSubmit={(e) => void submit(e)} className="stack inset" aria-labelledby="schedule-h">
      <h3 id="schedule-h">{t('request.schedule.title')}</h3>
      {errors.general.map((e) => (
        <p key={e} role="alert" className="problem">
          {e}
        </p>
      ))}
      {data && agents.length === 0 && <p className="problem">{t('request.schedule.none')}</p>}
      <label>
        {t('request.schedule.agent')}
        <select name="agentId" required aria-describedby="agentId-error">
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName} (
              {t('request.schedule.underWay', { n: digits(a.deliveriesUnderWay, language) })})
            </option>
          ))}
        </select>
        {fieldError('agentId')}
      </label>
      <label>
        {t('request.schedule.date')}
        <input
          type="date"
          name="date"
          required
          defaultValue={suggested.date}
          aria-describedby="date-error"
        />
        {fieldError('date')}
      </label>
      <div className="two">
        <label>
          {t('request.schedule.from')}
          <input type="time" name="windowStart" required defaultValue={suggested.windowStart} />
          {fieldError('windowStart')}
        </label>
        <label>
          {t('request.schedule.to')}
          <input type="time" name="windowEnd" required defaultValue={suggested.windowEnd} />
          {fieldError('windowEnd')}
        </label>
      </div>
      <div className="actions">
        <button type="submit" disabled={fetching || agents.length === 0}>
          {t('request.schedule.submit')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('request.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The service's documents and every file on the request; upload from the phone's camera. */
function Documents({ request, onChanged }: { request: Request; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [, createUpload] = useMutation(CreateUploadMutation);
  const [message, setMessage] = useState<string | null>(null);

  const upload = async (documentCode: string, file: File | undefined) => {
    if (!file) return;
    const granted = await createUpload({ input: { requestId: request.id, documentCode } });
    const url = granted.data?.createDocumentUpload.upload?.uploadUrl;
    if (!url) {
      setMessage(
        granted.data?.createDocumentUpload.errors.map((e) => e.message).join(' ') ??
          t('errors.generic'),
      );
      return;
    }
    const sent = await uploadFile(url, file);
    setMessage(sent.ok ? t('request.uploaded') : (sent.message ?? t('errors.generic')));
    onChanged();
  };
  return (
    <section className="card" aria-labelledby="documents-h">
      <h2 id="documents-h">{t('request.documents')}</h2>
      {message && <p role="status">{message}</p>}
      <ul className="list">
        {request.documents.map((d) => (
          <li key={d.code}>
            <strong>{language === 'bn' ? d.labelBn : d.labelEn}</strong>{' '}
            <span className={d.missing ? 'badge overdue' : 'badge ok'}>
              {d.missing ? t('request.missing') : t('request.received')}
            </span>
            <label className="upload">
              {t('request.upload')}
              <input
                type="file"
                accept="image/*,application/pdf"
                capture="environment"
                onChange={(e) => void upload(d.code, e.target.files?.[0])}
              />
            </label>
          </li>
        ))}
      </ul>
      <h3>{t('request.attachments')}</h3>
      <ul className="list" data-testid="attachments">
        {request.attachments.map((a) => (
          <li key={a.id}>
            {a.caption ?? a.documentCode ?? a.kind} · {a.mimeType} · {t(`source.${a.source}`)} ·{' '}
            {formatDateTime(a.createdAt, language)}{' '}
            {a.downloadUrl && (
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  void downloadFile(a.downloadUrl!, `${request.trackingNumber}-${a.id}`)
                }
              >
                {t('request.open')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
