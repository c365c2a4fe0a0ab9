/**
 * One call per key for as long as the returned function is kept: for look-ups a short-lived
 * unit of work repeats (an inbox batch's wards and catalogues), never as a cache that lives
 * on — nothing here is ever dropped, so keep the function only as long as that unit.
 */
export function memoize<K, V>(lookUp: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const answers = new Map<K, Promise<V>>();
  return (key) => {
    let answer = answers.get(key);
    if (!answer) {
      answer = lookUp(key);
      answers.set(key, answer);
    }
    return answer;
  };
}
