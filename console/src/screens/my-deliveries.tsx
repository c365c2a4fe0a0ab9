import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import type { DeliveryFailure, MyDeliveriesQuery as Data } from '../gql/graphql';
import {
  ConfirmDeliveryMutation,
  FailDeliveryMutation,
  MyDeliveriesQuery,
  StartTripMutation,
} from '../graphql/operations';
import { digits, formatDate, formatWindow, Language } from '../lib/bengali';
import { normaliseCode } from '../lib/delivery-window';
import { mapUserErrors } from '../lib/user-errors';

type Delivery = Data['myDeliveries'][number];
const FAILURES: DeliveryFailure[] = ['NOT_AT_HOME', 'WRONG_ADDRESS', 'REFUSED', 'OTHER'];

/** The field agent's day on a phone: where to go, start the trip, the resident's code. */
export function MyDeliveries() {
  const { t } = useTranslation();
  const [{ data, fetching, error }, reload] = useQuery({
    query: MyDeliveriesQuery,
    requestPolicy: 'cache-and-network',
  });
  const deliveries = data?.myDeliveries ?? [];
  return (
    <section aria-labelledby="mine-h" className="stack">
      <h1 id="mine-h">{t('agent.title')}</h1>
      {error && !data && (
        <p role="alert" className="problem">
          {t('errors.network')}
        </p>
      )}
      {fetching && !data && <p>{t('loading')}</p>}
      {data && deliveries.length === 0 && <p>{t('agent.empty')}</p>}
      {deliveries.map((d) => (
        <DeliveryCard
          key={d.id}
          delivery={d}
          onChanged={() => reload({ requestPolicy: 'network-only' })}
        />
      ))}
    </section>
  );
}

/** The address as one line, in the order a person reads it on a door. */
function addressLine(address: Record<string, unknown>): string {
  return ['houseNumber', 'street', 'locality', 'landmark', 'pinCode']
    .map((key) => address[key])
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .join(', ');
}

function DeliveryCard({ delivery, onChanged }: { delivery: Delivery; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [, start] = useMutation(StartTripMutation);
  const [, confirm] = useMutation(ConfirmDeliveryMutation);
  const [, fail] = useMutation(FailDeliveryMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const [failing, setFailing] = useState(false);

  const after = (
    errors: ReadonlyArray<{ code: string; field?: string | null; message: string }> | undefined,
    ok: boolean,
  ) => {
    if (ok) {
      setProblem(null);
      onChanged();
    } else setProblem(mapUserErrors(errors ?? [], []).general.join(' ') || t('errors.generic'));
  };
  const startTrip = async () => {
    const result = await start({ id: delivery.id });
    after(result.data?.startDeliveryTrip.errors, Boolean(result.data?.startDeliveryTrip.delivery));
  };
  const complete = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = normaliseCode(String(new FormData(event.currentTarget).get('code') ?? ''));
    const result = await confirm({ input: { deliveryId: delivery.id, code } });
    after(result.data?.confirmDelivery.errors, Boolean(result.data?.confirmDelivery.delivery));
  };
  const reportFailure = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await fail({
      input: {
        deliveryId: delivery.id,
        reason: String(form.get('reason')) as DeliveryFailure,
        note: String(form.get('note') ?? '') || undefined,
      },
    });
    after(result.data?.failDelivery.errors, Boolean(result.data?.failDelivery.delivery));
  };

  const underWay = delivery.status === 'ON_THE_WAY';
  return (
    <article className="card stack" aria-label={delivery.trackingNumber ?? delivery.id}>
      <p className="meta">
        <span className="tracking">{delivery.trackingNumber}</span>
        <span className={`badge delivery-${delivery.status}`} data-testid="delivery-status">
          {t(`deliveryStatus.${delivery.status}`)}
        </span>
      </p>
      <p>
        {formatDate(delivery.scheduledDate, language)},{' '}
        {formatWindow(delivery.windowStart, delivery.windowEnd, language)}
      </p>
      {delivery.recipient && (
        <p>
          <strong>{delivery.recipient.name}</strong>
          {delivery.recipient.phone && (
            <>
              {' '}
              ·{' '}
              <a href={`tel:${delivery.recipient.phone}`}>
                {digits(delivery.recipient.phone, language)}
              </a>
            </>
          )}
        </p>
      )}
      <p>{digits(addressLine(delivery.address), language)}</p>
      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
      {delivery.status === 'SCHEDULED' && (
        <button type="button" onClick={() => void startTrip()}>
          {t('agent.start')}
        </button>
      )}
      {underWay && (
        <form onSubmit={(e) => void complete(e)} className="stack">
          <label>
            {t('agent.code')}
            <input name="code" inputMode="numeric" autoComplete="one-time-code" required />
          </label>
          <button type="submit">{t('agent.confirm')}</button>
        </form>
      )}
      {(underWay || delivery.status === 'LOCKED') && !failing && (
        <button type="button" className="secondary" onClick={() => setFailing(true)}>
          {t('agent.fail')}
        </button>
      )}
      {failing && (
        <form onSubmit={(e) => void reportFailure(e)} className="stack inset">
          <label>
            {t('agent.failReason')}
            <select name="reason">
              {FAILURES.map((f) => (
                <option key={f} value={f}>
                  {t(`failure.${f}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('agent.note')}
            <input name="note" />
          </label>
          <button type="submit">{t('agent.fail')}</button>
        </form>
      )}
    </article>
  );
}
