// One quiet line above the conversation while the room travels unencrypted (ws://): the
// truth, not an alarm (role="status", never "alert"). It can be hidden for the rest of the
// tab's session: on a phone two lines of warning on every visit would crowd the messages,
// and whoever read it once knows. A new room (another URL) says it again.
import { useState } from 'react';
import { hidePlainNotice, NOT_ENCRYPTED_WORDS, noticeStorage, plainNoticeHidden } from './encryption.ts';

export function PlainConnectionNotice({ wsUrl }: { wsUrl: string }) {
  const [hidden, setHidden] = useState(() => plainNoticeHidden(noticeStorage(), wsUrl));
  if (hidden) return null;
  return (
    <div className="plain-notice" role="status" aria-label="Encryption">
      <OpenLockIcon />
      <span className="plain-notice-text">{NOT_ENCRYPTED_WORDS}</span>
      <button
        type="button"
        className="ghost plain-notice-hide"
        aria-label="Hide the encryption notice"
        title="Hide for this session"
        onClick={() => {
          hidePlainNotice(noticeStorage(), wsUrl);
          setHidden(true);
        }}
      >
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

function OpenLockIcon() {
  return (
    <svg className="plain-notice-icon" width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round">
      <rect x="4.5" y="10.5" width="15" height="10" rx="2.5" />
      <path d="M8 10.5V7.5a4 4 0 0 1 7.7-1.5" />
    </svg>
  );
}
