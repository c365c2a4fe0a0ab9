import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RequestAction, RequestStatus } from '../entities/request-enums';
import { ServiceCategory } from '../entities/service-definition';
import {
  ActorKind,
  availableActions,
  COMPLETED_STATUSES,
  findTransition,
  Transition,
  WORKFLOW,
} from './request-workflow';
import { renderWorkflowTable, WORKFLOW_TABLE_HEADER } from './workflow-table';

const S = RequestStatus;
const A = RequestAction;
const { CERTIFICATE, SERVICE, COMPLAINT } = ServiceCategory;
const STATUSES = Object.values(RequestStatus);
const CATEGORIES = Object.values(ServiceCategory);
const ACTORS: readonly ActorKind[] = ['STAFF', 'API_CLIENT', 'SYSTEM'];

const request = (
  status: RequestStatus,
  category: ServiceCategory = SERVICE,
  doorstepDelivery = true,
) => ({ status, category, doorstepDelivery });

/** Statuses a step leads to from `status` (for one category, or any). */
const exitsOf = (status: RequestStatus, category?: ServiceCategory) =>
  WORKFLOW.filter(
    (t) => t.from.includes(status) && (!category || t.categories.includes(category)),
  ).map((t) => t.to);

function reachableFrom(start: RequestStatus, category?: ServiceCategory): Set<RequestStatus> {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const next of exitsOf(queue.shift()!, category)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

const overlaps = <T>(a: readonly T[], b: readonly T[]) => a.some((x) => b.includes(x));

describe('findTransition', () => {
  const cases = WORKFLOW.flatMap((t) =>
    t.from.flatMap((from) =>
      t.categories.flatMap((category) =>
        t.by.map((by) => ({
          t,
          from,
          category,
          by,
          label: `${t.action} ${from} ${category} ${by}`,
        })),
      ),
    ),
  );

  it.each(cases)('allows $label', ({ t, from, category, by }) => {
    const check = findTransition(t.action, request(from, category, true), by);
    expect(check).toEqual({ ok: true, transition: t });
  });

  it('allows every step that is not doorstep-only for services not delivered to the door', () => {
    for (const { t, from, category, by } of cases.filter((c) => !c.t.doorstepOnly)) {
      expect(findTransition(t.action, request(from, category, false), by)).toEqual({
        ok: true,
        transition: t,
      });
    }
  });

  it.each([
    [A.APPROVE, S.SUBMITTED],
    [A.APPROVE, S.APPROVED],
    [A.START_REVIEW, S.IN_REVIEW],
    [A.PROVIDE_INFO, S.IN_REVIEW],
    [A.HAND_OVER, S.APPROVED],
    [A.DISPATCH, S.OUT_FOR_DELIVERY],
    [A.CANCEL, S.APPROVED],
    [A.CANCEL, S.READY],
    [A.REJECT, S.APPROVED],
    [A.CLOSE, S.CLOSED],
    [A.REOPEN, S.CANCELLED],
    [A.REOPEN, S.DELIVERED],
    [A.REOPEN, S.IN_REVIEW],
  ])('refuses %s from %s: NOT_FROM_STATUS', (action, status) => {
    for (const by of ACTORS) {
      expect(findTransition(action, request(status), by)).toEqual({
        ok: false,
        reason: 'NOT_FROM_STATUS',
      });
    }
  });

  it('refuses every step from CANCELLED', () => {
    for (const action of Object.values(RequestAction)) {
      expect(findTransition(action, request(S.CANCELLED), 'STAFF')).toEqual({
        ok: false,
        reason: 'NOT_FROM_STATUS',
      });
    }
  });

  it.each([
    [A.APPROVE, S.IN_REVIEW, COMPLAINT],
    [A.RESOLVE, S.IN_REVIEW, CERTIFICATE],
    [A.RESOLVE, S.APPROVED, CERTIFICATE],
    [A.MARK_READY, S.APPROVED, COMPLAINT],
    [A.DISPATCH, S.READY, COMPLAINT],
    [A.HAND_OVER, S.READY, COMPLAINT],
    [A.RETURN_UNDELIVERED, S.OUT_FOR_DELIVERY, COMPLAINT],
  ])('refuses %s from %s for a %s: NOT_FOR_CATEGORY', (action, status, category) => {
    expect(findTransition(action, request(status, category), 'STAFF')).toEqual({
      ok: false,
      reason: 'NOT_FOR_CATEGORY',
    });
  });

  it.each([
    [A.APPROVE, S.IN_REVIEW, SERVICE, 'API_CLIENT'],
    [A.APPROVE, S.IN_REVIEW, CERTIFICATE, 'SYSTEM'],
    [A.START_REVIEW, S.SUBMITTED, SERVICE, 'API_CLIENT'],
    [A.REJECT, S.IN_REVIEW, COMPLAINT, 'API_CLIENT'],
    [A.REQUEST_INFO, S.IN_REVIEW, SERVICE, 'SYSTEM'],
    [A.RESOLVE, S.IN_REVIEW, COMPLAINT, 'API_CLIENT'],
    [A.MARK_READY, S.APPROVED, CERTIFICATE, 'STAFF'],
    [A.MARK_READY, S.APPROVED, CERTIFICATE, 'API_CLIENT'],
    [A.MARK_READY, S.APPROVED, SERVICE, 'SYSTEM'],
    [A.HAND_OVER, S.READY, CERTIFICATE, 'API_CLIENT'],
    [A.CLOSE, S.RESOLVED, COMPLAINT, 'API_CLIENT'],
  ] as const)('refuses %s from %s for a %s by %s: NOT_BY_ACTOR', (action, status, category, by) => {
    expect(findTransition(action, request(status, category), by)).toEqual({
      ok: false,
      reason: 'NOT_BY_ACTOR',
    });
  });

  it('refuses DISPATCH of a service not delivered to the door: NOT_DOORSTEP', () => {
    for (const category of [CERTIFICATE, SERVICE]) {
      expect(findTransition(A.DISPATCH, request(S.READY, category, false), 'SYSTEM')).toEqual({
        ok: false,
        reason: 'NOT_DOORSTEP',
      });
    }
  });

  it('leaves sending out, returning and door hand-over to deliveries (SYSTEM) only', () => {
    for (const category of [CERTIFICATE, SERVICE]) {
      const ready = request(S.READY, category, true);
      const out = request(S.OUT_FOR_DELIVERY, category, true);
      for (const by of ['STAFF', 'API_CLIENT'] as const) {
        expect(findTransition(A.DISPATCH, ready, by)).toEqual({
          ok: false,
          reason: 'NOT_BY_ACTOR',
        });
        expect(findTransition(A.RETURN_UNDELIVERED, out, by)).toEqual({
          ok: false,
          reason: 'NOT_BY_ACTOR',
        });
        expect(findTransition(A.HAND_OVER, out, by)).toEqual({ ok: false, reason: 'NOT_BY_ACTOR' });
      }
      expect(findTransition(A.HAND_OVER, out, 'SYSTEM')).toMatchObject({ ok: true });
      // At the office it is staff who hand over; Duare never does.
      expect(findTransition(A.HAND_OVER, ready, 'STAFF')).toMatchObject({ ok: true });
      expect(findTransition(A.HAND_OVER, ready, 'SYSTEM')).toEqual({
        ok: false,
        reason: 'NOT_BY_ACTOR',
      });
    }
  });

  it('checks status, then category, then actor, then doorstep', () => {
    // Wrong status and wrong category: the status is reported.
    expect(findTransition(A.APPROVE, request(S.SUBMITTED, COMPLAINT), 'API_CLIENT')).toEqual({
      ok: false,
      reason: 'NOT_FROM_STATUS',
    });
    // Wrong category and wrong actor: the category is reported.
    expect(findTransition(A.APPROVE, request(S.IN_REVIEW, COMPLAINT), 'API_CLIENT')).toEqual({
      ok: false,
      reason: 'NOT_FOR_CATEGORY',
    });
    // Wrong actor and not doorstep: the actor is reported.
    expect(findTransition(A.DISPATCH, request(S.READY, SERVICE, false), 'API_CLIENT')).toEqual({
      ok: false,
      reason: 'NOT_BY_ACTOR',
    });
  });

  it('picks the MARK_READY row of the category', () => {
    const certificate = findTransition(A.MARK_READY, request(S.APPROVED, CERTIFICATE), 'SYSTEM');
    const service = findTransition(A.MARK_READY, request(S.APPROVED, SERVICE), 'STAFF');
    expect(certificate.ok && certificate.transition.categories).toEqual([CERTIFICATE]);
    expect(service.ok && service.transition.categories).toEqual([SERVICE]);
  });
});

describe('availableActions', () => {
  it('lists the steps of this caller from this state', () => {
    expect(availableActions(request(S.SUBMITTED, COMPLAINT), 'STAFF')).toEqual([
      A.START_REVIEW,
      A.REJECT,
      A.CANCEL,
    ]);
    expect(availableActions(request(S.IN_REVIEW, COMPLAINT), 'STAFF').sort()).toEqual(
      [A.REQUEST_INFO, A.REJECT, A.CANCEL, A.RESOLVE].sort(),
    );
    expect(availableActions(request(S.IN_REVIEW, CERTIFICATE), 'API_CLIENT')).toEqual([A.CANCEL]);
    expect(availableActions(request(S.APPROVED, CERTIFICATE), 'STAFF')).toEqual([]);
    expect(availableActions(request(S.APPROVED, CERTIFICATE), 'SYSTEM')).toEqual([A.MARK_READY]);
  });

  it('offers DISPATCH only to deliveries, and only for services delivered to the door', () => {
    expect(availableActions(request(S.READY, SERVICE, true), 'SYSTEM')).toEqual([A.DISPATCH]);
    expect(availableActions(request(S.READY, SERVICE, false), 'SYSTEM')).toEqual([]);
    expect(availableActions(request(S.READY, SERVICE, true), 'STAFF')).toEqual([A.HAND_OVER]);
    expect(availableActions(request(S.READY, SERVICE, false), 'STAFF')).toEqual([A.HAND_OVER]);
  });

  it('offers nothing from CANCELLED', () => {
    for (const category of CATEGORIES) {
      for (const by of ACTORS) {
        expect(availableActions(request(S.CANCELLED, category), by)).toEqual([]);
      }
    }
  });
});

describe('the WORKFLOW table', () => {
  it('names only known statuses, categories and actors, and every row has a summary', () => {
    for (const t of WORKFLOW) {
      expect(Object.values(RequestAction)).toContain(t.action);
      expect(STATUSES).toContain(t.to);
      expect(t.from.length).toBeGreaterThan(0);
      for (const from of t.from) expect(STATUSES).toContain(from);
      expect(t.categories.length).toBeGreaterThan(0);
      for (const category of t.categories) expect(CATEGORIES).toContain(category);
      expect(t.by.length).toBeGreaterThan(0);
      for (const by of t.by) expect(ACTORS).toContain(by);
      expect(t.summary.trim()).not.toBe('');
      expect(t.from).not.toContain(t.to);
    }
  });

  it('uses every action', () => {
    expect(new Set(WORKFLOW.map((t) => t.action))).toEqual(new Set(Object.values(RequestAction)));
  });

  it('is never ambiguous: no two rows share action, from-state, category and actor', () => {
    const clashes: string[] = [];
    WORKFLOW.forEach((a, i) =>
      WORKFLOW.slice(i + 1).forEach((b) => {
        if (
          a.action === b.action &&
          overlaps(a.from, b.from) &&
          overlaps(a.categories, b.categories) &&
          overlaps(a.by, b.by)
        ) {
          clashes.push(`${a.action}: ${a.summary} / ${b.summary}`);
        }
      }),
    );
    expect(clashes).toEqual([]);
  });

  it('leaves CANCELLED as the only final status; every other status has a way out', () => {
    const final = STATUSES.filter((status) => exitsOf(status).length === 0);
    expect(final).toEqual([S.CANCELLED]);
  });

  it('has no dead end for any category: each reachable status but CANCELLED has a way out', () => {
    for (const category of CATEGORIES) {
      const deadEnds = [...reachableFrom(S.SUBMITTED, category)].filter(
        (status) => exitsOf(status, category).length === 0,
      );
      expect({ category, deadEnds }).toEqual({ category, deadEnds: [S.CANCELLED] });
    }
  });

  it('reaches every status from SUBMITTED', () => {
    expect(reachableFrom(S.SUBMITTED)).toEqual(new Set(STATUSES));
  });

  it('reaches, per category, the states of that category (as docs/workflow.md says)', () => {
    const unreachable = (category: ServiceCategory) =>
      STATUSES.filter((status) => !reachableFrom(S.SUBMITTED, category).has(status));
    expect(unreachable(CERTIFICATE)).toEqual([S.RESOLVED]);
    expect(unreachable(SERVICE)).toEqual([]);
    expect(unreachable(COMPLAINT)).toEqual([S.APPROVED, S.READY, S.OUT_FOR_DELIVERY, S.DELIVERED]);
  });

  it('lets every status reach an end (CLOSED or CANCELLED)', () => {
    for (const status of STATUSES) {
      const reach = reachableFrom(status);
      expect({ status, ends: reach.has(S.CLOSED) || reach.has(S.CANCELLED) }).toEqual({
        status,
        ends: true,
      });
    }
  });

  it('stops the clock exactly on the steps into an outcome', () => {
    const outcomes: RequestStatus[] = COMPLETED_STATUSES.filter((status) => status !== S.CLOSED);
    for (const t of WORKFLOW) {
      expect({ action: t.action, stops: t.sla === 'STOP' }).toEqual({
        action: t.action,
        stops: outcomes.includes(t.to),
      });
    }
    // CLOSED is completed too, and is reached only from an outcome.
    expect(COMPLETED_STATUSES).toContain(S.CLOSED);
    for (const t of WORKFLOW.filter((row) => row.to === S.CLOSED)) {
      for (const from of t.from) expect(outcomes).toContain(from);
    }
  });

  it('pauses on entering NEEDS_INFO, and resumes or stops on every way out of it', () => {
    for (const t of WORKFLOW) {
      if (t.to === S.NEEDS_INFO) expect(t.sla).toBe('PAUSE');
      else expect(t.sla).not.toBe('PAUSE');
      if (t.from.includes(S.NEEDS_INFO)) expect(['RESUME', 'STOP']).toContain(t.sla);
      if (t.sla === 'RESUME') expect(t.from).toEqual([S.NEEDS_INFO]);
    }
  });

  it('lets only REOPEN leave a completed status, within the reopen period, with a fresh SLA', () => {
    for (const t of WORKFLOW) {
      const fromCompleted = t.from.some((from) => COMPLETED_STATUSES.includes(from));
      const intoCompleted = COMPLETED_STATUSES.includes(t.to);
      if (fromCompleted && !intoCompleted) {
        expect(t.action).toBe(A.REOPEN);
        expect(t.withinReopenPeriod).toBe(true);
        expect(t.sla).toBe('RESTART');
        expect(t.from.every((from) => COMPLETED_STATUSES.includes(from))).toBe(true);
      }
    }
  });

  it('asks for a note where the resident must be told why or what', () => {
    const noteRequired = WORKFLOW.filter((t) => t.noteRequired).map((t) => t.action);
    expect(new Set(noteRequired)).toEqual(
      new Set([A.REQUEST_INFO, A.REJECT, A.RETURN_UNDELIVERED, A.RESOLVE, A.REOPEN]),
    );
  });
});

describe('docs/workflow.md', () => {
  const doc = readFileSync(join(__dirname, '../../../docs/workflow.md'), 'utf8');
  const lines = doc.split('\n');

  const between = (start: string, end: string) => {
    const from = lines.findIndex((line) => line.trim() === start);
    const to = lines.findIndex((line, i) => from >= 0 && i > from && line.trim() === end);
    if (to < 0) throw new Error(`docs/workflow.md has no block between ${start} and ${end}`);
    return lines.slice(from + 1, to);
  };

  it('shows exactly the table rendered from WORKFLOW', () => {
    const table = between('<!-- workflow-table:start -->', '<!-- workflow-table:end -->').filter(
      (line) => line.trim() !== '',
    );
    expect(table).toEqual(renderWorkflowTable());
  });

  describe('renderWorkflowTable', () => {
    const rendered = renderWorkflowTable();

    it('has the header, the delimiter and one row per WORKFLOW row', () => {
      expect(rendered).toHaveLength(WORKFLOW.length + 2);
      expect(rendered[0].split('|').map((cell) => cell.trim())).toEqual([
        '',
        ...WORKFLOW_TABLE_HEADER,
        '',
      ]);
      expect(rendered[1]).toMatch(/^\|( -+ \|)+$/);
    });

    it('aligns the columns (as Prettier does)', () => {
      expect(new Set(rendered.map((line) => [...line].length)).size).toBe(1);
    });

    it('says in each row what the WORKFLOW row says', () => {
      const cellsOf = (line: string) =>
        line
          .slice(1, -1)
          .split(' | ')
          .map((cell) => cell.trim());
      WORKFLOW.forEach((t: Transition, i) => {
        const [action, from, to, categories, who, note, sla, notes] = cellsOf(rendered[i + 2]);
        expect(action).toBe(`\`${t.action}\``);
        expect(from).toBe(t.from.map((s) => `\`${s}\``).join(', '));
        expect(to).toBe(`\`${t.to}\``);
        expect(categories).toBe(t.categories.length === 3 ? 'all' : t.categories.join(', '));
        expect(who).toBe(t.by.join(', '));
        expect(note.startsWith(t.noteRequired ? 'required' : 'optional')).toBe(true);
        expect(note.endsWith(t.noteToResident ? 'told to the resident' : 'internal')).toBe(true);
        expect(sla === '—').toBe(t.sla === undefined);
        expect(notes.startsWith(t.summary)).toBe(true);
        expect(notes.includes('door.')).toBe(Boolean(t.doorstepOnly));
        expect(notes.includes('reopen period')).toBe(Boolean(t.withinReopenPeriod));
      });
    });

    it('escapes a pipe in a cell', () => {
      const [line] = renderWorkflowTable([{ ...WORKFLOW[0], summary: 'a | b' }]).slice(2);
      expect(line).toContain('a \\| b');
    });
  });

  describe('the Mermaid diagram', () => {
    const block = between('```mermaid', '```');
    const EDGE = /^\s*(\[\*\]|[A-Z_]+)\s*-->\s*(\[\*\]|[A-Z_]+)\s*(?::\s*([A-Z_]+))?\s*$/;
    const arrows = block.filter((line) => line.includes('-->'));
    const edges = arrows.map((line) => {
      const match = EDGE.exec(line);
      if (!match) throw new Error(`cannot read the diagram line ${JSON.stringify(line)}`);
      return { from: match[1], to: match[2], action: match[3] };
    });
    const key = (e: { from: string; to: string; action?: string }) =>
      `${e.from} --> ${e.to}: ${e.action}`;

    it('is a state diagram whose every arrow can be read', () => {
      expect(block[0].trim()).toBe('stateDiagram-v2');
      expect(edges).toHaveLength(arrows.length);
      expect(edges.length).toBeGreaterThan(0);
    });

    it('starts at SUBMITTED and ends only in final statuses', () => {
      const starts = edges.filter((e) => e.from === '[*]');
      expect(starts).toEqual([{ from: '[*]', to: S.SUBMITTED, action: undefined }]);
      for (const end of edges.filter((e) => e.to === '[*]')) {
        expect(end.action).toBeUndefined();
        expect(exitsOf(end.from as RequestStatus)).toEqual([]);
      }
    });

    it('has exactly the steps of WORKFLOW', () => {
      const inDiagram = edges.filter((e) => e.from !== '[*]' && e.to !== '[*]');
      for (const e of inDiagram) expect(e.action).toBeDefined();
      const fromDiagram = inDiagram.map(key).sort();
      const fromWorkflow = [
        ...new Set(WORKFLOW.flatMap((t) => t.from.map((from) => key({ ...t, from })))),
      ].sort();
      expect(fromDiagram).toEqual(fromWorkflow);
    });
  });
});
