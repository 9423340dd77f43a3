<%@ tag description="The shop's page: header, content, consent banner, identity strip and the analytics.js snippet" pageEncoding="UTF-8" trimDirectiveWhitespaces="true" import="dev.audiencekit.demo.ConsentView" %>
<%@ attribute name="title" required="true" %>
<%@ attribute name="head" fragment="true" description="Extra elements for the head, e.g. a page's own style" %>
<%@ attribute name="scripts" fragment="true" description="Page scripts that use window.analytics, rendered after the snippet" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="fn" uri="jakarta.tags.functions" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><c:out value="${title}"/> · Kiln &amp; Co.</title>
<style>
  :root { --ink: #2b2622; --muted: #7a6f66; --paper: #f7f4ef; --card: #fff; --line: #e7e0d6; --accent: #b5532e; --accent-dark: #8f3f22; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: var(--paper); }
  a { color: var(--accent-dark); }
  header.site { background: var(--card); border-bottom: 1px solid var(--line); }
  header.site .bar { max-width: 980px; margin: 0 auto; padding: 14px 24px; display: flex; align-items: center; gap: 24px; }
  .brand { font-weight: 700; font-size: 20px; letter-spacing: .02em; color: var(--ink); text-decoration: none; }
  .brand span { color: var(--accent); }
  nav.site { margin-left: auto; display: flex; align-items: center; gap: 18px; font-size: 15px; }
  nav.site a { color: var(--ink); text-decoration: none; }
  nav.site a:hover { color: var(--accent); }
  nav.site .count { display: inline-block; min-width: 20px; padding: 0 6px; margin-left: 4px; border-radius: 10px; background: var(--accent); color: #fff; font-size: 12px; text-align: center; }
  nav.site form { margin: 0; }
  main { max-width: 980px; margin: 0 auto; padding: 32px 24px 48px; }
  h1 { font-size: 28px; margin: 0 0 8px; }
  .lead { color: var(--muted); margin: 0 0 28px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 22px; }
  .card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; overflow: hidden; }
  .card .body { padding: 16px 18px 18px; }
  .card h2 { font-size: 18px; margin: 0 0 4px; }
  .card p { margin: 0 0 12px; color: var(--muted); font-size: 14px; }
  .price { font-weight: 600; }
  .row { display: flex; align-items: center; justify-content: space-between; gap: 12px; }
  .button, button { display: inline-block; border: 0; border-radius: 8px; padding: 10px 18px; background: var(--accent); color: #fff; font: inherit; font-weight: 600; text-decoration: none; cursor: pointer; }
  .button:hover, button:hover { background: var(--accent-dark); }
  button.link { background: none; color: var(--ink); padding: 0; font-weight: 400; }
  button.link:hover { background: none; color: var(--accent); }
  .ghost { background: none; color: var(--accent-dark); border: 1px solid var(--line); }
  .ghost:hover { background: var(--card); }
  .product { display: grid; grid-template-columns: 1fr 1fr; gap: 36px; align-items: start; }
  .panel { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 22px 24px; }
  table.lines { width: 100%; border-collapse: collapse; }
  table.lines th, table.lines td { text-align: left; padding: 10px 8px; border-bottom: 1px solid var(--line); }
  table.lines td.num, table.lines th.num { text-align: right; }
  label { display: block; font-size: 14px; color: var(--muted); margin: 0 0 14px; }
  input[type=text], input[type=email] { display: block; width: 100%; margin-top: 4px; padding: 9px 11px; border: 1px solid var(--line); border-radius: 8px; font: inherit; }
  .notice { background: #fff6e8; border: 1px solid #f0d9b5; border-radius: 8px; padding: 10px 14px; margin: 0 0 18px; }
  footer.site { border-top: 1px solid var(--line); color: var(--muted); font-size: 13px; }
  footer.site .bar { max-width: 980px; margin: 0 auto; padding: 14px 24px; display: flex; gap: 14px; flex-wrap: wrap; align-items: center; }
  code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
  footer.site code { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 2px 6px; color: var(--ink); }
  .consent { position: fixed; left: 0; right: 0; bottom: 0; background: var(--ink); color: #fff; z-index: 10; }
  .consent .bar { max-width: 980px; margin: 0 auto; padding: 16px 24px; display: flex; gap: 18px; align-items: center; flex-wrap: wrap; }
  .consent p { margin: 0; flex: 1 1 360px; font-size: 14.5px; }
  .consent form { margin: 0; }
  .consent .ghost { color: #fff; border-color: #6b625a; }
  @media (max-width: 720px) { .product { grid-template-columns: 1fr; } }
</style>
<jsp:invoke fragment="head"/>
</head>
<body>
<header class="site">
  <div class="bar">
    <a class="brand" href="${pageContext.request.contextPath}/">Kiln <span>&amp;</span> Co.</a>
    <nav class="site">
      <a href="${pageContext.request.contextPath}/">Shop</a>
      <a href="${pageContext.request.contextPath}/cart" id="nav-cart">Cart<c:if test="${sessionScope.cart.count > 0}"><span class="count">${sessionScope.cart.count}</span></c:if></a>
      <a href="${pageContext.request.contextPath}/inspector" id="nav-inspector">Identity inspector</a>
      <c:choose>
        <c:when test="${not empty sessionScope.customer}">
          <span>Hi, <c:out value="${sessionScope.customer.name}"/></span>
          <form method="post" action="${pageContext.request.contextPath}/shop/logout"><button class="link" id="logout" type="submit">Log out</button></form>
        </c:when>
        <c:otherwise><a href="${pageContext.request.contextPath}/login" id="nav-login">Log in</a></c:otherwise>
      </c:choose>
    </nav>
  </div>
</header>
<main>
<jsp:doBody/>
</main>
<c:set var="privacy" value="${ConsentView.of(pageContext.request)}"/>
<footer class="site">
  <div class="bar">
    <c:choose>
      <c:when test="${analytics.tracked}">
        <span>Visitor <code id="visitor-anonymous-id"><analytics:anonymousId/></code></span>
        <c:if test="${not empty analytics.userId}"><span>user <code id="visitor-user-id"><c:out value="${analytics.userId}"/></code></span></c:if>
        <span>resolved from <strong><c:out value="${analytics.source}"/></strong></span>
      </c:when>
      <c:otherwise><span id="visitor-untracked">Not tracked: no identity cookie, no event<c:if test="${not privacy.granted}"> (no consent to <c:out value="${privacy.required}"/>)</c:if></span></c:otherwise>
    </c:choose>
    <a href="${pageContext.request.contextPath}/privacy" id="nav-privacy">Privacy settings</a>
    <span style="margin-left: auto">a demo of audiencekit: server-side identity with analytics.js semantics</span>
  </div>
</footer>
<c:if test="${not privacy.decided}">
<%-- Without JavaScript the forms post to ShopServlet (AnalyticsContext.consent); with it, the script below writes the cookie. --%>
<div class="consent" id="consent-banner" role="region" aria-label="Cookie consent">
  <div class="bar">
    <p>May we count your visit? With your consent the shop sets a cookie that recognises this browser and
      records what you view and buy (<em>Analytics</em>). Until you accept, nothing is set and nothing is sent.
      Nothing is used for advertising.</p>
    <form method="post" action="${pageContext.request.contextPath}/shop/consent">
      <input type="hidden" name="choice" value="decline"><input type="hidden" name="next" value="<c:out value='${privacy.page}'/>">
      <button type="submit" class="ghost" id="consent-decline">Decline</button>
    </form>
    <form method="post" action="${pageContext.request.contextPath}/shop/consent">
      <input type="hidden" name="choice" value="accept"><input type="hidden" name="next" value="<c:out value='${privacy.page}'/>">
      <button type="submit" id="consent-accept">Accept</button>
    </form>
  </div>
</div>
<script>
  (function () {
    var choices = {accept: {Analytics: true, Advertising: false}, decline: {Analytics: false, Advertising: false}};
    document.querySelectorAll("#consent-banner form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var choice = form.elements.choice.value;
        event.preventDefault();
        // the filter reads this cookie (consent=cookie:shop_consent) on the next request
        document.cookie = "<%= ConsentView.COOKIE %>=" + encodeURIComponent(JSON.stringify(choices[choice]))
            + "; Path=/; Max-Age=31536000; SameSite=Lax";
        window.location.reload();
      });
    });
  })();
</script>
</c:if>
<%-- Rendered only while the visitor is tracked; with collect=/ak it needs no attribute at all. --%>
<analytics:snippet/>
<jsp:invoke fragment="scripts"/>
</body>
</html>
