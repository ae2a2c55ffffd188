// What every screen gets: the app's status, the cloud's clock, and the ways to
// move to another screen. Screens never call each other directly.
import { backend, type Channel, type Contact, type Home, type LoginOutcome, type Startup, type Status, type Terminal } from '../backend';
import type { CloudClock } from '../clock';
import { codeEntry, type CodeEntryOptions } from '../code-entry';
import { h } from '../dom';
import type { MessageKey } from '../i18n';

/** Where a code can go, when the account has a choice, and the last choice. */
export interface CodeChoice {
  contacts: Contact[];
  channel: Channel | null;
}

export interface Nav {
  /** The app's status: a blank one until start-up has answered. */
  status: Status;
  /** Start-up's answer, for a screen shown before it came. */
  started: Promise<Startup>;
  clock: CloudClock;
  /** The login form, with a notice above it (why the person is here). */
  login(notice?: MessageKey): void;
  signUp(): void;
  forgot(account?: string): void;
  verify(contact: Contact | null, choice?: CodeChoice): void;
  terminals(limits: number, terminals: Terminal[], choice?: CodeChoice): void;
  home(home: Home): void;
  /** Account security, for the account on `home`. */
  settings(home: Home): void;
  /** Go where a login attempt leads: home, the code, or the terminal list. */
  afterLogin(outcome: LoginOutcome): void;
  /** Stop timers of the screen being left. */
  onLeave(dispose: () => void): void;
}

export function card(title: string, ...children: (Node | string | null)[]): HTMLElement {
  return h('section', { class: 'card' }, h('h1', {}, title), ...children);
}

/** A card with room for lists (home, settings). */
export function wideCard(title: string, ...children: (Node | string | null)[]): HTMLElement {
  const c = card(title, ...children);
  c.classList.add('wide');
  return c;
}

/** A link-styled button that moves to another screen; `back` draws an
 * arrow that points back in the language's direction. */
export function navLink(testid: string, label: string, go: () => void, back?: 'back'): HTMLButtonElement {
  return h('button', { type: 'button', class: back ? 'link back' : 'link', testid, onclick: go }, label);
}

/** A code entry on a screen: the cloud's clock, its resyncing and the QA inbox
 * hint come from `nav`; the screen says the rest. */
export function screenCodeEntry(
  nav: Nav,
  o: Omit<CodeEntryOptions, 'clock' | 'qaInboxUrl' | 'syncClock'>,
): ReturnType<typeof codeEntry> {
  return codeEntry({
    ...o,
    clock: nav.clock,
    qaInboxUrl: nav.status.qaInboxUrl,
    syncClock: async () => nav.clock.sync(await backend.syncClock()),
  });
}
