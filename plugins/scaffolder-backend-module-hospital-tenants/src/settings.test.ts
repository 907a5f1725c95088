import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readProvisioningSettings } from './settings';

const read = (provisioning: object) =>
  readProvisioningSettings(
    new ConfigReader({ hospitalTenants: { provisioning } }),
  );

describe('readProvisioningSettings: the grant janitor', () => {
  it('defaults to every 5 minutes and the provisioning timeout plus 5 minutes', () => {
    expect(read({}).grantJanitor).toEqual({
      frequencyMs: 5 * 60_000,
      maxAgeMs: (10 + 2 + 5) * 60_000,
    });
    expect(
      read({ readyTimeout: { minutes: 4 }, entityTimeout: { minutes: 1 } })
        .grantJanitor.maxAgeMs,
    ).toBe((4 + 1 + 5) * 60_000);
  });

  it('takes a frequency and a max age', () => {
    expect(
      read({
        grantJanitor: { frequency: { minutes: 1 }, maxAge: { hours: 1 } },
      }).grantJanitor,
    ).toEqual({ frequencyMs: 60_000, maxAgeMs: 3_600_000 });
  });

  it('refuses a max age shorter than a run may take', () => {
    expect(() => read({ grantJanitor: { maxAge: { minutes: 5 } } })).toThrow(
      InputError,
    );
    expect(() => read({ grantJanitor: { maxAge: { minutes: 5 } } })).toThrow(
      /grantJanitor\.maxAge: must be at least readyTimeout \+ entityTimeout/,
    );
  });
});

describe('readProvisioningSettings: the management token issuer', () => {
  it('is unset by default (the plan then uses the in-cluster issuer)', () => {
    expect(read({}).managementServiceAccountIssuer).toBeUndefined();
  });

  it('takes an https URL and an optional CA', () => {
    expect(
      read({
        managementServiceAccountIssuer: {
          url: 'https://issuer.example',
          certificateAuthority: 'PEM',
        },
      }).managementServiceAccountIssuer,
    ).toEqual({ url: 'https://issuer.example', certificateAuthority: 'PEM' });
    expect(() =>
      read({
        managementServiceAccountIssuer: { url: 'http://issuer.example' },
      }),
    ).toThrow(/managementServiceAccountIssuer\.url: must be an https URL/);
  });
});
