// The ALB controller's path patterns and path order, and ELB's rule evaluation (host and path wildcards, first
// match by priority).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile, hostOf, matchRule, pathOf, pathPatterns, type Rule, RuleError, sortPaths } from './rules.js';

const rule = (priority: number, hosts: string[], paths: string[], targetGroup = `tg${priority}`): Rule => ({
  priority,
  hosts,
  paths,
  action: { type: 'forward', targetGroup },
  ingress: 'default/i',
});

describe('ALB path patterns from Ingress paths', () => {
  const cases: [string, string | undefined, string[]][] = [
    ['/', 'Prefix', ['/*']],
    ['/api', 'Prefix', ['/api', '/api/*']],
    ['/api/', 'Prefix', ['/api', '/api/*']],
    ['/exact', 'Exact', ['/exact']],
    ['/img/*.png', 'ImplementationSpecific', ['/img/*.png']],
    ['/legacy*', undefined, ['/legacy*']],
  ];
  for (const [path, type, patterns] of cases) {
    it(`${type ?? '(no pathType)'} ${path} → ${patterns.join(' ')}`, () => {
      assert.deepEqual(pathPatterns(path, type), patterns);
    });
  }
  it('refuses wildcards in Exact and Prefix paths with the controller’s text', () => {
    assert.throws(() => pathPatterns('/a*', 'Exact'), new RuleError("exact path shouldn't contain wildcards: /a*"));
    assert.throws(() => pathPatterns('/a?', 'Prefix'), new RuleError("prefix path shouldn't contain wildcards: /a?"));
  });
});

describe('the controller’s path order within a rule', () => {
  it('Exact first, then Prefix longest first (stable), then the rest as written', () => {
    const paths = [
      { path: '/impl*', pathType: 'ImplementationSpecific' },
      { path: '/a', pathType: 'Prefix' },
      { path: '/abc', pathType: 'Prefix' },
      { path: '/b', pathType: 'Prefix' },
      { path: '/x', pathType: 'Exact' },
      { path: '/none' },
    ];
    assert.deepEqual(
      sortPaths(paths).map((p) => p.path),
      ['/x', '/abc', '/a', '/b', '/impl*', '/none'],
    );
  });
  it('refuses an unknown pathType', () => {
    assert.throws(() => sortPaths([{ path: '/', pathType: 'Regex' }]), /unknown pathType for path \//);
  });
});

describe('rule evaluation', () => {
  const rules = [
    rule(1, ['api.example.com'], ['/v1', '/v1/*']),
    rule(2, ['*.example.com'], []),
    rule(3, [], ['/static/*.css']),
    rule(4, [], ['/a?c']),
    rule(5, [], ['/*']),
  ].map(compile);
  const at = (host: string, path: string) => matchRule(rules, host, path)?.priority;

  it('takes the first matching rule by priority', () => {
    assert.equal(at('api.example.com', '/v1/users'), 1);
    assert.equal(at('api.example.com', '/v2'), 2);
    assert.equal(at('www.example.com', '/v1'), 2);
    assert.equal(at('other', '/static/site.css'), 3);
    assert.equal(at('other', '/abc'), 4);
    assert.equal(at('other', '/abbc'), 5);
  });
  it('matches hosts case-insensitively, paths case-sensitively', () => {
    assert.equal(at('API.Example.COM', '/v1'), 1);
    assert.equal(matchRule([compile(rule(1, [], ['/Static']))], 'h', '/static'), undefined);
  });
  it('a Prefix /foo matches /foo and /foo/… but not /foobar', () => {
    const prefix = [compile(rule(1, [], pathPatterns('/foo', 'Prefix')))];
    assert.ok(matchRule(prefix, 'h', '/foo'));
    assert.ok(matchRule(prefix, 'h', '/foo/'));
    assert.ok(matchRule(prefix, 'h', '/foo/bar/baz'));
    assert.equal(matchRule(prefix, 'h', '/foobar'), undefined);
  });
  it('an Exact path matches only itself', () => {
    const exact = [compile(rule(1, [], pathPatterns('/foo', 'Exact')))];
    assert.ok(matchRule(exact, 'h', '/foo'));
    assert.equal(matchRule(exact, 'h', '/foo/'), undefined);
  });
  it('reads the host without its port and the path without its query', () => {
    assert.equal(hostOf('example.com:8080'), 'example.com');
    assert.equal(hostOf('[::1]:80'), '[::1]');
    assert.equal(pathOf('/a/b?c=d'), '/a/b');
    assert.equal(pathOf(undefined), '/');
  });
});
