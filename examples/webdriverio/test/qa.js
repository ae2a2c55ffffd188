// The cloud's QA surface (README, "The QA surface"): codes from the outbox,
// the clock, ready accounts and scenarios.
const base = (process.env.HIK_QA_CLOUD_URL ?? '').replace(/\/$/, '');

async function call(method, path, body) {
  const reply = await fetch(base + path, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!reply.ok) throw new Error(`${method} ${path}: HTTP ${reply.status}`);
  return reply.json();
}

/** The newest code sent to `to` for `bizType`, once it is delivered. */
export async function code(to, bizType) {
  const query = new URLSearchParams({ to, bizType, limit: '1' });
  let messages = [];
  await browser.waitUntil(
    async () => {
      ({ messages } = await call('GET', `/qa/outbox?${query}`));
      return messages[0]?.status === 'delivered';
    },
    { timeoutMsg: `no ${bizType} code delivered to ${to}` },
  );
  return messages[0].code;
}

/** A ready account, with no code and no terminal. */
export const createAccount = (account, password, { areaId = 44, twoStep = true } = {}) =>
  call('POST', '/qa/accounts', { account, password, areaId, twoStep });

/** One of the guide's cases in one step, for `account` or a fresh one. */
export const scenario = (name, account) =>
  call('POST', `/qa/scenarios/${name}`, account === undefined ? {} : { account });

/** Move the cloud's clock: expiry, cooldowns and locks follow. */
export const advanceClock = async (seconds) =>
  (await call('POST', '/qa/clock', { advanceSeconds: seconds })).now;
