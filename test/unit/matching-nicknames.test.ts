import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NICKNAME_GROUPS, SPELLING_GROUPS } from '../../src/features/person-index/matching/nickname-groups.ts';
import { createNicknameTable, parseNicknameGroups } from '../../src/features/person-index/matching/nicknames.ts';

describe('nicknames and short forms', () => {
  const table = createNicknameTable();

  it('knows the common English-language pairs, both ways round', () => {
    for (const [short, formal] of [
      ['bill', 'william'], ['kate', 'catherine'], ['kate', 'kathryn'], ['jack', 'john'], ['peggy', 'margaret'], ['bob', 'robert'],
      ['liz', 'elizabeth'], ['sasha', 'alexander'], ['ted', 'edward'], ['sally', 'sarah'], ['dick', 'richard'], ['jim', 'james'],
    ]) {
      assert.ok(table.areNicknames(short ?? '', formal ?? ''), `${short} / ${formal}`);
      assert.ok(table.areNicknames(formal ?? '', short ?? ''), `${formal} / ${short}`);
    }
  });

  it('treats spellings of one formal name as the same name (Catherine, Kathryn)', () => {
    assert.ok(table.areNicknames('catherine', 'kathryn'));
    assert.ok(table.areNicknames('mohammed', 'muhammad'));
  });

  it('does not join different names that share a short form', () => {
    assert.ok(table.areNicknames('chris', 'christopher') && table.areNicknames('chris', 'christine'));
    assert.ok(!table.areNicknames('christopher', 'christine'));
    assert.ok(!table.areNicknames('john', 'james'));
    assert.ok(!table.areNicknames('john', 'john'), 'the same name is an exact match, not a nickname');
  });

  it('names the formal names a short form stands for', () => {
    assert.deepEqual(table.formalNamesOf('bill'), ['william']);
    assert.ok(table.formalNamesOf('jack').includes('john'));
    assert.deepEqual(table.formalNamesOf('zebedee'), ['zebedee']);
  });

  it('holds several hundred pairs', () => {
    const pairs = [...parseNicknameGroups(NICKNAME_GROUPS), ...parseNicknameGroups(SPELLING_GROUPS)].reduce((sum, group) => sum + group.length - 1, 0);
    assert.ok(pairs >= 500, `${pairs} pairs`);
  });

  it('grows with an organisation’s own groups, folded like every name', () => {
    const grown = createNicknameTable([['Bongani', 'Bongi'], ['Siobhán', 'Shiv']]);
    assert.ok(grown.areNicknames('bongi', 'bongani'));
    assert.ok(grown.areNicknames('shiv', 'siobhan'));
    assert.ok(!table.areNicknames('bongi', 'bongani'));
  });
});
