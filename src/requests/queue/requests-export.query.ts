import { ExportQuery } from '../../common/sql/export-query';
import { RequestStatus } from '../entities/request-enums';

/** `requests.csv`: ids and codes, no names or phone numbers (exports carry no personal data). */
export const REQUESTS_EXPORT: ExportQuery = {
  columns: [
    'tracking_number',
    'ward_number',
    'service_code',
    'category',
    'channel',
    'status',
    'priority',
    'created_at',
    'sla_due_at',
    'completed_at',
    'resident_id',
    'request_id',
  ],
  sql: `SELECT r.tracking_number, w.number AS ward_number, s.code AS service_code, r.category, r.channel,
               r.status, r.priority, r.created_at, r.sla_due_at, r.completed_at, r.resident_id, r.id AS request_id
          FROM service_requests r JOIN wards w ON w.id = r.ward_id JOIN service_types s ON s.id = r.service_type_id
         WHERE {where} ORDER BY r.created_at, r.id`,
  statuses: Object.values(RequestStatus),
  table: 'r',
  dateColumn: 'created_at',
};
