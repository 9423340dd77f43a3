<%@ page contentType="text/html;charset=UTF-8" trimDirectiveWhitespaces="true"
%><%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags"
%><%-- Served under /static/*, which the container tests exclude from the filter. --%>
<% Throwable failure = null; try { %><analytics:anonymousId/><% } catch (Throwable t) { failure = t; } %>
<p><%= failure == null ? "none" : failure.getClass().getSimpleName() + ": " + failure.getMessage().replace("<", "&lt;").replace(">", "&gt;") %></p>
