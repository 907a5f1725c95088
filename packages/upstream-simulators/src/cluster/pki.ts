/*
 * The simulator's PKI: one CA generated at start signs the serving
 * certificate of every simulated API server and the client certificates
 * Kamaji would put into a tenant's admin kubeconfig. ECDSA P-256 through
 * Node's WebCrypto (native, fast); @peculiar/x509 builds the certificates.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/** A PEM certificate with its private key. @public */
export interface KeyPair {
  certPem: string;
  keyPem: string;
}

async function newKeys() {
  return (await webcrypto.subtle.generateKey(ALG, true, [
    'sign',
    'verify',
  ])) as unknown as CryptoKeyPair;
}

async function keyPem(key: CryptoKey) {
  const der = Buffer.from(
    await webcrypto.subtle.exportKey('pkcs8', key as any),
  );
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64.trim()}\n-----END PRIVATE KEY-----\n`;
}

const validity = () => ({
  // a positive serial number
  serialNumber: `01${randomBytes(15).toString('hex')}`,
  notBefore: new Date(Date.now() - 60_000),
  notAfter: new Date(Date.now() + 30 * 86_400_000),
});

/** The certificate authority of one simulator run. @public */
export class SimulatorCa {
  private constructor(
    readonly certPem: string,
    private readonly cert: x509.X509Certificate,
    private readonly keys: CryptoKeyPair,
  ) {}

  /** A CA saved earlier with {@link SimulatorCa.keyPem}. */
  static async load(certPem: string, keyPemText: string): Promise<SimulatorCa> {
    const der = Buffer.from(
      keyPemText.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''),
      'base64',
    );
    const privateKey = await webcrypto.subtle.importKey(
      'pkcs8',
      der,
      ALG,
      true,
      ['sign'],
    );
    const cert = new x509.X509Certificate(certPem);
    const publicKey = await cert.publicKey.export(
      ALG,
      ['verify'],
      webcrypto as unknown as Crypto,
    );
    return new SimulatorCa(certPem, cert, {
      privateKey,
      publicKey,
    } as unknown as CryptoKeyPair);
  }

  /** The CA's private key (PKCS#8 PEM), to keep a dev CA across restarts. */
  keyPem(): Promise<string> {
    return keyPem(this.keys.privateKey);
  }

  static async create(): Promise<SimulatorCa> {
    const keys = await newKeys();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      ...validity(),
      name: [{ CN: ['prontuario-simulator-ca'] }],
      keys,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return new SimulatorCa(cert.toString('pem'), cert, keys);
  }

  private async issue(
    name: x509.JsonName,
    extensions: x509.Extension[],
  ): Promise<KeyPair> {
    const keys = await newKeys();
    const cert = await x509.X509CertificateGenerator.create({
      ...validity(),
      subject: name,
      issuer: this.cert.subject,
      signingKey: this.keys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature |
            x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        await x509.AuthorityKeyIdentifierExtension.create(this.cert),
        ...extensions,
      ],
    });
    return {
      certPem: cert.toString('pem'),
      keyPem: await keyPem(keys.privateKey),
    };
  }

  /** A serving certificate for the given IPs and DNS names. */
  issueServer(ips: string[], dnsNames: string[]): Promise<KeyPair> {
    return this.issue(
      [{ CN: ['kube-apiserver'] }],
      [
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          ...ips.map(value => ({ type: 'ip' as const, value })),
          ...dnsNames.map(value => ({ type: 'dns' as const, value })),
        ]),
      ],
    );
  }

  /**
   * A client certificate the way kubeadm/Kamaji issue them: the user is the
   * common name, the groups are the organizations.
   */
  issueClient(user: string, groups: string[]): Promise<KeyPair> {
    return this.issue(
      [{ CN: [user] }, ...groups.map(g => ({ O: [g] }))],
      [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
    );
  }
}
