package dev.audiencekit.tags;

import dev.audiencekit.AnalyticsContext;
import dev.audiencekit.collect.CollectEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.jsp.JspException;
import jakarta.servlet.jsp.PageContext;
import java.io.IOException;
import java.util.Map;

/**
 * {@code <analytics:snippet writeKey="…"/>} writes the analytics.js loader, configured for cookie-first
 * storage and handed the server's anonymousId, userId and groupId, so browser and server events carry
 * the same ids (see {@link Snippet}). Place it after every tag of the page that changes the identity
 * (an {@code <analytics:identify>} or {@code <analytics:reset>} later in the page would not reach it),
 * e.g. at the end of {@code <body>}.
 *
 * <p>For a context that is not tracked ({@link AnalyticsContext#isTracked()} false: a crawler under
 * {@code bots=skip}, {@code privacy.gpc=no-tracking} with the signal, consent not granted) it renders
 * nothing, so the browser library never starts there and never mints an id of its own. When consent is
 * configured, browser events carry the visitor's {@code context.consent} as server events do.
 *
 * <p>{@code writeKey} falls back to the context-param {@value #WRITE_KEY_PARAM}. It is the browser
 * source's key, public by nature; the filter's {@code writeKey} is deliberately not reused, since a
 * server source's key should not appear in pages.
 *
 * <p>When the filter collects first-party ({@code collect}), the loader sends to the endpoint and loads
 * its settings from it, and from {@code collect.bundle} analytics.js itself; attributes given explicitly
 * still win. A page then needs no write key when analytics.js does not come from the vendor's CDN
 * (a served bundle, or a {@code src}): the server adds its own key to what it delivers.
 */
public class SnippetTag extends AnalyticsTagSupport {
  /** The context-param read when the tag has no {@code writeKey} attribute. */
  public static final String WRITE_KEY_PARAM = "audiencekit.snippet.writeKey";

  private String writeKey;
  private String src;
  private String cdnHost;
  private String apiHost;
  private boolean page;

  public void setWriteKey(String writeKey) {
    this.writeKey = writeKey;
  }

  public void setSrc(String src) {
    this.src = src;
  }

  public void setCdnHost(String cdnHost) {
    this.cdnHost = cdnHost;
  }

  public void setApiHost(String apiHost) {
    this.apiHost = apiHost;
  }

  public void setPage(boolean page) {
    this.page = page;
  }

  @Override
  String tagName() {
    return "<analytics:snippet>";
  }

  @Override
  public void doTag() throws JspException, IOException {
    AnalyticsContext analytics = analytics();
    if (!analytics.isTracked()) {
      return;
    }
    PageContext pageContext = (PageContext) getJspContext();
    Object endpoint = pageContext.getServletContext().getAttribute(CollectEndpoint.ATTRIBUTE);
    CollectEndpoint collect = endpoint instanceof CollectEndpoint c ? c : null;
    String key = writeKey;
    if (key == null || key.isBlank()) {
      key = pageContext.getServletContext().getInitParameter(WRITE_KEY_PARAM);
    }
    if ((key == null || key.isBlank()) && collect != null
        && (collect.servesBundle() || (src != null && !src.isBlank()))) {
      key = Snippet.FIRST_PARTY_WRITE_KEY;
    }
    if (key == null || key.isBlank()) {
      throw new JspException(tagName() + " needs a writeKey: set the writeKey attribute or the context-param "
          + WRITE_KEY_PARAM + " in web.xml (with first-party collection, serving analytics.js through "
          + "collect.bundle makes it unnecessary)");
    }
    Snippet snippet;
    try {
      snippet = new Snippet(key, src, cdnHost, apiHost, page);
      if (collect != null) {
        String contextPath = ((HttpServletRequest) pageContext.getRequest()).getContextPath();
        snippet = snippet.collectingAt(contextPath + collect.prefix(), collect.servesBundle());
      }
    } catch (IllegalArgumentException e) {
      throw new JspException(tagName() + ": " + e.getMessage(), e);
    }
    Snippet.Identity identity = new Snippet.Identity(analytics.user().anonymousId(), analytics.getUserId(),
        analytics.getGroupId(), categoryPreferences(analytics));
    getJspContext().getOut().write(snippet.render(identity));
  }

  /**
   * The visitor's consent that browser events must carry, or {@code null} when consent is not
   * configured. The context does not expose consent yet; until it does, browser events carry none.
   */
  static Map<String, Boolean> categoryPreferences(AnalyticsContext analytics) {
    return analytics.consent();
  }
}
