import { createMetrics } from '@edu/kit';
import { createReadCache } from '../src';

describe('the read cache', () => {
  it('loads once, then answers from memory with copies callers may change', async () => {
    const cache = createReadCache(10);
    let loads = 0;
    const load = () => {
      loads += 1;
      return Promise.resolve({ _id: 'a', lessons: [1, 2] });
    };
    const first = await cache.read('weeks/a', load);
    first!.lessons.push(3);
    const second = await cache.read('weeks/a', load);
    expect(second).toEqual({ _id: 'a', lessons: [1, 2] });
    expect(loads).toBe(1);
  });

  it('remembers a miss, until a write brings the document', async () => {
    const cache = createReadCache(10);
    let loads = 0;
    const load = () => {
      loads += 1;
      return Promise.resolve(null);
    };
    expect(await cache.read('students/x', load)).toBeNull();
    expect(await cache.read('students/x', load)).toBeNull();
    expect(loads).toBe(1);
    cache.write('students/x', { _id: 'x' });
    expect(await cache.read('students/x', load)).toEqual({ _id: 'x' });
  });

  it('does not let a load that started before a write put the older document back', async () => {
    const cache = createReadCache(10);
    let finish!: (doc: { v: number }) => void;
    const slow = cache.read('weeks/a', () => new Promise<{ v: number }>((resolve) => (finish = resolve)));
    cache.write('weeks/a', { v: 2 });
    finish({ v: 1 });
    expect(await slow).toEqual({ v: 1 });
    expect(await cache.read('weeks/a', () => Promise.resolve({ v: 0 }))).toEqual({ v: 2 });
  });

  it('drops the least recently used beyond its capacity and counts hits and misses', async () => {
    const metrics = createMetrics('diary-test');
    const cache = createReadCache(2, metrics, 'diary');
    const doc = (id: string) => () => Promise.resolve({ _id: id });
    await cache.read('a', doc('a'));
    await cache.read('b', doc('b'));
    await cache.read('a', doc('a')); // a is now the most recent
    await cache.read('c', doc('c')); // b goes
    expect(cache.size).toBe(2);
    let loadedB = false;
    await cache.read('b', () => {
      loadedB = true;
      return Promise.resolve({ _id: 'b' });
    });
    expect(loadedB).toBe(true);
    const text = await metrics.registry.getSingleMetricAsString('diary_cache_requests_total');
    expect(text).toContain('result="hit"} 1');
    expect(text).toContain('result="miss"} 4');
  });
});
