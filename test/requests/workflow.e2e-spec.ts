import { systemActor } from '../../src/audit/audit-actor';
import { StaffRole } from '../../src/common/access/staff-role';
import { RequestAction } from '../../src/requests/entities/request-enums';
import { ServiceRequest } from '../../src/requests/entities/service-request.entity';
import { RequestWorkflowService } from '../../src/requests/request-workflow.service';
import { DataSource } from 'typeorm';
import {
  as,
  GraphQL,
  insertWards,
  seedMunicipality,
  seedStaff,
  staffClient,
} from '../support/fixtures';
import { createRequest, createResident, seedCatalogue, step } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;

/**
 * What a coordinator may do from each status, for a certificate delivered to the door,
 * written out by hand from the issue (not derived from the code under test).
 */
const CERTIFICATE_STAFF_STEPS: Record<string, string[]> = {
  SUBMITTED: ['START_REVIEW', 'REJECT', 'CANCEL'],
  IN_REVIEW: ['REQUEST_INFO', 'APPROVE', 'REJECT', 'CANCEL'],
  NEEDS_INFO: ['PROVIDE_INFO', 'REJECT', 'CANCEL'],
  APPROVED: [],
  // Sending out, failing and confirming a delivery go through deliveries only.
  READY: ['HAND_OVER'],
  OUT_FOR_DELIVERY: [],
  DELIVERED: ['CLOSE'],
  // Not reachable for a certificate, but a resolved request closes or reopens like any.
  RESOLVED: ['CLOSE', 'REOPEN'],
  CLOSED: ['REOPEN'],
  REJECTED: ['REOPEN'],
  CANCELLED: [],
};
const ACTIONS = Object.values(RequestAction);
/** Steps that exist from a status but are Duare's own (SYSTEM): FORBIDDEN to staff. */
const SYSTEM_ONLY_STEPS: Record<string, string[]> = {
  APPROVED: ['MARK_READY'],
  READY: ['DISPATCH'],
  OUT_FOR_DELIVERY: ['RETURN_UNDELIVERED', 'HAND_OVER'],
};

describe('request workflow (e2e)', () => {
  let t: TestApp;
  let ward5: string;
  let types: Record<string, string>;
  let coordinator: GraphQL;
  let secondCoordinator: GraphQL;
  let otherWard: GraphQL;
  let agent: GraphQL;
  let apiClient: GraphQL;
  let agentId: string;
  let otherWardCoordinatorId: string;
  let resident: string;

  const make = (code: string, attributes: Record<string, unknown> = {}) =>
    createRequest(coordinator, { residentId: resident, serviceTypeId: types[code], attributes });
  const certificate = () => make('CHARACTER_CERT', { purpose: 'job' });
  const eventsOf = async (id: string) =>
    (
      await t.db.pool.query(
        `SELECT type, payload FROM domain_events WHERE aggregate_id = $1 ORDER BY position`,
        [id],
      )
    ).rows;
  /** Walks a request through steps, each at the version the previous one returned. */
  const walk = async (client: GraphQL, request: any, ...steps: Array<[string, string?]>) => {
    let current = request;
    for (const [action, note] of steps) {
      const res = await step(client, current, action, note);
      const payload = res.data?.transitionRequest;
      if (!payload?.request) throw new Error(`${action} failed: ${JSON.stringify(res)}`);
      current = payload.request;
    }
    return current;
  };
  /** As Duare's own modules do (certificate issuance, deliveries): the trusted path. */
  const systemStep = async (
    request: any,
    action: RequestAction,
    note: string | null = null,
    module = 'certificates',
  ) =>
    t.app.get(DataSource).transaction(async (manager) => {
      const locked = await manager.findOneByOrFail(ServiceRequest, { id: request.id });
      return t.app
        .get(RequestWorkflowService)
        .apply(manager, systemActor('test', module), locked, action, note);
    });
  const read = async (id: string) =>
    (
      await coordinator(
        `query ($id: ID!) { request(id: $id) { id status version availableActions completedAt
           sla { dueAt paused overdue met } timeline { totalCount edges { node { kind action fromStatus toStatus note residentVisible actorName } } } } }`,
        { id },
      )
    ).data?.request;

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    let ward6: string;
    [, , , , ward5, ward6] = await insertWards(t, bsr, 6);
    types = await seedCatalogue(t, bsr);
    const admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    coordinator = await staffClient(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    secondCoordinator = await staffClient(t, bsr, 'coord.5b', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    otherWard = await staffClient(t, bsr, 'coord.6', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward6 },
    ]);
    otherWardCoordinatorId = (
      await t.db.pool.query(`SELECT id FROM staff_accounts WHERE username = 'coord.6'`)
    ).rows[0].id;
    agentId = await seedStaff(t, bsr, 'agent.5', [{ role: StaffRole.FIELD_AGENT, wardId: ward5 }]);
    agent = await staffClient(t, bsr, 'agent.5x', [{ role: StaffRole.FIELD_AGENT, wardId: ward5 }]);
    const key = (
      await admin(
        `mutation { createApiClient(input: { name: "helpdesk", scopes: [REQUESTS_READ, REQUESTS_WRITE] }) { apiKey } }`,
      )
    ).data?.createApiClient.apiKey;
    apiClient = as(t, key);
    resident = await createResident(coordinator, ward5, 'ফাতিমা বিবি', '9800011122');
  });
  afterAll(() => t.close());

  it('takes a doorstep certificate from submission to closed, recording every step', async () => {
    const made = await certificate();
    const approved = await walk(
      coordinator,
      made,
      ['START_REVIEW'],
      ['REQUEST_INFO', 'আধার কার্ডের ছবি পাঠান'],
      ['PROVIDE_INFO'],
      ['APPROVE'],
    );
    expect(approved).toMatchObject({ status: 'APPROVED', version: 5, availableActions: [] });
    // Issuing the certificate moves it on; a coordinator cannot skip issuance.
    const byHand = await step(coordinator, approved, 'MARK_READY');
    expect(byHand.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const ready = await systemStep(approved, RequestAction.MARK_READY);
    expect(ready.status).toBe('READY');
    // Nor can a coordinator send it out, or confirm it delivered, without a delivery.
    const dispatchByHand = await step(coordinator, ready, 'DISPATCH');
    expect(dispatchByHand.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const { DISPATCH, RETURN_UNDELIVERED, HAND_OVER } = RequestAction;
    const out = await systemStep(ready, DISPATCH, null, 'deliveries');
    const handOverByHand = await step(coordinator, out, 'HAND_OVER');
    expect(handOverByHand.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const returned = await systemStep(out, RETURN_UNDELIVERED, 'বাড়িতে কেউ ছিল না', 'deliveries');
    const delivered = await systemStep(
      await systemStep(returned, DISPATCH, null, 'deliveries'),
      HAND_OVER,
      null,
      'deliveries',
    );
    const closed = await walk(coordinator, delivered, ['CLOSE']);
    expect(closed).toMatchObject({ status: 'CLOSED', version: 11, availableActions: ['REOPEN'] });
    const final = await read(made.id);
    expect(final.completedAt).not.toBeNull();
    expect(final.sla).toMatchObject({ paused: false, overdue: false, met: true });
    expect(
      final.timeline.edges.map((e: any) => [e.node.action ?? e.node.kind, e.node.toStatus]),
    ).toEqual([
      ['CREATED', 'SUBMITTED'],
      ['START_REVIEW', 'IN_REVIEW'],
      ['REQUEST_INFO', 'NEEDS_INFO'],
      ['PROVIDE_INFO', 'IN_REVIEW'],
      ['APPROVE', 'APPROVED'],
      ['MARK_READY', 'READY'],
      ['DISPATCH', 'OUT_FOR_DELIVERY'],
      ['RETURN_UNDELIVERED', 'READY'],
      ['DISPATCH', 'OUT_FOR_DELIVERY'],
      ['HAND_OVER', 'DELIVERED'],
      ['CLOSE', 'CLOSED'],
    ]);
    const askInfo = final.timeline.edges[2].node;
    expect(askInfo).toMatchObject({
      note: 'আধার কার্ডের ছবি পাঠান',
      residentVisible: true,
      actorName: 'coord.5',
    });
    expect(final.timeline.edges[5].node.actorName).toBe('certificates');
    const events = await eventsOf(made.id);
    expect(events.map((e) => e.type)).toEqual([
      'request.created',
      ...Array(9).fill('request.status_changed'),
      // Delivered: the resident is asked to rate it (issue 26), then it is closed.
      'feedback.requested',
      'request.status_changed',
    ]);
    expect(events[2].payload).toMatchObject({
      action: 'REQUEST_INFO',
      from: 'IN_REVIEW',
      to: 'NEEDS_INFO',
      noteToResident: 'আধার কার্ডের ছবি পাঠান',
      version: 3,
    });
    const audit = await t.db.pool.query(
      `SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = 'request.status_changed'`,
      [made.id],
    );
    expect(Number(audit.rows[0].count)).toBe(10);
  });

  it('hands over a service at the office when it is not delivered to the door', async () => {
    const made = await make('TRADE_LICENCE_HELP', { business_name: 'মা কালী ভাণ্ডার' });
    const ready = await walk(coordinator, made, ['START_REVIEW'], ['APPROVE'], ['MARK_READY']);
    expect(ready.availableActions).toEqual(['HAND_OVER']);
    const byHand = await step(coordinator, ready, 'DISPATCH');
    expect(byHand.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const dispatch = await t.app
      .get(RequestWorkflowService)
      .applyTrusted(systemActor('test', 'deliveries'), ready.id, RequestAction.DISPATCH);
    expect(dispatch.errors).toEqual([
      {
        code: 'INVALID_TRANSITION',
        field: 'action',
        message: 'DISPATCH applies only to services delivered to the door',
      },
    ]);
    const done = await walk(coordinator, ready, ['HAND_OVER'], ['CLOSE']);
    expect(done.status).toBe('CLOSED');
  });

  it('resolves, closes and reopens a complaint with a fresh SLA', async () => {
    const made = await make('WATER_SUPPLY', { details: 'কল দিয়ে জল আসছে না' });
    const approve = await step(
      coordinator,
      await walk(coordinator, made, ['START_REVIEW']),
      'APPROVE',
    );
    expect(approve.data?.transitionRequest.errors[0]).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: 'APPROVE does not apply to COMPLAINT requests',
    });
    const resolveWithoutNote = await step(
      coordinator,
      await walk(coordinator, { id: made.id, version: 2 }),
      'RESOLVE',
      '   ',
    );
    expect(resolveWithoutNote.data?.transitionRequest.errors).toEqual([
      expect.objectContaining({ code: 'REQUIRED', field: 'note' }),
    ]);
    const closed = await walk(
      coordinator,
      { id: made.id, version: 2 },
      ['RESOLVE', 'পাইপ সারানো হয়েছে'],
      ['CLOSE'],
    );
    const reopenedAt = Date.now();
    const reopened = await walk(apiClient, closed, ['REOPEN', 'আবার জল বন্ধ']);
    expect(reopened).toMatchObject({ status: 'IN_REVIEW', completedAt: null });
    // 48 hours from the reopening, not from the first submission.
    expect(Math.abs(Date.parse(reopened.sla.dueAt) - (reopenedAt + 48 * HOUR))).toBeLessThan(
      60_000,
    );
  });

  it('refuses to reopen after the reopen period', async () => {
    const made = await make('GARBAGE');
    const closed = await walk(
      coordinator,
      made,
      ['START_REVIEW'],
      ['RESOLVE', 'তোলা হয়েছে'],
      ['CLOSE'],
    );
    await t.db.pool.query(
      `UPDATE service_requests SET completed_at = now() - interval '16 days' WHERE id = $1`,
      [made.id],
    );
    const late = await step(coordinator, closed, 'REOPEN', 'আবার জমেছে');
    expect(late.data?.transitionRequest.errors).toEqual([
      {
        code: 'INVALID_TRANSITION',
        field: 'action',
        message: 'the reopen period of 15 days after the outcome has passed',
      },
    ]);
    expect((await read(made.id)).status).toBe('CLOSED');
  });

  it('rejects only with a reason, which the resident is told; cancels before approval only', async () => {
    const made = await certificate();
    const bare = await step(coordinator, made, 'REJECT');
    expect(bare.data?.transitionRequest.errors).toEqual([
      { code: 'REQUIRED', field: 'note', message: 'REJECT needs a note saying why or what' },
    ]);
    const rejected = await walk(coordinator, made, ['REJECT', 'এই ওয়ার্ডের বাসিন্দা নন']);
    expect(rejected.lastEvent).toMatchObject({
      kind: 'STATUS_CHANGED',
      note: 'এই ওয়ার্ডের বাসিন্দা নন',
      residentVisible: true,
    });
    expect(rejected.sla.met).toBe(true);

    const byClient = await walk(apiClient, await certificate(), ['CANCEL']);
    expect(byClient.status).toBe('CANCELLED');
    const approved = await walk(coordinator, await certificate(), ['START_REVIEW'], ['APPROVE']);
    const late = await step(apiClient, approved, 'CANCEL');
    expect(late.data?.transitionRequest.errors[0]).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: 'CANCEL is not possible from APPROVED',
    });
    const decided = await step(apiClient, await certificate(), 'START_REVIEW');
    expect(decided.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses every step the table does not allow, from every status, changing nothing', async () => {
    const made = await certificate();
    for (const [status, allowed] of Object.entries(CERTIFICATE_STAFF_STEPS)) {
      await t.db.pool.query(
        `UPDATE service_requests SET status = $2, completed_at = now() WHERE id = $1`,
        [made.id, status],
      );
      const current = await read(made.id);
      expect({ status, actions: current.availableActions }).toEqual({ status, actions: allowed });
      for (const action of ACTIONS.filter((a) => !allowed.includes(a))) {
        const res = await step(coordinator, current, action, 'a note');
        const outcome =
          res.errors?.[0].extensions?.code ?? res.data?.transitionRequest.errors[0]?.code;
        // Duare's own steps are forbidden to staff, not illegal.
        const expected = SYSTEM_ONLY_STEPS[status]?.includes(action)
          ? 'FORBIDDEN'
          : 'INVALID_TRANSITION';
        expect({ status, action, outcome }).toEqual({ status, action, outcome: expected });
      }
      const after = await read(made.id);
      expect({ status: after.status, version: after.version }).toEqual({
        status,
        version: current.version,
      });
    }
    expect((await read(made.id)).timeline.totalCount).toBe(1);
  });

  it('answers a stale version with CONFLICT and the current state; one of two approvals wins', async () => {
    const inReview = await walk(coordinator, await certificate(), ['START_REVIEW']);
    const [a, b] = await Promise.all([
      step(coordinator, inReview, 'APPROVE'),
      step(secondCoordinator, inReview, 'APPROVE'),
    ]);
    const outcomes = [a, b].map((r) =>
      r.data?.transitionRequest ? 'OK' : r.errors?.[0].extensions?.code,
    );
    expect(outcomes.sort()).toEqual(['CONFLICT', 'OK']);
    const loser = [a, b].find((r) => r.errors)!;
    expect(loser.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'version',
      currentVersion: 3,
      currentStatus: 'APPROVED',
    });
    const final = await read(inReview.id);
    expect(final.timeline.edges.filter((e: any) => e.node.action === 'APPROVE')).toHaveLength(1);
  });

  it('pauses the SLA while waiting for the resident and gives the paused time back', async () => {
    const made = await make('STREET_LIGHT', { pole_number: '১২৩' });
    const due = Date.parse(made.sla.dueAt);
    const waiting = await walk(coordinator, made, ['START_REVIEW'], ['REQUEST_INFO', 'কোন খুঁটি?']);
    expect(waiting.sla).toMatchObject({ paused: true, overdue: false });
    expect(waiting.slaPausedAt).not.toBeNull();
    // Ten hours pass while the resident does not answer.
    await t.db.pool.query(
      `UPDATE service_requests SET sla_paused_at = sla_paused_at - interval '10 hours' WHERE id = $1`,
      [made.id],
    );
    const resumed = await walk(coordinator, waiting, ['PROVIDE_INFO']);
    expect(resumed.sla.paused).toBe(false);
    expect(resumed.slaPausedAt).toBeNull();
    const moved = Date.parse(resumed.sla.dueAt) - due;
    expect(moved).toBeGreaterThanOrEqual(10 * HOUR);
    expect(moved).toBeLessThan(10 * HOUR + 60_000);

    // Leaving NEEDS_INFO by rejection also gives the time back before the clock stops.
    const again = await walk(coordinator, resumed, ['REQUEST_INFO', 'ছবি পাঠান']);
    await t.db.pool.query(
      `UPDATE service_requests SET sla_paused_at = sla_paused_at - interval '3 hours' WHERE id = $1`,
      [made.id],
    );
    const rejected = await walk(coordinator, again, ['REJECT', 'উত্তর আসেনি']);
    const movedAgain = Date.parse(rejected.sla.dueAt) - Date.parse(resumed.sla.dueAt);
    expect(movedAgain).toBeGreaterThanOrEqual(3 * HOUR);
    expect(movedAgain).toBeLessThan(3 * HOUR + 60_000);
  });

  it('shows a running clock past its due time as overdue, and a paused one as not', async () => {
    const made = await make('GARBAGE');
    await t.db.pool.query(
      `UPDATE service_requests SET sla_due_at = now() - interval '1 hour' WHERE id = $1`,
      [made.id],
    );
    expect((await read(made.id)).sla).toMatchObject({ overdue: true, paused: false });
    const overdueIds = async () =>
      (
        await coordinator(
          `{ requests(filter: { overdue: true }, first: 100) { edges { node { id } } } }`,
        )
      ).data?.requests.edges.map((e: any) => e.node.id);
    expect(await overdueIds()).toContain(made.id);
    const current = await read(made.id);
    await walk(coordinator, current, ['START_REVIEW'], ['REQUEST_INFO', 'কোথায়?']);
    expect((await read(made.id)).sla).toMatchObject({ overdue: false, paused: true });
    expect(await overdueIds()).not.toContain(made.id);
  });

  it('keeps other wards out and assigns only to people of the ward', async () => {
    const made = await certificate();
    const foreign = await step(otherWard, made, 'START_REVIEW');
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const readOnly = await step(agent, made, 'START_REVIEW');
    expect(readOnly.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const ASSIGN = `mutation ($input: AssignRequestInput!) { assignRequest(input: $input) {
      request { version assignee { username } lastEvent { kind } } errors { code field } } }`;
    const wrong = await coordinator(ASSIGN, {
      input: { requestId: made.id, version: 1, assigneeId: otherWardCoordinatorId },
    });
    expect(wrong.data?.assignRequest.errors).toEqual([{ code: 'NOT_FOUND', field: 'assigneeId' }]);
    // Field agents carry deliveries; they cannot read the ward's requests, so none is theirs.
    const toAgent = await coordinator(ASSIGN, {
      input: { requestId: made.id, version: 1, assigneeId: agentId },
    });
    expect(toAgent.data?.assignRequest.errors).toEqual([
      { code: 'NOT_FOUND', field: 'assigneeId' },
    ]);
    const secondCoordinatorId = (
      await t.db.pool.query(`SELECT id FROM staff_accounts WHERE username = 'coord.5b'`)
    ).rows[0].id;
    const assigned = await coordinator(ASSIGN, {
      input: { requestId: made.id, version: 1, assigneeId: secondCoordinatorId },
    });
    expect(assigned.data?.assignRequest).toEqual({
      request: { version: 2, assignee: { username: 'coord.5b' }, lastEvent: { kind: 'ASSIGNED' } },
      errors: [],
    });
    const stale = await coordinator(ASSIGN, {
      input: { requestId: made.id, version: 1, assigneeId: null },
    });
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    const unassigned = await coordinator(ASSIGN, {
      input: { requestId: made.id, version: 2, assigneeId: null },
    });
    expect(unassigned.data?.assignRequest.request.assignee).toBeNull();
    expect((await eventsOf(made.id)).map((e) => e.type)).toEqual([
      'request.created',
      'request.assigned',
      'request.assigned',
    ]);
    const foreignRead = await otherWard(`query ($id: ID!) { request(id: $id) { id } }`, {
      id: made.id,
    });
    expect(foreignRead.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // Field agents read neither the ward's requests nor its residents (they see deliveries).
    const agentView = await agent(`query ($id: ID!) { request(id: $id) { id } }`, { id: made.id });
    expect(agentView.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps internal notes, tells comments, and records priority and files', async () => {
    const made = await certificate();
    const NOTE = `mutation ($input: AddRequestNoteInput!) { addRequestNote(input: $input) {
      entry { kind note residentVisible actorName } errors { code field } } }`;
    const note = await coordinator(NOTE, { input: { requestId: made.id, text: 'ফোনে কথা হয়েছে' } });
    expect(note.data?.addRequestNote).toEqual({
      entry: { kind: 'NOTE', note: 'ফোনে কথা হয়েছে', residentVisible: false, actorName: 'coord.5' },
      errors: [],
    });
    const comment = await coordinator(NOTE, {
      input: { requestId: made.id, text: 'কাল সকালে আসবে', toResident: true },
    });
    expect(comment.data?.addRequestNote.entry).toMatchObject({
      kind: 'COMMENT',
      residentVisible: true,
    });
    for (const [text, code] of [
      ['  ', 'REQUIRED'],
      ['ক'.repeat(5001), 'TOO_LONG'],
    ]) {
      const bad = await coordinator(NOTE, { input: { requestId: made.id, text } });
      expect(bad.data?.addRequestNote.errors).toEqual([{ code, field: 'text' }]);
    }
    const PRIORITY = `mutation ($input: SetRequestPriorityInput!) { setRequestPriority(input: $input) {
      request { priority version } errors { code } } }`;
    const urgent = await coordinator(PRIORITY, {
      input: { requestId: made.id, version: 1, priority: 'URGENT' },
    });
    expect(urgent.data?.setRequestPriority.request).toEqual({ priority: 'URGENT', version: 2 });

    const ATTACH = `mutation ($input: AddRequestAttachmentInput!) { addRequestAttachment(input: $input) {
      attachment { kind sha256 } errors { code field } } }`;
    const file = {
      kind: 'DOCUMENT',
      source: 'UPLOAD',
      mediaRef: 'uploads/2026/11/aadhaar.pdf',
      mimeType: 'application/pdf',
      sizeBytes: 120_000,
      sha256: 'B'.repeat(64),
    };
    const added = await coordinator(ATTACH, { input: { requestId: made.id, attachment: file } });
    expect(added.data?.addRequestAttachment).toEqual({
      attachment: { kind: 'DOCUMENT', sha256: 'b'.repeat(64) },
      errors: [],
    });
    const again = await coordinator(ATTACH, { input: { requestId: made.id, attachment: file } });
    expect(again.data?.addRequestAttachment.errors).toEqual([
      { code: 'DUPLICATE', field: 'attachment.sha256' },
    ]);
    const badType = await coordinator(ATTACH, {
      input: {
        requestId: made.id,
        attachment: { ...file, sha256: 'c'.repeat(64), mimeType: 'pdf' },
      },
    });
    expect(badType.data?.addRequestAttachment.errors).toEqual([
      { code: 'INVALID_FORMAT', field: 'attachment.mimeType' },
    ]);
    const events = await eventsOf(made.id);
    expect(events.map((e) => e.type)).toEqual([
      'request.created',
      'request.note_added',
      'request.comment_added',
      'request.priority_changed',
      'request.attachment_added',
    ]);
    // An internal note's text never leaves the ward through the event.
    expect(JSON.stringify(events[1].payload)).not.toContain('ফোনে');
    expect(events[2].payload.comment).toBe('কাল সকালে আসবে');

    const closed = await walk(coordinator, { id: made.id, version: 2 }, ['REJECT', 'ভুল আবেদন']);
    const onClosed = await coordinator(ATTACH, {
      input: { requestId: closed.id, attachment: { ...file, sha256: 'd'.repeat(64) } },
    });
    expect(onClosed.data?.addRequestAttachment.errors).toEqual([
      { code: 'INVALID_TRANSITION', field: 'requestId' },
    ]);
  });
});
