<%@ page contentType="text/html;charset=UTF-8" buffer="none" import="dev.audiencekit.AnalyticsContext"
%><p>flushed before identify</p><% out.flush();
  AnalyticsContext.get(request).identify(request.getParameter("userId")); %>
<p>identified as ${analytics.userId}</p>
