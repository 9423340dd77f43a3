<%@ page contentType="text/html;charset=UTF-8" import="dev.audiencekit.demo.ConsentView" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<%@ taglib prefix="shop" tagdir="/WEB-INF/tags" %>
<%-- Privacy settings: the visitor's choice, and plain forms (no script) that change it through AnalyticsContext.consent. --%>
<analytics:page name="Privacy settings" title="Privacy settings · Kiln & Co."/>
<c:set var="choice" value="${ConsentView.of(pageContext.request)}"/>
<shop:layout title="Privacy settings">
  <div class="panel" style="max-width: 640px">
    <h1>Privacy settings</h1>
    <p class="lead" id="privacy-state">
      <c:choose>
        <c:when test="${not choice.decided}">You have not decided yet: nothing is set and nothing is sent.</c:when>
        <c:when test="${choice.granted}">You accepted <c:out value="${choice.required}"/>: this browser is recognised and its visits are recorded.</c:when>
        <c:otherwise>You declined <c:out value="${choice.required}"/>: no identity cookie, no event.</c:otherwise>
      </c:choose>
    </p>
    <p>Every event the shop sends carries your choice as <code>context.consent.categoryPreferences</code>:
      <code id="privacy-preferences"><c:out value="${choice.json}"/></code></p>
    <div class="row" style="justify-content: flex-start">
      <form method="post" action="${pageContext.request.contextPath}/shop/consent">
        <input type="hidden" name="choice" value="accept"><input type="hidden" name="next" value="/privacy">
        <button type="submit" id="privacy-accept">Accept analytics</button>
      </form>
      <form method="post" action="${pageContext.request.contextPath}/shop/consent">
        <input type="hidden" name="choice" value="decline"><input type="hidden" name="next" value="/privacy">
        <button type="submit" class="ghost" id="privacy-decline"><c:choose><c:when test="${choice.granted}">Withdraw consent</c:when><c:otherwise>Decline</c:otherwise></c:choose></button>
      </form>
    </div>
    <p style="font-size: 14px; color: var(--muted); margin-top: 18px">Withdrawing deletes the identity cookies
      (<code>ajs_anonymous_id</code>, <code>ak_anonymous_id</code>, <code>ajs_user_id</code>) and what the server
      stored for this browser. The choice itself is kept in the <code>shop_consent</code> cookie.</p>
  </div>
</shop:layout>
