import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { todayInIndia } from '../common/validation/fields';
import { RequestStatus } from '../requests/entities/request-enums';
import { COMPLETED_STATUSES } from '../requests/workflow/request-workflow';
import { visibleWard } from './visible-ward';
import { WardsService } from '../wards/wards.service';
import { AgentDay, WardWorkload } from './dto/ward-workload.type';

const STATUS_ORDER = Object.values(RequestStatus);
const OPEN_STATUSES = STATUS_ORDER.filter((s) => !COMPLETED_STATUSES.includes(s));

/**
 * The coordinator's morning view of a ward: two aggregate statements, both narrowed by the
 * ward first — open requests through `(ward_id, status, …)`, today's deliveries by ward and day.
 */
@Injectable()
export class WardWorkloadService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly wards: WardsService,
  ) {}

  async workload(actor: Actor, wardId: string): Promise<WardWorkload> {
    const ward = await visibleWard(this.wards, actor, wardId, Permission.REQUESTS_READ);
    const today = todayInIndia();
    const [open, deliveries] = await Promise.all([
      this.dataSource.query(
        `SELECT status, count(*)::int AS n,
                count(*) FILTER (WHERE sla_paused_at IS NULL AND sla_due_at < now())::int AS late
         FROM service_requests
         WHERE ward_id = $1 AND status = ANY($2::request_status[])
         GROUP BY status`,
        [ward.id, OPEN_STATUSES],
      ) as Promise<Array<{ status: RequestStatus; n: number; late: number }>>,
      this.dataSource.query(
        `SELECT d.agent_id, a.display_name,
                count(*) FILTER (WHERE d.status = 'SCHEDULED')::int AS scheduled,
                count(*) FILTER (WHERE d.status IN ('ON_THE_WAY', 'LOCKED'))::int AS on_the_way,
                count(*) FILTER (WHERE d.status = 'DELIVERED')::int AS delivered,
                count(*) FILTER (WHERE d.status IN ('FAILED', 'CANCELLED'))::int AS not_delivered
         FROM deliveries d JOIN staff_accounts a ON a.id = d.agent_id
         WHERE d.ward_id = $1 AND d.scheduled_date = CAST($2 AS date)
         GROUP BY d.agent_id, a.display_name
         ORDER BY a.display_name, d.agent_id`,
        [ward.id, today],
      ) as Promise<
        Array<{
          agent_id: string;
          display_name: string;
          scheduled: number;
          on_the_way: number;
          delivered: number;
          not_delivered: number;
        }>
      >,
    ]);
    const openByStep = open
      .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status))
      .map((row) => ({ status: row.status, count: row.n, overdue: row.late }));
    return {
      wardId: ward.id,
      today,
      openByStep,
      open: openByStep.reduce((sum, s) => sum + s.count, 0),
      overdue: openByStep.reduce((sum, s) => sum + s.overdue, 0),
      deliveriesToday: deliveries.map((row): AgentDay => ({
        agentId: row.agent_id,
        agentName: row.display_name,
        scheduled: row.scheduled,
        onTheWay: row.on_the_way,
        delivered: row.delivered,
        notDelivered: row.not_delivered,
      })),
    };
  }
}
