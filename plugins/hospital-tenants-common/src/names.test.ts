import {
  cidrContains,
  findOverlap,
  NON_PUBLIC_IPV4_RANGES,
  parseIpv4Cidr,
} from './cidr';
import { MAX_SLUG_LENGTH } from './constants';
import {
  departmentNamespaceName,
  derivedTenantNames,
  suggestTenantSlug,
} from './names';
import {
  formatCpu,
  formatMemory,
  parseCpuMillicores,
  parseMemoryMebibytes,
} from './quantity';

describe('names', () => {
  it('turns Unicode department names into namespace names', () => {
    expect(departmentNamespaceName('Radiologia e Diagnóstico por Imagem')).toBe(
      'radiologia-e-diagnostico-por-imagem',
    );
    expect(departmentNamespaceName('  UTI — Neonatal ')).toBe('uti-neonatal');
    expect(departmentNamespaceName('Ærø Straße')).toBe('aero-strasse');
    expect(departmentNamespaceName('产科')).toBe('');
    expect(departmentNamespaceName('x'.repeat(70))).toHaveLength(63);
    expect(suggestTenantSlug('Hospital São João')).toBe('hospital-sao-joao');
    expect(suggestTenantSlug('9 de Julho')).toBe('h-9-de-julho');
  });

  it('keeps every derived name within its limit at the longest slug', () => {
    const slug = `h${'x'.repeat(MAX_SLUG_LENGTH - 1)}`;
    for (const { name, maxLength, what } of derivedTenantNames(slug)) {
      expect({ what, fits: name.length <= maxLength }).toEqual({
        what,
        fits: true,
      });
    }
    expect(derivedTenantNames(`${slug}x`)[0].name.length).toBeGreaterThan(63);
  });
});

describe('cidr', () => {
  it('parses and compares IPv4 ranges', () => {
    expect(parseIpv4Cidr('10.1.0.0/16')).toMatchObject({ prefix: 16 });
    expect(parseIpv4Cidr('10.1.0.1/16')).toBeUndefined();
    expect(parseIpv4Cidr('10.1.0.0/33')).toBeUndefined();
    expect(parseIpv4Cidr('300.1.0.0/16')).toBeUndefined();
    expect(parseIpv4Cidr('255.255.255.255/32')).toMatchObject({
      first: 2 ** 32 - 1,
    });
    expect(cidrContains('10.1.0.0/16', '10.1.255.3')).toBe(true);
    expect(cidrContains('10.1.0.0/16', '10.2.0.3')).toBe(false);
    expect(findOverlap('172.20.0.0/16', NON_PUBLIC_IPV4_RANGES)).toBe(
      '172.16.0.0/12',
    );
    expect(
      findOverlap('203.0.113.0/24', NON_PUBLIC_IPV4_RANGES),
    ).toBeUndefined();
  });
});

describe('quantity', () => {
  it('formats and parses', () => {
    expect(formatCpu(2000)).toBe('2');
    expect(formatCpu(250)).toBe('250m');
    expect(formatMemory(2048)).toBe('2Gi');
    expect(formatMemory(384)).toBe('384Mi');
    expect(parseCpuMillicores('0.5')).toBe(500);
    expect(parseCpuMillicores('250m')).toBe(250);
    expect(parseMemoryMebibytes('1Gi')).toBe(1024);
    expect(parseMemoryMebibytes('1G')).toBeCloseTo(953.67, 1);
    expect(() => parseCpuMillicores('lots')).toThrow(
      /Invalid Kubernetes quantity/,
    );
  });
});
