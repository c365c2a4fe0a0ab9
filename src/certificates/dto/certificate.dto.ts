import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { UserError } from '../../common/errors/user-error.type';
import { Connection } from '../../common/pagination/connection.type';
import { Certificate, CertificateStatus } from '../entities/certificate.entity';

export enum PublicCertificateStatus {
  VALID = 'VALID',
  REVOKED = 'REVOKED',
  SUPERSEDED = 'SUPERSEDED',
  EXPIRED = 'EXPIRED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(PublicCertificateStatus, {
  name: 'PublicCertificateStatus',
  description: 'What a verifier is told. UNKNOWN: no such number, or the code does not match.',
});

@ObjectType({ description: 'What anyone may learn about a certificate from its number and code.' })
export class CertificateVerification {
  @Field(() => PublicCertificateStatus, { description: 'The answer.' })
  status!: PublicCertificateStatus;

  @Field(() => String, { nullable: true, description: 'Certificate number.' })
  number?: string | null;

  @Field(() => String, { nullable: true, description: 'Type code.' })
  typeCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Type in Bengali.' })
  typeNameBn?: string | null;

  @Field(() => String, { nullable: true, description: 'Type in English.' })
  typeNameEn?: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was issued.' })
  issuedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Last valid day, if it expires.' })
  validUntil?: string | null;

  @Field(() => String, { nullable: true, description: 'Issuing municipality (Bengali).' })
  municipalityNameBn?: string | null;

  @Field(() => String, { nullable: true, description: 'Issuing municipality (English).' })
  municipalityNameEn?: string | null;

  @Field(() => Int, { nullable: true, description: 'Ward number.' })
  wardNumber?: number | null;

  @Field(() => String, { nullable: true, description: 'Holder’s name, partly masked.' })
  holderNameMasked?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'The stored content matches its signature.',
  })
  signatureValid?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Key that signed it.' })
  keyId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The number of the certificate that replaced it.',
  })
  supersededByNumber?: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was revoked.' })
  revokedAt?: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The full signed content (canonical JSON, the holder unmasked: whoever has the number and code holds the paper), for checking offline against the published keys.',
  })
  signedPayload?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Ed25519 signature of `signedPayload` (base64url) by the key `keyId`.',
  })
  signature?: string | null;
}

@ObjectType({ description: 'A published certificate signing key.' })
export class CertificateSigningKey {
  @Field({ description: 'Key id (printed in each certificate’s signed payload).' })
  keyId!: string;

  @Field({ description: 'Always `Ed25519`.' })
  algorithm!: string;

  @Field({ description: 'Public key, SPKI DER in base64.' })
  publicKey!: string;

  @Field({ description: 'When it was first used.' })
  createdAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When it stopped signing (it still verifies).',
  })
  retiredAt!: Date | null;
}

@InputType({ description: 'Issues the certificate an APPROVED request asked for.' })
export class IssueCertificateInput {
  @Field(() => ID, { description: 'The request.' })
  requestId!: string;

  @Field(() => Int, { description: 'The request’s version as read.' })
  version!: number;
}

@InputType({ description: 'Revokes or corrects a certificate.' })
export class CertificateChangeInput {
  @Field(() => ID, { description: 'The certificate.' })
  certificateId!: string;

  @Field({ description: 'Why (kept in the audit trail).' })
  reason!: string;
}

@InputType({ description: 'Conditions on certificates.' })
export class CertificateFilter {
  @Field(() => [ID], { nullable: true, description: 'Only these wards.' })
  wardIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Only these type codes.' })
  typeCodes?: string[] | null;

  @Field(() => [CertificateStatus], { nullable: true, description: 'Only these statuses.' })
  statuses?: CertificateStatus[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A certificate number, the request’s tracking number (written any way), or part of the holder’s name.',
  })
  search?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Only the certificates of the request with this tracking number (`bsr ০৫ ২৬২৭ ০০০১৫` too).',
  })
  trackingNumber?: string | null;
}

@ObjectType({ description: 'Result of a certificate mutation.' })
export class CertificatePayloadType {
  @Field(() => Certificate, { nullable: true, description: 'The certificate.' })
  certificate!: Certificate | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}

@ObjectType({ description: 'A page of certificates, newest first.' })
export class CertificateConnection extends Connection(Certificate, 'Certificate') {}
