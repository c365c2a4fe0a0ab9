import { NotificationLanguage } from './entities/notification-enums';

const LABELS = {
  bn: ['১ — খুব খারাপ', '২ — খারাপ', '৩ — চলনসই', '৪ — ভালো', '৫ — খুব ভালো'],
  en: ['1 — very poor', '2 — poor', '3 — fair', '4 — good', '5 — very good'],
};

/**
 * The rating question on WhatsApp: the text with a list of five rows (`rate:1` … `rate:5`,
 * read back by the feedback module when the resident picks one).
 */
export function ratingList(body: string, language: NotificationLanguage): Record<string, unknown> {
  const lang = language === NotificationLanguage.EN ? 'en' : 'bn';
  return {
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: body.slice(0, 1024) },
      action: {
        button: lang === 'bn' ? 'রেটিং দিন' : 'Rate',
        sections: [
          {
            title: lang === 'bn' ? 'আপনার রেটিং' : 'Your rating',
            rows: LABELS[lang].map((title, i) => ({ id: `rate:${i + 1}`, title })),
          },
        ],
      },
    },
  };
}
