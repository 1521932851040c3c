// Messages per minute and connections over the last 15 minutes. uPlot draws on a canvas
// and updates in place: one setData a second stays smooth.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { DashboardSnapshot } from '../../../common/ipc.ts';

export function ActivityChart({ series }: { series: DashboardSnapshot['series'] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // Neutral, translucent greys read well on both the light and the dark theme.
    const axis = { stroke: 'rgba(140,130,150,0.95)', grid: { stroke: 'rgba(140,130,150,0.2)', width: 1 }, ticks: { stroke: 'rgba(140,130,150,0.3)' } };
    const clock = (_u: uPlot, splits: number[]) => splits.map((v) => new Date(v * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
    plot.current = new uPlot(
      {
        width: el.clientWidth,
        height: 220,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true, range: (_u, _min, max) => [max - 15 * 60, max] }, msgs: { auto: true, range: (_u, _min, max) => [0, Math.max(5, max * 1.15)] }, people: { auto: true, range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.2))] } },
        axes: [
          { ...axis, values: clock },
          { ...axis, scale: 'msgs', label: 'messages / min', labelSize: 18, size: 48 },
          { ...axis, scale: 'people', side: 1, label: 'connections', labelSize: 18, size: 48, grid: { show: false } },
        ],
        series: [
          {},
          { label: 'Messages / min', scale: 'msgs', stroke: '#ff8a3d', width: 2, fill: 'rgba(255,138,61,0.12)' },
          { label: 'Connections', scale: 'people', stroke: '#4cc38a', width: 2 },
        ],
      },
      [[], [], []],
      el,
    );
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
    };
  }, []);

  useEffect(() => {
    plot.current?.setData([series.map((p) => p.t), series.map((p) => p.messagesPerMinute), series.map((p) => p.connections)]);
  }, [series]);

  return <div ref={box} className="chart" role="img" aria-label={`Chart: messages per minute and connections, last 15 minutes (${series.length} points)`} />;
}
