import { configSchema } from '../../src/config';

// The service's config: the maximum weekly load by grade as a deployment may change it.

const parse = (value?: string) =>
  configSchema.safeParse({
    EDU_ACTOR_PUBLIC_KEYS_DIR: '/keys',
    ...(value === undefined ? {} : { EDU_SCHEDULE_MAX_WEEKLY_HOURS: value }),
  });

describe('config: EDU_SCHEDULE_MAX_WEEKLY_HOURS', () => {
  it('when it is not set, then no grade differs from the defaults', () => {
    expect(parse().data?.EDU_SCHEDULE_MAX_WEEKLY_HOURS).toEqual({});
  });

  it('when it names some grades, then those grades get their hours (numbers as keys)', () => {
    expect(parse('{"5": 30, "10": 36.5}').data?.EDU_SCHEDULE_MAX_WEEKLY_HOURS).toEqual({ 5: 30, 10: 36.5 });
  });

  it('when it is not JSON, names a grade outside 1..11, or hours not in steps of 0.5, then the config is refused', () => {
    const results = ['{5:30}', '{"12": 30}', '{"5": 30.3}', '{"5": 0}', '[29]'].map((value) => parse(value));

    expect(results.map((r) => r.success)).toEqual([false, false, false, false, false]);
    expect(results[0]!.error?.issues[0]?.path).toEqual(['EDU_SCHEDULE_MAX_WEEKLY_HOURS']);
  });
});
