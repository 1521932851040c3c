import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ActivityEntry, DashboardBan, DashboardPerson, RoomDashboard } from './dashboard.ts';
import { ACTIVITY_KEEP } from './dashboard.ts';
import type * as ipc from './ipc.ts';

describe('the dashboard contract', () => {
  it('is the one the desktop contract re-exports, and its snapshot extends it', () => {
    expectTypeOf<ipc.ActivityEntry>().toEqualTypeOf<ActivityEntry>();
    expectTypeOf<ipc.DashboardBan>().toEqualTypeOf<DashboardBan>();
    expectTypeOf<ipc.DashboardPerson>().toEqualTypeOf<DashboardPerson>();
    expectTypeOf<ipc.DashboardSnapshot>().toExtend<RoomDashboard>();
    expect(ACTIVITY_KEEP).toBeGreaterThan(0);
  });
});
