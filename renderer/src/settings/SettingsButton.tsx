// The gear that opens Settings, wherever a screen puts it (the lobby's header, the room's).
import { useState } from 'react';
import type { Settings, SettingsChange } from '../../../common/ipc.ts';
import { GearIcon } from './icons.tsx';
import { SettingsDialog } from './SettingsDialog.tsx';

export function SettingsButton({ settings, onChange }: { settings: Settings; onChange(change: SettingsChange): Promise<string | undefined> }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="ghost icon-button settings-button" aria-label="Settings" title="Settings" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        <GearIcon />
      </button>
      {open && <SettingsDialog settings={settings} onChange={onChange} onClose={() => setOpen(false)} />}
    </>
  );
}
