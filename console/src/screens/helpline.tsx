import { FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { Link } from 'wouter';
import type { DeskFieldsFragment, HelpDeskFilter } from '../gql/graphql';
import {
  AssignConversationMutation,
  CannedRepliesQuery,
  CloseConversationMutation,
  ConversationQuery,
  ConversationsQuery,
  HandBackMutation,
  HelpDeskQuery,
  LabelConversationMutation,
  MarkConversationReadMutation,
  SendMessageMutation,
  WardPeopleQuery,
} from '../graphql/operations';
import { digits, formatDateTime, Language } from '../lib/bengali';
import { downloadFile, fileObjectUrl } from '../lib/files';
import { formatMinutes, minutesSince, parseWholeNumber, withLabel } from '../lib/help-desk';
import { atListField, mapUserErrors, UserErrorLike } from '../lib/user-errors';
import { Check } from './parts';
import { useWardChoice } from './ward-choice';

/** `assignee` filter values besides a staff id. */
const ME = 'me';
const NOBODY = 'none';

/** The desk's badges on a conversation: unread, waiting, assignee, labels, closed. */
function DeskBadges({ desk }: { desk: DeskFieldsFragment }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  return (
    <span className="meta">
      {desk.unreadCount > 0 && (
        <span className="badge overdue">
          {t('helpline.unread', { n: digits(desk.unreadCount, language) })}
        </span>
      )}
      {desk.waitingSince && !desk.closedAt && (
        <span className="badge paused">
          {t('helpline.waiting', {
            time: formatMinutes(minutesSince(desk.waitingSince, new Date()), language),
          })}
        </span>
      )}
      {desk.assignee && (
        <span className="badge">
          {t('helpline.assignedTo', { name: desk.assignee.displayName })}
        </span>
      )}
      {desk.labels.map((l) => (
        <span key={l} className="badge label">
          {l}
        </span>
      ))}
      {desk.closedAt && <span className="badge ok">{t('helpline.closed')}</span>}
    </span>
  );
}

/**
 * The ward's helpline: the help desk (conversations handed to people, longest waiting first,
 * filtered by assignee, label, unanswered, waiting time) or every conversation.
 */
export function Helpline({ wardIds, meId }: { wardIds: string[]; meId: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const { wardId, picker } = useWardChoice(wardIds);
  const [view, setView] = useState<'desk' | 'all'>('desk');
  const [assignee, setAssignee] = useState('');
  const [label, setLabel] = useState('');
  const [unanswered, setUnanswered] = useState(false);
  const [waiting, setWaiting] = useState('');
  const [includeClosed, setIncludeClosed] = useState(false);
  const filter: HelpDeskFilter = {
    wardId: wardId || undefined,
    assigneeId: assignee === ME ? meId : assignee && assignee !== NOBODY ? assignee : undefined,
    unassigned: assignee === NOBODY || undefined,
    label: label.trim() || undefined,
    unanswered: unanswered || undefined,
    waitingLongerThanMinutes: parseWholeNumber(waiting),
    includeClosed: includeClosed || undefined,
  };
  const [desk] = useQuery({
    query: HelpDeskQuery,
    variables: { filter },
    requestPolicy: 'cache-and-network',
    pause: view !== 'desk',
  });
  const [all] = useQuery({
    query: ConversationsQuery,
    variables: {},
    requestPolicy: 'cache-and-network',
    pause: view !== 'all',
  });
  const [people] = useQuery({ query: WardPeopleQuery, variables: { wardId }, pause: !wardId });
  const rows =
    view === 'desk'
      ? (desk.data?.helpDeskConversations.edges.map((e) => e.node) ?? [])
      : (all.data?.helplineConversations.edges.map((e) => ({ ...e.node, desk: null })) ?? []);
  const loaded = view === 'desk' ? desk.data : all.data;
  return (
    <section aria-labelledby="helpline-h" className="stack">
      <h1 id="helpline-h">{t('helpline.title')}</h1>
      <Link href="/helpline/replies">{t('helpline.manageCanned')}</Link>
      <div className="filters">
        {picker}
        <label>
          {t('helpline.show')}
          <select value={view} onChange={(e) => setView(e.target.value as 'desk' | 'all')}>
            <option value="desk">{t('helpline.desk')}</option>
            <option value="all">{t('helpline.allConversations')}</option>
          </select>
        </label>
        {view === 'desk' && (
          <>
            <label>
              {t('helpline.assignee')}
              <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
                <option value="">{t('helpline.anyone')}</option>
                <option value={ME}>{t('helpline.me')}</option>
                <option value={NOBODY}>{t('helpline.unassigned')}</option>
                {people.data?.wardStaff
                  .filter((p) => p.id !== meId)
                  .map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.displayName}
                    </option>
                  ))}
              </select>
            </label>
            <label>
              {t('helpline.label')}
              <input type="search" value={label} onChange={(e) => setLabel(e.target.value)} />
            </label>
            <label>
              {t('helpline.waitingLonger')}
              <input
                inputMode="numeric"
                value={waiting}
                onChange={(e) => setWaiting(e.target.value)}
              />
            </label>
            <Check checked={unanswered} onChange={setUnanswered}>
              {t('helpline.unanswered')}
            </Check>
            <Check checked={includeClosed} onChange={setIncludeClosed}>
              {t('helpline.includeClosed')}
            </Check>
          </>
        )}
      </div>
      {view === 'desk' && desk.data && (
        <p className="muted" aria-live="polite">
          {t('queue.count', { n: digits(desk.data.helpDeskConversations.totalCount, language) })}
        </p>
      )}
      {!loaded && <p>{t('loading')}</p>}
      {loaded && rows.length === 0 && <p>{t('helpline.none')}</p>}
      <ul className="list">
        {rows.map((c) => (
          <li key={c.id} className="card row">
            <Link href={`/helpline/${c.id}`} className="row-link">
              <strong>{c.resident?.fullName ?? t('helpline.unknown')}</strong>
              <span className="muted">
                {c.resident?.phone && digits(c.resident.phone, language)}
              </span>
            </Link>
            {c.desk && <DeskBadges desk={c.desk} />}
            <span className="muted">{formatDateTime(c.lastActivityAt, language)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What the media worker records on a message (docs/helpline.md). */
type Media = { downloadUrl?: string | null; mimeType?: string };

/** A voice note plays in the page: the bytes need the token, so they come as a blob. */
function VoiceNote({ url }: { url: string }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let address: string | null = null;
    void fileObjectUrl(url).then(
      (made) => setSrc((address = made)),
      () => setSrc(null),
    );
    return () => {
      if (address) URL.revokeObjectURL(address);
    };
  }, [url]);
  return src ? (
    <audio controls src={src} aria-label={t('helpline.voiceNote')} />
  ) : (
    <span className="muted">{t('loading')}</span>
  );
}

/** The first error of a desk mutation, or a generic one when the API answered nothing. */
function firstProblem(
  errors: readonly UserErrorLike[] | undefined,
  fallback: string,
): string | null {
  if (!errors) return fallback;
  return errors[0]?.message ?? null;
}

/**
 * The help desk's side of a thread: who has it, its labels, closing. Every change answers
 * the desk as it now is; the thread reloads to show it.
 */
function DeskPanel({
  conversationId,
  wardId,
  desk,
  changed,
}: {
  conversationId: string;
  wardId: string;
  desk: DeskFieldsFragment;
  changed: () => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [people] = useQuery({ query: WardPeopleQuery, variables: { wardId } });
  const [, assign] = useMutation(AssignConversationMutation);
  const [, label] = useMutation(LabelConversationMutation);
  const [{ fetching: closing }, close] = useMutation(CloseConversationMutation);
  const [problems, setProblems] = useState<Record<string, string | null>>({});
  const [assigneeId, setAssigneeId] = useState(desk.assignee?.id ?? '');
  const [newLabel, setNewLabel] = useState('');

  const saveAssignee = async (event: FormEvent) => {
    event.preventDefault();
    const result = await assign({
      input: { conversationId, assigneeId: assigneeId || null },
    });
    const payload = result.data?.assignConversation;
    setProblems((p) => ({ ...p, assignee: firstProblem(payload?.errors, t('errors.generic')) }));
    if (payload?.desk) changed();
  };
  const saveLabels = async (labels: string[]) => {
    const result = await label({ input: { conversationId, labels } });
    const payload = result.data?.labelConversation;
    const errors = payload ? atListField(payload.errors, ['labels']) : undefined;
    setProblems((p) => ({ ...p, labels: firstProblem(errors, t('errors.generic')) }));
    if (payload?.desk) {
      setNewLabel('');
      changed();
    }
  };
  const closeIt = async () => {
    const result = await close({ input: { conversationId } });
    const payload = result.data?.closeConversation;
    setProblems((p) => ({ ...p, close: firstProblem(payload?.errors, t('errors.generic')) }));
    if (payload?.desk) changed();
  };
  const problem = (key: string) =>
    problems[key] ? (
      <p role="alert" className="problem" id={`desk-${key}-error`}>
        {problems[key]}
      </p>
    ) : null;

  return (
    <section className="card stack" aria-labelledby="desk-h">
      <h2 id="desk-h">{t('helpline.desk')}</h2>
      <DeskBadges desk={desk} />
      {desk.closedAt && (
        <p className="muted">
          {t('helpline.closedAt', { when: formatDateTime(desk.closedAt, language) })}
        </p>
      )}
      <form className="stack" onSubmit={(e) => void saveAssignee(e)}>
        <label>
          {t('helpline.assignTo')}
          <select
            value={assigneeId}
            onChange={(e) => setAssigneeId(e.target.value)}
            aria-describedby="desk-assignee-error"
          >
            <option value="">{t('helpline.nobody')}</option>
            {people.data?.wardStaff
              .filter((p) => p.active)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.displayName} ({t(`role.${p.role}`)})
                </option>
              ))}
          </select>
        </label>
        {problem('assignee')}
        <div className="actions">
          <button type="submit" className="secondary">
            {t('helpline.assign')}
          </button>
        </div>
      </form>
      <fieldset className="stack">
        <legend>{t('helpline.labels')}</legend>
        {desk.labels.length === 0 && <p className="muted">{t('helpline.noLabels')}</p>}
        <ul className="chips" aria-label={t('helpline.labels')}>
          {desk.labels.map((l) => (
            <li key={l} className="badge label">
              {l}{' '}
              <button
                type="button"
                className="link"
                aria-label={t('helpline.removeLabel', { label: l })}
                onClick={() => void saveLabels(desk.labels.filter((x) => x !== l))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void saveLabels(withLabel(desk.labels, newLabel));
          }}
        >
          <label>
            {t('helpline.addLabel')}
            <input
              value={newLabel}
              onChange={(e) => setNewLabel(e.target.value)}
              aria-describedby="desk-labels-error"
              required
            />
          </label>
          {problem('labels')}
          <div className="actions">
            <button type="submit" className="secondary">
              {t('helpline.add')}
            </button>
          </div>
        </form>
      </fieldset>
      {problem('close')}
      {!desk.closedAt && (
        <div className="actions">
          <button type="button" disabled={closing} onClick={() => void closeIt()}>
            {t('helpline.close')}
          </button>
        </div>
      )}
    </section>
  );
}

const REPLY_FIELDS = ['text', 'cannedReplyId'];

/**
 * One thread: the resident's messages and the bot's and staff's answers; the desk (assignee,
 * labels, closing); a reply typed or picked from the canned replies; hand back to the bot.
 */
export function Conversation({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [{ data }, reload] = useQuery({
    query: ConversationQuery,
    variables: { id },
    requestPolicy: 'cache-and-network',
  });
  const conversation = data?.helplineConversation;
  const wardId = conversation?.wardId ?? '';
  const [canned] = useQuery({
    query: CannedRepliesQuery,
    variables: { wardId },
    pause: !wardId,
  });
  const [{ fetching }, send] = useMutation(SendMessageMutation);
  const [, handBack] = useMutation(HandBackMutation);
  const [, markRead] = useMutation(MarkConversationReadMutation);
  const [errors, setErrors] = useState(mapUserErrors([], []));
  const [cannedId, setCannedId] = useState('');
  // Opening the thread is reading it: the unread count goes back to 0, once per visit.
  const marked = useRef(false);
  const unread = conversation?.desk?.unreadCount ?? 0;
  useEffect(() => {
    if (!conversation || marked.current || unread === 0) return;
    marked.current = true;
    void markRead({ input: { conversationId: conversation.id } });
  }, [conversation, unread, markRead]);
  if (!conversation) return <p>{t('loading')}</p>;
  const again = () => reload({ requestPolicy: 'network-only' });
  const chosen = canned.data?.cannedReplies.find((c) => c.id === cannedId);

  const reply = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const text = String(new FormData(form).get('text') ?? '');
    const result = await send({
      input: cannedId
        ? { residentId: conversation.residentId, cannedReplyId: cannedId }
        : { residentId: conversation.residentId, text },
    });
    const payload = result.data?.sendMessageToResident;
    if (payload?.message) {
      form.reset();
      setCannedId('');
      setErrors(mapUserErrors([], []));
      again();
    } else
      setErrors(
        payload
          ? mapUserErrors(payload.errors, REPLY_FIELDS)
          : { byField: {}, general: [t('errors.generic')] },
      );
  };
  return (
    <article aria-labelledby="thread-h" className="stack">
      <Link href="/helpline">← {t('helpline.title')}</Link>
      <h1 id="thread-h">{conversation.resident?.fullName ?? t('helpline.unknown')}</h1>
      {conversation.desk && (
        <DeskPanel
          key={conversation.desk.version}
          conversationId={conversation.id}
          wardId={conversation.wardId}
          desk={conversation.desk}
          changed={again}
        />
      )}
      <ol className="thread" aria-label={t('helpline.messages')}>
        {conversation.messages.map((m) => {
          const media = (m.media ?? null) as Media | null;
          const mime = media?.mimeType ?? '';
          const announced = m.inReplyToAnnouncement;
          return (
            <li key={m.id} className={m.direction === 'IN' ? 'bubble in' : 'bubble out'}>
              <span className="muted">
                {m.authorName ?? t(`author.${m.author}`, { defaultValue: m.author })} ·{' '}
                {formatDateTime(m.sentAt, language)}
              </span>
              {announced && (
                <span className="muted">
                  {t('helpline.replyTo', {
                    text: language === 'bn' ? announced.textBn : announced.textEn,
                  })}
                </span>
              )}
              {m.text && <p className="note">{m.text}</p>}
              {media?.downloadUrl &&
                (m.type === 'audio' || mime.startsWith('audio/') ? (
                  <VoiceNote url={media.downloadUrl} />
                ) : (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void downloadFile(media.downloadUrl!, m.id)}
                  >
                    {t('request.open')}
                  </button>
                ))}
            </li>
          );
        })}
      </ol>
      {errors.general.map((e) => (
        <p key={e} role="alert" className="problem">
          {e}
        </p>
      ))}
      <form onSubmit={(e) => void reply(e)} className="card stack">
        <div className="field">
          <label htmlFor="reply-canned">{t('helpline.canned')}</label>
          <select
            id="reply-canned"
            value={cannedId}
            onChange={(e) => setCannedId(e.target.value)}
            aria-invalid={Boolean(errors.byField.cannedReplyId)}
            aria-describedby="cannedReplyId-error"
          >
            <option value="">{t('helpline.cannedNone')}</option>
            {canned.data?.cannedReplies.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
          {errors.byField.cannedReplyId && (
            <span className="problem" id="cannedReplyId-error">
              {errors.byField.cannedReplyId}
            </span>
          )}
        </div>
        {chosen ? (
          <div>
            <p className="muted">{t('helpline.cannedPreview')}</p>
            <p className="note" data-testid="canned-preview">
              {conversation.language === 'en' ? chosen.bodyEn : chosen.bodyBn}
            </p>
          </div>
        ) : (
          <div className="field">
            <label htmlFor="reply-text">{t('helpline.reply')}</label>
            <textarea
              id="reply-text"
              name="text"
              rows={3}
              required
              aria-invalid={Boolean(errors.byField.text)}
              aria-describedby="text-error"
            />
            {errors.byField.text && (
              <span className="problem" id="text-error">
                {errors.byField.text}
              </span>
            )}
          </div>
        )}
        <div className="actions">
          <button type="submit" disabled={fetching}>
            {t('helpline.send')}
          </button>
          {conversation.status === 'HUMAN' && (
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void handBack({ input: { conversationId: conversation.id } }).then(again)
              }
            >
              {t('helpline.handBack')}
            </button>
          )}
        </div>
      </form>
    </article>
  );
}
