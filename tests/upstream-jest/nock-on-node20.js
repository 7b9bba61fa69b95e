// The upstream suites pin nock 10.0.0, which never marks the responses it fakes as complete.
// Node 20 takes the end of such a response for an abort and waits on its socket, nock's plain
// event emitter, which throws ERR_INVALID_ARG_TYPE and kills the jest worker (the original
// rules fail the same way). A response that has ended on a fake socket was complete.
'use strict';

const http = require('http');
const { Stream } = require('stream');

const patched = Symbol.for('rules2actions.nock-on-node20');
if (!http.IncomingMessage.prototype[patched]) {
  const destroy = http.IncomingMessage.prototype._destroy;
  http.IncomingMessage.prototype._destroy = function (error, callback) {
    if (this.readableEnded && this.socket && !(this.socket instanceof Stream)) this.complete = true;
    return destroy.call(this, error, callback);
  };
  http.IncomingMessage.prototype[patched] = true;
}
