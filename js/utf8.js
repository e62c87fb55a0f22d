// UTF-8 by hand, for hosts without TextEncoder and TextDecoder (WeChat
// mini-programs): tfjs-core's WeChat platform (js/platform/wechat.js) and the
// standalone runtime's model files (js/runtime.js) use it there.

/**
 * UTF-8 bytes of a string, as TextEncoder gives them (a lone surrogate
 * becomes U+FFFD).
 * @param {string} text
 * @returns {Uint8Array}
 */
export function utf8Encode(text) {
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    } else {
      out[n++] = 0xf0 | (c >> 18);
      out[n++] = 0x80 | ((c >> 12) & 63);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    }
  }
  return out.slice(0, n);
}

/**
 * The string of UTF-8 bytes, as TextDecoder gives it: each malformed
 * sequence (bad lead byte, missing continuation, overlong form, surrogate,
 * beyond U+10FFFF) becomes one U+FFFD.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function utf8Decode(bytes) {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.buffer || bytes, bytes.byteOffset || 0, bytes.byteLength);
  const units = [];
  let s = '';
  for (let i = 0; i < u8.length;) {
    const b = u8[i];
    let c = 0xfffd, len = 1;
    if (b < 0x80) {
      c = b;
    } else if (b >= 0xc2 && b <= 0xf4) {
      const need = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
      // The second byte's range excludes overlong forms, surrogates and
      // code points past U+10FFFF.
      const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
      let v = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
      let k = 1;
      for (; k <= need && i + k < u8.length; k++) {
        const x = u8[i + k];
        if (x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) break;
        v = (v << 6) | (x & 63);
      }
      if (k > need) c = v;
      len = k;  // a malformed sequence is replaced up to the offending byte
    }
    if (c >= 0x10000) {
      c -= 0x10000;
      units.push(0xd800 + (c >> 10), 0xdc00 + (c & 1023));
    } else {
      units.push(c);
    }
    i += len;
    if (units.length >= 8192) {
      s += String.fromCharCode.apply(null, units);
      units.length = 0;
    }
  }
  return s + String.fromCharCode.apply(null, units);
}
