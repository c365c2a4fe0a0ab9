import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { Link } from 'wouter';
import type { HelplineTimesQuery as Times } from '../gql/graphql';
import { DashboardQuery, HelplineTimesQuery, OverdueListQuery } from '../graphql/operations';
import { digits, formatDate, formatDue, formatNumber, Language } from '../lib/bengali';
import { formatMinutes } from '../lib/help-desk';
import { lastWeeks } from '../lib/weeks';
import { useWardChoice } from './ward-choice';

interface Point {
  label: string;
  value: number | null;
}

/**
 * A bar chart in plain SVG: a handful of bars needs no charting library (and no inline
 * styles, which the page's CSP forbids); the same numbers are in a table for screen readers.
 */
function BarChart({
  title,
  points,
  max,
  format,
}: {
  title: string;
  points: Point[];
  max: number;
  format: (v: number) => string;
}) {
  const width = 320;
  const height = 140;
  const bar = width / points.length;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 -16 ${width} ${height + 36}`} role="img" aria-label={title}>
        {points.map((p, i) => {
          const h = p.value === null || max === 0 ? 0 : (p.value / max) * height;
          return (
            <g key={p.label}>
              <rect x={i * bar + 6} y={height - h} width={bar - 12} height={h} fill="#0b5d4b" />
              <text
                x={i * bar + bar / 2}
                y={height - h - 4}
                textAnchor="middle"
                fontSize="11"
                fill="#1b1f1e"
              >
                {p.value === null ? '–' : format(p.value)}
              </text>
              <text
                x={i * bar + bar / 2}
                y={height + 14}
                textAnchor="middle"
                fontSize="10"
                fill="#4d5652"
              >
                {p.label}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <tbody>
          {points.map((p) => (
            <tr key={p.label}>
              <th scope="row">{p.label}</th>
              <td>{p.value === null ? '–' : format(p.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** The ward's day: today's numbers, the overdue list, deliveries per agent, SLA and turnaround by week. */
export function Dashboard({ wardIds }: { wardIds: string[] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [w1, w2, w3, w4, w5, w6] = lastWeeks(new Date(), 6);
  const { wardId, picker } = useWardChoice(wardIds);
  const [{ data, error }] = useQuery({
    query: DashboardQuery,
    variables: {
      wardId,
      f1: w1.from,
      t1: w1.to,
      f2: w2.from,
      t2: w2.to,
      f3: w3.from,
      t3: w3.to,
      f4: w4.from,
      t4: w4.to,
      f5: w5.from,
      t5: w5.to,
      f6: w6.from,
      t6: w6.to,
    },
    pause: !wardId,
  });
  const [{ data: overdue }] = useQuery({
    query: OverdueListQuery,
    variables: { wardIds: [wardId] },
    pause: !wardId,
  });
  const [{ data: times }] = useQuery({
    query: HelplineTimesQuery,
    variables: { wardId, from: w1.from, to: w6.to },
    pause: !wardId,
  });
  if (error && !data) return <p role="alert">{t('errors.network')}</p>;
  if (!data) return <p>{t('loading')}</p>;
  const workload = data.wardWorkload;
  const stats = [data.w1, data.w2, data.w3, data.w4, data.w5, data.w6];
  const label = (to: string) => formatDate(to, language).split(' ').slice(0, 2).join(' ');
  const percent = (v: number) => `${digits(Math.round(v), language)}%`;
  const hours = (v: number) => digits(Math.round(v), language);
  return (
    <section aria-labelledby="dashboard-h" className="stack">
      <h1 id="dashboard-h">{t('dashboard.title')}</h1>
      {picker}
      <div className="numbers">
        <p className="card">
          <span className="big">{formatNumber(workload.open, language)}</span> {t('dashboard.open')}
        </p>
        <p className="card">
          <span className="big overdue-text">{formatNumber(workload.overdue, language)}</span>{' '}
          {t('dashboard.overdue')}
        </p>
      </div>
      <section className="card" aria-labelledby="overdue-h">
        <h2 id="overdue-h">{t('dashboard.overdueList')}</h2>
        <ul className="list">
          {overdue?.requests.edges.map(({ node }) => (
            <li key={node.id}>
              <Link href={`/requests/${node.id}`}>{node.trackingNumber}</Link> ·{' '}
              {node.resident?.fullName} · {formatDue(node.sla.dueAt, new Date(), language)}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="agents-h">
        <h2 id="agents-h">{t('dashboard.deliveriesToday')}</h2>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('request.schedule.agent')}</th>
              <th scope="col">{t('deliveryStatus.SCHEDULED')}</th>
              <th scope="col">{t('deliveryStatus.ON_THE_WAY')}</th>
              <th scope="col">{t('deliveryStatus.DELIVERED')}</th>
              <th scope="col">{t('deliveryStatus.FAILED')}</th>
            </tr>
          </thead>
          <tbody>
            {workload.deliveriesToday.map((a) => (
              <tr key={a.agentId}>
                <th scope="row">{a.agentName}</th>
                <td>{digits(a.scheduled, language)}</td>
                <td>{digits(a.onTheWay, language)}</td>
                <td>{digits(a.delivered, language)}</td>
                <td>{digits(a.notDelivered, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <div className="card">
        <BarChart
          title={t('dashboard.slaChart')}
          max={100}
          format={percent}
          points={stats.map((s) => ({
            label: label(s.to),
            value:
              s.completedWithinSlaShare === null || s.completedWithinSlaShare === undefined
                ? null
                : s.completedWithinSlaShare * 100,
          }))}
        />
        <BarChart
          title={t('dashboard.turnaroundChart')}
          max={Math.max(1, ...stats.map((s) => s.turnaroundHours.median ?? 0))}
          format={hours}
          points={stats.map((s) => ({
            label: label(s.to),
            value: s.turnaroundHours.median ?? null,
          }))}
        />
      </div>
      {times && <HelplineTimes stats={times.wardHelplineStats} />}
    </section>
  );
}

/** The help desk's response times: first answer and closing, median and 90th percentile. */
function HelplineTimes({ stats }: { stats: Times['wardHelplineStats'] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const m = (v: number | null | undefined) => formatMinutes(v, language);
  return (
    <section className="card stack" aria-labelledby="helpline-times-h" data-testid="helpline-times">
      <h2 id="helpline-times-h">{t('dashboard.helpline')}</h2>
      <p className="meta">
        <span>
          {digits(stats.opened, language)} {t('dashboard.opened')}
        </span>
        ·{' '}
        <span>
          {digits(stats.answered, language)} {t('dashboard.answered')}
        </span>
        ·{' '}
        <span>
          {digits(stats.closed, language)} {t('dashboard.closed')}
        </span>
        ·{' '}
        <span>
          {digits(stats.escalated, language)} {t('dashboard.escalated')}
        </span>
      </p>
      <table className="table">
        <thead>
          <tr>
            <td />
            <th scope="col">{t('dashboard.median')}</th>
            <th scope="col">{t('dashboard.p90')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t('dashboard.firstResponse')}</th>
            <td>{m(stats.firstResponseMinutes.median)}</td>
            <td>{m(stats.firstResponseMinutes.p90)}</td>
          </tr>
          <tr>
            <th scope="row">{t('dashboard.resolution')}</th>
            <td>{m(stats.resolutionMinutes.median)}</td>
            <td>{m(stats.resolutionMinutes.p90)}</td>
          </tr>
        </tbody>
      </table>
      {stats.byStaff.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('dashboard.staff')}</th>
              <th scope="col">{t('dashboard.firstResponses')}</th>
              <th scope="col">{t('dashboard.firstResponse')}</th>
              <th scope="col">{t('dashboard.resolution')}</th>
            </tr>
          </thead>
          <tbody>
            {stats.byStaff.map((s) => (
              <tr key={s.staffId}>
                <th scope="row">{s.displayName}</th>
                <td>{digits(s.firstResponses, language)}</td>
                <td>{m(s.firstResponseMinutes.median)}</td>
                <td>{m(s.resolutionMinutes.median)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
