import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { DEFAULT_SLA_QUERIES } from './queries';

const file = resolve(
  __dirname,
  '../../../../deploy/prometheus/sla-recording-rules.yaml',
);

describe('deploy/prometheus/sla-recording-rules.yaml', () => {
  it('is a PrometheusRule whose groups promtool accepts', async () => {
    const rule = parse(await readFile(file, 'utf8'));
    expect(rule).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
    });
    const dir = await mkdtemp(join(tmpdir(), 'sla-rules-'));
    try {
      const rules = join(dir, 'rules.yml');
      await writeFile(rules, stringify({ groups: rule.spec.groups }));
      const { stdout } = await promisify(execFile)('promtool', [
        'check',
        'rules',
        rules,
      ]);
      expect(stdout).toContain('SUCCESS: 10 rules found');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('records over the same metrics as the default queries', async () => {
    const text = await readFile(file, 'utf8');
    for (const metric of [
      'http_server_request_duration_seconds_count',
      'http_server_request_duration_seconds_bucket',
    ]) {
      expect(text).toContain(metric);
      expect(Object.values(DEFAULT_SLA_QUERIES).join('\n')).toContain(metric);
    }
    expect(text).toContain('http_response_status_code=~"5.."');
    expect(DEFAULT_SLA_QUERIES.bad).toContain(
      'http_response_status_code=~"5.."',
    );
  });
});
