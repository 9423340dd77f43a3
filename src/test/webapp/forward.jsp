<%@ page import="dev.audiencekit.AnalyticsContext"
%><%-- ?before=identify|reset runs before the forward; the probe runs the do= actions. --%><%
  String before = request.getParameter("before");
  if ("identify".equals(before)) {
    AnalyticsContext.get(request).identify(request.getParameter("userId"));
  } else if ("reset".equals(before)) {
    AnalyticsContext.get(request).reset();
  }
%><jsp:forward page="/probe"/>
