import { startCostSimulator, CostSimulator } from './server';

const now = () => new Date('2026-11-30T12:00:00Z');

describe('the Kubecost and OpenCost simulators', () => {
  const sims: CostSimulator[] = [];
  afterAll(() => Promise.all(sims.map(s => s.stop())));
  const start = async (options: Parameters<typeof startCostSimulator>[0]) => {
    const sim = await startCostSimulator({ now, ...options });
    sims.push(sim);
    return sim;
  };
  const get = async (url: string) => {
    const res = await fetch(url);
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      text: await res.text(),
    };
  };

  it('answer the reference month in the Kubecost wire format', async () => {
    const kubecost = await start({ kind: 'kubecost' });
    const res = await get(
      `${kubecost.url}/model/allocation?window=lastmonth&aggregate=label:hospital_tenants_io_tenant&accumulate=true&filter=cluster:"management"`,
    );
    const body = JSON.parse(res.text);
    expect(body.code).toBe(200);
    expect(body.status).toBeUndefined();
    expect(body.data).toHaveLength(1);
    const set = body.data[0];
    expect(Object.keys(set)).toEqual([
      '__idle__',
      '__unallocated__',
      'hospital_tenants_io_tenant=hospital-santa-maria',
      'hospital_tenants_io_tenant=hospital-sao-joao',
      'hospital_tenants_io_tenant=real-hospital-portugues',
    ]);
    // control plane: 5 % of R$ 34.300
    expect(
      set['hospital_tenants_io_tenant=hospital-santa-maria'].totalCost,
    ).toBeCloseTo(1715, 2);
    expect(set.__idle__.cpuEfficiency).toBeNull();
    expect(set.__idle__.window.start).toBe('2026-10-01T03:00:00Z');
    const daily = JSON.parse(
      (
        await get(
          `${kubecost.url}/model/allocation?window=3d&aggregate=namespace&filter=cluster:"hospital-sao-joao"`,
        )
      ).text,
    );
    // two complete days and today so far
    expect(daily.data).toHaveLength(3);
    const savings = JSON.parse(
      (
        await get(
          `${kubecost.url}/model/savings/requestSizingV2?window=7d&filter=cluster:"hospital-santa-maria"`,
        )
      ).text,
    );
    expect(savings.TotalMonthlySavings).toBe(6900);
    expect(
      savings.Recommendations.some((r: any) => r.monthlySavings.total < 0),
    ).toBe(true);
  });

  it('answer in the OpenCost wire format, with its errors and the URL-template mode', async () => {
    const opencost = await start({ kind: 'opencost' });
    const body = JSON.parse(
      (
        await get(
          `${opencost.url}/clusters/hospital-sao-joao/allocation/compute?window=2026-10-01T03:00:00Z,2026-10-03T03:00:00Z&aggregate=namespace&step=1d`,
        )
      ).text,
    );
    expect(body.status).toBe('success');
    expect(body.data).toHaveLength(2);
    // no idle unless asked
    expect(Object.keys(body.data[0])).toEqual(['ehr', 'lab', 'pacs']);
    expect(body.data[0].ehr.cpuCostIdle).toBe(0);
    const label = JSON.parse(
      (
        await get(
          `${opencost.url}/allocation/compute?window=lastmonth&aggregate=label:hospital_tenants_io_tenant&filter=namespace:"tenant-hospital-sao-joao"`,
        )
      ).text,
    );
    expect(Object.keys(label.data[0])).toEqual(['hospital-sao-joao']);
    const bad = await get(`${opencost.url}/allocation/compute?window=nonsense`);
    expect(bad.status).toBe(400);
    expect(bad.type).toMatch(/^text\/plain/);
    expect(bad.text).toBe("Invalid 'window' parameter: nonsense\n");
    opencost.fail({ path: '/allocation', status: 500 });
    const failed = await get(`${opencost.url}/allocation/compute?window=1d`);
    expect(JSON.parse(failed.text)).toEqual({
      code: 500,
      status: '',
      data: null,
      message: 'Error: simulated failure',
    });
  });

  it('answer savings as the older bare array when asked to', async () => {
    const old = await start({
      kind: 'kubecost',
      savingsAsArray: true,
      currency: 'USD',
    });
    const body = JSON.parse(
      (
        await get(
          `${old.url}/model/savings/requestSizingV2?window=7d&filter=cluster:"hospital-sao-joao"`,
        )
      ).text,
    );
    expect(Array.isArray(body)).toBe(true);
    expect(
      JSON.parse((await get(`${old.url}/model/getConfigs`)).text).data
        .currencyCode,
    ).toBe('USD');
  });
});
