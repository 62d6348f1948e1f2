import { DomainException, ErrorCode } from '@cg/contracts';
import { toWireError } from './rpc-server';

describe('what a failed request tells its caller', () => {
  it('a domain error as it is', () => {
    expect(toWireError(new DomainException(ErrorCode.CONFLICT, 'taken'))).toMatchObject({ code: ErrorCode.CONFLICT, message: 'taken' });
    expect(toWireError({ code: ErrorCode.NOT_FOUND, message: 'gone' })).toEqual({ code: ErrorCode.NOT_FOUND, message: 'gone' });
  });

  it('a database that cannot be reached as SERVICE_UNAVAILABLE, to be tried again', () => {
    const network = Object.assign(new Error('connection closed'), { name: 'MongoNetworkError' });
    const selection = Object.assign(new Error('no server'), { name: 'MongooseServerSelectionError' });
    const buffered = new Error('Operation `cases.insertOne()` buffering timed out after 10000ms');
    for (const error of [network, selection, buffered]) expect(toWireError(error).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
  });

  it('anything else as INTERNAL, without its details', () => {
    expect(toWireError(new TypeError('x is undefined'))).toEqual({ code: ErrorCode.INTERNAL, message: 'Internal error' });
    expect(toWireError(undefined)).toEqual({ code: ErrorCode.INTERNAL, message: 'Internal error' });
  });
});
