// A room, as a person uses it. Shared by the web and electron projects.
import { expect, type Locator, type Page } from '@playwright/test';

export class RoomPage {
  readonly page: Page;
  readonly message: Locator;
  readonly send: Locator;
  readonly messages: Locator;
  readonly members: Locator;
  readonly connection: Locator;
  /** "Not encrypted: …": the quiet line above the conversation while the room travels over ws://. */
  readonly plainNotice: Locator;
  /** The room's topic in its header (set from the dashboard or /topic). */
  readonly topic: Locator;
  /** The host's own window only: where others join, the QR code, Open dashboard, Stop hosting. */
  readonly hostingPanel: Locator;
  /** Opens the file picker; shown only in rooms that take files. */
  readonly attach: Locator;
  /** The files waiting above the composer, each with its state. */
  readonly tray: Locator;

  constructor(page: Page) {
    this.page = page;
    this.message = page.getByRole('textbox', { name: 'Message' });
    this.send = page.getByRole('button', { name: 'Send' });
    this.messages = page.getByRole('log', { name: 'Messages' });
    this.members = page.getByRole('list', { name: 'Members' });
    this.connection = page.getByRole('status', { name: 'Connection' });
    this.plainNotice = page.getByRole('status', { name: 'Encryption' });
    this.topic = page.getByRole('banner').getByTitle(/^Topic: /);
    this.hostingPanel = page.getByRole('region', { name: 'You are hosting' });
    this.attach = page.getByRole('button', { name: 'Attach file' });
    this.tray = page.getByRole('list', { name: 'Files to send' });
  }

  /** Chooses files with the Attach button, as a person does through the system's picker. */
  async attachFiles(files: string[] | Array<{ name: string; mimeType: string; buffer: Buffer }>): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.attach.click();
    await (await chooser).setFiles(files);
  }

  /** Pastes a file into the message box, as Ctrl+V does with a screenshot on the clipboard. */
  async pasteFile(name: string, type: string, bytes: Buffer): Promise<void> {
    await this.message.focus();
    await this.message.evaluate(
      (box, file) => {
        const w = globalThis as unknown as PasteGlobals;
        const data = new w.DataTransfer();
        data.items.add(new w.File([w.Uint8Array.from(w.atob(file.base64), (c) => c.charCodeAt(0))], file.name, { type: file.type }));
        box.dispatchEvent(new w.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      },
      { name, type, base64: bytes.toString('base64') },
    );
  }

  /** A file's progress bar while it is sent (role progressbar, named for the file). */
  sending(name: string): Locator {
    return this.tray.getByRole('progressbar', { name: `Sending ${name}` });
  }

  /** An image shown inline in the conversation, found by its alt text (the file's name). */
  image(name: string): Locator {
    return this.messages.getByAltText(name, { exact: true });
  }

  /** A file card's download link ("Download report.pdf"). */
  downloadLink(name: string): Locator {
    return this.messages.getByRole('link', { name: `Download ${name}`, exact: true });
  }

  async waitConnected(): Promise<void> {
    await expect(this.connection).toHaveText('Connected');
  }

  /** Hides the encryption notice for the rest of this tab's session. */
  async hidePlainNotice(): Promise<void> {
    await this.plainNotice.getByRole('button', { name: 'Hide the encryption notice' }).click();
  }

  async say(text: string): Promise<void> {
    await this.message.fill(text);
    await this.message.press('Enter');
  }

  async expectMessage(text: string): Promise<void> {
    await expect(this.messages.getByText(text, { exact: true }).first()).toBeVisible();
  }

  /** The link the hosting panel shows, e.g. http://192.168.1.7:47800/ (it has no role of its own: its class finds it, here only). */
  async joinLink(): Promise<string> {
    return (await this.hostingPanel.locator('.join-link').innerText()).trim();
  }

  /**
   * The host's identity in the hosting panel: the short form in sight, the full SHA-256
   * fingerprint on hover and behind the disclosure (opened here, so it must be reachable).
   */
  async hostIdentity(): Promise<{ short: string; sha256: string }> {
    return readHostIdentity(this.hostingPanel);
  }

  /** The host's window only: opens the dashboard in a window of its own. */
  async openDashboard(): Promise<void> {
    await this.hostingPanel.getByRole('button', { name: 'Open dashboard' }).click();
  }

  /** Names in the members list, without the "(you)" mark. */
  async memberNames(): Promise<string[]> {
    const names = await this.members.locator('.member-name').allInnerTexts();
    return names.map((t) => t.replace('(you)', '').trim()).sort();
  }

  /** Every message text currently rendered (the list is virtualised: on screen only). */
  async renderedTexts(): Promise<string[]> {
    return this.messages.locator('.msg .text').allInnerTexts();
  }
}

/** The identity disclosure (renderer/src/ui/HostIdentity.tsx) inside `scope`: both forms, read as a person would. */
export async function readHostIdentity(scope: Locator): Promise<{ short: string; sha256: string }> {
  const summary = scope.getByTitle(/^SHA-256 /);
  await expect(summary).toBeVisible();
  const short = (await summary.innerText()).replace(/^Identity\s+/, '').trim();
  const sha256 = (await summary.getAttribute('title'))!.replace(/^SHA-256 /, '');
  await summary.click();
  // Four lines of eight pairs, as shown once opened.
  const pairs = sha256.split(':');
  for (let i = 0; i < pairs.length; i += 8) await expect(scope.getByText(pairs.slice(i, i + 8).join(':'), { exact: true })).toBeVisible();
  return { short, sha256 };
}

/** What pasting needs from the page: e2e compiles without the DOM library. */
interface PasteGlobals {
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
  ClipboardEvent: new (type: 'paste', init: { clipboardData: unknown; bubbles: boolean; cancelable: boolean }) => unknown;
  Uint8Array: { from(text: string, map: (c: string) => number): unknown };
  atob(base64: string): string;
}
