/**
 * The messages Duare sends, with the wording shipped by default. A municipality may save
 * its own wording (and the name of its approved WhatsApp template) per message and language.
 */
export interface TemplateDefinition {
  key: string;
  /** Variables the text may use, as `{{name}}`. */
  variables: readonly string[];
  /** Sent even to residents who opted out of non-essential messages. */
  critical: boolean;
  bn: string;
  en: string;
  /** Approved WhatsApp template used outside the 24-hour window, and its parameter order. */
  whatsappTemplate: { name: string; params: readonly string[] };
}

const REQUEST = ['trackingNumber', 'serviceName', 'wardName', 'residentName'] as const;

export const TEMPLATES: readonly TemplateDefinition[] = [
  {
    key: 'request_received',
    variables: [...REQUEST, 'dueDate', 'trackingLink'],
    critical: true,
    bn: 'আপনার আবেদন ({{serviceName}}) আমরা পেয়েছি। ট্র্যাকিং নম্বর: {{trackingNumber}}। {{dueDate}}-এর মধ্যে জানানো হবে। আবেদনের খবর দেখুন: {{trackingLink}}',
    en: 'We have received your request ({{serviceName}}). Tracking number: {{trackingNumber}}. You will hear from us by {{dueDate}}. Follow it here: {{trackingLink}}',
    whatsappTemplate: {
      name: 'duare_request_received',
      params: ['trackingNumber', 'serviceName', 'dueDate'],
    },
  },
  {
    key: 'request_needs_info',
    variables: [...REQUEST, 'note'],
    critical: true,
    bn: 'আবেদন {{trackingNumber}}: আরও কিছু তথ্য দরকার — {{note}}',
    en: 'Request {{trackingNumber}}: we need something more from you — {{note}}',
    whatsappTemplate: { name: 'duare_request_needs_info', params: ['trackingNumber', 'note'] },
  },
  {
    key: 'request_approved',
    variables: REQUEST,
    critical: false,
    bn: 'আবেদন {{trackingNumber}} ({{serviceName}}) অনুমোদিত হয়েছে।',
    en: 'Request {{trackingNumber}} ({{serviceName}}) has been approved.',
    whatsappTemplate: { name: 'duare_request_approved', params: ['trackingNumber', 'serviceName'] },
  },
  {
    key: 'request_rejected',
    variables: [...REQUEST, 'note'],
    critical: true,
    bn: 'দুঃখিত, আবেদন {{trackingNumber}} মঞ্জুর করা যায়নি। কারণ: {{note}}',
    en: 'Sorry, request {{trackingNumber}} could not be granted. Reason: {{note}}',
    whatsappTemplate: { name: 'duare_request_rejected', params: ['trackingNumber', 'note'] },
  },
  {
    key: 'request_ready',
    variables: REQUEST,
    critical: false,
    bn: 'আবেদন {{trackingNumber}}: আপনার {{serviceName}} তৈরি।',
    en: 'Request {{trackingNumber}}: your {{serviceName}} is ready.',
    whatsappTemplate: { name: 'duare_request_ready', params: ['trackingNumber', 'serviceName'] },
  },
  {
    key: 'request_out_for_delivery',
    variables: REQUEST,
    critical: false,
    bn: 'আবেদন {{trackingNumber}}: আপনার {{serviceName}} বাড়িতে পৌঁছে দিতে রওনা হয়েছে।',
    en: 'Request {{trackingNumber}}: your {{serviceName}} is on its way to your door.',
    whatsappTemplate: {
      name: 'duare_request_out_for_delivery',
      params: ['trackingNumber', 'serviceName'],
    },
  },
  {
    key: 'request_delivered',
    variables: REQUEST,
    critical: false,
    bn: 'আবেদন {{trackingNumber}}: {{serviceName}} আপনার হাতে পৌঁছেছে। ধন্যবাদ।',
    en: 'Request {{trackingNumber}}: {{serviceName}} has been handed to you. Thank you.',
    whatsappTemplate: {
      name: 'duare_request_delivered',
      params: ['trackingNumber', 'serviceName'],
    },
  },
  {
    key: 'request_resolved',
    variables: [...REQUEST, 'note'],
    critical: false,
    bn: 'আবেদন {{trackingNumber}}: সমাধান হয়েছে — {{note}}',
    en: 'Request {{trackingNumber}}: resolved — {{note}}',
    whatsappTemplate: { name: 'duare_request_resolved', params: ['trackingNumber', 'note'] },
  },
  {
    key: 'request_cancelled',
    variables: REQUEST,
    critical: false,
    bn: 'আবেদন {{trackingNumber}} বাতিল করা হয়েছে।',
    en: 'Request {{trackingNumber}} has been cancelled.',
    whatsappTemplate: { name: 'duare_request_cancelled', params: ['trackingNumber'] },
  },
  {
    key: 'request_comment',
    variables: [...REQUEST, 'note'],
    critical: false,
    bn: 'আবেদন {{trackingNumber}}: {{note}}',
    en: 'Request {{trackingNumber}}: {{note}}',
    whatsappTemplate: { name: 'duare_request_comment', params: ['trackingNumber', 'note'] },
  },
  {
    key: 'staff_new_request',
    variables: REQUEST,
    critical: false,
    bn: 'নতুন আবেদন {{trackingNumber}} ({{serviceName}}), {{wardName}}।',
    en: 'New request {{trackingNumber}} ({{serviceName}}) in {{wardName}}.',
    whatsappTemplate: {
      name: 'duare_staff_new_request',
      params: ['trackingNumber', 'serviceName', 'wardName'],
    },
  },
  {
    key: 'feedback_request',
    variables: REQUEST,
    critical: false,
    bn: 'আবেদন {{trackingNumber}} ({{serviceName}}): আমাদের কাজে আপনি কতটা খুশি? ১ থেকে ৫-এর মধ্যে একটি সংখ্যা লিখে উত্তর দিন (৫ = খুব ভালো)। চাইলে সংখ্যার পরে কিছু লিখতেও পারেন।',
    en: 'Request {{trackingNumber}} ({{serviceName}}): how happy are you with our work? Reply with a number from 1 to 5 (5 = very good). You may add a few words after the number.',
    whatsappTemplate: { name: 'duare_feedback_request', params: ['trackingNumber', 'serviceName'] },
  },
  {
    key: 'feedback_request_complaint',
    variables: REQUEST,
    critical: false,
    bn: 'আবেদন {{trackingNumber}} ({{serviceName}}): আমাদের কাজে আপনি কতটা খুশি? ১ থেকে ৫-এর মধ্যে একটি সংখ্যা লিখে উত্তর দিন (৫ = খুব ভালো)। সমস্যা থেকে গেলে লিখুন: এখনও ঠিক হয়নি',
    en: 'Request {{trackingNumber}} ({{serviceName}}): how happy are you with our work? Reply with a number from 1 to 5 (5 = very good). If the problem is still there, reply: still not fixed',
    whatsappTemplate: {
      name: 'duare_feedback_request_complaint',
      params: ['trackingNumber', 'serviceName'],
    },
  },
  {
    key: 'feedback_thanks',
    variables: [],
    critical: false,
    bn: 'আপনার মতামতের জন্য ধন্যবাদ।',
    en: 'Thank you for your feedback.',
    whatsappTemplate: { name: 'duare_feedback_thanks', params: [] },
  },
  {
    key: 'feedback_closed',
    variables: [],
    critical: false,
    bn: 'ধন্যবাদ। এই আবেদনের মতামত নেওয়া শেষ হয়ে গেছে; কিছু জানানোর থাকলে ওয়ার্ড অফিসে ফোন করুন।',
    en: 'Thank you. Feedback on this request is closed; please phone the ward office if there is anything more.',
    whatsappTemplate: { name: 'duare_feedback_closed', params: [] },
  },
  {
    key: 'feedback_bad_rating',
    variables: [],
    critical: false,
    bn: 'দয়া করে ১ থেকে ৫-এর মধ্যে একটি সংখ্যা পাঠান (৫ = খুব ভালো)।',
    en: 'Please send a number from 1 to 5 (5 = very good).',
    whatsappTemplate: { name: 'duare_feedback_bad_rating', params: [] },
  },
  {
    key: 'request_reopened',
    variables: [],
    critical: true,
    bn: 'আপনার অভিযোগ আবার খোলা হয়েছে; ওয়ার্ড অফিস আবার কাজটি দেখবে।',
    en: 'Your complaint has been reopened; the ward office will look at it again.',
    whatsappTemplate: { name: 'duare_request_reopened', params: [] },
  },
  {
    key: 'reopen_too_late',
    variables: [],
    critical: false,
    bn: 'দুঃখিত, এই অভিযোগ আর খোলা যাবে না (সময় পেরিয়ে গেছে)। নতুন অভিযোগ জানাতে ওয়ার্ড অফিসে ফোন করুন বা মিসড কল দিন।',
    en: 'Sorry, this complaint can no longer be reopened (the time has passed). Phone the ward office or give a missed call to make a new one.',
    whatsappTemplate: { name: 'duare_reopen_too_late', params: [] },
  },
  {
    key: 'reopen_certificate',
    variables: [],
    critical: false,
    bn: 'শংসাপত্রে ভুল থাকলে সংশোধনের জন্য ওয়ার্ড অফিসে জানান; সংশোধিত শংসাপত্র নতুন করে দেওয়া হবে।',
    en: 'If something on the certificate is wrong, tell the ward office to have it corrected; a corrected certificate will be issued.',
    whatsappTemplate: { name: 'duare_reopen_certificate', params: [] },
  },
  {
    key: 'staff_request_reopened',
    variables: [...REQUEST, 'note'],
    critical: false,
    bn: 'আবার খোলা হয়েছে: আবেদন {{trackingNumber}} ({{serviceName}}), {{wardName}} — {{note}}',
    en: 'Reopened: request {{trackingNumber}} ({{serviceName}}) in {{wardName}} — {{note}}',
    whatsappTemplate: {
      name: 'duare_staff_request_reopened',
      params: ['trackingNumber', 'wardName', 'note'],
    },
  },
  {
    key: 'callback_acknowledged',
    variables: ['wardName'],
    critical: true,
    bn: '{{wardName}}: আপনার মিসড কল পেয়েছি। ওয়ার্ড অফিস থেকে শীঘ্রই আপনাকে ফোন করা হবে।',
    en: '{{wardName}}: we got your missed call. The ward office will call you back soon.',
    whatsappTemplate: { name: 'duare_callback_acknowledged', params: ['wardName'] },
  },
  {
    key: 'callback_acknowledged_with_link',
    variables: ['wardName', 'trackingNumber', 'trackingLink'],
    critical: true,
    bn: '{{wardName}}: আপনার মিসড কল পেয়েছি। ওয়ার্ড অফিস থেকে শীঘ্রই আপনাকে ফোন করা হবে। আবেদন {{trackingNumber}}-এর খবর: {{trackingLink}}',
    en: '{{wardName}}: we got your missed call. The ward office will call you back soon. Request {{trackingNumber}}: {{trackingLink}}',
    whatsappTemplate: {
      name: 'duare_callback_acknowledged_with_link',
      params: ['wardName', 'trackingNumber', 'trackingLink'],
    },
  },
  {
    key: 'staff_handover',
    variables: ['wardName', 'residentName', 'residentPhone', 'lastMessages'],
    critical: false,
    bn: '{{wardName}}: {{residentName}} ({{residentPhone}}) হেল্পলাইনে একজন মানুষের সঙ্গে কথা বলতে চান। শেষ বার্তা: {{lastMessages}}',
    en: '{{wardName}}: {{residentName}} ({{residentPhone}}) asks to talk to a person on the helpline. Last messages: {{lastMessages}}',
    whatsappTemplate: {
      name: 'duare_staff_handover',
      params: ['wardName', 'residentName', 'residentPhone', 'lastMessages'],
    },
  },
  {
    key: 'staff_handover_unanswered',
    variables: ['wardName', 'residentName', 'residentPhone', 'lastMessages'],
    critical: false,
    bn: '{{wardName}}: {{residentName}} ({{residentPhone}}) হেল্পলাইনে মানুষের সঙ্গে কথা বলতে চেয়েছিলেন, কেউ এখনও উত্তর দেননি। শেষ বার্তা: {{lastMessages}}',
    en: '{{wardName}}: {{residentName}} ({{residentPhone}}) asked for a person on the helpline and nobody has answered yet. Last messages: {{lastMessages}}',
    whatsappTemplate: {
      name: 'duare_staff_handover_unanswered',
      params: ['wardName', 'residentName', 'residentPhone', 'lastMessages'],
    },
  },
  {
    key: 'staff_voice_note',
    variables: ['wardName', 'residentName', 'residentPhone'],
    critical: false,
    bn: '{{wardName}}: {{residentName}} ({{residentPhone}}) হেল্পলাইনে একটি ভয়েস মেসেজ পাঠিয়েছেন, শুনে উত্তর দিন।',
    en: '{{wardName}}: {{residentName}} ({{residentPhone}}) sent a voice message on the helpline; please listen and answer.',
    whatsappTemplate: {
      name: 'duare_staff_voice_note',
      params: ['wardName', 'residentName', 'residentPhone'],
    },
  },
  {
    key: 'staff_message_undelivered',
    variables: ['wardName', 'residentName'],
    critical: false,
    bn: '{{wardName}}: {{residentName}}-কে হোয়াটসঅ্যাপে বার্তা পাঠানো যায়নি (২৪ ঘণ্টার সময়সীমা পেরিয়েছে)। অন্যভাবে যোগাযোগ করুন।',
    en: '{{wardName}}: a WhatsApp message to {{residentName}} could not be sent (the 24-hour window has closed). Please reach them another way.',
    whatsappTemplate: {
      name: 'duare_staff_message_undelivered',
      params: ['wardName', 'residentName'],
    },
  },
  {
    key: 'staff_conversation_overdue',
    variables: ['wardName', 'residentName'],
    critical: false,
    bn: '{{wardName}}: {{residentName}} হেল্পলাইনে উত্তরের অপেক্ষায় আছেন, উত্তর দেওয়ার সময় পেরিয়ে গেছে।',
    en: '{{wardName}}: {{residentName}} is waiting on the helpline and the time to answer has passed.',
    whatsappTemplate: {
      name: 'duare_staff_conversation_overdue',
      params: ['wardName', 'residentName'],
    },
  },
  {
    key: 'staff_sla_breached',
    variables: [...REQUEST, 'dueDate'],
    critical: false,
    bn: 'সময় পেরিয়েছে: আবেদন {{trackingNumber}} ({{serviceName}}), {{wardName}} — {{dueDate}}-এর মধ্যে হওয়ার কথা ছিল।',
    en: 'Overdue: request {{trackingNumber}} ({{serviceName}}) in {{wardName}} was due by {{dueDate}}.',
    whatsappTemplate: {
      name: 'duare_staff_sla_breached',
      params: ['trackingNumber', 'wardName', 'dueDate'],
    },
  },
  {
    key: 'staff_sla_breaches_summary',
    variables: ['wardName', 'count'],
    critical: false,
    bn: '{{wardName}}: আরও {{count}}টি আবেদনের সময় পেরিয়েছে। তালিকায় সময়-পেরোনো আবেদনগুলি দেখুন।',
    en: '{{wardName}}: {{count}} more requests are overdue. See the overdue requests in the queue.',
    whatsappTemplate: {
      name: 'duare_staff_sla_breaches_summary',
      params: ['wardName', 'count'],
    },
  },
  {
    key: 'staff_daily_digest',
    variables: ['wardName', 'open', 'dueToday', 'overdue'],
    critical: false,
    bn: '{{wardName}}: খোলা আবেদন {{open}}, আজ শেষ হওয়ার কথা {{dueToday}}, সময় পেরিয়েছে {{overdue}}।',
    en: '{{wardName}}: {{open}} open requests, {{dueToday}} due today, {{overdue}} overdue.',
    whatsappTemplate: {
      name: 'duare_staff_daily_digest',
      params: ['wardName', 'open', 'dueToday', 'overdue'],
    },
  },
  {
    key: 'delivery_scheduled',
    variables: [...REQUEST, 'deliveryDate', 'deliveryWindow'],
    critical: true,
    bn: 'আবেদন {{trackingNumber}}: আপনার {{serviceName}} {{deliveryDate}}, {{deliveryWindow}}-এর মধ্যে বাড়িতে পৌঁছে দেওয়া হবে। রওনা হওয়ার সময় হাতে নেওয়ার কোড পাঠানো হবে।',
    en: 'Request {{trackingNumber}}: your {{serviceName}} comes to your door on {{deliveryDate}}, {{deliveryWindow}}. When it sets out we will send you the code to give on receiving it.',
    whatsappTemplate: {
      name: 'duare_delivery_scheduled',
      params: ['trackingNumber', 'deliveryDate', 'deliveryWindow'],
    },
  },
  {
    key: 'delivery_on_the_way',
    variables: [...REQUEST, 'agentName', 'deliveryWindow', 'code'],
    critical: true,
    bn: 'আবেদন {{trackingNumber}}: {{agentName}} আপনার {{serviceName}} নিয়ে রওনা হয়েছেন ({{deliveryWindow}})। হাতে নেওয়ার সময় এই কোড বলুন: {{code}}',
    en: 'Request {{trackingNumber}}: {{agentName}} is on the way with your {{serviceName}} ({{deliveryWindow}}). Give this code on receiving it: {{code}}',
    whatsappTemplate: {
      name: 'duare_delivery_on_the_way',
      params: ['trackingNumber', 'agentName', 'code'],
    },
  },
  {
    key: 'delivery_code_resent',
    variables: [...REQUEST, 'code'],
    critical: true,
    bn: 'আবেদন {{trackingNumber}}: হাতে নেওয়ার নতুন কোড {{code}}। আগের কোড আর চলবে না।',
    en: 'Request {{trackingNumber}}: your new code to give on receiving it is {{code}}. The earlier code no longer works.',
    whatsappTemplate: { name: 'duare_delivery_code_resent', params: ['trackingNumber', 'code'] },
  },
  {
    key: 'delivery_missed',
    variables: [...REQUEST, 'note'],
    critical: false,
    bn: 'আবেদন {{trackingNumber}}: আজ {{serviceName}} হাতে দেওয়া যায়নি ({{note}})। নতুন সময় জানানো হবে।',
    en: 'Request {{trackingNumber}}: we could not hand over your {{serviceName}} ({{note}}). We will tell you the new time.',
    whatsappTemplate: { name: 'duare_delivery_missed', params: ['trackingNumber', 'note'] },
  },
];

export function templateDefinition(key: string): TemplateDefinition | undefined {
  return TEMPLATES.find((t) => t.key === key);
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** Variables a text uses. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Problems of a wording for a message, found when it is saved (never at send time). */
export function templateProblems(
  definition: TemplateDefinition,
  body: string,
  whatsappParams: readonly string[],
): Array<{ field: string; message: string }> {
  const known = new Set(definition.variables);
  const problems: Array<{ field: string; message: string }> = [];
  const unknownInBody = placeholdersOf(body).filter((name) => !known.has(name));
  if (unknownInBody.length) {
    problems.push({
      field: 'body',
      message: `unknown variables ${unknownInBody.map((n) => `{{${n}}}`).join(', ')}; known: ${definition.variables.join(', ')}`,
    });
  }
  if (/\{\{|\}\}/.test(body.replace(PLACEHOLDER, ''))) {
    problems.push({ field: 'body', message: 'has a brace pair that is not a {{variable}}' });
  }
  const unknownParams = whatsappParams.filter((name) => !known.has(name));
  if (unknownParams.length) {
    problems.push({
      field: 'whatsappTemplateParams',
      message: `unknown variables ${unknownParams.join(', ')}; known: ${definition.variables.join(', ')}`,
    });
  }
  return problems;
}

/** Fills a text; every variable it uses must have a value (checked at save time). */
export function render(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template variable ${name} has no value`);
    return value;
  });
}
