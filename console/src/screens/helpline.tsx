import { FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { Link } from 'wouter';
import type { ConversationStatus } from '../gql/graphql';
import {
  ConversationQuery,
  ConversationsQuery,
  HandBackMutation,
  SendMessageMutation,
} from '../graphql/operations';
import { digits, formatDateTime, Language } from '../lib/bengali';
import { downloadFile, fileObjectUrl } from '../lib/files';
import { mapUserErrors } from '../lib/user-errors';

/** The ward's helpline conversations; the hand-over inbox is those waiting for a person. */
export function Helpline() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [status, setStatus] = useState<ConversationStatus | ''>('HUMAN');
  const [{ data, fetching }] = useQuery({
    query: ConversationsQuery,
    variables: { status: status || undefined },
    requestPolicy: 'cache-and-network',
  });
  const conversations = data?.helplineConversations.edges.map((e) => e.node) ?? [];
  return (
    <section aria-labelledby="helpline-h" className="stack">
      <h1 id="helpline-h">{t('helpline.title')}</h1>
      <label>
        {t('helpline.show')}
        <select
          value={status}
          onChange={(e) => setStatus(e.target.value as ConversationStatus | '')}
        >
          <option value="HUMAN">{t('helpline.handedOver')}</option>
          <option value="">{t('queue.any')}</option>
        </select>
      </label>
      {fetching && !data && <p>{t('loading')}</p>}
      {data && conversations.length === 0 && <p>{t('helpline.none')}</p>}
      <ul className="list">
        {conversations.map((c) => (
          <li key={c.id} className="card row">
            <Link href={`/helpline/${c.id}`} className="row-link">
              <strong>{c.resident?.fullName ?? t('helpline.unknown')}</strong>
              <span className="muted">
                {c.resident?.phone && digits(c.resident.phone, language)}
              </span>
            </Link>
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

/** One thread: the resident's messages and the bot's and staff's answers, a reply, hand back. */
export function Conversation({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [{ data }, reload] = useQuery({
    query: ConversationQuery,
    variables: { id },
    requestPolicy: 'cache-and-network',
  });
  const [{ fetching }, send] = useMutation(SendMessageMutation);
  const [, handBack] = useMutation(HandBackMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const conversation = data?.helplineConversation;
  if (!conversation) return <p>{t('loading')}</p>;

  const reply = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const text = String(new FormData(form).get('text') ?? '');
    const result = await send({ input: { residentId: conversation.residentId, text } });
    const errors = result.data?.sendMessageToResident.errors ?? [];
    if (result.data?.sendMessageToResident.message) {
      form.reset();
      setProblem(null);
      reload({ requestPolicy: 'network-only' });
    } else setProblem(mapUserErrors(errors, []).general.join(' ') || t('errors.generic'));
  };
  return (
    <article aria-labelledby="thread-h" className="stack">
      <Link href="/helpline">← {t('helpline.title')}</Link>
      <h1 id="thread-h">{conversation.resident?.fullName ?? t('helpline.unknown')}</h1>
      <ol className="thread" aria-label={t('helpline.messages')}>
        {conversation.messages.map((m) => {
          const media = (m.media ?? null) as Media | null;
          const mime = media?.mimeType ?? '';
          return (
            <li key={m.id} className={m.direction === 'IN' ? 'bubble in' : 'bubble out'}>
              <span className="muted">
                {m.authorName ?? t(`author.${m.author}`, { defaultValue: m.author })} ·{' '}
                {formatDateTime(m.sentAt, language)}
              </span>
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
      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
      <form onSubmit={(e) => void reply(e)} className="card stack">
        <label>
          {t('helpline.reply')}
          <textarea name="text" rows={3} required />
        </label>
        <div className="actions">
          <button type="submit" disabled={fetching}>
            {t('helpline.send')}
          </button>
          {conversation.status === 'HUMAN' && (
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void handBack({ input: { conversationId: conversation.id } }).then(() =>
                  reload({ requestPolicy: 'network-only' }),
                )
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
