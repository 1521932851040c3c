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
