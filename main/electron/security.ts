// App-wide guards: no navigation away from the app, no new windows, no permissions but
// the two the renderer uses (notifications, clipboard write). The decisions themselves are
// in main/services/trust.ts (unit-tested).
import { app, shell, type WebContents } from 'electron';
import { isAllowedPermission, isExternalWebLink } from '../services/trust.ts';

export function installSecurityGuards(): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalWebLink(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK: http(s) only (docs/security.md)
      return { action: 'deny' };
    });
    contents.session.setPermissionRequestHandler((_wc, permission, callback) => callback(isAllowedPermission(permission)));
    contents.session.setPermissionCheckHandler((_wc, permission) => isAllowedPermission(permission));
  });
}
