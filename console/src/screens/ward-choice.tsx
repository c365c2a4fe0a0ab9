import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { WardsQuery } from '../graphql/operations';
import { digits, Language } from '../lib/bengali';

export interface WardOption {
  id: string;
  number: number;
}

/**
 * The ward a screen works on. A coordinator's own (the first, with a picker when they have
 * several); an administrator (no ward of their own: `me.wardIds` is empty) picks any ward of
 * the municipality, the lowest number first.
 */
export function useWardChoice(wardIds: string[]) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [{ data }] = useQuery({ query: WardsQuery });
  const all = (data?.wards.edges.map((e) => e.node) ?? []).sort((a, b) => a.number - b.number);
  const wards = wardIds.length ? all.filter((w) => wardIds.includes(w.id)) : all;
  const [picked, setPicked] = useState<string | null>(null);
  const wardId = picked ?? wardIds[0] ?? wards[0]?.id ?? '';
  const picker =
    wards.length > 1 ? (
      <label>
        {t('wardChoice')}
        <select value={wardId} onChange={(e) => setPicked(e.target.value)}>
          {wards.map((w) => (
            <option key={w.id} value={w.id}>
              {t('ward', { number: digits(w.number, language) })}
            </option>
          ))}
        </select>
      </label>
    ) : null;
  return { wardId, wards, picker };
}
