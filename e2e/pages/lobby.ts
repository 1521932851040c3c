// The start screen, as a person uses it. Shared by the web and electron projects.
import { expect, type Locator, type Page } from '@playwright/test';

export class LobbyPage {
  readonly page: Page;
  readonly name: Locator;
  readonly roomsList: Locator;
  readonly address: Locator;

  constructor(page: Page) {
    this.page = page;
    this.name = page.getByRole('textbox', { name: 'Your name' });
    this.roomsList = page.getByRole('list', { name: 'Rooms on your network' });
    this.address = page.getByRole('textbox', { name: 'Room address' });
  }

  async setName(name: string): Promise<void> {
    await this.name.fill(name);
    await this.name.press('Enter');
  }

  async hostRoom(room: string, password?: string, options: { encryptedOnly?: boolean } = {}): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Room name' }).fill(room);
    if (password) {
      await this.page.getByRole('checkbox', { name: 'Needs a password' }).check();
      await this.page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
    }
    if (options.encryptedOnly) await this.encryptedOnly().check();
    await this.page.getByRole('button', { name: 'Host a room' }).click();
  }

  /** The host form's "Encrypted connections only" (browsers on the plain http link are refused). */
  encryptedOnly(): Locator {
    return this.page.getByRole('checkbox', { name: 'Encrypted connections only' });
  }

  async joinByAddress(address: string): Promise<void> {
    await this.address.fill(address);
    await this.page.getByRole('button', { name: 'Join', exact: true }).click();
  }

  /** In a browser served by a host: join that host's room. */
  async joinServedRoom(name?: string): Promise<void> {
    if (name !== undefined) await this.setName(name);
    const join = this.page.getByRole('button', { name: 'Join', exact: true });
    await expect(join).toBeEnabled();
    await join.click();
  }

  async enterPassword(password: string): Promise<void> {
    const dialog = this.page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Room password' }).fill(password);
    await dialog.getByRole('button', { name: 'Join room' }).click();
  }

  error(): Locator {
    return this.page.getByRole('alert');
  }

  /** The warning a join stops at when the host presents another certificate than the one joined before. */
  identityChanged(): Locator {
    return this.page.getByRole('dialog', { name: "This host's identity has changed" });
  }

  /**
   * Both identities the warning shows, read as a person would: each short form in sight, and
   * its full fingerprint (four lines of eight pairs) once its disclosure is opened.
   */
  async changedIdentities(): Promise<{ before: { short: string; full: string[] }; now: { short: string; full: string[] } }> {
    const dialog = this.identityChanged();
    const read = async (label: 'Joined before' | 'Now') => {
      const index = label === 'Now' ? 1 : 0;
      await expect(dialog.getByRole('term').nth(index)).toHaveText(label);
      const row = dialog.getByRole('definition').nth(index);
      const short = (await row.getByRole('code').first().innerText()).trim();
      await row.getByLabel(`Full fingerprint, ${label.toLowerCase()}`).click();
      const lines = row.getByRole('group').getByRole('code');
      await expect(lines.first()).toBeVisible();
      return { short, full: (await lines.allInnerTexts()).map((line) => line.trim()) };
    };
    return { before: await read('Joined before'), now: await read('Now') };
  }

  /** "I checked the host's screen: trust the new identity". */
  async trustNewIdentity(): Promise<void> {
    await this.identityChanged().getByRole('button', { name: "I checked the host's screen: trust the new identity" }).click();
  }
}
