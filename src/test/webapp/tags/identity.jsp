<%@ page contentType="text/html;charset=UTF-8" trimDirectiveWhitespaces="true"
%><%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags"
%><% if (request.getParameter("anonymousId") != null) { %><analytics:identify anonymousId="${param.anonymousId}"/><% } %>
<p id="printed"><analytics:anonymousId/></p>
<analytics:anonymousId var="id"/>
<p id="var">${id == analytics.anonymousId}</p>
<analytics:user var="visitor"/>
<p id="user">${visitor == analytics.user} / ${empty visitor.id ? 'anonymous' : 'identified'}</p>
<analytics:ready><p id="ready">ready for <analytics:anonymousId/></p></analytics:ready>
