/**
 * One way to connect to Temporal for the API (client Connection), the worker (NativeConnection) and the scripts: the
 * address, namespace, TLS (server name, CA, mTLS client certificate) and API key of the configuration (server/config.ts,
 * README "Temporal cluster or Temporal Cloud").
 */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { Config, Pem, TemporalTls } from './config';
import type { TemporalSettings } from './workflow-outbox';

/** Options accepted by both `Connection.connect` and `NativeConnection.connect`. */
export interface TemporalConnectOptions { address: string; tls?: TLSConfig | false; apiKey?: string }

const read = (pem: Pem): Buffer => (pem.file ? readFileSync(pem.file) : Buffer.from(pem.data ?? '', 'utf8'));

/** The TLS settings as the SDK takes them: certificate files read now. */
export function tlsConfig(tls: TemporalTls): TLSConfig {
  const config: TLSConfig = {};
  if (tls.serverName) config.serverNameOverride = tls.serverName;
  if (tls.ca) config.serverRootCACertificate = read(tls.ca);
  if (tls.cert && tls.key) config.clientCertPair = { crt: read(tls.cert), key: read(tls.key) };
  return config;
}

export function temporalConnectOptions(settings: Pick<TemporalSettings, 'address' | 'tls' | 'apiKey'>): TemporalConnectOptions {
  const options: TemporalConnectOptions = { address: settings.address };
  if (settings.tls) options.tls = tlsConfig(settings.tls);
  else if (settings.tls === false && settings.apiKey) options.tls = false; // TEMPORAL_TLS=false with an API key: as told.
  if (settings.apiKey) options.apiKey = settings.apiKey;
  return options;
}

/** The settings of the API's and the worker's Temporal client, from the configuration. */
export function temporalSettings(config: Config): TemporalSettings {
  return {
    address: config.temporalAddress, namespace: config.temporalNamespace, taskQueue: config.taskQueue,
    tls: config.temporalTls, apiKey: config.temporalApiKey,
  };
}
