import { ServiceCategory } from '../entities/service-definition';
import { SlaEffect, Transition, WORKFLOW } from './request-workflow';

/** The columns of the workflow table in docs/workflow.md. */
export const WORKFLOW_TABLE_HEADER = [
  'Action',
  'From',
  'To',
  'Categories',
  'Who',
  'Note',
  'SLA clock',
  'Notes',
] as const;

const SLA_TEXT: Record<SlaEffect, string> = {
  PAUSE: 'pauses',
  RESUME: 'runs again; due moves later by the paused time',
  STOP: 'stops; `completedAt` set',
  RESTART: 'restarts with a full SLA from now',
};

const code = (text: string) => `\`${text}\``;

function categoriesCell(categories: readonly ServiceCategory[]): string {
  const all = Object.values(ServiceCategory);
  if (all.length === categories.length && all.every((c) => categories.includes(c))) return 'all';
  return categories.join(', ');
}

function noteCell(t: Transition): string {
  return `${t.noteRequired ? 'required' : 'optional'}, ${t.noteToResident ? 'told to the resident' : 'internal'}`;
}

function notesCell(t: Transition): string {
  return [
    t.summary,
    t.doorstepOnly ? 'Only for services delivered to the door.' : null,
    t.withinReopenPeriod ? 'Only within the reopen period after the outcome.' : null,
  ]
    .filter((part): part is string => part !== null)
    .join(' ');
}

/** The cells of one row of the table, as markdown text. */
export function workflowTableRow(t: Transition): string[] {
  return [
    code(t.action),
    t.from.map(code).join(', '),
    code(t.to),
    categoriesCell(t.categories),
    t.by.join(', '),
    noteCell(t),
    t.sla ? SLA_TEXT[t.sla] : '—',
    notesCell(t),
  ].map((cell) => cell.replace(/\|/g, '\\|'));
}

/**
 * The workflow table of docs/workflow.md, one markdown line per element, rendered from
 * WORKFLOW and laid out as Prettier lays out markdown tables (columns padded to the widest
 * cell), so the page can be formatted by Prettier and still equal this output exactly.
 */
export function renderWorkflowTable(workflow: readonly Transition[] = WORKFLOW): string[] {
  const header = [...WORKFLOW_TABLE_HEADER];
  const rows = workflow.map(workflowTableRow);
  const widths = header.map((h, i) =>
    Math.max(3, [...h].length, ...rows.map((row) => [...row[i]].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell + ' '.repeat(widths[i] - [...cell].length)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
