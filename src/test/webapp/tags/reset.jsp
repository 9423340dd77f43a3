<%@ page contentType="text/html;charset=UTF-8" trimDirectiveWhitespaces="true"
%><%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags"
%><analytics:identify userId="user-2"/>
<p id="before">${analytics.userId}</p>
<analytics:reset/>
<p id="after">${empty analytics.userId}</p>
