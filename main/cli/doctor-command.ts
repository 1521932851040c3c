// `hearth doctor`: why people may not see or reach a room hosted on this machine, in plain
// words, one finding per line with what to do under it. Exit 1 when something keeps people
// out, 0 otherwise: scripts can ask the question too.
import { parseArgs, styleText } from 'node:util';
import type { NetworkCheckReport, NetworkFinding } from '../../common/ipc.ts';
import { checkNetwork } from '../network-check/network-check.ts';
import { DEFAULT_PORT } from '../host/server.ts';
import { sanitizeForTerminal } from './terminal-format.ts';

type Format = Parameters<typeof styleText>[0];

const MARK: Record<NetworkFinding['level'], { word: string; format: Format }> = {
  ok: { word: 'ok', format: 'green' },
  note: { word: 'note', format: 'dim' },
  warning: { word: 'warning', format: 'yellow' },
  blocking: { word: 'blocks', format: ['red', 'bold'] },
};

export async function runDoctor(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { port: { type: 'string', default: String(DEFAULT_PORT) }, 'no-mdns': { type: 'boolean', default: false } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`hearth doctor: ${(error as Error).message}\n`);
    return 2;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    process.stderr.write('hearth doctor: --port is a number from 1 to 65535\n');
    return 2;
  }
  const report = await checkNetwork({ port, discovery: !values['no-mdns'] && process.env['HEARTH_NO_MDNS'] !== '1' });
  process.stdout.write(formatReport(report, process.stdout));
  return report.blocking ? 1 : 0;
}

/**
 * The report grouped by what it concerns, in the order found; colour only on a terminal that wants it.
 * Findings quote the system (interface names, error messages, firewall rule names): no control sequence gets through.
 */
function formatReport(report: NetworkCheckReport, stream: NodeJS.WriteStream): string {
  const style = (format: Format, text: string) => styleText(format, text, { stream });
  const groups = new Map<string, NetworkFinding[]>();
  for (const finding of report.findings) groups.set(finding.about, [...(groups.get(finding.about) ?? []), finding]);
  const lines = [`Network check for port ${report.port}`, ''];
  for (const [about, findings] of groups) {
    lines.push(style('bold', sanitizeForTerminal(about)));
    for (const finding of findings) {
      const mark = MARK[finding.level];
      lines.push(`  ${style(mark.format, `[${mark.word}]`)} ${sanitizeForTerminal(finding.text)}`);
      if (finding.advice) lines.push(`      → ${sanitizeForTerminal(finding.advice)}`);
    }
    lines.push('');
  }
  lines.push(
    report.blocking
      ? style(['red', 'bold'], 'Something keeps people out: see the [blocks] lines above.')
      : 'Nothing found that keeps people out.',
  );
  return `${lines.join('\n')}\n`;
}
