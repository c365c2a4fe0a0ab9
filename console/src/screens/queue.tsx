import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, useSubscription } from 'urql';
import { Link } from 'wouter';
import type {
  QueueQuery as QueueData,
  RequestChannel,
  RequestFilter,
  RequestStatus,
} from '../gql/graphql';
import { QueueQuery, RequestEventsSubscription } from '../graphql/operations';
import { digits, formatDue, Language } from '../lib/bengali';

type Item = QueueData['requests']['edges'][number]['node'];

const STATUSES: RequestStatus[] = [
  'SUBMITTED',
  'IN_REVIEW',
  'NEEDS_INFO',
  'APPROVED',
  'READY',
  'OUT_FOR_DELIVERY',
];
const CHANNELS: RequestChannel[] = ['PHONE_CALL', 'WALK_IN', 'WHATSAPP', 'API'];
/** Open requests: what a coordinator works on (completed ones are found by search). */
const OPEN: RequestStatus[] = STATUSES;

interface Filters {
  status: RequestStatus | '';
  channel: RequestChannel | '';
  overdue: boolean;
  search: string;
}

/** The filters as the API's `RequestFilter`. */
export function toRequestFilter(filters: Filters, wardIds: string[]): RequestFilter {
  const search = filters.search.trim();
  return {
    // Municipality-wide roles (a signatory) have no wards of their own: every ward they may read.
    wardIds: wardIds.length ? wardIds : undefined,
    statuses: filters.status ? [filters.status] : search ? undefined : OPEN,
    channel: filters.channel || undefined,
    overdue: filters.overdue || undefined,
    search: search || undefined,
  };
}

/** The ward's queue, most urgent first, growing as the person scrolls, and live. */
export function Queue({ wardIds }: { wardIds: string[] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const client = useClient();
  const [filters, setFilters] = useState<Filters>({
    status: '',
    channel: '',
    overdue: false,
    search: '',
  });
  const [items, setItems] = useState<Item[]>([]);
  const [page, setPage] = useState<{ total: number; next: string | null }>({
    total: 0,
    next: null,
  });
  const [loading, setLoading] = useState(true);
  const [failed, setFailed] = useState(false);
  const [liveNote, setLiveNote] = useState(false);
  const generation = useRef(0);

  const load = useCallback(
    async (after: string | null) => {
      const mine = after ? generation.current : ++generation.current;
      setLoading(true);
      const result = await client
        .query(
          QueueQuery,
          { filter: toRequestFilter(filters, wardIds), after },
          { requestPolicy: 'network-only' },
        )
        .toPromise();
      if (mine !== generation.current) return; // a newer search replaced this one
      setLoading(false);
      const connection = result.data?.requests;
      setFailed(!connection);
      if (!connection) return;
      const nodes = connection.edges.map((e) => e.node);
      setItems((before) => (after ? [...before, ...nodes] : nodes));
      setPage({
        total: connection.totalCount,
        next: connection.pageInfo.hasNextPage ? (connection.pageInfo.endCursor ?? null) : null,
      });
    },
    [client, filters, wardIds],
  );

  useEffect(() => {
    const timer = setTimeout(() => void load(null), filters.search ? 300 : 0);
    return () => clearTimeout(timer);
  }, [load, filters.search]);

  // Live: any change in the wards reloads the first page (events carry no names; docs/api.md).
  const [{ data: event }] = useSubscription({
    query: RequestEventsSubscription,
    variables: { wardIds: wardIds.length ? wardIds : undefined },
  });
  useEffect(() => {
    if (!event) return;
    setLiveNote(true);
    void load(null);
  }, [event, load]);

  // Infinite scroll: the next page loads when the end of the list comes into view.
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !page.next) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !loading) void load(page.next);
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [page.next, loading, load]);

  const set = (change: Partial<Filters>) => setFilters((f) => ({ ...f, ...change }));
  const now = new Date();
  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">{t('queue.title')}</h1>
      <div className="filters">
        <label className="wide">
          {t('queue.search')}
          <input
            type="search"
            value={filters.search}
            onChange={(e) => set({ search: e.target.value })}
          />
        </label>
        <label>
          {t('queue.status')}
          <select
            value={filters.status}
            onChange={(e) => set({ status: e.target.value as RequestStatus | '' })}
          >
            <option value="">{t('queue.any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('queue.channel')}
          <select
            value={filters.channel}
            onChange={(e) => set({ channel: e.target.value as RequestChannel | '' })}
          >
            <option value="">{t('queue.any')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={filters.overdue}
            onChange={(e) => set({ overdue: e.target.checked })}
          />
          {t('queue.overdue')}
        </label>
      </div>
      <p className="muted" aria-live="polite">
        {t('queue.count', { n: digits(page.total, language) })}
        {liveNote && <span className="live"> · {t('queue.live')}</span>}
      </p>
      {failed && (
        <p role="alert" className="problem">
          {t('errors.network')}
        </p>
      )}
      {!loading && !failed && items.length === 0 && <p>{t('queue.empty')}</p>}
      <ul className="list" aria-busy={loading}>
        {items.map((item) => (
          <li key={item.id} className="card row">
            <Link href={`/requests/${item.id}`} className="row-link">
              <span className="tracking">{item.trackingNumber}</span>
              <span className="service">
                {language === 'bn' ? item.serviceType.nameBn : item.serviceType.nameEn}
              </span>
              <span>{item.resident?.fullName}</span>
            </Link>
            <span className="meta">
              <span className={`badge status-${item.status}`}>{t(`status.${item.status}`)}</span>
              {item.sla.overdue && <span className="badge overdue">{t('queue.overdueBadge')}</span>}
              {item.sla.paused && <span className="badge paused">{t('queue.pausedBadge')}</span>}
              {!item.sla.paused && (
                <span className="due">{formatDue(item.sla.dueAt, now, language)}</span>
              )}
              <span className="muted">· {t(`channel.${item.channel}`)}</span>
            </span>
          </li>
        ))}
      </ul>
      <div ref={sentinel} />
      {page.next && (
        <button
          type="button"
          className="secondary"
          disabled={loading}
          onClick={() => void load(page.next)}
        >
          {t('queue.more')}
        </button>
      )}
      {loading && <p className="muted">{t('loading')}</p>}
    </section>
  );
}
