// electronegativity fetches its translations (and Electron's release list) with got when it
// starts. Hearth runs it offline, in an empty network namespace, where got 11's retry path
// throws an uncaught error under Node 24 ("The `onCancel` handler was attached after the
// promise settled") and kills the scan. This stand-in fails at once, as the network would;
// the scanner then goes on with the English messages it ships with. scan.cjs hands it to
// the scanner in place of got.
'use strict';

function offlineGot(url) {
  return Promise.reject(new Error(`offline: not fetching ${url}`));
}
offlineGot.head = offlineGot;

module.exports = offlineGot;
