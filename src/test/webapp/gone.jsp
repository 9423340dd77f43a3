<%@ page contentType="text/html;charset=UTF-8" trimDirectiveWhitespaces="true"
%><%-- The error page of status 410 (WEB-INF/web.xml). --%>
<p>gone for ${analytics.anonymousId}</p>
