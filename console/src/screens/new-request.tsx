import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { useLocation } from 'wouter';
import type { CatalogueQuery as Catalogue } from '../gql/graphql';
import { CatalogueQuery, CreateRequestMutation } from '../graphql/operations';
import { attributePath, FormValues, toAttributeValues } from '../lib/attribute-form';
import { Language } from '../lib/bengali';
import { mapUserErrors } from '../lib/user-errors';

type Service = Catalogue['serviceTypes']['edges'][number]['node'];
type Attribute = Service['attributes'][number];

/** A request on a resident's behalf: the service from the catalogue, then its typed questions. */
export function NewRequest({ residentId }: { residentId: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [, navigate] = useLocation();
  const [{ data }] = useQuery({ query: CatalogueQuery });
  const [{ fetching }, create] = useMutation(CreateRequestMutation);
  const [serviceId, setServiceId] = useState('');
  const [errors, setErrors] = useState(mapUserErrors([], []));
  const services = data?.serviceTypes.edges.map((e) => e.node) ?? [];
  const service = services.find((s) => s.id === serviceId);
  const fields = [...(service?.attributes ?? [])].sort((a, b) => a.order - b.order);
  const name = (s: { labelBn?: string; labelEn?: string; nameBn?: string; nameEn?: string }) =>
    language === 'bn' ? (s.labelBn ?? s.nameBn) : (s.labelEn ?? s.nameEn);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!service) return;
    const form = new FormData(event.currentTarget);
    const values: FormValues = {};
    for (const field of fields) {
      values[field.code] =
        field.datatype === 'MULTI_CHOICE'
          ? form.getAll(field.code).map(String)
          : String(form.get(field.code) ?? '');
    }
    const description = String(form.get('description') ?? '').trim() || undefined;
    const result = await create({
      input: {
        residentId,
        serviceTypeId: service.id,
        attributes: toAttributeValues(fields, values),
        description,
        channel: 'PHONE_CALL',
      },
    });
    const payload = result.data?.createRequest;
    if (payload?.request) return navigate(`/requests/${payload.request.id}`);
    setErrors(
      payload
        ? mapUserErrors(payload.errors, [
            ...fields.map((f) => attributePath(f.code)),
            'description',
          ])
        : { byField: {}, general: [t('errors.generic')] },
    );
  };

  return (
    <section aria-labelledby="new-request-h" className="stack">
      <h1 id="new-request-h">{t('residents.newRequest')}</h1>
      <form onSubmit={(e) => void submit(e)} className="card stack">
        {errors.general.map((e) => (
          <p key={e} role="alert" className="problem">
            {e}
          </p>
        ))}
        <label>
          {t('residents.service')}
          <select value={serviceId} onChange={(e) => setServiceId(e.target.value)} required>
            <option value="">—</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {name(s)}
              </option>
            ))}
          </select>
        </label>
        {fields.map((field) => (
          <AttributeInput
            key={field.code}
            field={field}
            label={name(field) ?? field.code}
            error={errors.byField[attributePath(field.code)]}
          />
        ))}
        {service && (
          <label>
            {t('residents.description')}
            <textarea name="description" rows={2} />
          </label>
        )}
        <button type="submit" disabled={!service || fetching}>
          {t('residents.createRequest')}
        </button>
      </form>
    </section>
  );
}

/** One question, in the input its datatype calls for. */
function AttributeInput({
  field,
  label,
  error,
}: {
  field: Attribute;
  label: string;
  error?: string;
}) {
  const { i18n } = useTranslation();
  const bn = i18n.language === 'bn';
  const errorId = `${field.code}-error`;
  const message = error && (
    <span className="problem" id={errorId}>
      {error}
    </span>
  );
  const common = { name: field.code, 'aria-invalid': Boolean(error), 'aria-describedby': errorId };
  if (field.datatype === 'MULTI_CHOICE') {
    return (
      <fieldset>
        <legend>{label}</legend>
        {field.choices?.map((c) => (
          <label key={c.code} className="check">
            <input type="checkbox" name={field.code} value={c.code} />
            {bn ? c.labelBn : c.labelEn}
          </label>
        ))}
        {message}
      </fieldset>
    );
  }
  const id = `attribute-${field.code}`;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {field.required && ' *'}
      </label>
      {field.datatype === 'SINGLE_CHOICE' ? (
        <select id={id} {...common} defaultValue="">
          <option value="">—</option>
          {field.choices?.map((c) => (
            <option key={c.code} value={c.code}>
              {bn ? c.labelBn : c.labelEn}
            </option>
          ))}
        </select>
      ) : field.datatype === 'TEXT' ? (
        <textarea id={id} {...common} rows={3} />
      ) : (
        <input
          id={id}
          {...common}
          type={field.datatype === 'DATE' ? 'date' : 'text'}
          inputMode={field.datatype === 'NUMBER' ? 'numeric' : undefined}
        />
      )}
      {message}
    </div>
  );
}
