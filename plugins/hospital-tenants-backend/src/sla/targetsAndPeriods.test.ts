import { InputError } from '@backstage/errors';
import { renderQuery, validateTemplates, DEFAULT_SLA_QUERIES } from './queries';
import {
  DEFAULT_SLA_TARGETS,
  readSlaTargets,
  SLA_ANNOTATIONS,
} from './targets';
import { isTimeZone, monthInZone } from './zonedMonth';

describe('SLA targets from annotations', () => {
  it('reads fractions and percentages; ignores malformed values with a warning', () => {
    const warn = jest.fn();
    const logger = { warn } as any;
    expect(
      readSlaTargets(
        {
          [SLA_ANNOTATIONS.availability]: '99.95%',
          [SLA_ANNOTATIONS.p95Seconds]: '1.5',
          [SLA_ANNOTATIONS.throughputRps]: '2000',
        },
        logger,
      ),
    ).toEqual({ availability: 0.9995, p95Seconds: 1.5, throughputRps: 2000 });
    expect(
      readSlaTargets({ [SLA_ANNOTATIONS.availability]: '0.99' }).availability,
    ).toBe(0.99);
    expect(
      readSlaTargets(
        {
          [SLA_ANNOTATIONS.availability]: '100',
          [SLA_ANNOTATIONS.p95Seconds]: '-1',
          [SLA_ANNOTATIONS.throughputRps]: '1e3',
        },
        logger,
      ),
    ).toEqual(DEFAULT_SLA_TARGETS);
    expect(warn).toHaveBeenCalledTimes(3);
  });
});

describe('query templates', () => {
  it('fills only a tenant id and a duration', () => {
    expect(
      renderQuery(DEFAULT_SLA_QUERIES.total, {
        tenant: 'hospital-a',
        window: '30d',
      }),
    ).toBe(
      'sum(increase(http_server_request_duration_seconds_count{tenant="hospital-a"}[30d]))',
    );
    for (const tenant of ['a"}or vector(1)', 'A', 'x/y', '']) {
      expect(() =>
        renderQuery(DEFAULT_SLA_QUERIES.total, { tenant, window: '30d' }),
      ).toThrow(InputError);
    }
    expect(() =>
      renderQuery(DEFAULT_SLA_QUERIES.total, { tenant: 'a', window: '1h]' }),
    ).toThrow(InputError);
  });

  it('refuses a template without {{tenant}} or with an unknown placeholder', () => {
    expect(() =>
      validateTemplates({ ...DEFAULT_SLA_QUERIES, bad: 'sum(up)' }),
    ).toThrow(/must select the tenant/);
    expect(() =>
      validateTemplates({
        ...DEFAULT_SLA_QUERIES,
        bad: 'sum(x{tenant="{{tenant}}",env="{{env}}"})',
      }),
    ).toThrow(/Unknown placeholder/);
  });
});

describe('report months in a time zone', () => {
  it('starts and ends at local midnight, across a DST change', () => {
    expect(monthInZone('2026-11', 'America/Sao_Paulo')).toEqual({
      from: new Date('2026-11-01T03:00:00Z'),
      to: new Date('2026-12-01T03:00:00Z'),
    });
    // New York leaves DST on 2026-11-01 at 02:00
    expect(monthInZone('2026-11', 'America/New_York')).toEqual({
      from: new Date('2026-11-01T04:00:00Z'),
      to: new Date('2026-12-01T05:00:00Z'),
    });
    expect(monthInZone('2026-12', 'Europe/Lisbon').to).toEqual(
      new Date('2027-01-01T00:00:00Z'),
    );
    expect(() => monthInZone('2026-13', 'UTC')).toThrow(InputError);
  });

  it('knows IANA zones only', () => {
    expect(isTimeZone('America/Recife')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('<b>')).toBe(false);
  });
});
