import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ServiceCategory {
  CERTIFICATE = 'CERTIFICATE',
  SERVICE = 'SERVICE',
  COMPLAINT = 'COMPLAINT',
}
registerEnumType(ServiceCategory, {
  name: 'ServiceCategory',
  description: 'What kind of thing a resident asks for.',
  valuesMap: {
    CERTIFICATE: { description: 'A certificate or recommendation the ward issues.' },
    SERVICE: { description: 'A municipal service (copies, licences, connections).' },
    COMPLAINT: { description: 'A civic complaint (water, drainage, light, garbage, roads).' },
  },
});

export enum AttributeDatatype {
  STRING = 'STRING',
  TEXT = 'TEXT',
  NUMBER = 'NUMBER',
  DATE = 'DATE',
  SINGLE_CHOICE = 'SINGLE_CHOICE',
  MULTI_CHOICE = 'MULTI_CHOICE',
  /** A place: a shared location (latitude, longitude, name, address) or its description. */
  LOCATION = 'LOCATION',
}
registerEnumType(AttributeDatatype, {
  name: 'AttributeDatatype',
  description: 'Type of a value a resident gives with a request (Open311 style).',
});

@ObjectType('AttributeChoice', { description: 'One allowed answer of a choice attribute.' })
@InputType('AttributeChoiceInput', { description: 'One allowed answer of a choice attribute.' })
export class AttributeChoice {
  @Field({ description: 'Stable code, e.g. `school`.' })
  code!: string;

  @Field({ description: 'Label in Bengali.' })
  labelBn!: string;

  @Field({ description: 'Label in English.' })
  labelEn!: string;
}

@ObjectType('ServiceAttribute', { description: 'A value the resident must or may give.' })
@InputType('ServiceAttributeInput', { description: 'A value the resident must or may give.' })
export class ServiceAttribute {
  @Field({ description: 'Stable code (a–z, 0–9, _), the key in a request’s values.' })
  code!: string;

  @Field({ description: 'Question in Bengali.' })
  labelBn!: string;

  @Field({ description: 'Question in English.' })
  labelEn!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The full, polite question the helpline asks in Bengali (`labelBn` stays the short label of summaries); absent: the label is asked.',
  })
  questionBn?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The full question the helpline asks in English; absent: the label is asked.',
  })
  questionEn?: string | null;

  @Field(() => AttributeDatatype, { description: 'Type of the value.' })
  datatype!: AttributeDatatype;

  @Field({ description: 'Whether a request needs it.' })
  required!: boolean;

  @Field(() => Int, { description: 'Position when asking, ascending.' })
  order!: number;

  @Field(() => [AttributeChoice], {
    nullable: true,
    description: 'Allowed answers (choice types).',
  })
  choices?: AttributeChoice[] | null;

  @Field(() => Float, { nullable: true, description: 'Smallest allowed number (NUMBER).' })
  min?: number | null;

  @Field(() => Float, { nullable: true, description: 'Largest allowed number (NUMBER).' })
  max?: number | null;

  @Field(() => Int, { nullable: true, description: 'Longest allowed text (STRING, TEXT).' })
  maxLength?: number | null;
}

@ObjectType('RequiredDocument', { description: 'A document the resident shows or sends.' })
@InputType('RequiredDocumentInput', { description: 'A document the resident shows or sends.' })
export class RequiredDocument {
  @Field({ description: 'Stable code, e.g. `aadhaar`.' })
  code!: string;

  @Field({ description: 'Name in Bengali.' })
  labelBn!: string;

  @Field({ description: 'Name in English.' })
  labelEn!: string;

  @Field({ description: 'Whether it is required.' })
  required!: boolean;
}

/** What a service type means at one version; requests keep the version they were made under. */
export interface ServiceDefinition {
  nameBn: string;
  nameEn: string;
  descriptionBn: string | null;
  descriptionEn: string | null;
  attributes: ServiceAttribute[];
  documents: RequiredDocument[];
  slaHours: number | null;
  slaWorkingDays: number | null;
  doorstepDelivery: boolean;
  certificateTypeCode: string | null;
  /** Words residents use for the service (any script); absent in definitions saved before them. */
  keywords?: string[];
  /** Days after the outcome a complaint may be reopened (issue 26); absent: 7. */
  reopenDays?: number;
}
