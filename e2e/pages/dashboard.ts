// The host's dashboard window, as the host uses it: by roles and names, never CSS classes.
// Desktop only (a browser has no dashboard).
import { readFile } from 'node:fs/promises';
import { expect, type Locator, type Page } from '@playwright/test';
import { readHostIdentity } from './room.ts';

export class DashboardPage {
  readonly page: Page;
  /** The tiles: "People now", "Messages", traffic, bad frames, reconnects. */
  readonly figures: Locator;
  readonly people: Locator;
  /** The panel around the people table (its title counts them). */
  readonly peoplePanel: Locator;
  /** The panel around the chart ("Last 15 minutes"). */
  readonly chartPanel: Locator;
  /** The chart itself: its name says how many points it draws. */
  readonly chart: Locator;
  readonly log: Locator;
  readonly bans: Locator;
  readonly lockedBadge: Locator;

  constructor(page: Page) {
    this.page = page;
    this.figures = page.getByRole('list', { name: 'Room figures' });
    this.people = page.getByRole('table', { name: 'People' });
    this.peoplePanel = page.getByRole('region', { name: /^People\b/ });
    this.chartPanel = page.getByRole('region', { name: 'Last 15 minutes' });
    this.chart = this.chartPanel.getByRole('img', { name: /^Chart: / });
    this.log = page.getByRole('list', { name: 'Activity log' });
    this.bans = page.getByRole('list', { name: 'Bans' });
    this.lockedBadge = page.getByText('🔒 Locked');
  }

  /** The host's identity in the header: the short form, the full fingerprint behind it. */
  hostIdentity(): Promise<{ short: string; sha256: string }> {
    return readHostIdentity(this.page.getByRole('banner'));
  }

  /** The room's name, as the dashboard's heading shows it. */
  title(room: string | RegExp): Locator {
    return this.page.getByRole('heading', { level: 1, name: room });
  }

  /** A tile showing this figure, e.g. figure('People now', 4). */
  figure(label: string, value: string | number): Locator {
    return this.figures.getByRole('listitem', { name: `${label}: ${value}` });
  }

  /** A person's "Connection" cell: "Encrypted" or "Not encrypted". */
  connectionOf(name: string): Locator {
    const row = this.people.getByRole('row').filter({ has: this.page.getByRole('cell', { name, exact: true }) });
    return row.getByRole('cell', { name: /^(Encrypted|Not encrypted)$/ });
  }

  /** Beside the people count: "2 not encrypted" (absent when everyone is encrypted). */
  notEncryptedCount(): Locator {
    return this.peoplePanel.getByText(/^\d+ not encrypted$/);
  }

  /** A person's row action ("Kick Ann", "Ban Ann"). */
  personAction(action: 'Kick' | 'Ban', name: string): Locator {
    return this.people.getByRole('button', { name: `${action} ${name}` });
  }

  async kick(name: string, reason: string): Promise<void> {
    await this.personAction('Kick', name).click();
    await this.page.getByRole('textbox', { name: `Reason to kick ${name}` }).fill(reason);
    await this.page.getByRole('button', { name: 'Kick', exact: true }).click();
  }

  async ban(name: string, reason: string): Promise<void> {
    await this.personAction('Ban', name).click();
    await this.page.getByRole('textbox', { name: `Reason to ban ${name}` }).fill(reason);
    await this.page.getByRole('button', { name: 'Ban', exact: true }).click();
  }

  async unban(who: string): Promise<void> {
    await this.page.getByRole('button', { name: `Unban ${who}` }).click();
  }

  async setTopic(topic: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Room topic' }).fill(topic);
    await this.page.getByRole('button', { name: 'Set topic' }).click();
  }

  async lock(password: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'New room password' }).fill(password);
    await this.page.getByRole('button', { name: 'Lock', exact: true }).click();
  }

  /** Clear history, confirmed. */
  async clearHistory(): Promise<void> {
    await this.page.getByRole('button', { name: 'Clear history…' }).click();
    await this.page.getByRole('button', { name: 'Yes, clear it' }).click();
  }

  /** Export the history: the file's suggested name and its text. */
  async exportHistory(format: 'JSON' | 'Markdown'): Promise<{ name: string; content: string }> {
    const [file] = await Promise.all([this.page.waitForEvent('download'), this.page.getByRole('button', { name: `Export ${format}` }).click()]);
    return { name: file.suggestedFilename(), content: await readFile((await file.path())!, 'utf8') };
  }

  /** Narrow the activity log to one kind ("People", "Moderation", …; "All" again). */
  async showActivity(kind: 'All' | 'People' | 'Moderation' | 'Problems' | 'Host'): Promise<void> {
    await this.page.getByRole('group', { name: 'Show' }).getByRole('button', { name: kind, exact: true }).click();
  }

  async searchActivity(text: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Search activity' }).fill(text);
  }

  /** Stop hosting asks first: the confirmation, to cancel or confirm. */
  async askToStopHosting(): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Stop hosting' }).click();
    const confirm = this.page.getByRole('dialog', { name: /^Stop hosting/ });
    await expect(confirm).toBeVisible();
    return confirm;
  }

  /** What the window shows when this machine hosts nothing. */
  notHosting(): Locator {
    return this.page.getByRole('heading', { name: 'Not hosting' });
  }
}
