/** Runtime configuration from environment variables (documented in the README's configuration table). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { DEFAULT_DATABASE_URL } from '../db/client';

/** A PEM certificate or key: a file (read when connecting) or the PEM text itself. */
export interface Pem { file?: string; data?: string }

/**
 * TLS to the Temporal server (a cluster behind TLS, or Temporal Cloud), read when connecting
 * (server/temporal-connection.ts); `serverName` overrides the name checked against the server's certificate.
 */
export interface TemporalTls { serverName?: string; ca?: Pem; cert?: Pem; key?: Pem }

export interface Config {
  databaseUrl: string;
  /** Read-only queries that may lag a little (statistics and their CSV): a replica; the primary by default. */
  databaseReadUrl: string;
  /** Connections each process keeps open at most to each database (API: primary and replica each; worker: primary). */
  databasePoolSize: number;
  port: number;
  /** Public URL of the app, used in email links. */
  appUrl: string;
  /** Secret used to derive invitation link tokens (HMAC). Shared by the API and the worker. */
  appSecret: string;
  temporalAddress: string;
  temporalNamespace: string;
  /** false: plain connection (the local dev server). */
  temporalTls: TemporalTls | false;
  /** Temporal Cloud API key (sent as a bearer token; implies TLS unless TEMPORAL_TLS=false). */
  temporalApiKey: string | null;
  taskQueue: string;
  smtpUrl: string;
  mailFrom: string;
  cookieSecure: boolean;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  loginMaxFailures: number;
  loginWindowMs: number;
  loginBlockMs: number;
  /** Sign-in failures from one IP (any emails) in the login window before the IP is blocked for the block time. */
  loginIpMaxFailures: number;
  /** Set-password and registration attempts from one IP in 15 minutes. */
  anonymousIpMaxAttempts: number;
  /** Patient searches per user a minute (per IP: five times this). */
  patientSearchPerMinute: number;
  invitationReminderMs: number;
  invitationExpiryMs: number;
  /** Partner invitation reminders, as offsets from the invitation (days 3 and 7 by default). */
  partnerReminderOffsetsMs: number[];
  partnerInvitationExpiryMs: number;
  /** A booking becomes `fulfilled` this long after its end unless cancelled or marked no-show. */
  bookingFulfilGraceMs: number;
  /** The patient's booking reminder goes out this long before the start. */
  bookingReminderBeforeMs: number;
  /** Partnerships settled per activity (one transaction each) in a settlement run. */
  settlementChunkSize: number;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;

function days(env: NodeJS.ProcessEnv, name: string, fallback: number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map((v) => Number(v.trim()));
  if (values.some((v) => !Number.isFinite(v) || v <= 0)) throw new Error(`${name} must be a comma-separated list of positive numbers, got "${raw}"`);
  return values.sort((a, b) => a - b);
}

function num(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

/** A whole number in [min, max]; the default when unset or empty. */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${env[name]}"`);
  }
  return value;
}

/** Connections per pool by default (the API's primary and replica pools, the worker's pool). */
export const DEFAULT_DATABASE_POOL_SIZE = 10;
/** Far above what one process needs; a larger value is a typo that would exhaust the server's max_connections. */
const MAX_DATABASE_POOL_SIZE = 1000;

function flag(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}

function mysqlUrl(name: string, raw: string): string {
  let url: URL;
  try { url = new URL(raw); } catch { throw new Error(`${name} must be a URL like mysql://user:password@host:3306/database`); }
  if (url.protocol !== 'mysql:') throw new Error(`${name} must start with mysql://, got "${url.protocol}"`);
  return raw;
}

function readableFile(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const file = resolve(raw);
  if (!existsSync(file)) throw new Error(`${name}: no file at ${file}`);
  return file;
}

/** A PEM given as a file (`…_PATH`) or inline (`…_DATA`), not both. */
function pem(env: NodeJS.ProcessEnv, prefix: string): { file?: string; data?: string } | undefined {
  const file = readableFile(env, `${prefix}_PATH`);
  const data = env[`${prefix}_DATA`]?.trim() || undefined;
  if (file && data) throw new Error(`set ${prefix}_PATH or ${prefix}_DATA, not both`);
  return file ? { file } : data ? { data } : undefined;
}

/**
 * Temporal's connection settings, named as the `temporal` CLI names them (so one environment serves the app and the
 * CLI): TEMPORAL_TLS (true/false; on by default when any of the others is set), TEMPORAL_TLS_CLIENT_CERT_PATH/_DATA +
 * TEMPORAL_TLS_CLIENT_KEY_PATH/_DATA (mTLS client certificate, both or neither), TEMPORAL_TLS_SERVER_CA_CERT_PATH/_DATA
 * (the server's CA, when not publicly trusted), TEMPORAL_TLS_SERVER_NAME, TEMPORAL_API_KEY.
 */
export function temporalConnectionConfig(env: NodeJS.ProcessEnv = process.env): { temporalTls: TemporalTls | false; temporalApiKey: string | null } {
  const cert = pem(env, 'TEMPORAL_TLS_CLIENT_CERT');
  const key = pem(env, 'TEMPORAL_TLS_CLIENT_KEY');
  if (Boolean(cert) !== Boolean(key)) {
    throw new Error('TEMPORAL_TLS_CLIENT_CERT_* and TEMPORAL_TLS_CLIENT_KEY_* go together: set both (mTLS) or neither');
  }
  const ca = pem(env, 'TEMPORAL_TLS_SERVER_CA_CERT');
  const serverName = env.TEMPORAL_TLS_SERVER_NAME?.trim() || undefined;
  const apiKey = env.TEMPORAL_API_KEY?.trim() || null;
  const tlsFlag = flag(env, 'TEMPORAL_TLS');
  const anyTlsSetting = Boolean(cert || ca || serverName);
  if (tlsFlag === false && anyTlsSetting) {
    throw new Error('TEMPORAL_TLS=false contradicts TEMPORAL_TLS_CLIENT_CERT_* / TEMPORAL_TLS_SERVER_CA_CERT_* / TEMPORAL_TLS_SERVER_NAME');
  }
  const tlsOn = tlsFlag ?? (anyTlsSetting || apiKey !== null);
  const tls: TemporalTls = {};
  if (serverName) tls.serverName = serverName;
  if (ca) tls.ca = ca;
  if (cert && key) { tls.cert = cert; tls.key = key; }
  return { temporalTls: tlsOn ? tls : false, temporalApiKey: apiKey };
}

/** The secret comes from APP_SECRET, or from .data/app-secret (created once) so that the API and worker agree. */
function loadSecret(env: NodeJS.ProcessEnv): string {
  if (env.APP_SECRET) {
    if (env.APP_SECRET.length < 32) throw new Error('APP_SECRET must be at least 32 characters');
    return env.APP_SECRET;
  }
  const file = resolve(env.APP_SECRET_FILE ?? '.data/app-secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = num(env, 'PORT', 3000);
  const databaseUrl = env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  return {
    databaseUrl,
    databaseReadUrl: env.DATABASE_READ_URL?.trim() ? mysqlUrl('DATABASE_READ_URL', env.DATABASE_READ_URL.trim()) : databaseUrl,
    databasePoolSize: wholeNumber(env, 'DATABASE_POOL_SIZE', DEFAULT_DATABASE_POOL_SIZE, 1, MAX_DATABASE_POOL_SIZE),
    port,
    appUrl: (env.APP_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    appSecret: loadSecret(env),
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE?.trim() || 'default',
    ...temporalConnectionConfig(env),
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'partner-module',
    smtpUrl: env.SMTP_URL ?? 'smtp://127.0.0.1:1025',
    mailFrom: env.MAIL_FROM ?? 'Partner Module <no-reply@partner-module.local>',
    cookieSecure: env.COOKIE_SECURE !== 'false',
    sessionIdleMs: num(env, 'SESSION_IDLE_MINUTES', 30) * MINUTE,
    sessionAbsoluteMs: num(env, 'SESSION_ABSOLUTE_HOURS', 12) * HOUR,
    loginMaxFailures: num(env, 'LOGIN_MAX_FAILURES', 10),
    loginWindowMs: num(env, 'LOGIN_WINDOW_MINUTES', 15) * MINUTE,
    loginBlockMs: num(env, 'LOGIN_BLOCK_MINUTES', 15) * MINUTE,
    loginIpMaxFailures: num(env, 'LOGIN_IP_MAX_FAILURES', 100),
    anonymousIpMaxAttempts: num(env, 'ANONYMOUS_MAX_ATTEMPTS_PER_IP', 30),
    patientSearchPerMinute: num(env, 'PATIENT_SEARCH_PER_MINUTE', 60),
    invitationReminderMs: num(env, 'INVITATION_REMINDER_HOURS', 24) * HOUR,
    invitationExpiryMs: num(env, 'INVITATION_EXPIRY_HOURS', 72) * HOUR,
    partnerReminderOffsetsMs: days(env, 'PARTNER_REMINDER_DAYS', [3, 7]).map((d) => d * DAY),
    partnerInvitationExpiryMs: num(env, 'PARTNER_INVITATION_EXPIRY_DAYS', 14) * DAY,
    bookingFulfilGraceMs: num(env, 'BOOKING_FULFIL_GRACE_HOURS', 24) * HOUR,
    bookingReminderBeforeMs: num(env, 'BOOKING_REMINDER_HOURS', 24) * HOUR,
    settlementChunkSize: Math.ceil(num(env, 'SETTLEMENT_CHUNK_SIZE', 10)),
  };
}
