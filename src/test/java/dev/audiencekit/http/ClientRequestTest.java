package dev.audiencekit.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.config.Cidr;
import dev.audiencekit.config.Settings.RemoteIpHeader;
import dev.audiencekit.config.TrustedProxies;
import dev.audiencekit.testing.FakeRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientRequestTest {
  private static final List<Cidr> TRUSTED = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1"), Cidr.parse("10.0.0.0/8"));

  /** Under {@code remoteIpHeader=x-forwarded-for}, the default. */
  private static ClientRequest of(FakeRequest r) {
    return ClientRequest.of(r.build(), new TrustedProxies(TRUSTED, RemoteIpHeader.X_FORWARDED_FOR));
  }

  /** Under {@code remoteIpHeader=forwarded}. */
  private static ClientRequest ofForwarded(FakeRequest r) {
    return ClientRequest.of(r.build(), new TrustedProxies(TRUSTED, RemoteIpHeader.FORWARDED));
  }

  // ---- client IP ----

  @Test
  void directClientIsTheRemoteAddress() {
    assertThat(of(FakeRequest.from("203.0.113.9")).ip()).isEqualTo("203.0.113.9");
  }

  @Test
  void forwardedForFromAnUntrustedPeerIsIgnored() {
    assertThat(of(FakeRequest.from("203.0.113.9").header("X-Forwarded-For", "198.51.100.1")).ip())
        .isEqualTo("203.0.113.9");
  }

  @Test
  void forwardedForFromATrustedProxyGivesTheClient() {
    assertThat(of(FakeRequest.from("127.0.0.1").header("X-Forwarded-For", "198.51.100.1")).ip())
        .isEqualTo("198.51.100.1");
  }

  @Test
  void rightMostUntrustedAddressWinsOverSpoofedLeftEntries() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("X-Forwarded-For", "1.1.1.1, 2.2.2.2, 198.51.100.1, 10.0.0.5");

    assertThat(of(r).ip()).isEqualTo("198.51.100.1");
  }

  @Test
  void severalForwardedForHeadersAreJoinedInOrder() {
    FakeRequest r = FakeRequest.from("127.0.0.1")
        .header("X-Forwarded-For", "1.1.1.1")
        .header("X-Forwarded-For", "198.51.100.1, 10.0.0.5");

    assertThat(of(r).ip()).isEqualTo("198.51.100.1");
  }

  @Test
  void chainOfOnlyTrustedProxiesGivesTheLeftMost() {
    assertThat(of(FakeRequest.from("127.0.0.1").header("X-Forwarded-For", "10.0.0.7, 10.0.0.5")).ip())
        .isEqualTo("10.0.0.7");
  }

  @Test
  void garbageEntryStopsTheWalkAtTheLastTrustedProxy() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("X-Forwarded-For", "198.51.100.1, unknown, 10.0.0.5");

    assertThat(of(r).ip()).isEqualTo("10.0.0.5");
  }

  @Test
  void garbageRightOfTheProxyLeavesTheRemoteAddress() {
    assertThat(of(FakeRequest.from("127.0.0.1").header("X-Forwarded-For", "<script>")).ip()).isEqualTo("127.0.0.1");
  }

  @Test
  void emptyForwardedForEntriesAreSkipped() {
    assertThat(of(FakeRequest.from("127.0.0.1").header("X-Forwarded-For", "198.51.100.1, , ,")).ip())
        .isEqualTo("198.51.100.1");
  }

  @Test
  void forwardedForEntriesMayCarryPorts() {
    assertThat(of(FakeRequest.from("127.0.0.1").header("X-Forwarded-For", "198.51.100.1:5555")).ip())
        .isEqualTo("198.51.100.1");
    assertThat(of(FakeRequest.from("127.0.0.1").header("X-Forwarded-For", "[2001:DB8::1]:5555")).ip())
        .isEqualTo("2001:db8::1");
  }

  @Test
  void ipv6ClientIsWrittenCanonically() {
    assertThat(of(FakeRequest.from("::1").header("X-Forwarded-For", "2001:0db8:0000:0000:0000:0000:0000:0001")).ip())
        .isEqualTo("2001:db8::1");
  }

  @Test
  void ipv4MappedRemoteAddressIsWrittenAsIpv4() {
    assertThat(of(FakeRequest.from("::ffff:203.0.113.9")).ip()).isEqualTo("203.0.113.9");
  }

  @Test
  void ipv4MappedTrustedProxyIsRecognised() {
    assertThat(of(FakeRequest.from("::ffff:127.0.0.1").header("X-Forwarded-For", "198.51.100.1")).ip())
        .isEqualTo("198.51.100.1");
  }

  @Test
  void rfc7239ForwardedGivesTheClient() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("Forwarded", "for=198.51.100.1;proto=https, for=10.0.0.5");

    assertThat(ofForwarded(r).ip()).isEqualTo("198.51.100.1");
  }

  @Test
  void rfc7239QuotedBracketedIpv6WithPortIsRead() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("Forwarded", "for=\"[2001:db8:cafe::17]:4711\"");

    assertThat(ofForwarded(r).ip()).isEqualTo("2001:db8:cafe::17");
  }

  @Test
  void rfc7239NamesAreCaseInsensitive() {
    assertThat(ofForwarded(FakeRequest.from("127.0.0.1").header("Forwarded", "For=198.51.100.1")).ip()).isEqualTo("198.51.100.1");
  }

  @Test
  void rfc7239ObfuscatedIdentifierStopsTheWalk() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("Forwarded", "for=198.51.100.1, for=_hidden, for=10.0.0.5");

    assertThat(ofForwarded(r).ip()).isEqualTo("10.0.0.5");
  }

  @Test
  void rfc7239UnknownStopsTheWalk() {
    assertThat(ofForwarded(FakeRequest.from("127.0.0.1").header("Forwarded", "for=1.2.3.4, for=unknown")).ip())
        .isEqualTo("127.0.0.1");
  }

  @Test
  void forwardedIsIgnoredUnderXForwardedFor() {
    FakeRequest r = FakeRequest.from("127.0.0.1")
        .header("Forwarded", "for=203.0.113.9")
        .header("X-Forwarded-For", "198.51.100.7");

    assertThat(of(r).ip()).isEqualTo("198.51.100.7");
  }

  @Test
  void forwardedAloneIsIgnoredUnderXForwardedFor() {
    assertThat(of(FakeRequest.from("127.0.0.1").header("Forwarded", "for=203.0.113.9")).ip()).isEqualTo("127.0.0.1");
  }

  @Test
  void xForwardedForIsIgnoredUnderForwarded() {
    FakeRequest r = FakeRequest.from("127.0.0.1")
        .header("X-Forwarded-For", "203.0.113.9")
        .header("Forwarded", "for=198.51.100.7");

    assertThat(ofForwarded(r).ip()).isEqualTo("198.51.100.7");
  }

  @Test
  void xForwardedForAloneIsIgnoredUnderForwarded() {
    assertThat(ofForwarded(FakeRequest.from("127.0.0.1").header("X-Forwarded-For", "203.0.113.9")).ip())
        .isEqualTo("127.0.0.1");
  }

  @Test
  void forwardedFromAnUntrustedPeerIsIgnored() {
    assertThat(ofForwarded(FakeRequest.from("203.0.113.9").header("Forwarded", "for=198.51.100.1")).ip())
        .isEqualTo("203.0.113.9");
  }

  @Test
  void severalForwardedLinesAreReadInOrderAndApart() {
    FakeRequest r = FakeRequest.from("127.0.0.1")
        .header("Forwarded", "for=\"6.6.6.6")
        .header("Forwarded", "for=198.51.100.1");

    assertThat(ofForwarded(r).ip()).isEqualTo("198.51.100.1"); // the client's broken quote stays in its line
  }

  @Test
  void rfc7239SpoofedLeftElementIsNotUsed() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("Forwarded", "for=6.6.6.6;proto=https, for=198.51.100.1;proto=http");

    ClientRequest c = ofForwarded(r);
    assertThat(c.ip()).isEqualTo("198.51.100.1");
    assertThat(c.isSecure()).isFalse();
  }

  @Test
  void rfc7239MalformedElementStopsTheWalk() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("Forwarded", "for=6.6.6.6, for=\"198.51.100.1, for=10.0.0.5");

    assertThat(ofForwarded(r).ip()).isEqualTo("127.0.0.1"); // the unterminated quote swallows the rest
  }

  @Test
  void hugeForwardedForKeepsTheRightMostEntries() {
    String spoofed = "1.1.1.1, ".repeat(5_000);
    FakeRequest r = FakeRequest.from("127.0.0.1").header("X-Forwarded-For", spoofed + "198.51.100.1, 10.0.0.5");

    assertThat(of(r).ip()).isEqualTo("198.51.100.1");
  }

  @Test
  void longForwardedChainKeepsTheRightMostHops() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("Forwarded", "for=1.1.1.1, ".repeat(100) + "for=198.51.100.1, for=10.0.0.5");

    assertThat(ofForwarded(r).ip()).isEqualTo("198.51.100.1");
  }

  // ---- scheme ----

  @Test
  void directRequestIsSecureWhenTheConnectionIs() {
    assertThat(of(FakeRequest.from("203.0.113.9").secure(true)).isSecure()).isTrue();
    assertThat(of(FakeRequest.from("203.0.113.9").secure(false)).isSecure()).isFalse();
  }

  @Test
  void forwardedProtoFromAnUntrustedPeerIsIgnored() {
    assertThat(of(FakeRequest.from("203.0.113.9").header("X-Forwarded-Proto", "https")).isSecure()).isFalse();
  }

  @Test
  void forwardedProtoFromATrustedProxyIsBelieved() {
    assertThat(of(FakeRequest.from("127.0.0.1").header("X-Forwarded-Proto", "HTTPS")).isSecure()).isTrue();
    assertThat(of(FakeRequest.from("127.0.0.1").secure(true).header("X-Forwarded-Proto", "http")).isSecure()).isFalse();
  }

  @Test
  void forwardedProtoUsesItsFirstValue() {
    assertThat(of(FakeRequest.from("127.0.0.1").header("X-Forwarded-Proto", "https, http")).isSecure()).isTrue();
  }

  @Test
  void unknownForwardedProtoFallsBackToTheConnection() {
    assertThat(of(FakeRequest.from("127.0.0.1").secure(true).header("X-Forwarded-Proto", "gopher")).isSecure()).isTrue();
  }

  @Test
  void rfc7239ProtoOfTheClientElementIsUsed() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("Forwarded", "for=198.51.100.1;proto=https;host=shop.example.com, for=10.0.0.5;proto=http");

    assertThat(ofForwarded(r).isSecure()).isTrue();
    assertThat(ofForwarded(r).host()).isEqualTo("shop.example.com");
  }

  @Test
  void rfc7239ProtoAndHostAreIgnoredUnderXForwardedFor() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("Host", "www.example.com")
        .header("Forwarded", "for=198.51.100.1;proto=https;host=evil.example");

    assertThat(of(r).isSecure()).isFalse();
    assertThat(of(r).host()).isEqualTo("www.example.com");
  }

  @Test
  void forwardedProtoAndHostAreIgnoredUnderForwarded() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("Host", "www.example.com")
        .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "evil.example")
        .header("Forwarded", "for=198.51.100.1");

    assertThat(ofForwarded(r).isSecure()).isFalse();
    assertThat(ofForwarded(r).host()).isEqualTo("www.example.com");
  }

  @Test
  void rfc7239ProtoAndHostFromAnUntrustedPeerAreIgnored() {
    FakeRequest r = FakeRequest.from("203.0.113.9").header("Host", "www.example.com")
        .header("Forwarded", "for=198.51.100.1;proto=https;host=evil.example");

    assertThat(ofForwarded(r).isSecure()).isFalse();
    assertThat(ofForwarded(r).host()).isEqualTo("www.example.com");
  }

  // ---- host and URL ----

  @Test
  void hostComesFromTheHostHeader() {
    ClientRequest c = of(FakeRequest.from("203.0.113.9").header("Host", "WWW.Example.com:8443"));

    assertThat(c.host()).isEqualTo("www.example.com");
    assertThat(c.port()).isEqualTo(8443);
    assertThat(c.authority()).isEqualTo("www.example.com:8443");
  }

  @Test
  void forwardedHostFromATrustedProxyIsBelieved() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("Host", "app:8080").header("X-Forwarded-Host", "www.example.com");

    assertThat(of(r).host()).isEqualTo("www.example.com");
  }

  @Test
  void forwardedHostFromAnUntrustedPeerIsIgnored() {
    FakeRequest r = FakeRequest.from("203.0.113.9").header("Host", "www.example.com").header("X-Forwarded-Host", "evil.com");

    assertThat(of(r).host()).isEqualTo("www.example.com");
  }

  @Test
  void invalidForwardedHostFallsBackToTheHostHeader() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("Host", "www.example.com").header("X-Forwarded-Host", "a b/c");

    assertThat(of(r).host()).isEqualTo("www.example.com");
  }

  @Test
  void invalidHostHeaderFallsBackToTheServerName() {
    FakeRequest r = FakeRequest.from("203.0.113.9").header("Host", "evil.com\r\nX: y").server("server.internal", 8080);

    assertThat(of(r).authority()).isEqualTo("server.internal:8080");
  }

  @Test
  void nothingValidGivesLocalhost() {
    FakeRequest r = FakeRequest.from("203.0.113.9").header("Host", "%%%").server("<bad>", 80);

    assertThat(of(r).host()).isEqualTo("localhost");
  }

  @Test
  void ipv6HostKeepsItsBrackets() {
    ClientRequest c = of(FakeRequest.from("203.0.113.9").header("Host", "[2001:db8::1]:8080"));

    assertThat(c.host()).isEqualTo("[2001:db8::1]");
    assertThat(c.url()).isEqualTo("http://[2001:db8::1]:8080/");
  }

  @Test
  void portOutOfRangeIsInvalid() {
    FakeRequest r = FakeRequest.from("203.0.113.9").header("Host", "example.com:70000").server("fallback.example", 80);

    assertThat(of(r).host()).isEqualTo("fallback.example");
  }

  @Test
  void urlHasSchemeHostPathAndQuery() {
    FakeRequest r = FakeRequest.from("203.0.113.9").header("Host", "www.example.com").uri("/shop/cart", "a=1&utm_source=x");

    assertThat(of(r).url()).isEqualTo("http://www.example.com/shop/cart?a=1&utm_source=x");
  }

  @Test
  void urlLeavesOutTheDefaultPort() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("Host", "www.example.com:443").header("X-Forwarded-Proto", "https");

    assertThat(of(r).url()).isEqualTo("https://www.example.com/");
  }

  @Test
  void urlIsAsTheClientAddressedItThroughTheProxy() {
    FakeRequest r = FakeRequest.from("10.0.0.5")
        .header("Host", "backend:8080")
        .header("X-Forwarded-Host", "www.example.com")
        .header("X-Forwarded-Proto", "https")
        .uri("/p", "q=1");

    assertThat(of(r).url()).isEqualTo("https://www.example.com/p?q=1");
  }

  @Test
  void emptyQueryStringKeepsItsQuestionMark() {
    assertThat(of(FakeRequest.from("203.0.113.9").header("Host", "a.com").uri("/x", "")).url()).isEqualTo("http://a.com/x?");
  }

  @Test
  void viaTrustedProxyTellsWhetherHeadersWereRead() {
    assertThat(of(FakeRequest.from("127.0.0.1")).viaTrustedProxy()).isTrue();
    assertThat(of(FakeRequest.from("203.0.113.9")).viaTrustedProxy()).isFalse();
  }

  @Test
  void noTrustedProxiesMeansNoHeaderIsBelieved() {
    FakeRequest r = FakeRequest.from("127.0.0.1").header("X-Forwarded-For", "198.51.100.1");

    assertThat(ClientRequest.of(r.build(), new TrustedProxies(List.of(), RemoteIpHeader.X_FORWARDED_FOR)).ip())
        .isEqualTo("127.0.0.1");
  }

  @Test
  void unparsableRemoteAddressIsKeptButNotTrusted() {
    FakeRequest r = FakeRequest.from("unix-socket").header("X-Forwarded-For", "198.51.100.1");

    assertThat(of(r).ip()).isEqualTo("unix-socket");
  }

  // ---- work done on demand ----

  /** {@code request} with every method call it receives recorded in {@code calls}. */
  private static HttpServletRequest recording(HttpServletRequest request, List<String> calls) {
    return (HttpServletRequest) Proxy.newProxyInstance(ClientRequestTest.class.getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
          calls.add(method.getName() + (args != null && args.length == 1 ? " " + args[0] : ""));
          try {
            return method.invoke(request, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static final TrustedProxies FORWARDED_FOR = new TrustedProxies(TRUSTED, RemoteIpHeader.X_FORWARDED_FOR);

  @Test
  void nothingIsReadUntilAPartIsAskedFor() {
    List<String> calls = new ArrayList<>();
    ClientRequest.of(recording(FakeRequest.from("127.0.0.1").header("X-Forwarded-For", "198.51.100.1").build(), calls),
        FORWARDED_FOR);

    assertThat(calls).isEmpty();
  }

  @Test
  void schemeAndHostOfARequestWithoutForwardingHeadersLeaveThePeerAlone() {
    List<String> calls = new ArrayList<>();
    ClientRequest c = ClientRequest.of(recording(FakeRequest.from("127.0.0.1").header("Host", "www.example.com").build(),
        calls), FORWARDED_FOR);

    assertThat(c.isSecure()).isFalse();
    assertThat(c.host()).isEqualTo("www.example.com");
    assertThat(calls).doesNotContain("getRemoteAddr").noneMatch(call -> call.contains("X-Forwarded-For"));
  }

  @Test
  void eachPartIsWorkedOutOnce() {
    List<String> calls = new ArrayList<>();
    ClientRequest c = ClientRequest.of(recording(FakeRequest.from("127.0.0.1").header("X-Forwarded-For", "198.51.100.1")
        .header("Host", "www.example.com").build(), calls), FORWARDED_FOR);

    for (int i = 0; i < 3; i++) {
      assertThat(c.ip()).isEqualTo("198.51.100.1");
      assertThat(c.url()).isEqualTo("http://www.example.com/");
    }
    assertThat(calls).containsOnlyOnce("getRemoteAddr", "getHeaders X-Forwarded-For", "getHeader Host");
  }

  @Test
  void forwardedChainIsWalkedOnceForAddressProtoAndHost() {
    List<String> calls = new ArrayList<>();
    ClientRequest c = ClientRequest.of(recording(FakeRequest.from("127.0.0.1")
        .header("Forwarded", "for=198.51.100.1;proto=https;host=shop.example.com").build(), calls),
        new TrustedProxies(TRUSTED, RemoteIpHeader.FORWARDED));

    assertThat(c.isSecure()).isTrue();
    assertThat(c.host()).isEqualTo("shop.example.com");
    assertThat(c.ip()).isEqualTo("198.51.100.1");
    assertThat(calls).containsOnlyOnce("getHeaders Forwarded");
  }
}
