import { WORKFLOW } from '../requests/workflow/request-workflow';
import { NextStepKind } from './next-step.type';

describe('next step kinds', () => {
  it('name every action people take the same way, so a step can be sent as `action`', () => {
    const byPeople = WORKFLOW.filter((t) => t.by.some((by) => by !== 'SYSTEM'));
    for (const { action } of byPeople) {
      expect(NextStepKind[action as keyof typeof NextStepKind]).toBe(action);
    }
  });
});
