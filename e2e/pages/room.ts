// A room, as a person uses it. Shared by the web and electron projects.
import { expect, type Locator, type Page } from '@playwright/test';

export class RoomPage {
  readonly page: Page;
  readonly message: Locator;
  readonly send: Locator;
  readonly messages: Locator;
  readonly members: Locator;
  readonly connection: Locator;

  constructor(page: Page) {
    this.page = page;
    this.message = page.getByRole('textbox', { name: 'Message' });
    this.send = page.getByRole('button', { name: 'Send' });
    this.messages = page.getByRole('log', { name: 'Messages' });
    this.members = page.getByRole('list', { name: 'Members' });
    this.connection = page.getByRole('status', { name: 'Connection' });
  }

  async waitConnected(): Promise<void> {
    await expect(this.connection).toHaveText('Connected');
  }

  async say(text: string): Promise<void> {
    await this.message.fill(text);
    await this.message.press('Enter');
  }

  async expectMessage(text: string): Promise<void> {
    await expect(this.messages.getByText(text, { exact: true }).first()).toBeVisible();
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
