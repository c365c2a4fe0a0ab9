import { FormEvent, InputHTMLAttributes, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import type { AnnouncementSettingsFieldsFragment } from '../gql/graphql';
import { AnnouncementSettingsQuery, SaveAnnouncementSettingsMutation } from '../graphql/operations';
import {
  atTemplateFields,
  MESSAGING_TIERS,
  TEMPLATE_LANGUAGES,
  templatesInput,
} from '../lib/announcements';
import { digits, formatNumber, Language } from '../lib/bengali';
import { inLanguage, mapUserErrors, UserErrorLike } from '../lib/user-errors';

const FIELDS = [
  'messagingTier',
  ...TEMPLATE_LANGUAGES.flatMap((l) => [`${l}.whatsappTemplateName`, `${l}.smsDltTemplateId`]),
];

/**
 * The administrator's form: current values loaded, both languages' template name and DLT id,
 * the tier. DLT ids show in the language's digits; either script is read back as the id.
 */
function SettingsForm({ settings }: { settings: AnnouncementSettingsFieldsFragment }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [{ fetching }, save] = useMutation(SaveAnnouncementSettingsMutation);
  const [errors, setErrors] = useState(mapUserErrors([], []));
  const [saved, setSaved] = useState(false);
  // The two refusals the form's own words say better than the API's English.
  const describe = (error: UserErrorLike) =>
    error.field?.endsWith('.whatsappTemplateName') && error.code === 'INVALID_FORMAT'
      ? t('announcements.settings.nameFormat')
      : error.field?.endsWith('.smsDltTemplateId') && error.code === 'INVALID'
        ? t('announcements.settings.dltFormat')
        : inLanguage(t, language)(error);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    const templates = templatesInput(
      TEMPLATE_LANGUAGES.map((l) => ({
        language: l,
        whatsappTemplateName: text(`${l}.whatsappTemplateName`),
        smsDltTemplateId: text(`${l}.smsDltTemplateId`),
      })),
    );
    const result = await save({
      input: {
        messagingTier: text('messagingTier') as AnnouncementSettingsFieldsFragment['messagingTier'],
        templates,
      },
    });
    const payload = result.data?.saveAnnouncementSettings;
    setErrors(
      payload
        ? mapUserErrors(atTemplateFields(payload.errors, templates), FIELDS, describe)
        : { byField: {}, general: [t('errors.generic')] },
    );
    setSaved(Boolean(payload?.settings));
  };
  const id = (name: string) => `settings-${name.replace('.', '-')}`;
  const described = (name: string) => ({
    id: id(name),
    name,
    'aria-invalid': Boolean(errors.byField[name]),
    'aria-describedby': `${id(name)}-error`,
  });
  const error = (name: string) =>
    errors.byField[name] ? (
      <span className="problem" id={`${id(name)}-error`}>
        {errors.byField[name]}
      </span>
    ) : null;
  const field = (name: string, label: string, props: InputHTMLAttributes<HTMLInputElement>) => (
    <div className="field">
      <label htmlFor={id(name)}>{label}</label>
      <input {...described(name)} {...props} />
      {error(name)}
    </div>
  );
  const current = (l: string) => settings.templates.find((tp) => tp.language === l);
  return (
    <form
      className="stack"
      onSubmit={(e) => void submit(e)}
      aria-label={t('announcements.settings.title')}
    >
      {errors.general.map((e) => (
        <p key={e} role="alert" className="problem">
          {e}
        </p>
      ))}
      {TEMPLATE_LANGUAGES.map((l) => (
        <fieldset key={l} className="stack">
          <legend>{t(`announcements.settings.language.${l}`)}</legend>
          {field(`${l}.whatsappTemplateName`, t('announcements.settings.whatsappTemplateName'), {
            lang: 'en',
            autoCapitalize: 'none',
            spellCheck: false,
            defaultValue: current(l)?.whatsappTemplateName ?? '',
          })}
          {field(`${l}.smsDltTemplateId`, t('announcements.settings.smsDltTemplateId'), {
            inputMode: 'numeric',
            defaultValue: digits(current(l)?.smsDltTemplateId ?? '', language),
          })}
        </fieldset>
      ))}
      <div className="field">
        <label htmlFor={id('messagingTier')}>{t('announcements.settings.tier')}</label>
        <select {...described('messagingTier')} defaultValue={settings.messagingTier}>
          {MESSAGING_TIERS.map(([tier, limit]) => (
            <option key={tier} value={tier}>
              {t('announcements.settings.tierOption', { n: formatNumber(limit, language) })}
            </option>
          ))}
        </select>
        {error('messagingTier')}
      </div>
      {saved && (
        <p role="status" className="live">
          {t('announcements.settings.saved')}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={fetching}>
          {t('announcements.settings.save')}
        </button>
      </div>
    </form>
  );
}

/** What a coordinator sees: the settings the API reads to them, nothing to change. */
function SettingsSummary({ settings }: { settings: AnnouncementSettingsFieldsFragment }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  return (
    <>
      <p className="muted">{t('announcements.settings.readOnly')}</p>
      <dl className="stack" data-testid="settings-summary">
        {TEMPLATE_LANGUAGES.map((l) => {
          const template = settings.templates.find((tp) => tp.language === l);
          return (
            <div key={l}>
              <dt>{t(`announcements.settings.language.${l}`)}</dt>
              <dd>
                {t('announcements.settings.whatsappTemplateName')}:{' '}
                {template?.whatsappTemplateName ?? t('announcements.settings.none')}
              </dd>
              <dd>
                {t('announcements.settings.smsDltTemplateId')}:{' '}
                {template?.smsDltTemplateId
                  ? digits(template.smsDltTemplateId, language)
                  : t('announcements.settings.none')}
              </dd>
            </div>
          );
        })}
        <div>
          <dt>{t('announcements.settings.tier')}</dt>
          <dd>
            {t('announcements.settings.dailyLimit', {
              n: formatNumber(settings.dailyLimit, language),
            })}
          </dd>
        </div>
      </dl>
    </>
  );
}

/**
 * The municipality's announcement settings, folded under the announcements: administrators
 * (`NOTIFICATIONS_MANAGE`, what `saveAnnouncementSettings` asks) edit them, coordinators
 * read them (an announcement refused for a missing template is explained here).
 */
export function AnnouncementSettings({ admin }: { admin: boolean }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const [{ data }] = useQuery({ query: AnnouncementSettingsQuery, pause: !open });
  const settings = data?.announcementSettings;
  return (
    <details className="card stack" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('announcements.settings.title')}</summary>
      <p className="muted">{t('announcements.settings.intro')}</p>
      {!settings && <p className="muted">{t('loading')}</p>}
      {settings &&
        (admin ? (
          // Remounted on a language switch: the loaded DLT ids take the language's digits.
          <SettingsForm key={i18n.language} settings={settings} />
        ) : (
          <SettingsSummary settings={settings} />
        ))}
    </details>
  );
}
