// Renderer entry. The chat UI arrives with the desktop-app issue; this page already runs
// under the same CSP, in Electron and in a plain browser.
const shell = (window as { hearth?: { shell: string } }).hearth?.shell ?? 'web';
document.documentElement.dataset['shell'] = shell;
