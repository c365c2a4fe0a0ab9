import { graphql } from '../gql';

/** Every operation the console sends, typed from schema.gql by graphql-codegen. */

/** What a mutation's payload says the person can fix (docs/api.md, "Errors"). */
export const UserErrorFragment = graphql(`
  fragment UserErrorFields on UserError {
    code
    field
    message
  }
`);

export const SignInMutation = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      accessToken
      accessTokenExpiresAt
      refreshToken
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const SignOutMutation = graphql(`
  mutation SignOut {
    signOut {
      __typename
    }
  }
`);

export const SignOutEverywhereMutation = graphql(`
  mutation SignOutEverywhere {
    signOutEverywhere {
      __typename
    }
  }
`);

export const MeQuery = graphql(`
  query Me {
    me {
      wardIds
      permissions
      roles {
        role
        wardId
        ward {
          number
        }
      }
      staffAccount {
        id
        displayName
      }
    }
  }
`);

export const QueueQuery = graphql(`
  query Queue($filter: RequestFilter, $after: String) {
    requests(
      filter: $filter
      first: 20
      after: $after
      orderBy: { field: SLA_DUE_AT, direction: ASC }
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          trackingNumber
          status
          channel
          createdAt
          serviceType {
            nameBn
            nameEn
          }
          resident {
            fullName
          }
          sla {
            dueAt
            overdue
            paused
          }
        }
      }
    }
  }
`);

export const RequestEventsSubscription = graphql(`
  subscription RequestEvents($wardIds: [ID!]) {
    requestEvents(wardIds: $wardIds) {
      id
      type
      requestId
      status
      trackingNumber
    }
  }
`);

export const RequestPageQuery = graphql(`
  query RequestPage($id: ID!) {
    request(id: $id) {
      id
      trackingNumber
      status
      version
      channel
      createdAt
      description
      attributes
      ward {
        id
        number
      }
      serviceType {
        nameBn
        nameEn
        attributes {
          code
          labelBn
          labelEn
        }
      }
      resident {
        id
        fullName
        phone
      }
      sla {
        dueAt
        overdue
        paused
      }
      documents {
        code
        labelBn
        labelEn
        required
        missing
        attachmentIds
      }
      attachments {
        id
        kind
        mimeType
        caption
        documentCode
        downloadUrl
        source
        createdAt
      }
      nextSteps {
        step
        operation
        allowed
        takenBy
        why
        deliveryId
      }
      certificate {
        id
        number
        status
        issuedAt
        signerName
        revokeReason
      }
      currentDelivery {
        id
        status
        scheduledDate
        windowStart
        windowEnd
      }
      notifications {
        id
        channel
        status
        body
        createdAt
      }
      timeline(first: 50) {
        edges {
          node {
            id
            kind
            action
            actorName
            note
            occurredAt
            toStatus
          }
        }
      }
    }
  }
`);

export const TransitionMutation = graphql(`
  mutation Transition($input: TransitionRequestInput!) {
    transitionRequest(input: $input) {
      request {
        id
        status
        version
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const WardAgentsQuery = graphql(`
  query WardAgents($wardId: ID!) {
    wardStaff(wardId: $wardId, roles: [FIELD_AGENT]) {
      id
      displayName
      active
      deliveriesUnderWay
    }
  }
`);

export const ScheduleDeliveryMutation = graphql(`
  mutation ScheduleDelivery($input: ScheduleDeliveryInput!) {
    scheduleDelivery(input: $input) {
      delivery {
        id
        status
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const CreateUploadMutation = graphql(`
  mutation CreateUpload($input: CreateDocumentUploadInput!) {
    createDocumentUpload(input: $input) {
      upload {
        uploadUrl
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const MyDeliveriesQuery = graphql(`
  query MyDeliveries {
    myDeliveries {
      id
      status
      trackingNumber
      scheduledDate
      windowStart
      windowEnd
      address
      recipient {
        name
        phone
      }
    }
  }
`);

export const StartTripMutation = graphql(`
  mutation StartTrip($id: ID!) {
    startDeliveryTrip(deliveryId: $id) {
      delivery {
        id
        status
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const ConfirmDeliveryMutation = graphql(`
  mutation ConfirmDelivery($input: ConfirmDeliveryInput!) {
    confirmDelivery(input: $input) {
      delivery {
        id
        status
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const FailDeliveryMutation = graphql(`
  mutation FailDelivery($input: FailDeliveryInput!) {
    failDelivery(input: $input) {
      delivery {
        id
        status
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const ResidentsQuery = graphql(`
  query Residents($search: String!) {
    residents(filter: { search: $search }, first: 20) {
      edges {
        node {
          id
          fullName
          phone
          ward {
            number
          }
        }
      }
    }
  }
`);

export const ResidentByPhoneQuery = graphql(`
  query ResidentByPhone($phone: String!) {
    residentByPhone(phone: $phone) {
      id
      fullName
      phone
      ward {
        number
      }
    }
  }
`);

export const CreateResidentMutation = graphql(`
  mutation CreateResident($input: CreateResidentInput!) {
    createResident(input: $input) {
      resident {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const CatalogueQuery = graphql(`
  query Catalogue {
    serviceTypes(filter: { active: true }, first: 100) {
      edges {
        node {
          id
          code
          nameBn
          nameEn
          attributes {
            code
            labelBn
            labelEn
            datatype
            required
            order
            choices {
              code
              labelBn
              labelEn
            }
          }
        }
      }
    }
  }
`);

export const CreateRequestMutation = graphql(`
  mutation CreateRequest($input: CreateRequestInput!) {
    createRequest(input: $input) {
      request {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const ConversationsQuery = graphql(`
  query Conversations($status: ConversationStatus) {
    helplineConversations(filter: { status: $status }, first: 30) {
      edges {
        node {
          id
          status
          lastActivityAt
          handedOverAt
          resident {
            fullName
            phone
          }
        }
      }
    }
  }
`);

export const ConversationQuery = graphql(`
  query Conversation($id: ID!) {
    helplineConversation(id: $id) {
      id
      status
      residentId
      wardId
      language
      lastInboundAt
      desk {
        ...DeskFields
      }
      resident {
        fullName
        phone
      }
      messages {
        id
        direction
        author
        authorName
        type
        text
        media
        sentAt
        inReplyToAnnouncement {
          id
          textBn
          textEn
        }
      }
    }
  }
`);

export const SendMessageMutation = graphql(`
  mutation SendMessage($input: SendMessageToResidentInput!) {
    sendMessageToResident(input: $input) {
      message {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const HandBackMutation = graphql(`
  mutation HandBack($input: HandBackConversationInput!) {
    handBackConversation(input: $input) {
      id
      status
    }
  }
`);

export const IssueCertificateMutation = graphql(`
  mutation IssueCertificate($input: IssueCertificateInput!) {
    issueCertificate(input: $input) {
      certificate {
        id
        number
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const RevokeCertificateMutation = graphql(`
  mutation RevokeCertificate($input: CertificateChangeInput!) {
    revokeCertificate(input: $input) {
      certificate {
        id
        status
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const ReissueCertificateMutation = graphql(`
  mutation ReissueCertificate($input: CertificateChangeInput!) {
    reissueCertificate(input: $input) {
      certificate {
        id
        status
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const DashboardQuery = graphql(`
  query Dashboard(
    $wardId: ID!
    $f1: String!
    $t1: String!
    $f2: String!
    $t2: String!
    $f3: String!
    $t3: String!
    $f4: String!
    $t4: String!
    $f5: String!
    $t5: String!
    $f6: String!
    $t6: String!
  ) {
    wardWorkload(wardId: $wardId) {
      today
      open
      overdue
      openByStep {
        status
        count
        overdue
      }
      deliveriesToday {
        agentId
        agentName
        scheduled
        onTheWay
        delivered
        notDelivered
      }
    }
    w1: wardStats(wardId: $wardId, from: $f1, to: $t1) {
      ...WeekStats
    }
    w2: wardStats(wardId: $wardId, from: $f2, to: $t2) {
      ...WeekStats
    }
    w3: wardStats(wardId: $wardId, from: $f3, to: $t3) {
      ...WeekStats
    }
    w4: wardStats(wardId: $wardId, from: $f4, to: $t4) {
      ...WeekStats
    }
    w5: wardStats(wardId: $wardId, from: $f5, to: $t5) {
      ...WeekStats
    }
    w6: wardStats(wardId: $wardId, from: $f6, to: $t6) {
      ...WeekStats
    }
  }

  fragment WeekStats on RequestStats {
    from
    to
    total
    completed
    completedWithinSlaShare
    turnaroundHours {
      median
    }
  }
`);

export const OverdueListQuery = graphql(`
  query OverdueList($wardIds: [ID!]) {
    requests(
      filter: { wardIds: $wardIds, overdue: true }
      first: 10
      orderBy: { field: SLA_DUE_AT, direction: ASC }
    ) {
      edges {
        node {
          id
          trackingNumber
          resident {
            fullName
          }
          sla {
            dueAt
          }
        }
      }
    }
  }
`);

/** The wards an administrator may pick from (coordinators work their own). */
export const WardsQuery = graphql(`
  query Wards {
    wards(filter: { active: true }, first: 100) {
      edges {
        node {
          id
          number
          nameBn
          nameEn
        }
      }
    }
  }
`);

export const AnnouncementFields = graphql(`
  fragment AnnouncementFields on Announcement {
    id
    status
    textBn
    textEn
    wardIds
    wholeMunicipality
    locality
    serviceTypeIds
    needsApproval
    sendAt
    createdAt
    createdByName
    approvedByName
    pausedUntil
    pauseReason
    finishedAt
    progress {
      recipients
      queued
      sent
      delivered
      read
      failed
      replies
      failedByReason {
        code
        count
      }
    }
  }
`);

export const AnnouncementsQuery = graphql(`
  query Announcements($wardId: ID) {
    announcements(filter: { wardId: $wardId }, first: 30) {
      totalCount
      edges {
        node {
          ...AnnouncementFields
        }
      }
    }
  }
`);

export const AnnouncementAudienceQuery = graphql(`
  query AnnouncementAudience($input: AnnouncementAudienceInput!) {
    announcementAudience(input: $input) {
      audience {
        total
        whatsapp
        whatsappBn
        whatsappEn
        sms
        smsBn
        smsEn
        optedOut
        unreachable
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const CreateAnnouncementMutation = graphql(`
  mutation CreateAnnouncement($input: CreateAnnouncementInput!) {
    createAnnouncement(input: $input) {
      announcement {
        ...AnnouncementFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const ScheduleAnnouncementMutation = graphql(`
  mutation ScheduleAnnouncement($input: ScheduleAnnouncementInput!) {
    scheduleAnnouncement(input: $input) {
      announcement {
        ...AnnouncementFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const ApproveAnnouncementMutation = graphql(`
  mutation ApproveAnnouncement($input: AnnouncementRefInput!) {
    approveAnnouncement(input: $input) {
      announcement {
        ...AnnouncementFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const PauseAnnouncementMutation = graphql(`
  mutation PauseAnnouncement($input: AnnouncementRefInput!) {
    pauseAnnouncement(input: $input) {
      announcement {
        ...AnnouncementFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const ResumeAnnouncementMutation = graphql(`
  mutation ResumeAnnouncement($input: AnnouncementRefInput!) {
    resumeAnnouncement(input: $input) {
      announcement {
        ...AnnouncementFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const CancelAnnouncementMutation = graphql(`
  mutation CancelAnnouncement($input: AnnouncementRefInput!) {
    cancelAnnouncement(input: $input) {
      announcement {
        ...AnnouncementFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const DeskFields = graphql(`
  fragment DeskFields on ConversationDesk {
    episodeId
    version
    assignee {
      id
      displayName
    }
    labels
    openedAt
    waitingSince
    unreadCount
    firstResponseAt
    escalatedAt
    closedAt
  }
`);

export const HelpDeskQuery = graphql(`
  query HelpDesk($filter: HelpDeskFilter) {
    helpDeskConversations(filter: $filter, first: 30) {
      totalCount
      edges {
        node {
          id
          status
          lastActivityAt
          resident {
            fullName
            phone
          }
          desk {
            ...DeskFields
          }
        }
      }
    }
  }
`);

export const WardPeopleQuery = graphql(`
  query WardPeople($wardId: ID!) {
    wardStaff(wardId: $wardId) {
      id
      displayName
      role
      active
    }
  }
`);

export const AssignConversationMutation = graphql(`
  mutation AssignConversation($input: AssignConversationInput!) {
    assignConversation(input: $input) {
      desk {
        ...DeskFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const LabelConversationMutation = graphql(`
  mutation LabelConversation($input: LabelConversationInput!) {
    labelConversation(input: $input) {
      desk {
        ...DeskFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const MarkConversationReadMutation = graphql(`
  mutation MarkConversationRead($input: ConversationRefInput!) {
    markConversationRead(input: $input) {
      desk {
        ...DeskFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const CloseConversationMutation = graphql(`
  mutation CloseConversation($input: ConversationRefInput!) {
    closeConversation(input: $input) {
      desk {
        ...DeskFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const CannedReplyFields = graphql(`
  fragment CannedReplyFields on CannedReply {
    id
    title
    bodyBn
    bodyEn
    wardId
    version
  }
`);

export const CannedRepliesQuery = graphql(`
  query CannedReplies($wardId: ID) {
    cannedReplies(wardId: $wardId) {
      ...CannedReplyFields
    }
  }
`);

export const CreateCannedReplyMutation = graphql(`
  mutation CreateCannedReply($input: CreateCannedReplyInput!) {
    createCannedReply(input: $input) {
      cannedReply {
        ...CannedReplyFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const UpdateCannedReplyMutation = graphql(`
  mutation UpdateCannedReply($input: UpdateCannedReplyInput!) {
    updateCannedReply(input: $input) {
      cannedReply {
        ...CannedReplyFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const HelplineTimesQuery = graphql(`
  query HelplineTimes($wardId: ID!, $from: String!, $to: String!) {
    wardHelplineStats(wardId: $wardId, from: $from, to: $to) {
      opened
      answered
      closed
      escalated
      firstResponseMinutes {
        median
        p90
      }
      resolutionMinutes {
        median
        p90
      }
      byStaff {
        staffId
        displayName
        firstResponses
        closed
        firstResponseMinutes {
          median
        }
        resolutionMinutes {
          median
        }
      }
    }
  }
`);

export const AnnouncementSettingsFields = graphql(`
  fragment AnnouncementSettingsFields on AnnouncementSettings {
    messagingTier
    dailyLimit
    templates {
      language
      whatsappTemplateName
      smsDltTemplateId
    }
  }
`);

export const AnnouncementSettingsQuery = graphql(`
  query AnnouncementSettings {
    announcementSettings {
      ...AnnouncementSettingsFields
    }
  }
`);

export const SaveAnnouncementSettingsMutation = graphql(`
  mutation SaveAnnouncementSettings($input: SaveAnnouncementSettingsInput!) {
    saveAnnouncementSettings(input: $input) {
      settings {
        ...AnnouncementSettingsFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);
