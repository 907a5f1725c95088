import { mockServices } from '@backstage/backend-test-utils';
import { readCostSettings } from './config';
import { CostReadService } from './CostReadService';
import { CostStore } from './CostStore';

describe('CostReadService.defaultPeriod', () => {
  const settings = readCostSettings(
    mockServices.rootConfig({
      data: {
        hospitalTenants: {
          cost: {
            source: { product: 'kubecost', baseUrl: 'http://kubecost.test' },
          },
        },
      },
    }),
  )!;

  it('is the last complete month in the configured time zone, also when the clock crosses a month or goes back', () => {
    let now = new Date('2026-11-30T12:00:00Z');
    // defaultPeriod reads no snapshot: the store is never used
    const read = new CostReadService({} as CostStore, settings, () => now);
    expect(settings.timeZone).toBe('America/Sao_Paulo');
    expect(read.defaultPeriod()).toBe('2026-10');
    // 23:59:59 on 30 November in São Paulo (UTC−3)
    now = new Date('2026-12-01T02:59:59.999Z');
    expect(read.defaultPeriod()).toBe('2026-10');
    // midnight of 1 December in São Paulo
    now = new Date('2026-12-01T03:00:00Z');
    expect(read.defaultPeriod()).toBe('2026-11');
    now = new Date('2027-01-15T12:00:00Z');
    expect(read.defaultPeriod()).toBe('2026-12');
    // a clock set back is honoured too
    now = new Date('2026-11-01T02:59:59Z');
    expect(read.defaultPeriod()).toBe('2026-09');
    now = new Date('2026-11-01T03:00:00Z');
    expect(read.defaultPeriod()).toBe('2026-10');
  });
});
