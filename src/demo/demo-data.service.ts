import { toBengaliDigits } from '../common/text/digits';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { systemActor } from '../audit/audit-actor';
import { StaffAccountsService } from '../auth/staff-accounts.service';
import { AuditActorType } from '../audit/entities/audit-entry.entity';
import { RequestPriority } from '../requests/entities/request-enums';
import { RequestWorkflowService } from '../requests/request-workflow.service';
import { RequestsService } from '../requests/requests.service';
import { ServiceCatalogueService } from '../requests/catalogue/service-catalogue.service';
import { ResidentImportService } from '../residents/resident-import.service';
import { StaffRole, WARD_ROLES } from '../common/access/staff-role';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { CouncillorStatus } from '../wards/entities/councillor-status.enum';
import { MunicipalitiesService } from '../wards/municipalities.service';
import { WardsService } from '../wards/wards.service';
import {
  DEMO_ACCOUNTS,
  DEMO_MUNICIPALITY,
  DEMO_VACANT_WARD,
  DEMO_VACANT_WARD_DETAILS,
  DEMO_WARD_COUNT,
  demoPopulation,
} from './demo-data';
import { DEMO_CATALOGUE } from './demo-catalogue';
import { DEMO_REQUESTS } from './demo-requests';
import { DEMO_CERTIFICATE_TYPES } from './demo-certificate-types';
import { CertificateTypesService } from '../certificates/certificate-types.service';
import { StaffActor } from '../common/access/actor';
import { DeliveriesService } from '../deliveries/deliveries.service';
import { demoResidentsCsv } from './demo-residents';

const DEMO_SEED_LOCK_KEY = 424_242_002;
const BY = systemActor('demo-data', 'demo data');

/** Fills an empty database with the demo municipality, through the modules' own services. */
@Injectable()
export class DemoDataService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly municipalities: MunicipalitiesService,
    private readonly wards: WardsService,
    private readonly accounts: StaffAccountsService,
    private readonly residentImport: ResidentImportService,
    private readonly catalogue: ServiceCatalogueService,
    private readonly requests: RequestsService,
    private readonly workflow: RequestWorkflowService,
    private readonly certificateTypes: CertificateTypesService,
    private readonly deliveries: DeliveriesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  /** Whether demo sign-ins exist (never in production mode). */
  get accountsIncluded(): boolean {
    return !this.config.isProduction;
  }

  /** Returns whether it seeded. Safe when several instances start at once. */
  async seedIfEmpty(): Promise<boolean> {
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      // Another instance may be seeding: wait for it however long it takes (the pool's
      // statement and lock timeouts are for runaway API operations, not for this).
      await lock.query('SET statement_timeout = 0; SET lock_timeout = 0');
      await lock.query('SELECT pg_advisory_lock($1)', [DEMO_SEED_LOCK_KEY]);
      const [{ count }] = await lock.query('SELECT count(*)::int AS count FROM municipalities');
      if (count > 0) return false;
      await this.seed();
      this.logger.info('demo data loaded');
      return true;
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [DEMO_SEED_LOCK_KEY]);
      await lock.query('RESET statement_timeout; RESET lock_timeout');
      await lock.release();
    }
  }

  private async seed(): Promise<void> {
    const { municipality } = await this.municipalities.create(DEMO_MUNICIPALITY, BY);
    if (!municipality) throw new Error('demo municipality was refused');
    let vacantWardId = '';
    for (let number = 1; number <= DEMO_WARD_COUNT; number += 1) {
      const vacant = number === DEMO_VACANT_WARD;
      const { ward, errors } = await this.wards.createInMunicipality(
        municipality.id,
        {
          number,
          nameBn: `ওয়ার্ড ${toBengaliDigits(number)}`,
          nameEn: `Ward ${number}`,
          population: vacant ? DEMO_VACANT_WARD_DETAILS.population : demoPopulation(number),
          ...(vacant
            ? {
                councillorStatus: CouncillorStatus.VACANT,
                councillorStatusSince: DEMO_VACANT_WARD_DETAILS.since,
                councillorStatusNote: DEMO_VACANT_WARD_DETAILS.note,
                helplineWhatsappNumber: DEMO_VACANT_WARD_DETAILS.helplineWhatsappNumber,
                whatsappPhoneNumberId: DEMO_VACANT_WARD_DETAILS.whatsappPhoneNumberId,
              }
            : { councillorStatus: CouncillorStatus.ELECTED, councillorStatusSince: '2022-03-02' }),
        },
        BY,
      );
      if (!ward) throw new Error(`demo ward ${number} was refused: ${JSON.stringify(errors)}`);
      if (vacant) vacantWardId = ward.id;
    }
    await this.seedResidents(municipality.id);
    const serviceTypes = await this.seedCatalogue(municipality.id);
    await this.seedCertificateTypes(municipality.id);
    if (!this.accountsIncluded) return;
    const coordinatorId = await this.seedAccounts(municipality.id, vacantWardId);
    await this.seedRequests(municipality.id, vacantWardId, serviceTypes, coordinatorId);
  }

  /** The ward-5 queue, worked by the demo coordinator through the real workflow. */
  private async seedRequests(
    municipalityId: string,
    wardId: string,
    serviceTypes: Map<string, string>,
    coordinatorId: string,
  ): Promise<void> {
    // One resident per name: the imported ward repeats each invented name many times, and a
    // queue of namesakes hides which request is whose.
    const residents: Array<{ id: string }> = await this.dataSource.query(
      `SELECT DISTINCT ON (full_name) id FROM residents WHERE ward_id = $1 ORDER BY full_name, id LIMIT $2`,
      [wardId, DEMO_REQUESTS.length],
    );
    const coordinator = {
      type: AuditActorType.STAFF,
      id: coordinatorId,
      // Shown on the demo timelines: people by name, as everywhere else.
      label: DEMO_ACCOUNTS.find((a) => a.role === 'WARD_COORDINATOR')?.displayName ?? null,
      requestId: 'demo-data',
    };
    for (const [index, demo] of DEMO_REQUESTS.entries()) {
      const { request, errors } = await this.requests.createTrusted(coordinator, municipalityId, {
        residentId: residents[index].id,
        serviceTypeId: serviceTypes.get(demo.service) ?? '',
        channel: demo.channel,
        attributes: demo.attributes,
        description: demo.description ?? null,
        priority: index % 5 === 0 ? RequestPriority.HIGH : RequestPriority.NORMAL,
        attachments: [],
      });
      if (!request) throw new Error(`demo request refused: ${JSON.stringify(errors)}`);
      let version = request.version;
      for (const [action, note] of demo.steps) {
        const stepped = await this.workflow.applyTrusted(coordinator, request.id, action, note);
        if (!stepped.request) throw new Error(`demo step refused: ${JSON.stringify(stepped)}`);
        version = stepped.request.version;
      }
      if (demo.deliver)
        await this.seedDelivery(municipalityId, wardId, coordinatorId, request.id, version);
    }
  }

  /** An OUT_FOR_DELIVERY request: a delivery tomorrow morning with the first demo agent. */
  private async seedDelivery(
    municipalityId: string,
    wardId: string,
    coordinatorId: string,
    requestId: string,
    version: number,
  ): Promise<void> {
    const [agent] = await this.dataSource.query(
      `SELECT id FROM staff_accounts WHERE username = 'ward5.agent'`,
    );
    const demo = DEMO_ACCOUNTS.find((a) => a.role === 'WARD_COORDINATOR')!;
    const actor: StaffActor = {
      type: 'STAFF',
      id: coordinatorId,
      username: demo.username,
      displayName: demo.displayName,
      sessionId: 'demo-data',
      requestId: 'demo-data',
      municipalityId,
      grants: [{ role: StaffRole.WARD_COORDINATOR, wardId }],
    };
    const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString('en-CA', {
      timeZone: 'Asia/Kolkata',
    });
    const { errors } = await this.deliveries.schedule(actor, {
      requestId,
      version,
      date: tomorrow,
      windowStart: '10:00',
      windowEnd: '12:00',
      agentId: agent.id,
    });
    if (errors.length > 0) throw new Error(`demo delivery refused: ${JSON.stringify(errors)}`);
  }

  /** Through the same service and checks as an administrator's `createCertificateType`. */
  private async seedCertificateTypes(municipalityId: string): Promise<void> {
    for (const input of DEMO_CERTIFICATE_TYPES) {
      const { errors } = await this.certificateTypes.createInMunicipality(
        municipalityId,
        input,
        BY,
      );
      if (errors.length > 0)
        throw new Error(
          `demo certificate type ${input.code} was refused: ${JSON.stringify(errors)}`,
        );
    }
  }

  private async seedCatalogue(municipalityId: string): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const input of DEMO_CATALOGUE) {
      const { serviceType, errors } = await this.catalogue.createInMunicipality(
        municipalityId,
        input,
        BY,
      );
      if (!serviceType)
        throw new Error(`demo service ${input.code} was refused: ${JSON.stringify(errors)}`);
      ids.set(serviceType.code, serviceType.id);
    }
    return ids;
  }

  private async seedResidents(municipalityId: string): Promise<void> {
    const csv = demoResidentsCsv(DEMO_VACANT_WARD, DEMO_VACANT_WARD_DETAILS.population);
    const result = await this.residentImport.importInMunicipality(
      municipalityId,
      { allWards: true },
      BY,
      Readable.from([Buffer.from(csv, 'utf8')]),
    );
    if (result.rejectedCount > 0) {
      throw new Error(`demo residents refused: ${JSON.stringify(result.rejected.slice(0, 3))}`);
    }
  }

  /** Returns the demo coordinator's account id. */
  private async seedAccounts(municipalityId: string, vacantWardId: string): Promise<string> {
    let coordinatorId = '';
    for (const demo of DEMO_ACCOUNTS) {
      const role = StaffRole[demo.role];
      const { account, errors } = await this.accounts.createInMunicipality(
        municipalityId,
        {
          username: demo.username,
          displayName: demo.displayName,
          phone: demo.phone,
          password: demo.password,
          roles: [{ role, wardId: WARD_ROLES.includes(role) ? vacantWardId : null }],
        },
        BY,
      );
      if (!account)
        throw new Error(`demo account ${demo.username} was refused: ${JSON.stringify(errors)}`);
      if (role === StaffRole.WARD_COORDINATOR) coordinatorId = account.id;
    }
    return coordinatorId;
  }
}
