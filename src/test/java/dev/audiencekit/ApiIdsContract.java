package dev.audiencekit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.cookie.CookieValue;
import dev.audiencekit.testing.Browser;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.TestApp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Ids given through the API, over a real container round trip: ids with control characters or over
 * 256 characters are refused with an {@link IllegalArgumentException} naming the argument, and nothing
 * of them reaches a header; every other character is percent-encoded into the cookie and reads back
 * unchanged on the browser's next request; whatever ids users set, a response carries at most four
 * {@code Set-Cookie} headers of under 4096 bytes each, in both cookie formats.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiIdsContract {
  private Container next;
  private Container classic;

  abstract Container.Kind kind();

  @BeforeAll
  void start() {
    // Headers up to 64 KiB: a browser holding four worst-case cookies sends a Cookie header of about
    // 9 KiB, over the containers' 8 KiB default (see cookiesStayUnderBrowserLimitsWhateverIdsUsersSet).
    next = Container.start(kind(), Container.testWebapp(), new RobustApp(TestApp.defaults()), 64 * 1024);
    Map<String, String> params = TestApp.defaults();
    params.put("cookie.format", "classic");
    classic = Container.start(kind(), Container.testWebapp(), new RobustApp(params), 64 * 1024);
  }

  @AfterAll
  void stop() {
    for (Container c : new Container[] {next, classic}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static final List<String> BAD_IDS = List.of("a\rb", "a\nb", "a\u0000b", "\r\nSet-Cookie: evil=1", "tab\there",
      "del\u007f", "c1\u0085", "c1\u009f", "", "x".repeat(257), "\uD83D\uDE00".repeat(129));
  static final List<String> ODD_IDS = List.of("a;b", "a,b", "a=b", "\"quoted\"", "\"", "'single'", "with space",
      " lead", "trail ", "back\\slash", "50%", "%41", "%zz", "a+b", "user@example.com", "<script>alert(1)</script>",
      "ünïcödé", "日本語のユーザー", "😀 emoji 🎉", "null", "true", "1e3", "1234", "-0", "[1]", "{\"id\":1}", "----",
      "\uD83D\uDE00".repeat(128), "é".repeat(256), "\uFFFD".repeat(256), "\"".repeat(256), "%".repeat(256),
      "\u2028\u2029", "\u00a0nbsp");

  @Test
  void idsWithControlCharactersOrOver256CharactersAreRejectedNamingTheArgument() {
    Map<String, String> argumentOf = Map.of("anon", "anonymousId", "identify", "userId", "group", "groupId",
        "alias", "userId", "optanon", "anonymousId", "optuser", "userId");
    for (String op : argumentOf.keySet()) {
      for (String bad : BAD_IDS) {
        Browser browser = new Browser(next.base());
        String before = json(browser.get("/ids?op=group&id=g1")).getString("anonymousId");
        Browser.Response response = browser.get("/ids?op=" + op + "&id=" + encode(bad));
        JsonObject body = json(response);
        String what = op + " with " + escapeForMessage(bad);
        assertThat(body.containsKey("rejected")).as("%s is refused: %s", what, body).isTrue();
        assertThat(body.getString("rejected")).as(what).contains(argumentOf.get(op));
        for (String header : response.setCookies()) {
          assertThat(header).as(what).doesNotContain("evil").doesNotContain("\r").doesNotContain("\n");
        }
        assertThat(CookieValue.decode(browser.cookie("ajs_anonymous_id")).value())
            .as("the identity is unchanged after %s", what).isEqualTo(before);
      }
    }
  }

  @Test
  void everyOtherCharacterIsPercentEncodedAndReadsBackUnchanged() {
    for (Container container : new Container[] {next, classic}) {
      for (String id : ODD_IDS) {
        for (String op : List.of("anon", "identify", "group")) {
          String key = op.equals("anon") ? "anonymousId" : op.equals("identify") ? "userId" : "groupId";
          String cookie = op.equals("anon") ? "ajs_anonymous_id" : op.equals("identify") ? "ajs_user_id" : "ajs_group_id";
          Browser browser = new Browser(container.base());
          JsonObject set = json(browser.get("/ids?op=" + op + "&id=" + encode(id)));
          String what = op + " " + id + " on " + (container == next ? "next" : "classic");
          assertThat(set.getString(key)).as(what).isEqualTo(id);
          String raw = browser.cookie(cookie);
          boolean fits = dev.audiencekit.cookie.CookieValueEncoder.encode(id,
              container == next ? dev.audiencekit.config.Settings.CookieFormat.NEXT : dev.audiencekit.config.Settings.CookieFormat.CLASSIC)
              .length() <= dev.audiencekit.identity.CookieWriter.MAX_VALUE_BYTES;
          if (!fits) {
            // used for the request, never written: a cookie that large could lock the browser out
            assertThat(raw).as("no cookie for %s: its encoded value is over 1,000 bytes", what).isNull();
            continue;
          }
          assertThat(raw).as("cookie for %s", what).isNotNull();
          for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            assertThat(c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\')
                .as("cookie-octet %s at %d of %s for %s", c, i, raw, what).isTrue();
          }
          JsonObject back = json(browser.get("/ids?op=optuser&id=reader"));
          assertThat(back.getString(key)).as("read back of %s from cookie %s", what, raw).isEqualTo(id);
          if (op.equals("anon")) {
            assertThat(dev.audiencekit.identity.BackupCookie.parse(browser.cookie("ak_anonymous_id")).anonymousId().value())
                .as("backup of " + what).isEqualTo(id);
            assertThat(dev.audiencekit.identity.BackupCookie.parse(browser.cookie("ak_anonymous_id")).deviceKey())
                .as("device key beside " + what).isNotNull();
          }
        }
      }
    }
  }

  @Test
  void cookiesStayUnderBrowserLimitsWhateverIdsUsersSet() {
    String longHost = "a".repeat(63) + "." + "b".repeat(63) + ".co.uk";
    List<String> worst = new ArrayList<>(List.of("\uFFFD".repeat(256), "\u0800".repeat(256), "\"".repeat(256),
        "\uD83D\uDE00".repeat(128), "%".repeat(256), "\\".repeat(256), "\"" + "\uFFFD".repeat(254) + "\""));
    int largest = 0;
    int largestCookieHeader = 0;
    for (Container container : new Container[] {next, classic}) {
      for (String id : worst) {
        for (String ops : List.of("op=anon&op=identify&op=group", "op=identify&op=reset&op=anon&op=identify",
            "op=group&op=anon&op=optanon&op=identify&op=alias")) {
          Browser browser = new Browser(container.base()).header("X-Forwarded-Host", longHost)
              .header("X-Forwarded-Proto", "https");
          for (int round = 0; round < 2; round++) {
            Browser.Response response = browser.get("/ids?" + ops + "&id=" + encode(id));
            JsonObject body = json(response);
            assertThat(body.containsKey("rejected")).as(body.toString()).isFalse();
            assertThat(response.setCookies()).as("Set-Cookie headers for %s", ops).hasSizeBetween(1, 4);
            for (String header : response.setCookies()) {
              int bytes = header.getBytes(StandardCharsets.UTF_8).length;
              largest = Math.max(largest, bytes);
              assertThat(bytes).as("bytes of %s", header).isLessThan(4096);
              assertThat(header).contains("; Domain=" + "b".repeat(63) + ".co.uk").contains("; Secure");
            }
            int cookieHeader = String.join("; ", browser.cookies().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList()).length();
            largestCookieHeader = Math.max(largestCookieHeader, cookieHeader);
          }
        }
      }
    }
    System.out.println(kind() + ": largest Set-Cookie for the worst-case ids: " + largest + " bytes; largest Cookie"
        + " header the browser sends back: " + largestCookieHeader + " bytes");
  }

  static JsonObject json(Browser.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return Json.createReader(new StringReader(response.body())).readObject();
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String escapeForMessage(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c)
          ? String.format("\\u%04X", (int) c) : String.valueOf(c));
    }
    return sb.length() > 40 ? sb.substring(0, 40) + "…" : sb.toString();
  }
}
