import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Missed-call callbacks: a ward's missed-call number, the tasks calls become, each call
 * received (by the provider's call id, once) and each attempt to call back.
 */
export class CallbackTasks1764621000000 implements MigrationInterface {
  name = 'CallbackTasks1764621000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE missed_call_numbers (
        ward_id uuid PRIMARY KEY,
        municipality_id uuid NOT NULL,
        number varchar(16) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_missed_call_numbers_number UNIQUE (number)
      )`);
    await q.query(`
      CREATE TABLE callback_tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL,
        ward_id uuid NOT NULL,
        caller_phone varchar(16) NOT NULL,
        resident_id uuid,
        status varchar(10) NOT NULL DEFAULT 'OPEN',
        call_count int NOT NULL DEFAULT 1,
        throttled_calls int NOT NULL DEFAULT 0,
        first_call_at timestamptz NOT NULL,
        last_call_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        escalated_at timestamptz,
        unanswered_attempts int NOT NULL DEFAULT 0,
        closed_at timestamptz,
        closed_reason varchar(20),
        request_id uuid,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ix_callback_tasks_ward_status ON callback_tasks (ward_id, status, due_at, id)`,
    );
    await q.query(
      `CREATE INDEX ix_callback_tasks_caller ON callback_tasks (ward_id, caller_phone, last_call_at)`,
    );
    await q.query(`
      CREATE TABLE callback_calls (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL CONSTRAINT callback_calls_task_id_fkey REFERENCES callback_tasks (id) ON DELETE CASCADE,
        ward_id uuid NOT NULL,
        call_sid varchar(64) NOT NULL,
        called_at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_callback_calls_sid UNIQUE (call_sid)
      )`);
    await q.query(`CREATE INDEX ix_callback_calls_task ON callback_calls (task_id, called_at)`);
    await q.query(`
      CREATE TABLE callback_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL CONSTRAINT callback_attempts_task_id_fkey REFERENCES callback_tasks (id) ON DELETE CASCADE,
        ward_id uuid NOT NULL,
        outcome varchar(20) NOT NULL,
        result varchar(20) NOT NULL,
        note text,
        request_id uuid,
        actor_id uuid,
        actor_name varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(
      `CREATE INDEX ix_callback_attempts_task ON callback_attempts (task_id, created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE callback_attempts`);
    await q.query(`DROP TABLE callback_calls`);
    await q.query(`DROP TABLE callback_tasks`);
    await q.query(`DROP TABLE missed_call_numbers`);
  }
}
