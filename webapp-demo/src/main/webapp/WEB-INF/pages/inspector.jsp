<%@ page contentType="text/html;charset=UTF-8" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<%@ taglib prefix="shop" tagdir="/WEB-INF/tags" %>
<%-- Forwarded from InspectorServlet with the request attributes cookies, consent and timeline. No event: it only looks. --%>
<shop:layout title="Identity inspector">
  <jsp:attribute name="head">
<style>
  .facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 14px; margin: 0 0 22px; }
  .fact { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 14px 16px; }
  .fact .k { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
  .fact .v { font-size: 15px; margin-top: 4px; word-break: break-all; }
  .fact .hint { font-size: 12.5px; color: var(--muted); margin-top: 4px; }
  .none { color: var(--muted); font-style: italic; }
  .cols { display: grid; grid-template-columns: 1fr 1.4fr; gap: 18px; margin: 0 0 22px; }
  .panel h2 { font-size: 17px; margin: 0 0 10px; }
  table.kv { width: 100%; border-collapse: collapse; font-size: 14px; }
  table.kv td, table.kv th { text-align: left; padding: 6px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
  table.kv th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
  table.kv td.val { word-break: break-all; }
  .legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: 12.5px; color: var(--muted); margin: 0 0 12px; }
  .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 5px; vertical-align: -1px; }
  ol.timeline { list-style: none; margin: 0; padding: 0; position: relative; }
  ol.timeline::before { content: ""; position: absolute; left: 109px; top: 10px; bottom: 10px; width: 2px; background: var(--line); }
  ol.timeline li { display: grid; grid-template-columns: 98px 24px 1fr; column-gap: 0; padding: 7px 0; position: relative; }
  ol.timeline .clock { text-align: right; padding-right: 10px; color: var(--muted); font-size: 12.5px; padding-top: 2px; }
  ol.timeline .dot { width: 14px; height: 14px; border-radius: 50%; margin: 3px auto 0; border: 3px solid var(--card); box-shadow: 0 0 0 1px var(--line); }
  ol.timeline .what { padding-left: 8px; }
  ol.timeline .title { font-weight: 600; }
  .badge { display: inline-block; font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .05em; color: #fff; border-radius: 4px; padding: 1px 6px; margin-right: 6px; vertical-align: 1px; }
  .origin { display: inline-block; font-size: 11px; border: 1px solid var(--line); border-radius: 10px; padding: 0 7px; margin-left: 6px; color: var(--muted); }
  .origin.browser { border-color: #c9b8e6; color: #6a4fa0; }
  ol.timeline .meta { font-size: 12.5px; color: var(--muted); margin-top: 2px; }
  ol.timeline .meta span { margin-right: 12px; }
  ol.timeline li.divider { display: block; padding: 2px 0 8px 128px; font-size: 12px; color: var(--accent-dark); }
  .t-page { background: #3d5a80; } .t-track { background: #b5532e; } .t-identify { background: #5b7f6b; }
  .t-group { background: #8e6bb5; } .t-alias { background: #c49a2c; } .t-other { background: #888; }
  @media (max-width: 720px) { .cols { grid-template-columns: 1fr; } }
</style>
  </jsp:attribute>
  <jsp:body>
  <h1>Identity inspector</h1>
  <p class="lead">What the server knows about this browser on this request, and what it recorded.</p>

  <div class="facts">
    <div class="fact"><div class="k">anonymousId</div><div class="v mono" id="inspector-anonymous-id"><analytics:anonymousId/></div></div>
    <div class="fact"><div class="k">userId</div>
      <div class="v mono" id="inspector-user-id"><c:out value="${analytics.userId}" default="—"/></div>
      <c:if test="${empty analytics.userId}"><div class="hint">anonymous visitor</div></c:if></div>
    <div class="fact"><div class="k">Resolved from</div><div class="v" id="inspector-source"><c:out value="${analytics.source}"/></div>
      <div class="hint">
        <c:choose>
          <c:when test="${analytics.source == 'COOKIE'}">the ajs_anonymous_id cookie</c:when>
          <c:when test="${analytics.source == 'BACKUP_COOKIE'}">restored from the HttpOnly backup cookie</c:when>
          <c:when test="${analytics.source == 'FINGERPRINT'}">restored from the server-side mirror by device fingerprint</c:when>
          <c:when test="${analytics.source == 'COALESCED'}">shared with a parallel first request</c:when>
          <c:otherwise>minted for this request</c:otherwise>
        </c:choose>
      </div></div>
    <div class="fact"><div class="k">Group</div><div class="v mono"><c:out value="${analytics.groupId}" default="—"/></div>
      <div class="hint"><c:choose><c:when test="${analytics.tracked}">events are recorded</c:when><c:when test="${not consent.granted}">not tracked: no consent</c:when><c:otherwise>not tracked (bot or privacy signal)</c:otherwise></c:choose></div></div>
    <div class="fact"><div class="k">Consent</div>
      <div class="v" id="inspector-consent"><c:choose><c:when test="${not consent.decided}">not decided</c:when><c:when test="${consent.granted}">granted</c:when><c:otherwise>declined</c:otherwise></c:choose></div>
      <div class="hint">required: <c:out value="${consent.required}" default="nothing"/> · categoryPreferences
        <span class="mono" id="inspector-consent-preferences"><c:out value="${consent.json}"/></span></div></div>
  </div>

  <div class="cols">
    <section class="panel">
      <h2>Traits</h2>
      <table class="kv">
        <c:forEach var="t" items="${analytics.user.traits}">
          <tr><td><c:out value="${t.key}"/></td><td class="val"><c:out value="${t.value}"/></td></tr>
        </c:forEach>
        <c:forEach var="t" items="${analytics.group.traits}">
          <tr><td>group.<c:out value="${t.key}"/></td><td class="val"><c:out value="${t.value}"/></td></tr>
        </c:forEach>
      </table>
      <c:if test="${empty analytics.user.traits and empty analytics.group.traits}"><p class="none">No traits yet: log in to identify.</p></c:if>
    </section>
    <section class="panel">
      <h2>Cookies the server saw</h2>
      <table class="kv" id="inspector-cookies">
        <tr><th>Name</th><th>Value, as sent</th></tr>
        <c:forEach var="seen" items="${cookies}">
          <tr><td class="mono"><c:out value="${seen.name}"/><c:if test="${not empty seen.note}"><div class="hint" style="font-family: inherit; color: var(--muted); font-size: 12px"><c:out value="${seen.note}"/></div></c:if></td>
            <td class="val mono"><c:out value="${seen.value}"/></td></tr>
        </c:forEach>
      </table>
      <c:if test="${empty cookies}"><p class="none">This request carried no cookies (a first visit).</p></c:if>
    </section>
  </div>

  <section class="panel">
    <h2>Latest events of this visitor</h2>
    <div class="legend">
      <span><i class="t-page"></i>page</span><span><i class="t-track"></i>track</span><span><i class="t-identify"></i>identify</span>
      <span><i class="t-group"></i>group</span><span><i class="t-alias"></i>alias</span>
      <span>newest first · <span class="origin">server</span> sent by audiencekit · <span class="origin browser">browser</span> sent by analytics.js</span>
    </div>
    <c:if test="${empty timeline}"><p class="none">No events yet for this visitor.</p></c:if>
    <ol class="timeline" id="timeline">
      <c:forEach var="e" items="${timeline}">
        <c:set var="tc" value="${e.type == 'page' or e.type == 'track' or e.type == 'identify' or e.type == 'group' or e.type == 'alias' ? e.type : 'other'}"/>
        <li class="entry" data-type="<c:out value='${e.type}'/>" data-origin="${e.origin}">
          <span class="clock mono">${e.clock}</span>
          <span class="dot t-${tc}"></span>
          <div class="what">
            <span class="badge t-${tc}"><c:out value="${e.type}"/></span><span class="title"><c:out value="${e.label}"/></span><span class="origin ${e.origin}">${e.origin}</span>
            <div class="meta mono">
              <span>anon <c:out value="${e.anonymousId}"/></span>
              <span>user <c:out value="${e.userId}" default="—"/></span>
              <span class="consent">consent <c:out value="${e.consent}" default="—"/></span>
              <c:forEach var="d" items="${e.details}"><span><c:out value="${d}"/></span></c:forEach>
            </div>
          </div>
        </li>
        <c:if test="${e.newIdentity}"><li class="divider">↑ a new anonymousId from here on</li></c:if>
      </c:forEach>
    </ol>
  </section>
  </jsp:body>
</shop:layout>
