import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { spec } from './generated';

describe('the OpenAPI module', () => {
  it('is the YAML contract (run `yarn workspace @prontuario/plugin-hospital-tenants-backend generate:openapi` after editing it)', () => {
    const yaml = parse(
      fs.readFileSync(path.join(__dirname, '../openapi.yaml'), 'utf8'),
    );
    expect(spec).toEqual(yaml);
  });

  it('serves from the root, or the validator would silently check nothing', () => {
    expect(spec.servers).toEqual([{ url: '/' }]);
  });
});
