package dev.audiencekit;

import dev.audiencekit.testing.RawHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A seeded, reproducible corpus of hostile requests for the filter: malformed {@code Cookie} headers
 * (random bytes, huge values, thousands of cookies, invalid UTF-8 raw and percent-encoded, quotes, CR
 * and LF, broken {@code %} sequences, JSON bombs), and hostile {@code X-Forwarded-For},
 * {@code Forwarded}, {@code Host}, {@code User-Agent}, {@code Accept-Language}, {@code Referer},
 * privacy headers and query strings. All header text is a byte string (one char per byte, see
 * {@link RawHttp}). Requests never contain an empty line, so each one gets exactly one response on a
 * kept-alive connection.
 */
final class HostileCorpus {
  /** One hostile request and the category it was drawn from. */
  record Case(String kind, RawHttp.Request request) {}

  static final String[] ID_COOKIES = {"ajs_anonymous_id", "ajs_user_id", "ajs_group_id", "ak_anonymous_id",
      "ajs_user", "_sio"};
  private static final String[] COOKIE_KINDS = {"random-bytes", "huge-value", "thousands-of-cookies",
      "invalid-utf8-raw", "invalid-utf8-escaped", "quotes", "crlf", "percent", "json-bomb", "duplicates",
      "legacy", "mixed"};

  private final Random random;
  private final String host;
  private final String path;

  HostileCorpus(long seed, String host, String path) {
    this.random = new Random(seed);
    this.host = host;
    this.path = path;
  }

  /** {@code count} requests whose {@code Cookie} header(s) are hostile, categories in turn. */
  List<Case> cookieCases(int count) {
    List<Case> cases = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String kind = COOKIE_KINDS[i % COOKIE_KINDS.length];
      RawHttp.Request request = base(path);
      for (String header : cookieHeaders(kind)) {
        request.header("Cookie", header);
      }
      cases.add(new Case("cookie/" + kind, request));
    }
    return cases;
  }

  /** {@code count} requests with hostile forwarding, host, agent, language, referrer headers or queries. */
  List<Case> headerCases(int count) {
    String[] kinds = {"x-forwarded-for", "forwarded", "host", "user-agent", "accept-language", "query",
        "referer", "privacy", "all-at-once"};
    List<Case> cases = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String kind = kinds[i % kinds.length];
      cases.add(new Case("header/" + kind, headerCase(kind)));
    }
    return cases;
  }

  private RawHttp.Request base(String target) {
    return RawHttp.get(target).header("Host", host).header("User-Agent", "hostile-corpus/1.0 (X11; Linux)");
  }

  // ------------------------------------------------------------------ cookies

  private List<String> cookieHeaders(String kind) {
    String name = pick(ID_COOKIES);
    return switch (kind) {
      case "random-bytes" -> List.of(randomBytes(1 + random.nextInt(600), 0x01, 0xff));
      case "huge-value" -> List.of(name + "=" + repeat(pick(new String[] {"a", "%41", "\"", "[", "%", "é", "\u00ff"}),
          4_000 + random.nextInt(30_000)));
      case "thousands-of-cookies" -> List.of(manyCookies(1_000 + random.nextInt(2_000)));
      case "invalid-utf8-raw" -> List.of(name + "=" + randomBytes(1 + random.nextInt(60), 0x80, 0xff)
          + "; ajs_user_id=" + randomBytes(1 + random.nextInt(20), 0x80, 0xff));
      case "invalid-utf8-escaped" -> List.of(name + "=" + pick(new String[] {"%C0%80", "%ED%A0%80", "%F4%90%80%80",
          "%E0%A4", "%FF", "%C3", "%C3%28", "%F0%9F%98", "%ED%BF%BF", "%E2%82%28", "%F8%88%80%80%80"})
          + pick(new String[] {"", "abc", "%41", uuid()}));
      case "quotes" -> List.of(name + "=" + pick(new String[] {"\"", "\"\"", "\"\"\"", "\"abc", "abc\"", "\"a\"b\"",
          "\\\"x\\\"", "%22", "%22%22", "%22abc", "\"%22abc%22\"", "\"null\"", "%22null%22", "\"\\u0000\"",
          "\"\\ud800\"", "\"" + repeat("\\\\", 200) + "\"", "'abc'", "\"" + uuid() + "\""}));
      case "crlf" -> List.of(name + "=" + pick(new String[] {"%0D%0ASet-Cookie:%20evil=1", "a%0Ab", "%00",
          "x%0D%0A%0D%0AHTTP/1.1%20200", "\"%0D%0A\"", "%0d%0aLocation:%20//evil"}),
          "zz=\nSet-Cookie: injected=1");
      case "percent" -> List.of(name + "=" + pick(new String[] {"%", "%%", "%%%", "%G1", "%1", "%2", "abc%",
          "%25", "%2525", "%25%32%35", "%u0041", "%-1", "%+1", "%0", "%%41", repeat("%25", 1_000),
          repeat("%F0%9F%98%80", 70), "%7E%21%40%23%24%5E%26*()"}));
      case "json-bomb" -> List.of(pick(new String[] {"ajs_user", "ajs_anonymous_id", "ajs_user_id"}) + "="
          + jsonBomb());
      case "duplicates" -> List.of(repeat(name + "=" + randomPrintable(1 + random.nextInt(40)) + "; ",
          2 + random.nextInt(400)), name + "=" + uuid());
      case "legacy" -> List.of(pick(new String[] {
          "_sio=----", "_sio=" + repeat("-", 300), "_sio=%22----%22", "_sio=abc----", "_sio=----user",
          "ajs_user={", "ajs_user={\"id\":", "ajs_user={\"id\":{\"id\":1}}", "ajs_user={\"id\":1e999}",
          "ajs_user={\"id\":-0,\"traits\":[]}", "ajs_user=%7B%22id%22%3A%22%00%22%7D",
          "ajs_user={\"id\":\"" + repeat("x", 300) + "\"}", "ajs_user=" + repeat("{\"a\":", 900),
          "ajs_user={\"traits\":{\"t\":" + repeat("[", 1_500) + "}}"}));
      default -> List.of(mixed());
    };
  }

  private String manyCookies(int n) {
    StringBuilder sb = new StringBuilder(n * 8);
    boolean anonymousFirst = random.nextBoolean();
    if (anonymousFirst) {
      sb.append("ajs_anonymous_id=").append(randomPrintable(10)).append("; ");
    }
    for (int i = 0; i < n; i++) {
      sb.append('c').append(i).append('=').append(random.nextInt(1000)).append(random.nextBoolean() ? "; " : ";");
    }
    sb.append("ajs_anonymous_id=").append(uuid()); // past the parser's budget
    return sb.toString();
  }

  private String jsonBomb() {
    int depth = 500 + random.nextInt(20_000);
    return switch (random.nextInt(6)) {
      case 0 -> repeat("[", depth) + repeat("]", depth);
      case 1 -> repeat("%5B", depth) + repeat("%5D", depth);
      case 2 -> repeat("{\"id\":", depth) + "1" + repeat("}", depth);
      case 3 -> "{\"id\":\"u\",\"traits\":" + repeat("[", depth) + repeat("]", depth) + "}";
      case 4 -> "\"" + repeat("[", depth) + "\"";
      default -> repeat("{\"a\":[", depth);
    };
  }

  private String mixed() {
    StringBuilder sb = new StringBuilder();
    int pieces = 1 + random.nextInt(12);
    for (int i = 0; i < pieces; i++) {
      if (i > 0) {
        sb.append(pick(new String[] {"; ", ";", ";;", " ; ", ",", "; ; "}));
      }
      String name = random.nextInt(3) == 0 ? randomPrintable(1 + random.nextInt(8)) : pick(ID_COOKIES);
      sb.append(pick(new String[] {"", " ", "\t"})).append(name).append(pick(new String[] {"=", " = ", "==", "", "=\t"}));
      sb.append(switch (random.nextInt(8)) {
        case 0 -> uuid();
        case 1 -> randomPrintable(random.nextInt(300));
        case 2 -> randomBytes(random.nextInt(40), 0x20, 0xff);
        case 3 -> "%22" + randomPrintable(10) + "%22";
        case 4 -> String.valueOf(random.nextLong());
        case 5 -> pick(new String[] {"null", "true", "false", "1e400", "-0", "[]", "{}", "\"\"", "NaN", "0x10"});
        case 6 -> RawHttp.utf8Bytes(randomUnicode(1 + random.nextInt(100)));
        default -> "";
      });
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------ other headers and queries

  private RawHttp.Request headerCase(String kind) {
    String target = path;
    if (kind.equals("query") || kind.equals("all-at-once")) {
      target = path + "?" + hostileQuery();
    }
    boolean hostileHost = kind.equals("host") || kind.equals("all-at-once");
    RawHttp.Request request = RawHttp.get(target).header("Host", hostileHost ? hostileHost() : host);
    boolean all = kind.equals("all-at-once");
    request.header("User-Agent", kind.equals("user-agent") || all ? hostileUserAgent() : "hostile-corpus/1.0");
    if (kind.equals("x-forwarded-for") || all) {
      request.header("X-Forwarded-For", hostileForwardedFor());
      if (random.nextBoolean()) {
        request.header("X-Forwarded-For", hostileForwardedFor());
      }
      request.header("X-Forwarded-Proto", pick(new String[] {"https", "HTTPS, http", "javascript", "", "ftp",
          randomBytes(20, 0x20, 0xff)}));
      request.header("X-Forwarded-Host", hostileHost());
    }
    if (kind.equals("forwarded") || all) {
      request.header("Forwarded", hostileForwarded());
    }
    if (kind.equals("accept-language") || all) {
      request.header("Accept-Language", pick(new String[] {"*", "", ",,,", ";q=1", repeat("en-US,", 2_000),
          repeat("x", 5_000), "zh-Hant-TW-u-ca-chinese;q=0.9", randomBytes(200, 0x20, 0xff), "en\u00ff",
          "1234567890123456789012345678901234567890", "en;q=abc", RawHttp.utf8Bytes("日本語")}));
    }
    if (kind.equals("referer") || all) {
      request.header("Referer", pick(new String[] {"javascript:alert(1)", repeat("http://a/", 1_000),
          randomBytes(300, 0x20, 0xff), "\"></script>", "%00", "http://[::1"}));
    }
    if (kind.equals("privacy") || all) {
      request.header("Sec-GPC", pick(new String[] {"1", "0", "", "11", "1, 1", randomBytes(10, 0x20, 0xff)}));
      request.header("DNT", pick(new String[] {"1", "true", "", randomBytes(10, 0x20, 0xff)}));
    }
    if (random.nextInt(4) == 0) {
      request.header("Cookie", "ajs_anonymous_id=" + uuid());
    }
    return request;
  }

  private String hostileForwardedFor() {
    return switch (random.nextInt(9)) {
      case 0 -> repeat("10.0.0." + random.nextInt(256) + ", ", 1 + random.nextInt(2_000)) + "127.0.0.1";
      case 1 -> "unknown, _hidden, , ,,127.0.0.1";
      case 2 -> "[2001:db8::1]:4711, [::1], ::ffff:127.0.0.1";
      case 3 -> "999.999.999.999, 1.2.3, 01.02.03.04, 0x7f.1, 1e3";
      case 4 -> randomBytes(1 + random.nextInt(500), 0x20, 0xff);
      case 5 -> "[" + repeat(":", 500) + "]";
      case 6 -> "fe80::1%eth0, [fe80::1%25eth0]:80";
      case 7 -> repeat(",", 10_000);
      default -> "203.0.113.7:99999999999999999999";
    };
  }

  private String hostileForwarded() {
    return switch (random.nextInt(8)) {
      case 0 -> "for=\"[2001:db8::1]:4711\";proto=https;host=\"evil.example\"";
      case 1 -> "for=\"unterminated;proto=https";
      case 2 -> repeat("for=1.2.3.4;", 1 + random.nextInt(1_000));
      case 3 -> "for=" + randomBytes(1 + random.nextInt(200), 0x20, 0xff) + ";host=" + randomPrintable(30);
      case 4 -> "proto=javascript;host=\"a\\\"b\";for=_hidden, for=unknown";
      case 5 -> repeat("for=\"\\", 500);
      case 6 -> "for=127.0.0.1;host=\"" + repeat("a.", 300) + "com\";proto=HTTPS";
      default -> ";;;,,,==\"\"";
    };
  }

  private String hostileHost() {
    return pick(new String[] {"evil.com", "evil.com:99999", "[::1", "[::1]:80", "[::1]x", repeat("a", 300) + ".com",
        "ex ample.com", "localhost:-1", "a..b", ".", "co.uk", "user@host", "host:80:80", "127.0.0.1:0",
        "xn--bcher-kva.example", randomPrintable(40), "h\u00e9.example", "example.com.", "[fe80::1%25eth0]",
        "" + host});
  }

  private String hostileUserAgent() {
    return switch (random.nextInt(6)) {
      case 0 -> repeat("Mozilla/5.0 ", 1_000);
      case 1 -> randomBytes(1 + random.nextInt(500), 0x20, 0xff);
      case 2 -> pick(new String[] {"Googlebot/2.1", "GPTBot/1.0", "HeadlessChrome/120", "curl/8", "", "-"});
      case 3 -> "\"></script><script>alert(1)</script>";
      case 4 -> RawHttp.utf8Bytes(randomUnicode(50));
      default -> "Mozilla/5.0 " + randomPrintable(200);
    };
  }

  private String hostileQuery() {
    return switch (random.nextInt(10)) {
      case 0 -> "utm_campaign=%22%3E%3Cscript%3E&utm_source=" + repeat("x", 2_000);
      case 1 -> repeat("a=1&", 1 + random.nextInt(3_000));
      case 2 -> "%00%0D%0A=%0D%0A&%FF%FE=%C0%80";
      case 3 -> "utm_medium=%E0%A4&utm_term=%&utm_content=%G1";
      case 4 -> "&&&===&&=";
      case 5 -> randomQueryBytes(1 + random.nextInt(300));
      case 6 -> "utm_campaign=" + repeat("%F0%9F%98%80", 300);
      case 7 -> "q=" + repeat("[", 2_000);
      case 8 -> "utm_campaign=a&utm_campaign=b&UTM_CAMPAIGN=c&utm_=d";
      default -> "x=" + RawHttp.utf8Bytes(randomUnicode(30)).replace(' ', '+').replace('#', 'h');
    };
  }

  /** Query bytes that keep the request line parseable: no space, CR, LF, '#' or control characters. */
  private String randomQueryBytes(int n) {
    StringBuilder sb = new StringBuilder(n);
    while (sb.length() < n) {
      int b = 0x21 + random.nextInt(0xff - 0x21 + 1);
      if (b != '#' && b != 0x7f) {
        sb.append((char) b);
      }
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------ primitives

  /** Random bytes in [lo, hi] as a byte string, never CR or LF (which would end the header line). */
  String randomBytes(int n, int lo, int hi) {
    StringBuilder sb = new StringBuilder(n);
    while (sb.length() < n) {
      int b = lo + random.nextInt(hi - lo + 1);
      if (b != '\r' && b != '\n') {
        sb.append((char) b);
      }
    }
    return sb.toString();
  }

  String randomPrintable(int n) {
    return randomBytes(n, 0x21, 0x7e);
  }

  /** Random text over the whole of Unicode (including unpaired surrogates, which UTF-8 turns into '?'). */
  String randomUnicode(int n) {
    StringBuilder sb = new StringBuilder(n * 2);
    for (int i = 0; i < n; i++) {
      int cp = switch (random.nextInt(4)) {
        case 0 -> 0x20 + random.nextInt(0x5f);
        case 1 -> 0xa0 + random.nextInt(0x700);
        case 2 -> 0x1f600 + random.nextInt(0x50);
        default -> random.nextInt(0x110000);
      };
      sb.appendCodePoint(cp == '\r' || cp == '\n' ? 'x' : cp);
    }
    return sb.toString();
  }

  /** A version 4 UUID drawn from the seeded generator (so the corpus is reproducible). */
  String uuid() {
    long msb = (random.nextLong() & ~0xf000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }

  static String repeat(String s, int times) {
    return s.repeat(Math.max(0, times));
  }
}
