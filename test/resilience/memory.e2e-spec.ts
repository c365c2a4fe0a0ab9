import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { settle } from '../support/background';
import { FakeGraphApi } from '../support/fake-graph-api';
import { as, GraphQL, signIn } from '../support/fixtures';
import { CREATE_REQUEST, createResident } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  helplineWard,
  messagesPayload,
  postWebhook,
  statusPayload,
  text,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

/** RESILIENCE_LONG=1: the 200,000-operation run; otherwise a short one CI can afford. */
const LONG = process.env.RESILIENCE_LONG === '1';
const OPERATIONS = Number(process.env.RESILIENCE_MEMORY_OPS ?? (LONG ? 200_000 : 2_000));
const WARM_UP = Math.min(500, Math.floor(OPERATIONS / 4));
const SAMPLES = 6;
const CONCURRENCY = 8;
/** Growth allowed between the heap after warm-up and at the end (GC noise, JIT code). */
const ALLOWED_GROWTH_MB = 8;

/** A full garbage collection, whether or not Node was started with --expose-gc. */
function collectGarbage(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed();
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function heapMb(): number {
  collectGarbage();
  collectGarbage();
  return Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10;
}

/**
 * The application in this process under a long mix of GraphQL queries and mutations and
 * WhatsApp webhooks (messages and statuses, with the replies they cause sent to the fake
 * Graph API): the heap after a forced GC must not grow once warmed up. The short variant
 * catches a leak of a few kilobytes per operation; the long one (RESILIENCE_LONG=1) smaller
 * ones. Figures go to the console and docs/reliability.md.
 */
describe(`memory under ${OPERATIONS} mixed operations (e2e)`, () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let coordinator: GraphQL;
  let ward: string;
  let types: Record<string, string>;
  let residents: string[];

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp({
      // The test keeps every log line in memory: only what matters, so it measures the app.
      LOG_LEVEL: 'warn',
      ...whatsappEnv(fake),
    });
    ({ ward, types, coordinator } = await helplineWard(t));
    residents = [];
    for (let i = 0; i < 20; i += 1)
      residents.push(
        await createResident(coordinator, ward, `Resident ${i}`, `+9198301${i + 10000}`),
      );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it(
    'keeps the heap flat after warm-up',
    async () => {
      let next = 0;
      const failures: string[] = [];
      // A run longer than the access token's life signs in again, as a client would.
      let client = coordinator;
      const call: GraphQL = async (query, variables) => {
        const res = await client(query, variables);
        if (res.errors?.[0]?.extensions?.code !== 'UNAUTHENTICATED') return res;
        client = as(t, (await signIn(t, 'coord.1')).accessToken);
        return client(query, variables);
      };
      const wamids: string[] = [];
      const operation = async (i: number) => {
        const kind = i % 6;
        const wa = `91983100${String(i % 40).padStart(4, '0')}`;
        let ok = true;
        if (kind === 0) {
          const res = await call(
            `{ requests(first: 20) { totalCount edges { node { id trackingNumber status resident { fullName } } } } }`,
          );
          ok = Boolean(res.data?.requests);
        } else if (kind === 1 || kind === 4) {
          const res = await call(CREATE_REQUEST, {
            input: {
              residentId: residents[i % residents.length],
              serviceTypeId: types.GARBAGE,
              idempotencyKey: `memory-${i}`,
            },
          });
          ok = Boolean(res.data?.createRequest.request);
        } else if (kind === 2) {
          ok = (await postWebhook(t, messagesPayload([text(wa, `message ${i}`)]))).status === 200;
        } else if (kind === 3) {
          const res = await call(
            `{ residents(first: 10, filter: { search: "Resident" }) { totalCount edges { node { id fullName } } } }`,
          );
          ok = Boolean(res.data?.residents);
        } else {
          const id = wamids[i % Math.max(1, wamids.length)];
          ok = id
            ? (await postWebhook(t, statusPayload([{ id, status: 'delivered' }]))).status === 200
            : true;
        }
        if (!ok) failures.push(`operation ${i} (kind ${kind})`);
      };
      const run = async (until: number) => {
        const worker = async () => {
          while (next < until) await operation(next++);
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        await settle(t, 120_000);
        // The fake keeps every call: the test's memory, not the app's.
        wamids.push(...fake.accepted().map((c) => c.wamid!));
        wamids.splice(0, Math.max(0, wamids.length - 200));
        fake.calls.length = 0;
        t.logs.length = 0;
      };

      await run(WARM_UP);
      const samples = [heapMb()];
      for (let s = 1; s <= SAMPLES; s += 1) {
        await run(WARM_UP + Math.round(((OPERATIONS - WARM_UP) * s) / SAMPLES));
        samples.push(heapMb());
      }
      const [afterWarmUp, atEnd] = [samples[0], samples[samples.length - 1]];
      console.log(
        `memory: ${OPERATIONS} operations; heap used after warm-up ${afterWarmUp} MB, at end ${atEnd} MB; samples ${samples.join(', ')} MB`,
      );
      expect(failures.slice(0, 5)).toEqual([]);
      expect(next).toBe(OPERATIONS);
      expect(atEnd - afterWarmUp).toBeLessThan(ALLOWED_GROWTH_MB);
    },
    600_000 + (LONG ? 3 * 3600_000 : 0),
  );
});
