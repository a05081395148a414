/**
 * Configuration for more than one machine: Temporal cluster / Temporal Cloud settings (namespace, TLS, API key) as the
 * API, the worker and the scripts connect with them, the statistics' read replica URL and the database pool size.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config';
import { temporalConnectOptions, temporalSettings } from './temporal-connection';
import { logLevelFromEnv } from './logger';

const SECRET = 'x'.repeat(40);
const load = (env: Record<string, string>) => loadConfig({ APP_SECRET: SECRET, ...env });

function files() {
  const dir = mkdtempSync(join(tmpdir(), 'pm-config-'));
  const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  return { cert: write('client.pem', 'CERT'), key: write('client.key', 'KEY'), ca: write('ca.pem', 'CA'), missing: join(dir, 'nope.pem') };
}

describe('Temporal connection settings', () => {
  it('default to a plain connection to the local server in the default namespace', () => {
    const config = load({});
    expect(config).toMatchObject({ temporalAddress: '127.0.0.1:7233', temporalNamespace: 'default', temporalTls: false, temporalApiKey: null });
    expect(temporalConnectOptions(temporalSettings(config))).toEqual({ address: '127.0.0.1:7233' });
  });

  it('Temporal Cloud with an API key: TLS on, the key sent, the namespace and address as given', () => {
    const config = load({ TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233', TEMPORAL_NAMESPACE: 'clinic.a1b2c', TEMPORAL_API_KEY: ' key-123 ' });
    const settings = temporalSettings(config);
    expect(settings).toMatchObject({ namespace: 'clinic.a1b2c', taskQueue: 'partner-module', apiKey: 'key-123' });
    expect(temporalConnectOptions(settings)).toEqual({ address: 'eu-west-1.aws.api.temporal.io:7233', tls: {}, apiKey: 'key-123' });
  });

  it('mTLS: the client certificate and key, the CA and the server name (the temporal CLI\'s names) are read into the SDK\'s TLS settings', () => {
    const f = files();
    const config = load({
      TEMPORAL_TLS_CLIENT_CERT_PATH: f.cert, TEMPORAL_TLS_CLIENT_KEY_PATH: f.key, TEMPORAL_TLS_SERVER_CA_CERT_PATH: f.ca,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(config.temporalTls).toEqual({ cert: { file: f.cert }, key: { file: f.key }, ca: { file: f.ca }, serverName: 'temporal.internal' });
    const options = temporalConnectOptions(temporalSettings(config));
    expect(options.tls && options.tls.serverNameOverride).toBe('temporal.internal');
    expect(options.tls && Buffer.from(options.tls.serverRootCACertificate!).toString()).toBe('CA');
    expect(options.tls && Buffer.from(options.tls.clientCertPair!.crt).toString()).toBe('CERT');
    expect(options.tls && Buffer.from(options.tls.clientCertPair!.key).toString()).toBe('KEY');
    expect(options.apiKey).toBeUndefined();
  });

  it('the certificate and key inline (…_DATA, e.g. from a secret store)', () => {
    const options = temporalConnectOptions(temporalSettings(load({ TEMPORAL_TLS_CLIENT_CERT_DATA: 'CERT-PEM', TEMPORAL_TLS_CLIENT_KEY_DATA: 'KEY-PEM' })));
    expect(options.tls && Buffer.from(options.tls.clientCertPair!.crt).toString()).toBe('CERT-PEM');
    expect(options.tls && Buffer.from(options.tls.clientCertPair!.key).toString()).toBe('KEY-PEM');
  });

  it('TEMPORAL_TLS=true alone: TLS with the system\'s trusted CAs', () => {
    expect(load({ TEMPORAL_TLS: 'true' }).temporalTls).toEqual({});
    expect(temporalConnectOptions(temporalSettings(load({ TEMPORAL_TLS: 'true' }))).tls).toEqual({});
  });

  it('TEMPORAL_TLS=false with an API key: a plain connection, as told (e.g. a local proxy)', () => {
    const options = temporalConnectOptions(temporalSettings(load({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' })));
    expect(options).toEqual({ address: '127.0.0.1:7233', tls: false, apiKey: 'k' });
  });

  it('refuses settings that cannot work, naming the variable', () => {
    const f = files();
    expect(() => load({ TEMPORAL_TLS_CLIENT_CERT_PATH: f.cert })).toThrow(/TEMPORAL_TLS_CLIENT_CERT_\* and TEMPORAL_TLS_CLIENT_KEY_\*/);
    expect(() => load({ TEMPORAL_TLS_CLIENT_KEY_DATA: 'k' })).toThrow(/TEMPORAL_TLS_CLIENT_CERT_\* and TEMPORAL_TLS_CLIENT_KEY_\*/);
    expect(() => load({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: f.missing })).toThrow(/TEMPORAL_TLS_SERVER_CA_CERT_PATH: no file/);
    expect(() => load({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: f.ca, TEMPORAL_TLS_SERVER_CA_CERT_DATA: 'CA' })).toThrow(/not both/);
    expect(() => load({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_CA_CERT_PATH: f.ca })).toThrow(/TEMPORAL_TLS=false contradicts/);
    expect(() => load({ TEMPORAL_TLS: 'maybe' })).toThrow(/TEMPORAL_TLS must be true or false/);
  });
});

describe('database read replica', () => {
  it('statistics read from the primary unless DATABASE_READ_URL is set', () => {
    expect(load({ DATABASE_URL: 'mysql://app@db-primary:3306/pm' }).databaseReadUrl).toBe('mysql://app@db-primary:3306/pm');
    expect(load({ DATABASE_URL: 'mysql://app@db-primary:3306/pm', DATABASE_READ_URL: 'mysql://ro@db-replica:3306/pm' }))
      .toMatchObject({ databaseUrl: 'mysql://app@db-primary:3306/pm', databaseReadUrl: 'mysql://ro@db-replica:3306/pm' });
  });

  it('refuses a read URL that is not a mysql:// URL', () => {
    expect(() => load({ DATABASE_READ_URL: 'db-replica:3306' })).toThrow(/DATABASE_READ_URL/);
    expect(() => load({ DATABASE_READ_URL: 'postgres://db/pm' })).toThrow(/DATABASE_READ_URL must start with mysql:\/\//);
  });
});

describe('DATABASE_POOL_SIZE', () => {
  it('is 10 connections per pool unless set, and takes a whole number from 1 to 1000', () => {
    expect(load({}).databasePoolSize).toBe(10);
    expect(load({ DATABASE_POOL_SIZE: '' }).databasePoolSize).toBe(10);
    expect(load({ DATABASE_POOL_SIZE: '25' }).databasePoolSize).toBe(25);
    expect(load({ DATABASE_POOL_SIZE: ' 1 ' }).databasePoolSize).toBe(1);
    expect(load({ DATABASE_POOL_SIZE: '1000' }).databasePoolSize).toBe(1000);
  });

  it('refuses anything else at start-up, naming the variable and the value', () => {
    for (const bad of ['0', '-5', '2.5', '1e2', 'ten', '0x10', '1001', '99999999999999999999']) {
      expect(() => load({ DATABASE_POOL_SIZE: bad }), bad).toThrow(`DATABASE_POOL_SIZE must be a whole number from 1 to 1000, got "${bad}"`);
    }
  });
});

describe('LOG_LEVEL', () => {
  it('defaults to info (warn under vitest), takes pino\'s levels and refuses others', () => {
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ VITEST: 'true' })).toBe('warn');
    expect(logLevelFromEnv({ LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(() => logLevelFromEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
  });
});
