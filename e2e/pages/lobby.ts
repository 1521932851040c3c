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

  async hostRoom(room: string, password?: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Room name' }).fill(room);
    if (password) {
      await this.page.getByRole('checkbox', { name: 'Needs a password' }).check();
      await this.page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
    }
    await this.page.getByRole('button', { name: 'Host a room' }).click();
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
}
