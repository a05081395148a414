/** isConnectionLost: which driver errors mean "the connection is gone, try again" (and which do not). */
import { describe, expect, it } from 'vitest';
import { isConnectionLost } from './client';

const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: insert into ...'), { cause });

describe('isConnectionLost', () => {
  it('recognises a killed or lost connection anywhere in the cause chain', () => {
    expect(isConnectionLost(wrapped(Object.assign(new Error('Connection was killed'), { errno: 1927, code: 'UNKNOWN_CODE_PLEASE_REPORT' })))).toBe(true);
    expect(isConnectionLost(wrapped(Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true })))).toBe(true);
    expect(isConnectionLost(wrapped(new Error("Can't add new command when connection is in closed state")))).toBe(true);
    expect(isConnectionLost(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }))).toBe(true);
    // Network errors the server reports on a connection it is dropping, by errno or only by SQLSTATE class 08.
    expect(isConnectionLost(wrapped(Object.assign(new Error('Got an error reading communication packets'), { errno: 1158, code: 'ER_NET_READ_ERROR' })))).toBe(true);
    expect(isConnectionLost(wrapped(Object.assign(new Error('Aborted connection'), { errno: 1152, sqlState: '08S01' })))).toBe(true);
    expect(isConnectionLost(wrapped(Object.assign(new Error('Query execution was interrupted'), { errno: 9999, sqlState: '70100' })))).toBe(true);
  });

  it('leaves ordinary query errors alone (they are bugs or races, not outages)', () => {
    expect(isConnectionLost(wrapped(Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY', errno: 1062 })))).toBe(false);
    expect(isConnectionLost(wrapped(Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK', errno: 1213, sqlState: '40001' })))).toBe(false);
    expect(isConnectionLost(wrapped(Object.assign(new Error('Data too long'), { code: 'ER_DATA_TOO_LONG', errno: 1406, sqlState: '22001' })))).toBe(false);
    expect(isConnectionLost(new Error('something else'))).toBe(false);
    expect(isConnectionLost(undefined)).toBe(false);
  });
});
