/* The state the pages share: the session (CSRF token, who is signed in), the
 * page shown, the event stream and the live greeting feed. */

export const S = {
  csrf: null, me: null, page: null, events: null, feed: [], greetTimer: null, unread: 0, lastScan: null,
  logTimer: null,
};
