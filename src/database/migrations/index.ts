import { CreateWards1764320000000 } from './1764320000000-create-wards';
import { CreateAuthAndAudit1764330000000 } from './1764330000000-create-auth-and-audit';
import { CreateResidents1764340000000 } from './1764340000000-create-residents';
import { CreateServiceCatalogue1764350000000 } from './1764350000000-create-service-catalogue';
import { CreateRequests1764360000000 } from './1764360000000-create-requests';
import { CreateNotifications1764370000000 } from './1764370000000-create-notifications';
import { CreateCertificates1764380000000 } from './1764380000000-create-certificates';
import { CreateDeliveriesAndSla1764390000000 } from './1764390000000-create-deliveries-and-sla';
import { CreateWebhooks1764400000000 } from './1764400000000-create-webhooks';
import { DeliveryRecipient1764410000000 } from './1764410000000-delivery-recipient';
import { StatisticsAndSweepIndexes1764420000000 } from './1764420000000-statistics-and-sweep-indexes';
import { HelplineInboxIsolation1764430000000 } from './1764430000000-helpline-inbox-isolation';
import { StoredFiles1764435000000 } from './1764435000000-stored-files';
import { ReliabilityRoundTwo1764440000000 } from './1764440000000-reliability-round-two';
import { ResidentLatinForms1764460000000 } from './1764460000000-resident-latin-forms';
import { DeliveryTrip1764480000000 } from './1764480000000-delivery-trip';
import { CertificateTypeManagement1764490000000 } from './1764490000000-certificate-type-management';
import { RequestDocuments1764500000000 } from './1764500000000-request-documents';
import { SmsDltTemplates1764610000000 } from './1764610000000-sms-dlt-templates';
import { OpenRequestsIndex1764610100000 } from './1764610100000-open-requests-index';
import { TrackingLinks1764620000000 } from './1764620000000-tracking-links';
import { CallbackTasks1764621000000 } from './1764621000000-callback-tasks';
import { RequestFeedback1764622000000 } from './1764622000000-request-feedback';
import { Announcements1764630000000 } from './1764630000000-announcements';
import { HelplineDesk1764631000000 } from './1764631000000-helpline-desk';
import { HelplineAttention1764640000000 } from './1764640000000-helpline-attention';
import { NotificationDltTemplate1764645000000 } from './1764645000000-notification-dlt-template';
import { NotificationClaimIndex1764650000000 } from './1764650000000-notification-claim-index';
import { InboxClaimIndex1764655000000 } from './1764655000000-inbox-claim-index';
import { NotificationDueIndex1764660000000 } from './1764660000000-notification-due-index';

/** Every migration, oldest first. A new migration file is added here. */
export const MIGRATIONS = [
  CreateWards1764320000000,
  CreateAuthAndAudit1764330000000,
  CreateResidents1764340000000,
  CreateServiceCatalogue1764350000000,
  CreateRequests1764360000000,
  CreateNotifications1764370000000,
  CreateCertificates1764380000000,
  CreateDeliveriesAndSla1764390000000,
  CreateWebhooks1764400000000,
  DeliveryRecipient1764410000000,
  StatisticsAndSweepIndexes1764420000000,
  HelplineInboxIsolation1764430000000,
  StoredFiles1764435000000,
  ReliabilityRoundTwo1764440000000,
  ResidentLatinForms1764460000000,
  DeliveryTrip1764480000000,
  CertificateTypeManagement1764490000000,
  RequestDocuments1764500000000,
  SmsDltTemplates1764610000000,
  OpenRequestsIndex1764610100000,
  TrackingLinks1764620000000,
  CallbackTasks1764621000000,
  RequestFeedback1764622000000,
  Announcements1764630000000,
  HelplineDesk1764631000000,
  HelplineAttention1764640000000,
  NotificationDltTemplate1764645000000,
  NotificationClaimIndex1764650000000,
  InboxClaimIndex1764655000000,
  NotificationDueIndex1764660000000,
];
