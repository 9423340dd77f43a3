<%@ page contentType="text/html;charset=UTF-8" trimDirectiveWhitespaces="true"
%><%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags"
%><% if (request.getParameter("userId") != null) { %><analytics:identify userId="${param.userId}"/><% } %>
<% if (request.getParameter("groupId") != null) { %><analytics:group groupId="${param.groupId}"/><% } %>
<analytics:snippet writeKey="WK_GOLDEN" src="/analytics-next/bundles/standalone.js"
    cdnHost="http://127.0.0.1:8080" apiHost="127.0.0.1:8080/v1" page="${param.page == 'true'}"/>
