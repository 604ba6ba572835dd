/**
 * Body parsers that honour the charset: HIS software often posts GBK (`charset=GBK`, also
 * GB2312/GB18030) rather than UTF-8. JSON is decoded then parsed with Fastify's own safe parser;
 * XML (SOAP) is decoded to a string. Bytes that are not valid in the declared charset are refused
 * (naming the charset), never replaced: a replaced byte would be stored as a corrupted id.
 *
 * The national routes (3101/3102/3103, `config.shape: 'nhsa'`) read a body of any or no content
 * type as JSON when it looks like JSON, because HIS software posts them with whatever header its
 * HTTP library defaults to (`text/plain`, a form type, none). Every other route reads only JSON
 * (or XML for SOAP): a `text/plain` or form body is what a browser may send cross-site without a
 * preflight, so accepting it there would let any web page post dispositions and rulebook commands.
 */
import fp from 'fastify-plugin';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import type { FastifyRequest } from 'fastify';
import { ErrorCode, PreauditError, badInput } from './errors.js';

/** The charset parameter of a content type, lower-cased (undefined when absent). */
function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m ? m[1].toLowerCase() : undefined;
}

/** WHATWG decoders, strict: one per charset label, made on first use. */
const decoders = new Map<string, TextDecoder>();

function decoderFor(charset: string): TextDecoder {
  let d = decoders.get(charset);
  if (!d) {
    // GBK and GB2312 are read as GB18030, their superset (also what WHATWG does).
    const label = charset === 'gbk' || charset === 'gb2312' || charset === 'cp936' ? 'gb18030' : charset;
    try {
      d = new TextDecoder(label, { fatal: true });
    } catch {
      throw new PreauditError(ErrorCode.unsupportedMediaType, `不支持的字符集 charset=${charset.slice(0, 40)}`);
    }
    if (decoders.size < 32) decoders.set(charset, d);
  }
  return d;
}

/**
 * Decodes a body by its declared charset (UTF-8 when none; a leading BOM is dropped). Throws
 * PreauditError naming the body and the charset when a byte sequence is invalid in it.
 */
function decodeBody(body: Buffer, charset: string | undefined): string {
  const cs = !charset || charset === 'utf8' ? 'utf-8' : charset;
  try {
    return decoderFor(cs).decode(body);
  } catch (err) {
    if (err instanceof PreauditError) throw err;
    throw badInput([{ field: 'body', message: `含有不合法的 ${cs.toUpperCase()} 字节序列（请按 Content-Type 声明的字符集编码报文）` }]);
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body's charset when it was a GB charset; replies are encoded the same way. */
    gbCharset?: string;
  }
}

const GB = /^(gbk|gb2312|gb18030|cp936)$/;

export default fp(
  async (app) => {
    app.decorateRequest('gbCharset', undefined);
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
        text = decodeBody(body, charsetOf(request.headers['content-type']));
      } catch (err) {
        done(err as Error);
        return;
      }
      void parseJson(request, text, done);
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
      const type = request.headers['content-type'];
      if (request.routeOptions.config?.shape !== 'nhsa') {
        done(
          new PreauditError(ErrorCode.unsupportedMediaType, `Content-Type ${type === undefined ? '（缺少）' : String(type).slice(0, 60)}，应为 application/json`, [
            { field: 'headers.content-type', message: '应为 application/json' },
          ]),
        );
        return;
      }
      let text: string;
      try {
        text = decodeBody(body, charsetOf(type));
      } catch (err) {
        done(err as Error);
        return;
      }
      const first = text.trimStart()[0];
      if (first === '{' || first === '[') void parseJson(request, text, done);
      else done(null, text);
    });
  },
  { name: 'body-parsers' },
);
