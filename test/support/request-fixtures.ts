import { systemActor } from '../../src/audit/audit-actor';
import { DEMO_CATALOGUE } from '../../src/demo/demo-catalogue';
import { ServiceCatalogueService } from '../../src/requests/catalogue/service-catalogue.service';
import { GraphQL } from './fixtures';
import { TestApp } from './test-app';

/** The demo catalogue in a municipality, through the catalogue's trusted path: code → id. */
export async function seedCatalogue(
  t: TestApp,
  municipalityId: string,
  /**
   * Keep the demo's required documents (approval then waits for them). Off by default: the
   * tests of other features approve without uploading; test/requests/documents and the
   * whole-day test keep them.
   */
  { requiredDocuments = false }: { requiredDocuments?: boolean } = {},
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const demo of DEMO_CATALOGUE) {
    const input = requiredDocuments
      ? demo
      : {
          ...demo,
          definition: {
            ...demo.definition,
            documents: demo.definition.documents?.map((d) => ({ ...d, required: false })),
          },
        };
    const { serviceType, errors } = await t.app
      .get(ServiceCatalogueService)
      .createInMunicipality(municipalityId, input, systemActor('test-fixture', 'test'));
    if (!serviceType) throw new Error(`service type refused: ${JSON.stringify(errors)}`);
    ids[input.code] = serviceType.id;
  }
  return ids;
}

/** Registers a resident through the API (the real path, so names are searchable). */
export async function createResident(
  client: GraphQL,
  wardId: string,
  fullName: string,
  phone: string | null = null,
  more: Record<string, unknown> = {},
): Promise<string> {
  const res = await client(
    `mutation ($input: CreateResidentInput!) { createResident(input: $input) { resident { id } errors { code field message } } }`,
    { input: { wardId, fullName, phone, ...more } },
  );
  const id = res.data?.createResident.resident?.id;
  if (!id) throw new Error(`resident refused: ${JSON.stringify(res)}`);
  return id;
}

export const REQUEST_FIELDS = `id trackingNumber status version priority channel category attributes description
  definitionVersion createdAt updatedAt completedAt slaPausedAt availableActions
  sla { dueAt paused overdue met }
  ward { id number } resident { id fullName } assignee { id username }
  serviceType { id code definitionVersion attributes { code required } }
  attachments { kind source mediaRef mimeType sizeBytes sha256 caption }
  lastEvent { kind action fromStatus toStatus note residentVisible actorType actorName }`;

/** Everything a coordinator's queue screen shows for each request (the queue test and bench). */
export const QUEUE_CARD_FIELDS = `id trackingNumber status priority channel attributes description version availableActions
  sla { dueAt overdue paused met }
  ward { id number nameBn councillorStatus }
  resident { id fullName phone preferredLanguage ward { number } }
  serviceType { code nameBn nameEn attributes { code labelBn datatype } documents { code } }
  assignee { id username displayName }
  attachments { kind mimeType sha256 }
  lastEvent { kind action note actorName occurredAt }
  timeline(first: 10) { totalCount edges { node { kind action fromStatus toStatus note actorName } } }`;

export const CREATE_REQUEST = `mutation ($input: CreateRequestInput!) {
  createRequest(input: $input) { request { ${REQUEST_FIELDS} } errors { code field message } } }`;

export const TRANSITION = `mutation ($input: TransitionRequestInput!) {
  transitionRequest(input: $input) { request { ${REQUEST_FIELDS} } errors { code field message } } }`;

/** Creates a request and returns it, failing loudly if it was refused. */
export async function createRequest(
  client: GraphQL,
  input: Record<string, unknown>,
): Promise<Record<string, any>> {
  const res = await client(CREATE_REQUEST, { input });
  const request = res.data?.createRequest.request;
  if (!request) throw new Error(`request refused: ${JSON.stringify(res)}`);
  return request;
}

/** Takes a workflow step at the request's current version; returns the response. */
export async function step(
  client: GraphQL,
  request: { id: string; version: number } | Record<string, any>,
  action: string,
  note?: string,
) {
  return client(TRANSITION, {
    input: { requestId: request.id, action, version: request.version, note },
  });
}
