import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ATTACK, ctxFor, sampleSpec, squash } from '../test-support.ts';
import { apiReferenceFromSpec } from './api-reference.ts';

describe('API reference', () => {
  const body = squash(apiReferenceFromSpec(ctxFor(), sampleSpec).body.__html);

  it('renders every path and method with summary, parameters, body and responses', () => {
    assert.match(body, /<span class="ab-method">GET<\/span> ?<code>\/api\/v1\/departments\/\{id\}<\/code>/);
    assert.match(body, /<span class="ab-method">PATCH<\/span>/);
    assert.match(body, /One department/);
    assert.match(body, /<code>id<\/code>/);
    assert.match(body, /<code>string \(uuid\)<\/code>/);
    assert.match(body, /<code>name<\/code> \(pflicht\)/, 'properties from the $ref');
    assert.match(body, /≤ 200/);
    assert.match(body, /<code>404<\/code> – Not found/);
    assert.match(body, /href="\/api\/openapi.json"/);
    assert.match(body, /<code>Authorization: Bearer &lt;token&gt;<\/code>/);
  });

  it('links each operation from the contents', () => {
    assert.match(body, /href="#op-get-api-v1-departments-id"/);
    assert.match(body, /id="op-get-api-v1-departments-id"/);
  });

  it('copes with an empty or odd document', () => {
    assert.match(squash(apiReferenceFromSpec(ctxFor(), undefined).body.__html), /keine Schnittstellen/);
    const odd = squash(
      apiReferenceFromSpec(ctxFor(), {
        paths: { '/x': { get: { responses: 5, parameters: 'no' } }, '/y': 7 },
      }).body.__html,
    );
    assert.match(odd, /<code>\/x<\/code>/);
    const cyclic = {
      components: {
        schemas: { A: { type: 'object', properties: { a: { $ref: '#/components/schemas/A' } } } },
      },
      paths: {
        '/c': {
          post: {
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } },
          },
        },
      },
    };
    assert.match(squash(apiReferenceFromSpec(ctxFor(), cyclic).body.__html), /<code>A<\/code>/);
  });

  it('escapes everything from the document', () => {
    const evil = { info: { title: ATTACK }, paths: { [`/${ATTACK}`]: { get: { summary: ATTACK } } } };
    assert.doesNotMatch(squash(apiReferenceFromSpec(ctxFor(), evil).body.__html), /<script>/);
  });
});
