import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module';
import { DomainEventsModule } from '../domain-events/domain-events.module';
import { RequestsModule } from '../requests/requests.module';
import { ResidentsModule } from '../residents/residents.module';
import { WardsModule } from '../wards/wards.module';
import { CertificatePdfService } from './certificate-pdf.service';
import { CertificateSigningService } from './certificate-signing.service';
import { CertificatesController } from './certificates.controller';
import { CertificatesResolver } from './certificates.resolver';
import { CertificatesService } from './certificates.service';
import { CertificateCounter } from './entities/certificate-counter.entity';
import { CertificateLoaders } from './certificate.loaders';
import {
  CertificateTypesResolver,
  ServiceTypeCertificateResolver,
} from './certificate-types.resolver';
import { CertificateTypesService } from './certificate-types.service';
import {
  CertificateRequestResolver,
  RequestCertificateResolver,
} from './certificate-links.resolver';
import { CertificateType } from './entities/certificate-type.entity';
import { Certificate } from './entities/certificate.entity';
import { SigningKeyRow } from './entities/signing-key.entity';

/** Certificates: issuance, numbering, Ed25519 signatures, PDF, public verification. */
@Module({
  imports: [
    AuditModule,
    AuthModule,
    DomainEventsModule,
    RateLimitModule,
    RequestsModule,
    ResidentsModule,
    WardsModule,
    TypeOrmModule.forFeature([Certificate, CertificateType, CertificateCounter, SigningKeyRow]),
  ],
  controllers: [CertificatesController],
  providers: [
    CertificatesService,
    CertificateSigningService,
    CertificatePdfService,
    CertificatesResolver,
    CertificateLoaders,
    CertificateRequestResolver,
    RequestCertificateResolver,
    CertificateTypesService,
    CertificateTypesResolver,
    ServiceTypeCertificateResolver,
  ],
  exports: [CertificatesService, CertificateLoaders, CertificateTypesService],
})
export class CertificatesModule {}
