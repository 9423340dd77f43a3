package dev.audiencekit.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BotDetectorTest {
  final BotDetector detector = new BotDetector();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      Googlebot            | Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)
      Googlebot smartphone | Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.204 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)
      GoogleOther          | Mozilla/5.0 (compatible; GoogleOther)
      Bingbot              | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36
      YandexBot            | Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)
      Baiduspider          | Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)
      DuckDuckBot          | DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)
      Yahoo Slurp          | Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)
      Applebot             | Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)
      PetalBot             | Mozilla/5.0 (Linux; Android 7.0;) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)
      SemrushBot           | Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)
      AhrefsBot            | Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)
      MJ12bot              | Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)
      DotBot               | Mozilla/5.0 (compatible; DotBot/1.2; +https://opensiteexplorer.org/dotbot; help@moz.com)
      GPTBot               | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)
      ChatGPT-User         | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot
      OAI-SearchBot        | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; OAI-SearchBot/1.0; +https://openai.com/searchbot
      ClaudeBot            | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)
      Claude-Web           | Claude-Web/1.0 (web crawler; +claude-web@anthropic.com)
      anthropic-ai         | anthropic-ai
      PerplexityBot        | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; +https://perplexity.ai/perplexitybot)
      Bytespider           | Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)
      CCBot                | CCBot/2.0 (https://commoncrawl.org/faq/)
      Amazonbot            | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Amazonbot/0.1; +https://developer.amazon.com/support/amazonbot) Chrome/119.0.6045.214 Safari/537.36
      meta-externalagent   | meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)
      cohere-ai            | cohere-ai
      Diffbot              | Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2272.96 Safari/537.36 (compatible; Diffbot/0.1; +http://www.diffbot.com)
      facebookexternalhit  | facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)
      Facebot              | Facebot
      Twitterbot           | Twitterbot/1.0
      LinkedInBot          | LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)
      Slackbot             | Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)
      Slackbot 2           | Slackbot 1.0 (+https://api.slack.com/robots)
      Discordbot           | Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)
      TelegramBot          | TelegramBot (like TwitterBot)
      WhatsApp             | WhatsApp/2.23.20.0 A
      Pinterestbot         | Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)
      redditbot            | Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)
      Embedly              | Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)
      SkypeUriPreview      | Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com
      Mastodon             | http.rb/5.1.1 (Mastodon/4.2.1; +https://mastodon.social/)
      Bluesky              | Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)
      UptimeRobot          | Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)
      Scrapy               | Scrapy/2.11.2 (+https://scrapy.org)
      generic crawler      | SomeNewCrawler/0.1
      """)
  void knownCrawlersAreBots(String name, String userAgent) {
    assertThat(detector.isBot(userAgent)).as(name).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      Chrome desktop        | Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36
      Chrome Android        | Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36
      Safari iPhone         | Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1
      Safari macOS          | Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15
      Firefox               | Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0
      Firefox Linux         | Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0
      Edge                  | Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0
      Samsung Internet      | Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36
      Opera                 | Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/116.0.0.0
      Yandex Browser        | Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 YaBrowser/24.12.0.0 Safari/537.36
      HeadlessChrome        | Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36
      Facebook in-app       | Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.38.109;FBBV/622017806;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]
      Instagram in-app      | Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 340.0.3.23.96 (iPhone14,5; iOS 17_5; en_US; en; scale=3.00; 1170x2532; 623424316)
      Cubot phone           | Mozilla/5.0 (Linux; Android 11; CUBOT_X50) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36
      Cubot phone slash     | Mozilla/5.0 (Linux; Android 9; Cubot/KingKong) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36
      curl                  | curl/8.5.0
      Java HttpClient       | Java-http-client/17.0.15
      python-requests       | python-requests/2.32.3
      """)
  void browsersAndToolsAreNotBots(String name, String userAgent) {
    assertThat(detector.isBot(userAgent)).as(name).isFalse();
  }

  @Test
  void emptyOrMissingUserAgentIsNotABot() {
    assertThat(detector.isBot(null)).isFalse();
    assertThat(detector.isBot("")).isFalse();
    assertThat(detector.isBot("   ")).isFalse();
  }

  @Test
  void matchingIgnoresCase() {
    assertThat(detector.isBot("MOZILLA/5.0 (COMPATIBLE; GOOGLEBOT/2.1)")).isTrue();
  }

  @Test
  void extraPatternsFromSettingsAreAdded() {
    BotDetector withCurl = new BotDetector(List.of(" Curl/ ", "Python-Requests"));
    assertThat(withCurl.isBot("curl/8.5.0")).isTrue();
    assertThat(withCurl.isBot("python-requests/2.32.3")).isTrue();
    assertThat(withCurl.isBot("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/133.0")).isFalse();
  }

  @Test
  void builtInListIsLowerCaseAndHasNoDuplicates() {
    List<String> lines = BotDetector.builtInLines();
    assertThat(lines).doesNotHaveDuplicates().hasSizeGreaterThan(100);
    assertThat(new BotDetector().patterns()).contains("gptbot", "claudebot", "bytespider", "ccbot",
        "facebookexternalhit").doesNotContain("headlesschrome", "curl/");
  }

  // ---- the verdict cache ----

  private static final String CHROME_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
      + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

  @Test
  void floodOfHugeRandomUserAgentsCannotGrowTheCache() {
    BotDetector detector = new BotDetector();
    java.util.Random random = new java.util.Random(7);
    char[] text = new char[8 * 1024];
    for (int i = 0; i < 20_000; i++) {
      for (int j = 0; j < text.length; j++) {
        text[j] = (char) ('a' + random.nextInt(26));
      }
      detector.isBot(new String(text));
    }

    assertThat(detector.cachedVerdicts()).isLessThanOrEqualTo(BotDetector.MAX_CACHED);
    assertThat(detector.cachedCharacters()).isLessThanOrEqualTo((long) BotDetector.MAX_CACHED * BotDetector.MAX_CACHED_LENGTH);
  }

  @Test
  void floodOfShortRandomUserAgentsKeepsTheCacheBounded() {
    BotDetector detector = new BotDetector();
    for (int i = 0; i < 3 * BotDetector.MAX_CACHED; i++) {
      detector.isBot(CHROME_UA + " Build/" + i);
    }

    assertThat(detector.cachedVerdicts()).isLessThanOrEqualTo(BotDetector.MAX_CACHED);
  }

  @Test
  void userAgentsSharingALongPrefixAreEachJudgedOnTheirWholeText() {
    BotDetector detector = new BotDetector();
    String prefix = CHROME_UA + " " + "x".repeat(BotDetector.MAX_CACHED_LENGTH);

    assertThat(detector.isBot(prefix + " Googlebot/2.1")).isTrue();
    assertThat(detector.isBot(prefix + " Mobile")).isFalse();
    assertThat(detector.isBot(prefix + " Googlebot/2.1")).isTrue();
  }

  @Test
  void cachedVerdictIsTheScannedOne() {
    BotDetector detector = new BotDetector();
    for (int i = 0; i < 3; i++) {
      assertThat(detector.isBot(CHROME_UA)).isFalse();
      assertThat(detector.isBot("Mozilla/5.0 (compatible; bingbot/2.0)")).isTrue();
    }
    assertThat(detector.cachedVerdicts()).isEqualTo(2);
  }
}
