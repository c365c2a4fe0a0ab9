import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { StaffRole } from '../common/access/staff-role';
import { RequestStatus } from '../requests/entities/request-enums';

/** A step a request can take next: a workflow action, or an operation that takes one. */
export enum NextStepKind {
  START_REVIEW = 'START_REVIEW',
  REQUEST_INFO = 'REQUEST_INFO',
  PROVIDE_INFO = 'PROVIDE_INFO',
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
  CANCEL = 'CANCEL',
  MARK_READY = 'MARK_READY',
  HAND_OVER = 'HAND_OVER',
  RESOLVE = 'RESOLVE',
  CLOSE = 'CLOSE',
  REOPEN = 'REOPEN',
  ISSUE_CERTIFICATE = 'ISSUE_CERTIFICATE',
  SCHEDULE_DELIVERY = 'SCHEDULE_DELIVERY',
  START_DELIVERY_TRIP = 'START_DELIVERY_TRIP',
  CONFIRM_DELIVERY = 'CONFIRM_DELIVERY',
  FAIL_DELIVERY = 'FAIL_DELIVERY',
  CANCEL_DELIVERY = 'CANCEL_DELIVERY',
  RESEND_DELIVERY_CODE = 'RESEND_DELIVERY_CODE',
}
registerEnumType(NextStepKind, {
  name: 'NextStepKind',
  description:
    'A step a request can take next: the workflow actions of `transitionRequest`, and the operations that take the other steps (issuing the certificate, the delivery’s steps).',
});

@ObjectType({ description: 'One step the workflow allows from here, and who may take it.' })
export class NextStep {
  @Field(() => NextStepKind, { description: 'The step.' })
  step!: NextStepKind;

  @Field({
    description:
      'The mutation that takes it (`transitionRequest` with `action: <step>`, `issueCertificate`, `scheduleDelivery`, …).',
  })
  operation!: string;

  @Field(() => RequestStatus, {
    nullable: true,
    description: 'Where the request goes; null when it stays where it is.',
  })
  toStatus!: RequestStatus | null;

  @Field({ description: 'Whether the caller may take it now.' })
  allowed!: boolean;

  @Field(() => [StaffRole], { description: 'The roles that take it (in the request’s ward).' })
  takenBy!: StaffRole[];

  @Field(() => String, {
    nullable: true,
    description: 'Why the caller may not, naming who may; null when allowed.',
  })
  why!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The delivery the step acts on (`deliveryId` of the delivery mutations).',
  })
  deliveryId!: string | null;
}
