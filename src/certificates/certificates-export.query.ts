import { ExportQuery } from '../common/sql/export-query';
import { CertificateStatus } from './entities/certificate.entity';

/** `certificates.csv`: ids and numbers, no names or phone numbers (no personal data). */
export const CERTIFICATES_EXPORT: ExportQuery = {
  columns: [
    'number',
    'type_code',
    'status',
    'issued_at',
    'valid_until',
    'ward_number',
    'tracking_number',
    'signer_role',
    'certificate_id',
  ],
  sql: `SELECT c.number, c.type_code, c.status, c.issued_at, c.valid_until, w.number AS ward_number,
               r.tracking_number, c.signer_role, c.id AS certificate_id
          FROM certificates c JOIN wards w ON w.id = c.ward_id JOIN service_requests r ON r.id = c.request_id
         WHERE {where} ORDER BY c.issued_at, c.id`,
  statuses: Object.values(CertificateStatus),
  table: 'c',
  dateColumn: 'issued_at',
};
