/**
 * Body parsers that honour the charset: HIS software often posts GBK (`charset=GBK`, also
 * GB2312/GB18030) rather than UTF-8. JSON is decoded then parsed with Fastify's own safe parser;
 * XML (SOAP) is decoded to a string. A body without a usable content type is read as JSON when
 * it looks like JSON, so a HIS that forgets the header still gets an answer.
 */
import fp from 'fastify-plugin';
import iconv from 'iconv-lite';
import type { FastifyRequest } from 'fastify';
import { ErrorCode, PreauditError } from '../../outcomes.js';

/** The charset parameter of a content type, lower-cased (undefined when absent). */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m ? m[1].toLowerCase() : undefined;
}

/** Decodes a body by its declared charset; GBK and GB2312 are read as GB18030, their superset. */
export function decodeBody(body: Buffer, charset: string | undefined): string {
  if (!charset || charset === 'utf-8' || charset === 'utf8') {
    const text = body.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  const enc = charset === 'gbk' || charset === 'gb2312' || charset === 'cp936' ? 'gb18030' : charset;
  if (!iconv.encodingExists(enc)) throw new PreauditError(ErrorCode.unsupportedMediaType, `不支持的字符集 charset=${charset}`);
  return iconv.decode(body, enc);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body's charset when it was a GB charset; replies are encoded the same way. */
    gbCharset?: string;
    /** The raw bytes of a UTF-8 JSON body (handed to the storage writer instead of the parsed object). */
    rawJson?: Buffer;
  }
}

const GB = /^(gbk|gb2312|gb18030|cp936)$/;

export default fp(
  async (app) => {
    app.decorateRequest('gbCharset', undefined);
    app.decorateRequest('rawJson', undefined);
    app.addHook('onRequest', async (request) => {
      const cs = charsetOf(request.headers['content-type']);
      if (cs && GB.test(cs)) request.gbCharset = cs;
    });
    // A HIS that writes GBK reads GBK: answer JSON in the charset the request came in.
    app.addHook('onSend', async (request, reply, payload) => {
      if (!request.gbCharset || typeof payload !== 'string') return payload;
      const type = String(reply.getHeader('content-type') ?? '');
      if (!type.startsWith('application/json')) return payload;
      reply.header('content-type', `application/json; charset=${request.gbCharset.toUpperCase()}`);
      return iconv.encode(payload, 'gb18030');
    });
    const parseJson = app.getDefaultJsonParser('error', 'ignore');
    const jsonFromBuffer = (request: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
      let text: string;
      try {
        const charset = charsetOf(request.headers['content-type']);
        text = decodeBody(body, charset);
        if (!charset || charset === 'utf-8' || charset === 'utf8') request.rawJson = body;
      } catch (err) {
        done(err as Error);
        return;
      }
      parseJson(request, text, done);
    };
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser(['application/json', 'text/json'], { parseAs: 'buffer' }, jsonFromBuffer);
    app.addContentTypeParser(
      ['text/xml', 'application/xml', 'application/soap+xml'],
      { parseAs: 'buffer' },
      (request: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
        try {
          done(null, decodeBody(body, charsetOf(request.headers['content-type'])));
        } catch (err) {
          done(err as Error);
        }
      },
    );
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
      let text: string;
      try {
        text = decodeBody(body, charsetOf(request.headers['content-type']));
      } catch (err) {
        done(err as Error);
        return;
      }
      const first = text.trimStart()[0];
      if (first === '{' || first === '[') parseJson(request, text, done);
      else done(null, text);
    });
  },
  { name: 'body-parsers' },
);
