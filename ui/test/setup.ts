// Every test starts in English, as the app does without a choice: its
// catalogue is loaded like the page loads it.
import { beforeEach } from 'vitest';
import { setLanguage } from '../src/i18n';

beforeEach(() => setLanguage('en'));
