import { DataSource } from 'typeorm';

/**
 * Constraints that exist in the database but not in the entities, on purpose: foreign
 * keys into another module's tables (an entity may not import another module's entity)
 * and composite or check constraints TypeORM cannot declare.
 */
export const DATABASE_ONLY_CONSTRAINTS = [
  'staff_accounts_municipality_id_fkey',
  'staff_role_grants_municipality_id_fkey',
  'fk_staff_role_grants_ward',
  'ck_staff_role_grants_ward_roles',
  'api_clients_municipality_id_fkey',
  'fk_api_client_wards_ward',
  'residents_municipality_id_fkey',
  'fk_residents_ward',
  'residents_pin_code_check',
  'ix_residents_name_key',
  'service_types_municipality_id_fkey',
  'service_requests_municipality_id_fkey',
  'fk_service_requests_ward',
  'fk_service_requests_resident',
  'fk_service_requests_assignee',
  'fk_service_requests_definition',
  'notification_templates_municipality_id_fkey',
  'notifications_municipality_id_fkey',
  'notifications_event_id_fkey',
  'notification_opt_outs_resident_id_fkey',
  'conversations_municipality_id_fkey',
  'conversations_resident_id_fkey',
  'certificate_types_municipality_id_fkey',
  'certificates_municipality_id_fkey',
  'deliveries_municipality_id_fkey',
  'deliveries_request_id_fkey',
  'municipality_holidays_municipality_id_fkey',
  'uq_deliveries_active',
  'webhook_endpoints_municipality_id_fkey',
  'stored_files_municipality_id_fkey',
  'request_attachments_file_id_fkey',
  'webhook_deliveries_event_id_fkey',
  'ix_webhook_deliveries_due',
  'ix_webhook_deliveries_finished',
  'ix_notifications_finished',
  // Partial indexes: TypeORM cannot compare their WHERE clauses reliably.
  'ix_notifications_recipient_pending',
  'ix_notifications_pending_seq',
  'ix_whatsapp_inbox_sender_pending',
  'ix_whatsapp_inbox_order_pending',
  'ix_whatsapp_inbox_parked',
  'ix_whatsapp_media_fetches_due',
  'ix_request_events_deliveries',
  'ix_service_requests_sla_unbreached',
  'ix_service_requests_open',
  'tracking_links_request_id_fkey',
  'uq_tracking_links_live',
  'callback_calls_task_id_fkey',
  'callback_attempts_task_id_fkey',
  'request_feedback_request_id_fkey',
  'ck_request_feedback_rating',
  'request_reopenings_request_id_fkey',
];

export interface SchemaDrift {
  up: string[];
  down: string[];
}

/** What TypeORM would change to make the database match the entities, minus the above. */
export async function schemaDrift(dataSource: DataSource): Promise<SchemaDrift> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  const ours = (query: string) =>
    !DATABASE_ONLY_CONSTRAINTS.some((name) => query.includes(`"${name}"`));
  return {
    up: sql.upQueries.map((q) => q.query).filter(ours),
    down: sql.downQueries.map((q) => q.query).filter(ours),
  };
}
