import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { WardsService } from '../wards/wards.service';
import { HelplineStats, MinutesSpread } from './dto/helpline-stats.type';
import { statsPeriod } from './stats-period';
import { visibleWard } from './visible-ward';

/**
 * Each helpline episode of the ward opened in the period, with its first staff answer (kept
 * when it was closed, else read from the thread), who gave it, and the minutes to answer
 * and to close. $1 ward, $2 start, $3 end.
 */
const EPISODES_SQL = `
  WITH e AS (
    SELECT h.*, coalesce(h.first_response_at, (
             SELECT min(m.created_at) FROM whatsapp_messages m
              WHERE m.conversation_id = h.conversation_id AND m.author = 'STAFF'
                AND m.created_at >= h.opened_at)) AS responded_at,
           coalesce(h.first_responder_id, (
             SELECT s.id FROM whatsapp_messages m JOIN staff_accounts s
                    ON s.username = m.author_name AND s.municipality_id = h.municipality_id
              WHERE m.conversation_id = h.conversation_id AND m.author = 'STAFF' AND m.created_at >= h.opened_at
              ORDER BY m.created_at LIMIT 1)) AS responder_id
      FROM helpline_episodes h
     WHERE h.ward_id = $1 AND h.opened_at >= $2 AND h.opened_at < $3)
  SELECT e.*, extract(epoch FROM e.responded_at - e.opened_at) / 60 AS response_minutes,
         extract(epoch FROM e.closed_at - e.opened_at) / 60 AS resolution_minutes,
         to_char(e.opened_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD') AS day
    FROM e`;

const SPREAD = (column: string) => `
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${column}) AS ${column}_median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY ${column}) AS ${column}_p90`;

type SpreadRow = Record<string, number | null>;
const spread = (row: SpreadRow | undefined, column: string): MinutesSpread => ({
  median: round(row?.[`${column}_median`]),
  p90: round(row?.[`${column}_p90`]),
});
const round = (value: number | null | undefined) =>
  value == null ? null : Math.round(Number(value) * 10) / 10;

/** First-response and resolution times of a ward's helpline, by staff member and by day. */
@Injectable()
export class HelplineStatsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly wards: WardsService,
  ) {}

  async wardHelplineStats(
    actor: Actor,
    wardId: string,
    from: string,
    to: string,
  ): Promise<HelplineStats> {
    const period = statsPeriod(from, to);
    const ward = await visibleWard(this.wards, actor, wardId, Permission.RESIDENTS_READ);
    const params = [ward.id, period.start, period.end];
    const [totals] = (await this.dataSource.query(
      `SELECT count(*)::int AS opened, count(responded_at)::int AS answered, count(closed_at)::int AS closed,
              count(escalated_at)::int AS escalated, ${SPREAD('response_minutes')}, ${SPREAD('resolution_minutes')}
         FROM (${EPISODES_SQL}) x`,
      params,
    )) as Array<
      SpreadRow & { opened: number; answered: number; closed: number; escalated: number }
    >;
    const staff = (await this.dataSource.query(
      `WITH x AS (${EPISODES_SQL}),
            answered AS (SELECT responder_id AS staff_id, count(*)::int AS first_responses, ${SPREAD('response_minutes')}
                           FROM x WHERE responder_id IS NOT NULL GROUP BY responder_id),
            closing AS (SELECT closed_by_id AS staff_id, count(*)::int AS closed, ${SPREAD('resolution_minutes')}
                          FROM x WHERE closed_by_id IS NOT NULL GROUP BY closed_by_id)
       SELECT s.id AS staff_id, s.display_name, coalesce(a.first_responses, 0) AS first_responses,
              coalesce(c.closed, 0) AS closed, a.response_minutes_median, a.response_minutes_p90,
              c.resolution_minutes_median, c.resolution_minutes_p90
         FROM answered a FULL JOIN closing c ON c.staff_id = a.staff_id
         JOIN staff_accounts s ON s.id = coalesce(a.staff_id, c.staff_id)
        ORDER BY s.display_name`,
      params,
    )) as Array<
      SpreadRow & {
        staff_id: string;
        display_name: string;
        first_responses: number;
        closed: number;
      }
    >;
    const days = (await this.dataSource.query(
      `SELECT day, count(*)::int AS opened, ${SPREAD('response_minutes')}, ${SPREAD('resolution_minutes')}
         FROM (${EPISODES_SQL}) x GROUP BY day ORDER BY day`,
      params,
    )) as Array<SpreadRow & { day: string; opened: number }>;
    return {
      opened: totals.opened,
      answered: totals.answered,
      closed: totals.closed,
      escalated: totals.escalated,
      firstResponseMinutes: spread(totals, 'response_minutes'),
      resolutionMinutes: spread(totals, 'resolution_minutes'),
      byStaff: staff.map((row) => ({
        staffId: row.staff_id,
        displayName: row.display_name,
        firstResponses: row.first_responses,
        firstResponseMinutes: spread(row, 'response_minutes'),
        closed: row.closed,
        resolutionMinutes: spread(row, 'resolution_minutes'),
      })),
      byDay: days.map((row) => ({
        day: String(row.day),
        opened: row.opened,
        firstResponseMinutes: spread(row, 'response_minutes'),
        resolutionMinutes: spread(row, 'resolution_minutes'),
      })),
    };
  }
}
